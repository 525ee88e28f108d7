//! `faqtory export` and `faqtory import`: an event's questions out to a file, and back.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::Context;

use super::data_dir::prepare_data_dir;
use crate::app::events::export::EventExport;
use crate::app::events::{export, export_csv, import};
use crate::config::Config;
use crate::startup::open_database;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    /// The polls' counts as CSV, a row per count.
    PollsCsv,
}

pub async fn export(
    config: Config,
    slug: &str,
    format: ExportFormat,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    let db = open_database(&config.database_url).await?;
    let export = export::export_event(&db, slug).await?;
    let bytes = match format {
        ExportFormat::Json => {
            let mut json =
                serde_json::to_vec_pretty(&export).context("writing the export as JSON")?;
            json.push(b'\n');
            json
        }
        ExportFormat::Csv => export_csv::to_csv(&export).into_bytes(),
        ExportFormat::PollsCsv => export_csv::polls_to_csv(&export).into_bytes(),
    };
    match output {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("writing {}", path.display()))?;
            eprintln!(
                "Exported {} questions of `{}` to {}.",
                export.questions.len(),
                export.event.slug,
                path.display()
            );
        }
        None => std::io::stdout()
            .write_all(&bytes)
            .context("writing the export to standard output")?,
    }
    Ok(())
}

pub async fn import(config: Config, file: &Path) -> anyhow::Result<()> {
    let mut text = Vec::new();
    if file == Path::new("-") {
        std::io::stdin()
            .read_to_end(&mut text)
            .context("reading the export from standard input")?;
    } else {
        text = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    }
    let export: EventExport = serde_json::from_slice(&text)
        .with_context(|| format!("{} is not a faqtory JSON export", file.display()))?;
    prepare_data_dir(&config)?;
    let db = open_database(&config.database_url).await?;
    let summary = import::import_event(&db, export).await?;
    println!(
        "Restored `{}`: {} questions, {} votes, {} answers, {} polls.",
        summary.slug, summary.questions, summary.votes, summary.answers, summary.polls
    );
    if !summary.unknown_moderators.is_empty() {
        println!(
            "Moderators this database does not know: {}. Their answers and edits are kept \
             without a name and their moderator votes were left out; to keep them, add these \
             moderators to a fresh database first and import there.",
            summary.unknown_moderators.join(", ")
        );
    }
    Ok(())
}
