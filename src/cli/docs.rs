//! `faqtory docs add|refresh|list|remove`: the project's documentation as a source of answers.

use std::path::PathBuf;

use super::data_dir::prepare_data_dir;
use super::progress::ProgressBar;
use crate::app::docs::refresh::refresh_watched;
use crate::app::docs::schedule;
use crate::app::docs::sources::{self, NewSource};
use crate::config::Config;
use crate::docs::progress::ReadProgress;
use crate::startup::open_database;

#[derive(Debug, clap::Subcommand)]
pub enum DocsCommand {
    /// Add a documentation source and read it into sections by heading
    Add {
        /// What the source is called (lower-case letters, digits, `-`, `_`), e.g. `wiki`
        name: String,
        /// A JSONL file, one {"url", "title", "section", "text"} object a line
        #[arg(long, group = "source")]
        jsonl: Option<PathBuf>,
        /// A folder of Markdown (an mdBook, MkDocs or Docusaurus checkout, a wiki clone)
        #[arg(long, group = "source", requires = "base_url")]
        markdown: Option<PathBuf>,
        /// Where the folder's site is served, e.g. https://docs.example.org
        #[arg(long, requires = "markdown")]
        base_url: Option<String>,
        /// A site's sitemap (https://docs.example.org/sitemap.xml): its pages are fetched
        #[arg(long, group = "source")]
        sitemap: Option<String>,
    },
    /// Read a source again: changed sections are rewritten, removed ones leave a tombstone
    Refresh { name: String },
    /// Refresh a source by itself every MINUTES (5 to 43200), or `off` for on demand only
    Schedule { name: String, minutes: String },
    /// The sources, with how many sections each holds and what the last refresh found
    List,
    /// Remove a source and every section read from it
    Remove { name: String },
}

pub async fn run(config: Config, command: DocsCommand) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    let db = open_database(&config.database_url).await?;
    match command {
        DocsCommand::Add {
            name,
            jsonl,
            markdown,
            base_url,
            sitemap,
        } => {
            let source = match (&jsonl, &markdown, &sitemap) {
                (Some(path), _, _) => NewSource::Jsonl { path },
                (None, Some(dir), _) => NewSource::Markdown {
                    dir,
                    base_url: base_url.as_deref().unwrap_or_default(),
                },
                (None, None, Some(url)) => NewSource::Sitemap { url },
                (None, None, None) => anyhow::bail!(
                    "say where the documentation is: --jsonl FILE, --markdown DIR --base-url URL, or --sitemap URL"
                ),
            };
            let mut bar = ProgressBar::new("pages read");
            let (source, report) = sources::add(
                &db,
                &name,
                source,
                config.allow_private_webhooks,
                |progress| show(&mut bar, progress),
            )
            .await?;
            println!("Added `{}` ({}): {report}", source.name, source.location);
        }
        DocsCommand::Refresh { name } => {
            let mut bar = ProgressBar::new("pages read");
            let report = refresh_watched(&db, &name, config.allow_private_webhooks, |progress| {
                show(&mut bar, progress)
            })
            .await?;
            println!("Refreshed `{name}`: {report}");
        }
        DocsCommand::Schedule { name, minutes } => {
            let every = match minutes.trim() {
                "off" | "never" => None,
                number => Some(number.parse::<i64>().map_err(|_| {
                    anyhow::anyhow!("say how many minutes apart to refresh `{name}` (e.g. 1440 for daily), or `off`")
                })?),
            };
            schedule::set(&db, &name, every).await?;
            match every {
                Some(minutes) => println!(
                    "`{name}` is refreshed every {minutes} minutes by the running service."
                ),
                None => println!("`{name}` is refreshed only on demand."),
            }
        }
        DocsCommand::List => {
            let listed = sources::list(&db).await?;
            if listed.is_empty() {
                println!(
                    "No documentation sources yet: `faqtory docs add NAME --jsonl FILE` (or `--markdown DIR --base-url URL`) adds one."
                );
            }
            for summary in listed {
                let source = &summary.source;
                let refreshed = source.refreshed_at.map_or_else(
                    || "never".to_owned(),
                    |at| at.format("%Y-%m-%d %H:%M UTC").to_string(),
                );
                let every = source.refresh_every_minutes.map_or_else(
                    || "on demand".to_owned(),
                    |minutes| format!("every {minutes} min"),
                );
                println!(
                    "{}\t{}\t{}\t{} sections\t{} tombstones\trefreshed {refreshed}\t{every}",
                    source.name, source.kind, source.location, summary.sections, summary.tombstones
                );
            }
        }
        DocsCommand::Remove { name } => {
            sources::remove(&db, &name).await?;
            println!("Removed `{name}` and its sections.");
        }
    }
    Ok(())
}

/// A bar once the pages are counted (a JSONL file is one step and shows none).
fn show(bar: &mut ProgressBar, progress: ReadProgress) {
    if let Some(total) = progress.total.filter(|total| *total > 1) {
        bar.show(progress.done as u64, total as u64);
    }
}
