//! The index directory: opened when it is sound and current, created afresh otherwise, and the
//! checkpoint (the last change applied) kept in each commit's payload.

use std::path::Path;

use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::schema::{self, Fields, SCHEMA_VERSION};
use crate::error::AppError;

/// Written with every commit, so a restart resumes where the index really is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub schema: u32,
    /// Every change up to this sequence number is in the index.
    pub seq: i64,
}

pub struct Opened {
    pub index: Index,
    pub fields: Fields,
    /// `None` when the index is new (or was unusable) and must be rebuilt from the database.
    pub checkpoint: Option<Checkpoint>,
}

fn failed(doing: &'static str) -> impl FnOnce(tantivy::TantivyError) -> AppError {
    move |error| AppError::internal(doing, error)
}

/// Opens the index in `dir`; a missing, unreadable or old-schema index is replaced by an empty
/// one, which the caller then rebuilds.
pub fn open(dir: &Path) -> Result<Opened, AppError> {
    if dir.join("meta.json").exists() {
        match open_existing(dir) {
            Ok(opened) => return Ok(opened),
            Err(reason) => {
                tracing::warn!(dir = %dir.display(), %reason, "rebuilding the search index");
                std::fs::remove_dir_all(dir).map_err(|error| {
                    AppError::internal("removing an unusable search index", error)
                })?;
            }
        }
    }
    std::fs::create_dir_all(dir)
        .map_err(|error| AppError::internal("creating the search index directory", error))?;
    let (schema, fields) = schema::build();
    let index = Index::create_in_dir(dir, schema).map_err(failed("creating the search index"))?;
    schema::register_analyzers(&index);
    Ok(Opened {
        index,
        fields,
        checkpoint: None,
    })
}

fn open_existing(dir: &Path) -> Result<Opened, String> {
    let index = Index::open_in_dir(dir).map_err(|error| format!("unreadable: {error}"))?;
    schema::register_analyzers(&index);
    let fields = schema::fields_of(&index.schema()).ok_or("another schema")?;
    let payload = index
        .load_metas()
        .map_err(|error| format!("unreadable metadata: {error}"))?
        .payload
        .ok_or("no checkpoint")?;
    let checkpoint: Checkpoint =
        serde_json::from_str(&payload).map_err(|error| format!("bad checkpoint: {error}"))?;
    if checkpoint.schema != SCHEMA_VERSION {
        return Err(format!("schema version {}", checkpoint.schema));
    }
    // Reading every segment once proves the files are there and whole enough to open.
    index
        .reader()
        .map_err(|error| format!("unreadable segments: {error}"))?;
    Ok(Opened {
        index,
        fields,
        checkpoint: Some(checkpoint),
    })
}

/// The one writer of this index; a second process on the same directory is refused.
pub fn writer(index: &Index, dir: &Path) -> Result<IndexWriter<TantivyDocument>, AppError> {
    index
        .writer_with_num_threads(1, 50_000_000)
        .map_err(|error| match error {
            tantivy::TantivyError::LockFailure(..) => AppError::internal(
                "opening the search index for writing",
                format!(
                    "another faqtory process is using {}; stop it first",
                    dir.display()
                ),
            ),
            other => AppError::internal("opening the search index for writing", other),
        })
}

/// Commits what the writer holds, with the checkpoint as payload.
pub fn commit(writer: &mut IndexWriter<TantivyDocument>, seq: i64) -> Result<(), AppError> {
    let payload = serde_json::to_string(&Checkpoint {
        schema: SCHEMA_VERSION,
        seq,
    })
    .map_err(|error| AppError::internal("writing the search checkpoint", error))?;
    let mut prepared = writer
        .prepare_commit()
        .map_err(failed("preparing a search commit"))?;
    prepared.set_payload(&payload);
    prepared
        .commit()
        .map_err(failed("committing to the search index"))?;
    Ok(())
}
