//! Duplicate suggestions on English Stack Exchange: 1,000 question pairs, 500 of them closed by
//! moderators as duplicates. Every question of the file goes into one event (title and body,
//! "Possible Duplicate:" notices stripped, cut to the 1,000 characters a question may have); for
//! each duplicate pair the real similarity search is asked with the first question and the rank
//! of the second is noted. Prints recall@1, recall@5 and MRR@10, and the same for SQLite FTS5
//! `bm25()` on the same texts.
//!
//! cargo run --release --example bench_duplicate_quality

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;

use common::{caught_up, fresh_db, BoxError, Fts5};
use faqtory::app::{self, question_import};
use faqtory::db;
use faqtory::domain::{EventSlug, EventStatus, EventTitle, QuestionBody, QuestionStatus};
use faqtory::search::{index_dir, SearchIndex, SimilarRequest, Style};

#[derive(serde::Deserialize)]
struct Pair {
    q1_title: String,
    q1_body: String,
    q1_id: String,
    q2_title: String,
    q2_body: String,
    q2_id: String,
    duplicate_label: String,
}

/// Drops the notice Stack Exchange put on closed questions (it names the other question).
fn without_notice(body: &str) -> &str {
    let trimmed = body.trim_start();
    match trimmed.strip_prefix("Possible Duplicate:") {
        Some(rest) => rest.split_once("\n\n").map_or("", |(_, after)| after),
        None => body,
    }
}

/// The title as the question's first sentence, then the body, as someone would write it in one
/// box.
fn question_text(title: &str, body: &str) -> String {
    let title = title.trim();
    let stop = if title.ends_with(['?', '.', '!']) {
        ""
    } else {
        "."
    };
    format!("{title}{stop} {}", without_notice(body))
        .chars()
        .take(QuestionBody::MAX_CHARS)
        .collect()
}

#[derive(Default)]
struct Scores {
    at1: f64,
    at5: f64,
    mrr: f64,
    pairs: usize,
}

impl Scores {
    fn add(&mut self, rank: Option<usize>) {
        self.pairs += 1;
        match rank {
            Some(1) => {
                self.at1 += 1.0;
                self.at5 += 1.0;
                self.mrr += 1.0;
            }
            Some(rank) if rank <= 10 => {
                if rank <= 5 {
                    self.at5 += 1.0;
                }
                self.mrr += 1.0 / rank as f64;
            }
            _ => {}
        }
    }

    fn print(&self, name: &str) {
        let n = self.pairs.max(1) as f64;
        println!(
            "{name:<24} recall@1 {:.3}   recall@5 {:.3}   MRR@10 {:.3}   ({} duplicate pairs)",
            self.at1 / n,
            self.at5 / n,
            self.mrr / n,
            self.pairs
        );
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/english-se-duplicates/pairs_1000.csv"
    );
    let dir = std::env::temp_dir().join(format!("faqtory-duplicates-{}", std::process::id()));
    let pairs: Vec<Pair> = csv::Reader::from_path(file)?
        .deserialize()
        .collect::<Result<_, _>>()?;

    let mut texts: Vec<(String, String)> = Vec::new();
    for pair in &pairs {
        for (id, title, body) in [
            (&pair.q1_id, &pair.q1_title, &pair.q1_body),
            (&pair.q2_id, &pair.q2_title, &pair.q2_body),
        ] {
            if !texts.iter().any(|(known, _)| known == id) {
                texts.push((id.clone(), question_text(title, body)));
            }
        }
    }

    let db = fresh_db(&dir).await?;
    app::events::create_event(
        &db,
        app::events::NewEventInput {
            slug: EventSlug::parse("duplicates")?,
            title: EventTitle::parse("Duplicates")?,
            description: String::new(),
            starts_at: None,
            premoderation: false,
            recording_url: None,
            labels: Vec::new(),
            status: EventStatus::Open,
        },
    )
    .await?;
    let mut batch = Vec::new();
    let mut refused = 0;
    for (_, text) in &texts {
        match question_import::parse_record(text, None, None, None) {
            Ok(question) => batch.push(question),
            Err(_) => refused += 1,
        }
    }
    question_import::import_batch(&db, "duplicates", batch).await?;
    let index = SearchIndex::start(db.clone(), &index_dir(&dir))?;
    caught_up(&db, &index).await?;

    // Stack Exchange ids to ours, through the stored (normalised) text.
    let stored = db
        .read(|conn| {
            let event = db::events::find_by_slug(conn, "duplicates")?
                .ok_or(faqtory::error::AppError::NotFound { what: "event" })?;
            db::questions::in_event_with_status(conn, event.id, QuestionStatus::Approved)
        })
        .await?;
    let id_of_text: HashMap<&str, i64> = stored
        .iter()
        .map(|question| (question.body.as_str(), question.id))
        .collect();
    let ours: HashMap<&str, (i64, String)> = texts
        .iter()
        .filter_map(|(se_id, text)| {
            let body = QuestionBody::parse(text).ok()?;
            let id = *id_of_text.get(body.as_str())?;
            Some((se_id.as_str(), (id, body.as_str().to_owned())))
        })
        .collect();

    let rows: Vec<(i64, String, String)> = stored
        .iter()
        .map(|question| (question.id, question.body.clone(), String::new()))
        .collect();
    let mut fts = Fts5::new(&rows)?;

    let mut faqtory_scores = Scores::default();
    let mut fts_scores = Scores::default();
    for pair in pairs.iter().filter(|pair| pair.duplicate_label == "1") {
        let (Some((asked, text)), Some((wanted, _))) =
            (ours.get(pair.q1_id.as_str()), ours.get(pair.q2_id.as_str()))
        else {
            continue;
        };
        let hits = index.similar(&SimilarRequest {
            text,
            event: "duplicates",
            statuses: &[QuestionStatus::Approved],
            include_faq: false,
            exclude: Some(*asked),
            style: Style::WHOLE_QUESTION,
            limit: 10,
        })?;
        faqtory_scores.add(
            hits.iter()
                .position(|hit| hit.id == *wanted)
                .map(|at| at + 1),
        );
        let fts_hits: Vec<i64> = fts
            .search(text, 1.0, 11)?
            .into_iter()
            .filter(|id| id != asked)
            .take(10)
            .collect();
        fts_scores.add(fts_hits.iter().position(|id| id == wanted).map(|at| at + 1));
    }
    println!(
        "English SE duplicates: {} questions imported ({refused} refused)",
        ours.len()
    );
    faqtory_scores.print("faqtory (tantivy)");
    fts_scores.print("SQLite FTS5 bm25()");
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
