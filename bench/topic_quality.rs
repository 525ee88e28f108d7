//! Topics against real ones. StackFAQ's 1,249 paraphrased queries, spread over ten events, have
//! their 125 Stack Exchange threads as true topics: the full regrouping (the app's own, through
//! `faqtory insights regroup`'s path) is scored by adjusted Rand index and V-measure, by words
//! alone and (with `FAQTORY_BENCH_MODEL`) by meaning; then the same grouping at other joining
//! thresholds, to show what the shipped one trades. The English Stack Exchange pairs: how many
//! labelled duplicates land in one topic, and how many non-duplicates in two.
//!
//! cargo run --release --example bench_topic_quality
//! FAQTORY_BENCH_MODEL=DIR cargo run --release --example bench_topic_quality

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::time::Instant;

use common::clustering::{adjusted_rand_index, v_measure};
use common::{embedded, fresh_db, model_dir, open_event, start_meaning, BoxError};
use faqtory::app::asking::question_import;
use faqtory::app::insights::basis::{word_vector, Basis};
use faqtory::app::insights::{regroup, TopicWork};
use faqtory::db::{self, Db};
use faqtory::meaning::topic_centroids::group;
use faqtory::meaning::Meaning;

const EVENTS: usize = 10;

/// (text, true topic) of every StackFAQ query.
fn stackfaq() -> Result<Vec<(String, String)>, BoxError> {
    let text = std::fs::read_to_string("../shared/data/stackfaq/queries.tsv")?;
    Ok(text
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.splitn(3, '\t');
            let (_, thread, query) = (fields.next()?, fields.next()?, fields.next()?);
            Some((query.to_owned(), thread.to_owned()))
        })
        .collect())
}

#[derive(serde::Deserialize)]
struct Pair {
    q1_title: String,
    q1_id: String,
    q2_title: String,
    q2_id: String,
    duplicate_label: String,
}

/// Loads the texts into `EVENTS` events (round robin), as imported questions; answers each
/// question's id.
async fn load(db: &Db, texts: &[String]) -> Result<HashMap<String, i64>, BoxError> {
    for event in 0..EVENTS {
        open_event(db, &format!("call-{event}"), &format!("Call {event}")).await?;
    }
    let mut batches: Vec<Vec<_>> = (0..EVENTS).map(|_| Vec::new()).collect();
    for (at, text) in texts.iter().enumerate() {
        if let Ok(question) = question_import::parse_record(text, None, None, None) {
            batches[at % EVENTS].push(question);
        }
    }
    for (event, batch) in batches.into_iter().enumerate() {
        question_import::import_batch(db, &format!("call-{event}"), batch).await?;
    }
    let rows = db.read(db::topic_members::counted_questions).await?;
    Ok(rows.into_iter().map(|(id, body)| (body, id)).collect())
}

/// The app's full regrouping; answers each question's topic.
async fn regrouped(db: &Db, meaning: &Meaning) -> Result<HashMap<i64, i64>, BoxError> {
    let started = Instant::now();
    let row = regroup::start(db, meaning, &TopicWork::default(), None)
        .await?
        .run(db, meaning)
        .await?;
    println!(
        "  regrouped into {} topics by {} in {:.2} s",
        row.topic_count,
        row.basis,
        started.elapsed().as_secs_f64()
    );
    let placed = db.read(db::topic_members::placed_questions).await?;
    Ok(placed
        .into_iter()
        .map(|(question, topic, _)| (question, topic))
        .collect())
}

fn score(name: &str, truth: &[usize], found: &[usize]) {
    let ari = adjusted_rand_index(truth, found);
    let (homogeneity, completeness, v) = v_measure(truth, found);
    let topics = found.iter().collect::<std::collections::HashSet<_>>().len();
    println!(
        "{name:<34} ARI {ari:.3}   V-measure {v:.3} (homogeneity {homogeneity:.3}, completeness {completeness:.3})   {topics} topics"
    );
}

/// Numbers for labels, in order of first use.
fn numbered<T: std::hash::Hash + Eq + Clone>(labels: &[T]) -> Vec<usize> {
    let mut numbers: HashMap<T, usize> = HashMap::new();
    labels
        .iter()
        .map(|label| {
            let next = numbers.len();
            *numbers.entry(label.clone()).or_insert(next)
        })
        .collect()
}

async fn stackfaq_run(name: &str, model: Option<&std::path::Path>) -> Result<(), BoxError> {
    let queries = stackfaq()?;
    let dir = std::env::temp_dir().join(format!(
        "faqtory-topic-quality-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let db = fresh_db(&dir).await?;
    let texts: Vec<String> = queries.iter().map(|(text, _)| text.clone()).collect();
    let ids = load(&db, &texts).await?;
    let meaning = match model {
        Some(model) => {
            let meaning = start_meaning(&db, model).await?;
            embedded(&meaning, ids.len()).await?;
            meaning
        }
        None => Meaning::off(),
    };
    let topics = regrouped(&db, &meaning).await?;
    let mut truth = Vec::new();
    let mut found = Vec::new();
    let mut lone = -1;
    let mut vectors = Vec::new();
    for (text, thread) in &queries {
        let Some(id) = ids.get(text.trim()) else {
            continue;
        };
        truth.push(thread.clone());
        found.push(*topics.get(id).unwrap_or_else(|| {
            lone -= 1;
            &lone
        }));
        vectors.push(match meaning.vectors() {
            Some(stored) => stored.of(*id).map(Vec::from),
            None => word_vector(text),
        });
    }
    let truth = numbered(&truth);
    score(
        &format!("StackFAQ, {name} (shipped)"),
        &truth,
        &numbered(&found),
    );

    // The same grouping at other thresholds (items without a vector alone).
    let basis = Basis::current(&meaning);
    let dimensions = vectors.iter().flatten().map(Vec::len).next().unwrap_or(1);
    let filled: Vec<Vec<f32>> = vectors
        .iter()
        .enumerate()
        .map(|(at, vector)| {
            vector.clone().unwrap_or_else(|| {
                let mut lone = vec![0.0; dimensions];
                lone[at % dimensions] = 1.0;
                lone
            })
        })
        .collect();
    for threshold in [
        0.2f32, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7,
    ] {
        let grouped = group(&filled, threshold, 5);
        let shipped = if (threshold - basis.joining_closeness()).abs() < 1e-6 {
            " (shipped)"
        } else {
            ""
        };
        score(
            &format!("  {name} at {threshold:.2}{shipped}"),
            &truth,
            &grouped,
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

async fn english_se_run(name: &str, model: Option<&std::path::Path>) -> Result<(), BoxError> {
    let mut reader = csv::Reader::from_path("../shared/data/english-se-duplicates/pairs_1000.csv")?;
    let pairs: Vec<Pair> = reader.deserialize().collect::<Result<_, _>>()?;
    let mut titles: HashMap<String, String> = HashMap::new();
    for pair in &pairs {
        titles.insert(pair.q1_id.clone(), pair.q1_title.trim().to_owned());
        titles.insert(pair.q2_id.clone(), pair.q2_title.trim().to_owned());
    }
    let dir = std::env::temp_dir().join(format!("faqtory-topic-se-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = fresh_db(&dir).await?;
    let texts: Vec<String> = titles.values().cloned().collect();
    let ids = load(&db, &texts).await?;
    let meaning = match model {
        Some(model) => {
            let meaning = start_meaning(&db, model).await?;
            embedded(&meaning, ids.len()).await?;
            meaning
        }
        None => Meaning::off(),
    };
    let topics = regrouped(&db, &meaning).await?;
    let topic_of = |se_id: &str| -> Option<i64> {
        let id = ids.get(titles.get(se_id)?)?;
        topics.get(id).copied()
    };
    let (mut together, mut duplicates, mut apart, mut others) = (0, 0, 0, 0);
    for pair in &pairs {
        let same =
            matches!((topic_of(&pair.q1_id), topic_of(&pair.q2_id)), (Some(a), Some(b)) if a == b);
        if pair.duplicate_label == "1" {
            duplicates += 1;
            together += usize::from(same);
        } else {
            others += 1;
            apart += usize::from(!same);
        }
    }
    println!(
        "English SE titles, {name:<10} duplicates kept together {:.3} ({together}/{duplicates})   non-duplicates kept apart {:.3} ({apart}/{others})",
        together as f64 / duplicates.max(1) as f64,
        apart as f64 / others.max(1) as f64,
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let model = model_dir();
    println!("StackFAQ: 1,249 queries over {EVENTS} events, 125 threads as true topics");
    stackfaq_run("words", None).await?;
    if let Some(model) = &model {
        stackfaq_run("meaning", Some(model)).await?;
    }
    english_se_run("words", None).await?;
    if let Some(model) = &model {
        english_se_run("meaning", Some(model)).await?;
    }
    if model.is_none() {
        println!("(set FAQTORY_BENCH_MODEL for the figures by meaning)");
    }
    Ok(())
}
