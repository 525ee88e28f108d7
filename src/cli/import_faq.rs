//! `faqtory import-faq FILE.jsonl`: a project's existing FAQ, one `{question, answer, labels}`
//! object a line, becomes answered and published entries.

use std::path::Path;

use anyhow::Context;

use super::data_dir::prepare_data_dir;
use super::progress::ProgressBar;
use crate::app::faq::import::{self, FaqLine};
use crate::config::Config;
use crate::domain::LabelName;
use crate::startup::open_database;

const BATCH: usize = 500;
/// Rejected lines listed one by one; the rest are counted.
const LISTED_REJECTIONS: usize = 20;

pub async fn import_faq(
    config: Config,
    file: &Path,
    event: Option<&str>,
    label: Option<&str>,
) -> anyhow::Result<()> {
    let text = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let text = String::from_utf8_lossy(&text);
    let label = label.map(LabelName::parse).transpose()?;
    prepare_data_dir(&config)?;
    let db = open_database(&config.database_url).await?;
    let event_id = import::target_event(&db, event)
        .await
        .with_context(|| format!("finding the event `{}`", event.unwrap_or_default()))?;

    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| (index + 1, line))
        .collect();
    let total = lines.len() as u64;
    let mut bar = ProgressBar::new("lines");
    let (mut imported, mut already_there, mut done) = (0, 0, 0u64);
    let mut rejected: Vec<(usize, String)> = Vec::new();
    for chunk in lines.chunks(BATCH) {
        let mut batch: Vec<FaqLine> = Vec::with_capacity(chunk.len());
        for (number, line) in chunk {
            match import::parse_line(line, label.as_ref()) {
                Ok(parsed) => batch.push(parsed),
                Err(reason) => rejected.push((*number, reason)),
            }
        }
        let outcome = import::import_batch(&db, event_id, batch).await?;
        imported += outcome.imported;
        already_there += outcome.already_there;
        done += chunk.len() as u64;
        bar.show(done, total);
    }
    println!("Imported {imported} entries.");
    if already_there > 0 {
        println!("Skipped {already_there} questions the event has answered already.");
    }
    if !rejected.is_empty() {
        println!("Rejected {} lines:", rejected.len());
        for (number, reason) in rejected.iter().take(LISTED_REJECTIONS) {
            println!("  line {number}: {reason}");
        }
        if rejected.len() > LISTED_REJECTIONS {
            println!("  … and {} more", rejected.len() - LISTED_REJECTIONS);
        }
    }
    Ok(())
}
