//! Re-reading a source: only the sections whose content changed are written, a section keeps its
//! id while its place (address, anchor, passage) stays, and one that went leaves a tombstone that
//! says where its content moved, if it did.

use std::collections::{HashMap, HashSet};

use super::lease::Lease;
use crate::app::now;
use crate::db::doc_refresh_lease as lease_rows;
use crate::db::docs::{self as stored, DocSectionRow, NewDocSection, JSONL, MARKDOWN, SITEMAP};
use crate::db::Db;
use crate::docs::progress::{report, ProgressSender, ReadProgress};
use crate::docs::section::{ReadSection, Refused};
use crate::docs::{jsonl, markdown, site};
use crate::domain::Invalid;
use crate::error::AppError;

/// What a refresh found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RefreshReport {
    /// Sections the source holds now.
    pub sections: usize,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Gone from their place, with their content at another.
    pub moved: usize,
    pub removed: usize,
    /// Pages or lines that could not be read; the rest was.
    pub refused: Vec<Refused>,
}

impl std::fmt::Display for RefreshReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} sections: {} added, {} changed, {} unchanged, {} moved, {} removed",
            self.sections, self.added, self.changed, self.unchanged, self.moved, self.removed
        )?;
        if !self.refused.is_empty() {
            write!(f, "; {} refused:", self.refused.len())?;
            for refused in &self.refused {
                write!(f, "\n  {refused}")?;
            }
        }
        Ok(())
    }
}

/// Reads the source called `name` again and brings its sections in line (a site on a private
/// network only when `allow_private`).
pub async fn refresh_source(
    db: &Db,
    name: &str,
    allow_private: bool,
) -> Result<RefreshReport, AppError> {
    refresh_watched(db, name, allow_private, |_| {}).await
}

/// [`refresh_source`], telling `watch` how far the reading got as it goes. Refused with a
/// conflict while another refresh of the source runs, here or on another instance.
pub async fn refresh_watched(
    db: &Db,
    name: &str,
    allow_private: bool,
    watch: impl FnMut(ReadProgress),
) -> Result<RefreshReport, AppError> {
    let wanted = name.to_owned();
    let source = db
        .read(move |conn| stored::source_named(conn, &wanted))
        .await?
        .ok_or(AppError::NotFound {
            what: "documentation source",
        })?;
    let lease = Lease::take(db, &source).await?;
    let (progress, watched) = tokio::sync::watch::channel(ReadProgress::default());
    let reading = read_source(
        &source.kind,
        &source.location,
        source.base_url.as_deref(),
        allow_private,
        progress,
    );
    let (read, ()) = tokio::join!(reading, lease.follow(watched, watch));
    let (read, refused) = match read {
        Ok(read) => read,
        Err(error) => {
            lease.give_back_failed(&error).await;
            return Err(error);
        }
    };
    let at = now();
    let source_id = source.id;
    let holder = lease.holder().to_owned();
    // The sections, the report of what became of them and the lease's end go together or not at
    // all.
    let written = db
        .write(move |conn| {
            let existing = stored::sections_of(conn, source_id)?;
            let mut report = apply(conn, source_id, existing, &read, at)?;
            report.refused = refused;
            let changed = report.added + report.changed + report.moved + report.removed > 0;
            stored::record_refresh(conn, source_id, at, &report.to_string(), changed)?;
            lease_rows::release(conn, source_id, &holder)?;
            Ok(report)
        })
        .await;
    if let Err(error) = &written {
        lease.give_back_failed(error).await;
    }
    written
}

async fn read_source(
    kind: &str,
    location: &str,
    base_url: Option<&str>,
    allow_private: bool,
    progress: ProgressSender,
) -> Result<(Vec<ReadSection>, Vec<Refused>), AppError> {
    match kind {
        SITEMAP => site::read(location, allow_private, &progress)
            .await
            .map_err(|reason| AppError::Invalid(Invalid::new("sitemap", reason))),
        MARKDOWN => {
            let dir = std::path::PathBuf::from(location);
            let base_url = base_url.unwrap_or_default().to_owned();
            tokio::task::spawn_blocking(move || {
                markdown::read(&dir, &base_url, &progress)
                    .map_err(|reason| AppError::Invalid(Invalid::new("path", reason)))
            })
            .await
            .map_err(|error| AppError::internal("reading a Markdown source", error))?
        }
        JSONL => {
            let location = location.to_owned();
            tokio::task::spawn_blocking(move || {
                let bytes = std::fs::read(&location).map_err(|error| {
                    AppError::Invalid(Invalid::new(
                        "path",
                        format!("Cannot read {location}: {error}."),
                    ))
                })?;
                let read = jsonl::read(&bytes);
                report(&progress, 1, 1);
                Ok(read)
            })
            .await
            .map_err(|error| AppError::internal("reading a JSONL source", error))?
        }
        other => Err(AppError::internal(
            "refreshing a documentation source",
            format!("unknown kind `{other}`"),
        )),
    }
}

fn apply(
    conn: &mut crate::db::DbConnection,
    source_id: i64,
    existing: Vec<DocSectionRow>,
    read: &[ReadSection],
    at: chrono::NaiveDateTime,
) -> Result<RefreshReport, AppError> {
    let mut report = RefreshReport {
        sections: read.len(),
        ..RefreshReport::default()
    };
    let mut by_place: HashMap<(&str, &str, i32), &DocSectionRow> = existing
        .iter()
        .map(|row| ((row.url.as_str(), row.anchor.as_str(), row.passage), row))
        .collect();
    let mut kept = HashSet::new();
    // A section's text at a new place, under whatever headings, is the same section moved.
    let mut id_of_text: HashMap<&str, i64> = HashMap::new();
    let mut added_ids = HashSet::new();
    for (position, section) in read.iter().enumerate() {
        let hash = section.content_hash();
        let new = NewDocSection {
            source_id,
            url: &section.url,
            anchor: &section.anchor,
            passage: section.passage,
            heading_path: &section.heading_path,
            body: &section.body,
            content_hash: &hash,
            position: i32::try_from(position).unwrap_or(i32::MAX),
            updated_at: at,
        };
        let place = (
            section.url.as_str(),
            section.anchor.as_str(),
            section.passage,
        );
        let id = match by_place.remove(&place) {
            Some(row) if row.removed_at.is_some() => {
                stored::rewrite_section(conn, row.id, &new)?;
                report.added += 1;
                row.id
            }
            Some(row) if row.content_hash != hash => {
                stored::rewrite_section(conn, row.id, &new)?;
                report.changed += 1;
                row.id
            }
            Some(row) => {
                if row.position != new.position {
                    stored::move_section(conn, row.id, new.position)?;
                }
                report.unchanged += 1;
                row.id
            }
            None => {
                let id = stored::insert_section(conn, &new)?;
                report.added += 1;
                added_ids.insert(id);
                id
            }
        };
        kept.insert(id);
        id_of_text.entry(section.body.as_str()).or_insert(id);
    }
    for row in existing.iter().filter(|row| row.removed_at.is_none()) {
        if kept.contains(&row.id) {
            continue;
        }
        let moved_to = id_of_text.get(row.body.as_str()).copied();
        stored::bury_section(conn, row.id, at, moved_to)?;
        match moved_to {
            Some(id) if added_ids.remove(&id) => {
                // Its content is at a new place: a move, not an addition and a removal.
                report.added -= 1;
                report.moved += 1;
            }
            _ => report.removed += 1,
        }
    }
    Ok(report)
}
