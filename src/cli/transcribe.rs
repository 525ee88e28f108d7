//! `faqtory transcript transcribe --event SLUG FILE`: a recording is read, queued and transcribed
//! here (or by a running server, whichever is free first), with a progress bar; the event's
//! transcript is then the result. Ctrl-C cancels it.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context};
use tokio::sync::watch;

use super::progress::ProgressBar;
use crate::app::clock::Clock;
use crate::app::recording::transcriber::Transcriber;
use crate::app::recording::transcription::{self, TranscriptionRequest};
use crate::bus::Bus;
use crate::config::Config;
use crate::db::transcriptions as jobs;
use crate::speech::fetch::{is_complete, speech_model_dir};
use crate::startup::open_database;

const LOOK_EVERY: Duration = Duration::from_millis(500);

pub async fn transcribe(
    config: Config,
    event: &str,
    language: &str,
    file: &Path,
) -> anyhow::Result<()> {
    let model_dir = speech_model_dir(&config.data_dir);
    if !is_complete(&model_dir) {
        bail!("no speech model is installed: run `faqtory model fetch --speech` first");
    }
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    let db = open_database(&config.database_url).await?;
    let clock = Clock::default();
    eprintln!("Reading {}…", file.display());
    let request = TranscriptionRequest {
        slug: event.to_owned(),
        actor: None,
        source_name: file.to_string_lossy().into_owned(),
        language: language.to_owned(),
    };
    let queued = transcription::prepare(
        &db,
        clock.now(),
        config.speech.ffmpeg.clone(),
        request,
        file,
    )
    .await
    .with_context(|| format!("reading {} for `{event}`", file.display()))?;
    let database_url = config.database_url.clone();
    let bus = tokio::task::spawn_blocking(move || Bus::start(&database_url))
        .await
        .context("starting the live bus")??;
    let transcriber = Transcriber::new(
        db.clone(),
        bus,
        clock.clone(),
        model_dir,
        config.speech.threads.max(1),
        LOOK_EVERY,
    );
    let (stopping, stop) = watch::channel(false);
    let working = tokio::spawn(transcriber.run(stop));
    let mut progress = ProgressBar::new("seconds of recording");
    let ended = loop {
        tokio::select! {
            _ = tokio::time::sleep(LOOK_EVERY) => {}
            _ = tokio::signal::ctrl_c() => {
                transcription::cancel(&db, event, clock.now()).await.ok();
                eprintln!("Cancelling…");
            }
        }
        let Some(state) = transcription::state_of(&db, event, clock.now()).await? else {
            bail!("the transcription of `{event}` is gone");
        };
        if state.id != queued.id {
            bail!("another transcription of `{event}` was started meanwhile");
        }
        progress.show(
            state.done_seconds.round() as u64,
            state.audio_seconds.round().max(1.0) as u64,
        );
        if !state.under_way() {
            break state;
        }
    };
    let _ = stopping.send(true);
    let _ = working.await;
    match ended.state.as_str() {
        jobs::DONE => {
            println!(
                "{} The transcript of `{event}` is in place.",
                ended.message.unwrap_or_default()
            );
            Ok(())
        }
        _ => bail!(
            "{}",
            ended
                .message
                .unwrap_or_else(|| format!("the transcription ended {}", ended.state))
        ),
    }
}
