//! Section vectors for documentation: the embedder's thread, whenever no question waits for a
//! vector, embeds documentation sections that have none for their current content, a few at a
//! time, so a newly added wiki is read by meaning in the background while asking goes on. What
//! is embedded is the heading path with the section's opening ("MirageOS on ARM64 › Raspberry
//! Pi: …"): the path says what the section is about when its text does not repeat it.

use std::time::{Duration, Instant};

use super::embedding_tools::EmbeddingTools;
use super::unit_vectors::to_bytes;
use crate::db;
use crate::error::AppError;

/// How often an idle embedder looks for sections to embed.
const LOOK_EVERY: Duration = Duration::from_secs(1);
const BATCH: i64 = 16;
/// The encoder reads 128 tokens at most: the rest of a long section is not read anyway.
const MAX_CHARS: usize = 1_000;

pub struct DocWork {
    next_look: Instant,
}

impl Default for DocWork {
    fn default() -> Self {
        Self {
            next_look: Instant::now(),
        }
    }
}

/// What a section's vector is made from.
pub fn embedded_text(heading_path: &str, body: &str) -> String {
    let mut text = format!("{heading_path}: ");
    text.extend(body.chars().take(MAX_CHARS));
    text
}

impl DocWork {
    /// Embeds one batch of sections if some need it; says whether it did.
    pub fn step(&mut self, tools: &EmbeddingTools) -> Result<bool, AppError> {
        if Instant::now() < self.next_look {
            return Ok(false);
        }
        let model = tools.encoder.tag().to_owned();
        let waiting = {
            let model = model.clone();
            tools.handle.block_on(
                tools
                    .db
                    .read(move |conn| db::doc_vectors::waiting(conn, &model, BATCH)),
            )?
        };
        if waiting.is_empty() {
            self.next_look = Instant::now() + LOOK_EVERY;
            return Ok(false);
        }
        let texts: Vec<String> = waiting
            .iter()
            .map(|section| embedded_text(&section.heading_path, &section.body))
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        let encoder = &tools.encoder;
        let vectors = tools
            .pool
            .install(|| encoder.embed(&texts))
            .map_err(|error| AppError::internal("embedding documentation sections", error))?;
        let rows: Vec<(i64, String, Vec<u8>)> = waiting
            .iter()
            .zip(&vectors)
            .map(|(section, vector)| (section.id, section.content_hash.clone(), to_bytes(vector)))
            .collect();
        tools.handle.block_on(tools.db.write(move |conn| {
            for (section_id, content_hash, vector) in &rows {
                // A section removed meanwhile has no row to point at: it is skipped.
                if db::docs::section_by_id(conn, *section_id)?.is_some() {
                    db::doc_vectors::replace(conn, &model, *section_id, content_hash, vector)?;
                }
            }
            Ok(())
        }))?;
        Ok(true)
    }
}
