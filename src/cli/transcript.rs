//! `faqtory transcript import --event S FILE`: a recording's captions (WebVTT or SRT) become the
//! event's transcript, replacing the one it had.

use std::io::Read;
use std::path::Path;

use anyhow::Context;
use clap::Subcommand;

use crate::app::recording::transcripts;
use crate::config::Config;
use crate::startup::open_database;
use crate::transcript::MAX_BYTES;

#[derive(Debug, Subcommand)]
pub enum TranscriptCommand {
    /// Read a WebVTT or SRT file into an event's transcript (replacing the one it had)
    Import {
        /// The event's slug
        #[arg(long)]
        event: String,
        /// The .vtt or .srt file; `-` reads standard input
        file: std::path::PathBuf,
    },
    /// Transcribe a recording (MP4, M4A, MP3, WAV, FLAC, Ogg, WebM…) into the event's transcript
    /// with the speech model, showing progress; waits until it is done (Ctrl-C cancels)
    Transcribe {
        /// The event's slug
        #[arg(long)]
        event: String,
        /// The language spoken, as a code: en, de, fr…
        #[arg(long, default_value = "en")]
        language: String,
        /// The recording
        file: std::path::PathBuf,
    },
    /// Print the recording's chapters, from the moments of the event's answered questions
    Chapters {
        /// The event's slug
        #[arg(long)]
        event: String,
        /// text (for a video's description) or vtt (a WebVTT chapters track)
        #[arg(long, value_enum, default_value_t = ChapterFormat::Text)]
        format: ChapterFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ChapterFormat {
    Text,
    Vtt,
}

pub async fn run(config: Config, command: TranscriptCommand) -> anyhow::Result<()> {
    match command {
        TranscriptCommand::Import { event, file } => import(config, &event, &file).await,
        TranscriptCommand::Transcribe {
            event,
            language,
            file,
        } => super::transcribe::transcribe(config, &event, &language, &file).await,
        TranscriptCommand::Chapters { event, format } => chapters(config, &event, format).await,
    }
}

async fn chapters(config: Config, event: &str, format: ChapterFormat) -> anyhow::Result<()> {
    let db = open_database(&config.database_url).await?;
    let (chapters, end_secs) = crate::app::recording::proposals::chapters(&db, event)
        .await
        .with_context(|| format!("listing the chapters of `{event}`"))?;
    if chapters.is_empty() {
        anyhow::bail!(
            "`{event}` has no answered question with a moment in the recording yet: accept some \
             proposals first"
        );
    }
    print!(
        "{}",
        match format {
            ChapterFormat::Text => crate::transcript::chapters_as_text(&chapters),
            ChapterFormat::Vtt => crate::transcript::chapters_as_webvtt(&chapters, end_secs),
        }
    );
    Ok(())
}

async fn import(config: Config, event: &str, file: &Path) -> anyhow::Result<()> {
    let bytes = read_at_most(file, MAX_BYTES + 1)?;
    let db = open_database(&config.database_url).await?;
    let imported = transcripts::import(&db, None, event, bytes)
        .await
        .with_context(|| format!("importing {} into `{event}`", file.display()))?;
    println!(
        "Imported {} cues ({} of recording) into `{event}`.",
        imported.cues,
        crate::transcript::format_timestamp((imported.duration_secs * 1000.0) as i64)
    );
    Ok(())
}

/// The file's bytes, or the first `limit` of them: a larger file is refused by its size anyway.
fn read_at_most(file: &Path, limit: usize) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    let reader: Box<dyn Read> = if file == Path::new("-") {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(file).with_context(|| format!("opening {}", file.display()))?)
    };
    reader
        .take(limit as u64)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {}", file.display()))?;
    Ok(bytes)
}
