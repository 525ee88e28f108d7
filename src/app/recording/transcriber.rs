//! The instance's transcriber: when it is free and has the speech model, it takes the next
//! recording waiting (under a lease, so one runs at a time in the whole deployment), transcribes
//! it on its own low-priority threads, says how far it got after every window, stops when asked,
//! and makes the result the event's transcript, as an uploaded one would be, in the same
//! transaction that ends the job: a half transcript is never published.

use std::path::PathBuf;
use std::sync::Arc;

use tokio::runtime::Handle;
use tokio::sync::{watch, Notify};

use super::transcription::{lease, PIECE_SAMPLES};
use super::transcripts;
use crate::app::clock::Clock;
use crate::bus::{Bus, Notice};
use crate::db::transcriptions::{self as jobs, Renewed, TranscriptionRow};
use crate::db::Db;
use crate::error::AppError;
use crate::speech::audio::{pcm, SAMPLE_RATE};
use crate::speech::listener::Listener;
use crate::speech::longform::{Control, Recording, Segment, TranscribeError};
use crate::transcript::{Cue, Format, Transcript};

#[derive(Clone)]
pub struct Transcriber {
    db: Db,
    bus: Bus,
    clock: Clock,
    model_dir: PathBuf,
    threads: usize,
    check: std::time::Duration,
    /// Names this instance in leases.
    holder: String,
    wake: Arc<Notify>,
}

/// How a job's work ended, on the worker's side.
enum Outcome {
    Heard(Vec<Segment>),
    Failed(String),
    Cancelled {
        done_secs: f64,
    },
    /// Another instance has the job now.
    Lost,
    /// This instance stops: the job goes back to the queue.
    Interrupted,
}

/// A stored recording, read a piece at a time from the database.
struct StoredRecording {
    db: Db,
    handle: Handle,
    id: i64,
    samples: usize,
    cached: Option<(i32, Vec<f32>)>,
}

impl StoredRecording {
    fn piece(&mut self, index: i32) -> Result<&[f32], String> {
        if self.cached.as_ref().map(|(at, _)| *at) != Some(index) {
            let (db, id) = (self.db.clone(), self.id);
            let bytes = self
                .handle
                .block_on(db.read(move |conn| jobs::audio(conn, id, index)))
                .map_err(|error| error.to_string())?
                .ok_or_else(|| format!("piece {index} of the recording is missing"))?;
            let samples = if bytes.is_empty() {
                // A silent piece, stored as nothing.
                let start = index as usize * PIECE_SAMPLES;
                vec![0.0; self.samples.saturating_sub(start).min(PIECE_SAMPLES)]
            } else {
                pcm::from_bytes(&bytes)
            };
            self.cached = Some((index, samples));
        }
        Ok(self
            .cached
            .as_ref()
            .map_or(&[], |(_, samples)| samples.as_slice()))
    }
}

impl Recording for StoredRecording {
    fn samples(&self) -> usize {
        self.samples
    }

    fn read(&mut self, from: usize, to: usize) -> Result<Vec<f32>, String> {
        let mut read = Vec::with_capacity(to.saturating_sub(from));
        let mut at = from;
        while at < to.min(self.samples) {
            let index = (at / PIECE_SAMPLES) as i32;
            let within = at % PIECE_SAMPLES;
            let piece = self.piece(index)?;
            if within >= piece.len() {
                break;
            }
            let take = (to - at).min(piece.len() - within);
            read.extend_from_slice(&piece[within..within + take]);
            at += take;
        }
        Ok(read)
    }
}

impl Transcriber {
    pub fn new(
        db: Db,
        bus: Bus,
        clock: Clock,
        model_dir: PathBuf,
        threads: usize,
        check: std::time::Duration,
    ) -> Self {
        let mut bytes = [0u8; 6];
        let _ = getrandom::fill(&mut bytes);
        Self {
            db,
            bus,
            clock,
            model_dir,
            threads,
            check,
            holder: format!("transcriber-{}", hex::encode(bytes)),
            wake: Arc::new(Notify::new()),
        }
    }

    pub fn model_dir(&self) -> &std::path::Path {
        &self.model_dir
    }

    /// Whether this instance takes transcriptions at all.
    pub fn listens(&self) -> bool {
        self.threads > 0 && crate::speech::fetch::is_complete(&self.model_dir)
    }

    /// Looks for work at once (a recording was just queued here).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Takes up recordings until `stop` says so.
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        loop {
            if *stop.borrow() {
                return;
            }
            if self.listens() {
                loop {
                    match self.work_once(&stop).await {
                        Ok(true) => {}
                        Ok(false) => break,
                        Err(error) => {
                            tracing::warn!(%error, "could not transcribe a recording");
                            break;
                        }
                    }
                    if *stop.borrow() {
                        return;
                    }
                }
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(self.check) => {}
                _ = stop.changed() => return,
            }
        }
    }

    /// Takes and works one job; `false` when there was none to take.
    pub async fn work_once(&self, stop: &watch::Receiver<bool>) -> Result<bool, AppError> {
        let now = self.clock.now();
        let holder = self.holder.clone();
        let job = self
            .db
            .write(move |conn| {
                jobs::sweep_abandoned_uploads(conn, now)?;
                jobs::claim(conn, &holder, now, now + lease())
            })
            .await?;
        let Some(job) = job else {
            return Ok(false);
        };
        tracing::info!(
            job = job.id,
            event = job.event_id,
            "transcribing a recording"
        );
        let outcome = {
            let worker = self.clone();
            let row = job.clone();
            let stop = stop.clone();
            tokio::task::spawn_blocking(move || worker.transcribe(&row, &stop))
                .await
                .map_err(|error| AppError::internal("transcribing a recording", error))?
        };
        self.end(job, outcome).await?;
        Ok(true)
    }

    /// On a blocking thread: load the model, listen on the instance's own threads.
    fn transcribe(&self, job: &TranscriptionRow, stop: &watch::Receiver<bool>) -> Outcome {
        let pool = match rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .thread_name(|n| format!("speech-{n}"))
            .start_handler(|_| crate::threads::lower_this_threads_priority())
            .build()
        {
            Ok(pool) => pool,
            Err(error) => return Outcome::Failed(format!("starting the speech threads: {error}")),
        };
        let handle = Handle::current();
        pool.install(|| {
            let mut listener = match Listener::load(&self.model_dir) {
                Ok(listener) => listener,
                Err(error) => return Outcome::Failed(capitalised(&error.to_string())),
            };
            let mut recording = StoredRecording {
                db: self.db.clone(),
                handle: handle.clone(),
                id: job.id,
                samples: (job.audio_secs * f64::from(SAMPLE_RATE)).round() as usize,
                cached: None,
            };
            let mut stopped_for = Renewed::Keep;
            let mut interrupted = false;
            let mut done_secs = 0.0;
            let heard = listener.transcribe(&mut recording, &job.language, &mut |done| {
                done_secs = done;
                if *stop.borrow() {
                    interrupted = true;
                    return Control::Stop;
                }
                let (db, holder, id) = (self.db.clone(), self.holder.clone(), job.id);
                let until = self.clock.now() + lease();
                stopped_for = handle
                    .block_on(db.write(move |conn| jobs::renew(conn, id, &holder, done, until)))
                    .unwrap_or(Renewed::Keep);
                if stopped_for == Renewed::Keep {
                    Control::Continue
                } else {
                    Control::Stop
                }
            });
            match heard {
                Ok(segments) => Outcome::Heard(segments),
                Err(TranscribeError::Stopped) if interrupted => Outcome::Interrupted,
                Err(TranscribeError::Stopped) if stopped_for == Renewed::Lost => Outcome::Lost,
                Err(TranscribeError::Stopped) => Outcome::Cancelled { done_secs },
                Err(error) => Outcome::Failed(capitalised(&error.to_string())),
            }
        })
    }

    async fn end(&self, job: TranscriptionRow, outcome: Outcome) -> Result<(), AppError> {
        let now = self.clock.now();
        let holder = self.holder.clone();
        let (id, event_id) = (job.id, job.event_id);
        match outcome {
            Outcome::Lost => Ok(()),
            Outcome::Interrupted => {
                self.db
                    .write(move |conn| jobs::release(conn, id, &holder))
                    .await
            }
            Outcome::Failed(message) => {
                tracing::info!(job = id, %message, "a transcription failed");
                self.db
                    .write(move |conn| {
                        jobs::finish(conn, id, &holder, jobs::FAILED, &format!("{message}."), now)
                    })
                    .await?;
                self.bus.publish(Notice::event(event_id));
                Ok(())
            }
            Outcome::Cancelled { done_secs } => {
                let message = format!(
                    "Cancelled after {} of {}; the event's transcript is as it was.",
                    crate::transcript::format_timestamp((done_secs * 1000.0) as i64),
                    crate::transcript::format_timestamp((job.audio_secs * 1000.0) as i64)
                );
                self.db
                    .write(move |conn| {
                        jobs::finish(conn, id, &holder, jobs::CANCELLED, &message, now)
                    })
                    .await?;
                self.bus.publish(Notice::event(event_id));
                Ok(())
            }
            Outcome::Heard(segments) => {
                let transcript = as_transcript(&segments);
                let source = job.source_name.clone();
                let cues = match transcript.cues.len() {
                    1 => "1 cue".to_owned(),
                    many => format!("{many} cues"),
                };
                let message = format!("{cues} transcribed from {}.", job.source_name);
                let actor = None;
                self.db
                    .write(move |conn| {
                        if jobs::finish(conn, id, &holder, jobs::DONE, &message, now)? {
                            let how = format!(", transcribed from {source}");
                            transcripts::replace(conn, actor, event_id, &transcript, now, &how)?;
                        }
                        Ok(())
                    })
                    .await?;
                self.bus.publish(Notice::event(event_id));
                Ok(())
            }
        }
    }
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Phrases as cues: in time order, none overlapping, none empty, speaker unknown.
pub fn as_transcript(segments: &[Segment]) -> Transcript {
    let mut cues: Vec<Cue> = Vec::with_capacity(segments.len());
    for segment in segments {
        let text = segment.text.trim();
        if text.is_empty() {
            continue;
        }
        let mut start_ms = (segment.start_secs * 1000.0).round() as i64;
        if let Some(previous) = cues.last() {
            start_ms = start_ms.max(previous.end_ms);
        }
        let end_ms = ((segment.end_secs * 1000.0).round() as i64).max(start_ms + 1);
        cues.push(Cue {
            start_ms,
            end_ms,
            speaker: None,
            text: text.to_owned(),
        });
    }
    Transcript {
        format: Format::Speech,
        cues,
    }
}
