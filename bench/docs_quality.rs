//! Documentation as a source of answers, measured on the MirageOS wiki (182 sections): 45
//! hangout-style questions, each with the section that answers it, and 12 that no section
//! answers (`bench/data/mirage_docs_questions.jsonl`). Prints hit@1 and hit@3 of the ranking,
//! then for each threshold of "close enough" how many answerable questions are shown their
//! section under the ask form and how many unanswerable ones wrongly show one. Then MedQuAD
//! imported as a documentation source (each answer a section under its focus page) with its own
//! questions as queries, and the time to import, index, embed and refresh it with nothing
//! changed.
//!
//! FAQTORY_BENCH_MODEL=DIR cargo run --release --example bench_docs_quality [-- MEDQUAD_QUERIES]

#[path = "common/mod.rs"]
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::mirage_wiki::write_wiki_jsonl;
use common::{fresh_db, model_dir, start_meaning, BoxError};
use faqtory::app::docs::finding::{self, DocSuggestion};
use faqtory::app::docs::refresh::refresh_source;
use faqtory::app::docs::sources::{self, NewSource};
use faqtory::db::Db;
use faqtory::docs::section::heading_path;
use faqtory::meaning::hybrid::Relatedness;
use faqtory::meaning::Meaning;
use faqtory::search::{docs_index_dir, DocsIndex};

#[derive(serde::Deserialize)]
struct Question {
    question: String,
    page: Option<String>,
    section: Option<String>,
}

#[derive(serde::Deserialize)]
struct MedQuad {
    url: String,
    focus: String,
    question: String,
    answer: String,
}

const LIMIT: usize = 3;
/// Admits anything: the ranking alone.
const EVERYTHING: Relatedness = Relatedness {
    close: f32::MIN,
    floor: f32::MIN,
    words: f32::MIN,
    words_alone: f32::MIN,
};

fn write_jsonl(
    path: &Path,
    lines: impl Iterator<Item = serde_json::Value>,
) -> Result<(), BoxError> {
    let text: Vec<String> = lines.map(|line| line.to_string()).collect();
    std::fs::write(path, text.join("\n"))?;
    Ok(())
}

/// Adds the source, then waits until the index (and the vectors, with a model) hold it all.
async fn load(
    db: &Db,
    docs: &DocsIndex,
    meaning: &Meaning,
    name: &str,
    path: &Path,
) -> Result<usize, BoxError> {
    let started = Instant::now();
    let (source, report) = sources::add(db, name, NewSource::Jsonl { path }, false, |_| {}).await?;
    println!(
        "{name}: read and stored in {:.1} s: {report}",
        started.elapsed().as_secs_f64()
    );
    let indexing = Instant::now();
    let revision = db
        .read(faqtory::db::docs::revisions)
        .await?
        .into_iter()
        .find(|(id, _)| *id == source.id)
        .map_or(0, |(_, revision)| revision);
    while !docs.holds(source.id, revision) {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    println!(
        "{name}: indexed by words in {:.2} s ({} sections)",
        indexing.elapsed().as_secs_f64(),
        report.sections
    );
    if let Some(vectors) = meaning.doc_vectors() {
        let embedding = Instant::now();
        while vectors.len() < report.sections {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let elapsed = embedding.elapsed().as_secs_f64();
        println!(
            "{name}: embedded in {elapsed:.1} s ({:.1} ms a section)",
            elapsed * 1000.0 / report.sections.max(1) as f64
        );
    }
    let again = Instant::now();
    let report = refresh_source(db, name, false).await?;
    println!(
        "{name}: refreshed with nothing changed in {:.2} s: {report}",
        again.elapsed().as_secs_f64()
    );
    Ok(report.sections)
}

async fn found(
    docs: &DocsIndex,
    meaning: &Meaning,
    text: &str,
) -> Result<Vec<DocSuggestion>, BoxError> {
    let vector = meaning
        .embed_list(vec![text.to_owned()])
        .await
        .and_then(|mut v| v.pop());
    Ok(finding::find(docs, meaning, text, vector, false, LIMIT, EVERYTHING).await?)
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let medquad_queries: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000);
    let dir = std::env::temp_dir().join(format!("faqtory-docs-bench-{}", std::process::id()));
    let db = fresh_db(&dir).await?;
    let docs = DocsIndex::start(db.clone(), &docs_index_dir(&dir))?;
    let meaning = match model_dir() {
        Some(model) => start_meaning(&db, &model).await?,
        None => {
            println!("No FAQTORY_BENCH_MODEL: by words alone.");
            Meaning::off()
        }
    };
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");

    // The MirageOS wiki, in the shape a project exports: {url, title, section, text}.
    let wiki_path = dir.join("wiki.jsonl");
    write_wiki_jsonl(&wiki_path)?;
    load(&db, &docs, &meaning, "wiki", &wiki_path).await?;

    let questions: Vec<Question> = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/data/mirage_docs_questions.jsonl"),
    )?
    .lines()
    .map(serde_json::from_str)
    .collect::<Result<_, _>>()?;
    let mut answerable = Vec::new();
    let mut unanswerable = Vec::new();
    for question in &questions {
        let hits = found(&docs, &meaning, &question.question).await?;
        match (&question.page, &question.section) {
            (Some(page), Some(section)) => {
                // Readers fold runs of spaces in headings.
                let folded = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
                let wanted = folded(&heading_path(page, [section.as_str()]));
                let rank = hits
                    .iter()
                    .position(|hit| folded(&hit.section.title) == wanted);
                if rank != Some(0) {
                    println!(
                        "  {:?} → {:?} (wanted {wanted})",
                        question.question,
                        hits.first().map(|hit| hit.section.title.as_str())
                    );
                }
                answerable.push((hits, rank));
            }
            _ => unanswerable.push(hits),
        }
    }
    let n = answerable.len() as f64;
    let at = |k: usize| {
        answerable
            .iter()
            .filter(|(_, rank)| rank.is_some_and(|rank| rank < k))
            .count() as f64
            / n
    };
    println!(
        "MirageOS wiki, {} answerable questions: hit@1 {:.3}, hit@3 {:.3}",
        answerable.len(),
        at(1),
        at(3)
    );
    let by_meaning = meaning.doc_vectors().is_some();
    let shows = |hits: &[DocSuggestion], rule: &Relatedness| {
        hits.iter()
            .filter(|hit| {
                rule.admits(
                    hit.distinct_meaning.filter(|_| by_meaning),
                    hit.section.word_coverage,
                )
            })
            .map(|hit| hit.section.id)
            .collect::<Vec<_>>()
    };
    let report = |name: &str, rule: &Relatedness| {
        let right = answerable
            .iter()
            .filter(|(hits, rank)| {
                rank.is_some_and(|rank| shows(hits, rule).contains(&hits[rank].section.id))
            })
            .count();
        let wrong = unanswerable
            .iter()
            .filter(|hits| !shows(hits, rule).is_empty())
            .count();
        println!(
            "  {name:<34} answerable shown their section {:.3}   unanswerable shown a section {:.3}",
            right as f64 / n,
            wrong as f64 / unanswerable.len().max(1) as f64
        );
    };
    report("ask form (as shipped)", &meaning.cuts().docs_for_askers);
    report("FAQ search (as shipped)", &meaning.cuts().docs_for_searches);
    for close in [0.35, 0.4, 0.45, 0.5, 0.55, 0.6] {
        for words_alone in [0.5, 0.6, 0.7] {
            let rule = Relatedness {
                close,
                floor: close - 0.2,
                words: 0.5,
                words_alone,
            };
            report(
                &format!("close {close:.2}, words alone {words_alone:.1}"),
                &rule,
            );
        }
    }

    // MedQuAD as a documentation source: each answer a section under its focus page.
    let medquad: Vec<MedQuad> = std::fs::read_to_string(shared.join("medquad/medquad_qa.jsonl"))?
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .filter(|pair: &MedQuad| !pair.answer.trim().is_empty())
        .collect();
    let medquad_path = dir.join("medquad.jsonl");
    write_jsonl(
        &medquad_path,
        medquad.iter().enumerate().map(|(n, pair)| {
            serde_json::json!({
                "url": format!("{}#q{n}", pair.url),
                "title": pair.focus,
                "section": pair.question,
                "text": pair.answer,
            })
        }),
    )?;
    load(&db, &docs, &meaning, "medquad", &medquad_path).await?;
    let step = (medquad.len() / medquad_queries.max(1)).max(1);
    let (mut first, mut third, mut asked) = (0, 0, 0);
    let mut latencies = Vec::new();
    for (n, pair) in medquad.iter().enumerate().step_by(step) {
        let started = Instant::now();
        let hits = found(&docs, &meaning, &pair.question).await?;
        latencies.push(started.elapsed());
        let anchor = format!("#q{n}");
        let rank = hits
            .iter()
            .position(|hit| hit.section.url.ends_with(&anchor));
        asked += 1;
        first += usize::from(rank == Some(0));
        third += usize::from(rank.is_some());
    }
    latencies.sort();
    let p99 = latencies
        .get(latencies.len() * 99 / 100)
        .copied()
        .unwrap_or_default();
    println!(
        "MedQuAD as docs, {asked} of its questions: hit@1 {:.3}, hit@3 {:.3}; in-process p99 {:.1} ms",
        first as f64 / asked.max(1) as f64,
        third as f64 / asked.max(1) as f64,
        p99.as_secs_f64() * 1000.0
    );
    drop(docs);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
