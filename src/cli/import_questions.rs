//! `faqtory import-questions --event S FILE`: questions collected elsewhere, from a CSV file with
//! a header or a JSONL file, with `body` and optional `author_name`, `created_at`, `votes`.

use std::path::Path;

use anyhow::Context;
use serde::Deserialize;

use super::data_dir::prepare_data_dir;
use super::progress::ProgressBar;
use crate::app::asking::question_import::{self, ImportedQuestion};
use crate::config::Config;
use crate::startup::open_database;

const BATCH: usize = 500;
const LISTED_REJECTIONS: usize = 20;

/// One record, whichever the format; numbers and times are read as text and checked once.
#[derive(Deserialize)]
struct Record {
    #[serde(default)]
    body: String,
    #[serde(default)]
    author_name: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    votes: Option<String>,
}

fn text_or_number<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(value.map(|value| match value {
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    }))
}

fn parse(record: Record) -> Result<ImportedQuestion, String> {
    question_import::parse_record(
        &record.body,
        record.author_name.as_deref(),
        record.created_at.as_deref(),
        record.votes.as_deref(),
    )
}

type Parsed = Vec<(usize, Result<ImportedQuestion, String>)>;

/// Every record with its line number, or why it could not be read.
fn records(text: &str, jsonl: bool) -> anyhow::Result<Parsed> {
    if jsonl {
        return Ok(text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(index, line)| {
                let parsed = serde_json::from_str::<Record>(line)
                    .map_err(|error| format!("not a JSON object with a `body` ({error})"))
                    .and_then(parse);
                (index + 1, parsed)
            })
            .collect());
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().context("reading the CSV header")?;
    if !headers.iter().any(|name| name.trim() == "body") {
        anyhow::bail!(
            "the CSV header has no `body` column (found: {})",
            headers.iter().collect::<Vec<_>>().join(", ")
        );
    }
    let headers = headers.clone();
    let mut all = Vec::new();
    let mut next_line = 2;
    for row in reader.records() {
        let line = row
            .as_ref()
            .ok()
            .and_then(|row| row.position())
            .map_or(next_line, |position| position.line() as usize);
        next_line = line + 1;
        all.push((
            line,
            row.map_err(|error| format!("unreadable CSV row ({error})"))
                .and_then(|row| {
                    row.deserialize::<Record>(Some(&headers))
                        .map_err(|error| format!("unreadable CSV row ({error})"))
                })
                .and_then(parse),
        ));
    }
    Ok(all)
}

pub async fn import_questions(config: Config, event: &str, file: &Path) -> anyhow::Result<()> {
    let text = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let text = String::from_utf8_lossy(&text);
    let jsonl = file
        .extension()
        .is_some_and(|extension| extension == "jsonl" || extension == "json")
        || text.trim_start().starts_with('{');
    let parsed = records(&text, jsonl)?;
    prepare_data_dir(&config)?;
    let db = open_database(&config.database_url).await?;

    let total = parsed.len() as u64;
    let mut bar = ProgressBar::new("records");
    let (mut imported, mut already_there, mut done) = (0, 0, 0u64);
    let mut rejected: Vec<(usize, String)> = Vec::new();
    let mut batch: Vec<ImportedQuestion> = Vec::with_capacity(BATCH);
    let mut parsed = parsed.into_iter().peekable();
    while let Some((line, record)) = parsed.next() {
        match record {
            Ok(question) => batch.push(question),
            Err(reason) => rejected.push((line, reason)),
        }
        done += 1;
        if batch.len() == BATCH || parsed.peek().is_none() {
            let outcome = question_import::import_batch(&db, event, std::mem::take(&mut batch))
                .await
                .with_context(|| format!("importing into `{event}`"))?;
            imported += outcome.imported;
            already_there += outcome.already_there;
            bar.show(done, total);
        }
    }
    println!("Imported {imported} questions into `{event}`.");
    if already_there > 0 {
        println!("Skipped {already_there} questions the event has already.");
    }
    if !rejected.is_empty() {
        println!("Rejected {} records:", rejected.len());
        for (line, reason) in rejected.iter().take(LISTED_REJECTIONS) {
            println!("  line {line}: {reason}");
        }
        if rejected.len() > LISTED_REJECTIONS {
            println!("  … and {} more", rejected.len() - LISTED_REJECTIONS);
        }
    }
    Ok(())
}
