//! Cue vectors for transcripts: the embedder's thread, whenever no question waits for a vector,
//! embeds an uploaded transcript a few cues at a time, so a three-hour call is read
//! by meaning in the background while asking and searching go on. Progress is what is stored:
//! every instance can show it.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use super::embedding_tools::EmbeddingTools;
use super::unit_vectors::to_bytes;
use crate::db;
use crate::error::AppError;
use crate::transcript::spoken_text;

/// How often an idle embedder looks for a transcript to embed (a look reads only the list of
/// uploads; each upload's cues are checked once).
const LOOK_EVERY: Duration = Duration::from_secs(2);
/// Cues embedded together: long enough to amortise, short enough that a new question waits
/// behind little.
const BATCH: usize = 16;

/// A transcript being embedded.
struct Job {
    event_id: i64,
    /// The upload the vectors are for: a new one replaces the cues, and the job ends.
    imported_at: chrono::NaiveDateTime,
    /// What is left: each cue's position and what it says.
    cues: Vec<(usize, String)>,
}

pub struct TranscriptWork {
    job: Option<Job>,
    next_look: Instant,
    /// Uploads (event, when) whose every cue has a vector of the model.
    complete: HashSet<(i64, chrono::NaiveDateTime)>,
}

impl Default for TranscriptWork {
    fn default() -> Self {
        Self {
            job: None,
            next_look: Instant::now(),
            complete: HashSet::new(),
        }
    }
}

impl TranscriptWork {
    /// Embeds one batch of cues if a transcript needs them; says whether it did.
    pub fn step(&mut self, tools: &EmbeddingTools) -> Result<bool, AppError> {
        if self.job.is_none() {
            if Instant::now() < self.next_look {
                return Ok(false);
            }
            self.next_look = Instant::now() + LOOK_EVERY;
            self.job = self.take_up_next(tools)?;
        }
        let Some(job) = self.job.as_mut() else {
            return Ok(false);
        };
        let batch: Vec<(usize, String)> = job.cues.drain(..BATCH.min(job.cues.len())).collect();
        let texts: Vec<&str> = batch.iter().map(|(_, text)| text.as_str()).collect();
        let encoder = &tools.encoder;
        let vectors = tools
            .pool
            .install(|| encoder.embed(&texts))
            .map_err(|error| AppError::internal("embedding a transcript's cues", error))?;
        let rows: Vec<(usize, Vec<u8>)> = batch
            .iter()
            .zip(&vectors)
            .map(|((position, _), vector)| (*position, to_bytes(vector)))
            .collect();
        let (event_id, imported_at) = (job.event_id, job.imported_at);
        let model = tools.encoder.tag().to_owned();
        let stored = tools.handle.block_on(tools.db.write(move |conn| {
            db::transcripts::store_cue_vectors(conn, event_id, imported_at, &model, &rows)
        }))?;
        if !stored || job.cues.is_empty() {
            if stored {
                self.complete.insert((event_id, imported_at));
                tracing::info!(event = event_id, "every cue of the transcript has a vector");
            }
            self.job = None;
            self.next_look = Instant::now();
        }
        Ok(true)
    }

    /// The next upload with cues left to embed, claimed for this model; uploads found complete
    /// are remembered, so they are not read again.
    fn take_up_next(&mut self, tools: &EmbeddingTools) -> Result<Option<Job>, AppError> {
        let uploads = tools
            .handle
            .block_on(tools.db.read(db::transcripts::uploads))?;
        let listed: HashSet<(i64, chrono::NaiveDateTime)> = uploads.iter().copied().collect();
        self.complete.retain(|upload| listed.contains(upload));
        let model = tools.encoder.tag().to_owned();
        for upload in uploads {
            if self.complete.contains(&upload) {
                continue;
            }
            let (event_id, _) = upload;
            let model = model.clone();
            // In a write: claiming a transcript for this model may drop another model's vectors.
            let found =
                tools.handle.block_on(tools.db.write(move |conn| {
                    db::transcripts::take_up_for_vectors(conn, event_id, &model)
                }))?;
            let Some(found) = found else { continue };
            if found.missing.is_empty() {
                self.complete.insert((event_id, found.imported_at));
                continue;
            }
            return Ok(Some(job_of(event_id, found)));
        }
        Ok(None)
    }
}

fn job_of(event_id: i64, found: db::transcripts::ToEmbed) -> Job {
    let mut cues: Vec<(usize, String)> = found
        .missing
        .iter()
        .filter_map(|&position| Some((position, spoken_text(found.cues.get(position)?))))
        .collect();
    // A batch is padded to its longest text: cues of like length go together.
    cues.sort_by_key(|(_, text)| text.len());
    tracing::info!(
        event = event_id,
        cues = cues.len(),
        "embedding a transcript"
    );
    Job {
        event_id,
        imported_at: found.imported_at,
        cues,
    }
}
