//! A MirageOS hangout as a new team ran it (`tests/data/mirage_hangout.json`: 24 questions, five
//! pairs asking the same thing, three answered by the project's old FAQ), with that old FAQ
//! (`../shared/data/mirageos/faq.jsonl`) imported. Prints the duplicates view's groups before and
//! after merging one true pair, with pair precision and recall against the labelled pairs, and
//! what the ask form suggests for each question typed (its twin and the FAQ entry that answers
//! it are right; anything else is noise). By words alone, and with the sentence encoder when
//! `FAQTORY_BENCH_MODEL` names one.
//!
//! FAQTORY_BENCH_MODEL=DIR cargo run --release --example bench_hangout_quality

#[path = "common/mod.rs"]
mod common;

use std::collections::{HashMap, HashSet};

use common::{caught_up, embedded, fresh_db, model_dir, open_event, start_meaning, BoxError};
use faqtory::app::asking::question_import;
use faqtory::app::faq::import as faq_import;
use faqtory::app::{self};
use faqtory::bus::Bus;
use faqtory::db::{self, Db};
use faqtory::domain::{Password, QuestionStatus, Role, Username};
use faqtory::meaning::Meaning;
use faqtory::search::{docs_index_dir, index_dir, DocsIndex, SearchIndex};

#[derive(serde::Deserialize)]
struct Hangout {
    questions: Vec<Asked>,
    same: Vec<(String, String)>,
    faq: Vec<(String, String)>,
}

#[derive(serde::Deserialize)]
struct Asked {
    key: String,
    text: String,
}

#[derive(serde::Deserialize)]
struct OldEntry {
    faq_id: String,
    question: String,
}

/// Question ids to the keys of the data file (and FAQ entries to their faq_id).
struct Names(HashMap<i64, String>);

impl Names {
    fn of(&self, id: i64) -> &str {
        self.0.get(&id).map_or("?", String::as_str)
    }
}

fn pair(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.to_owned(), b.to_owned())
    } else {
        (b.to_owned(), a.to_owned())
    }
}

async fn print_groups(
    db: &Db,
    index: &SearchIndex,
    meaning: &Meaning,
    names: &Names,
    same: &HashSet<(String, String)>,
    label: &str,
) -> Result<(), BoxError> {
    let groups = app::moderation::duplicates::groups(db, index, meaning, "hangout").await?;
    let mut together = 0;
    let mut right = 0;
    let mut shown = Vec::new();
    for group in &groups {
        let keys: Vec<&str> = group.iter().map(|question| names.of(question.id)).collect();
        for (at, a) in keys.iter().enumerate() {
            for b in &keys[at + 1..] {
                together += 1;
                right += usize::from(same.contains(&pair(a, b)));
            }
        }
        shown.push(format!("[{}]", keys.join(", ")));
    }
    let open: HashSet<String> = db
        .read(|conn| {
            let event = db::events::find_by_slug(conn, "hangout")?
                .ok_or(faqtory::error::AppError::NotFound { what: "event" })?;
            db::questions::in_event_with_status(conn, event.id, QuestionStatus::Approved)
        })
        .await?
        .into_iter()
        .map(|question| names.of(question.id).to_owned())
        .collect();
    let possible = same
        .iter()
        .filter(|(a, b)| open.contains(a) && open.contains(b))
        .count();
    println!(
        "  {label}: precision {:.2}, recall {:.2} ({right} of {together} pairs together are labelled; {possible} labelled pairs open)",
        right as f64 / together.max(1) as f64,
        right as f64 / possible.max(1) as f64,
    );
    println!("    {}", shown.join(" "));
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn print_suggestions(
    db: &Db,
    index: &SearchIndex,
    docs: &DocsIndex,
    meaning: &Meaning,
    hangout: &Hangout,
    ids: &HashMap<String, i64>,
    names: &Names,
    right: &HashMap<String, HashSet<String>>,
) -> Result<(), BoxError> {
    let (mut shown, mut correct, mut wanted, mut silent_noise) = (0, 0, 0, 0);
    for asked in &hangout.questions {
        let own = ids.get(&asked.key).copied();
        let found =
            app::asking::similar::for_asker(db, index, docs, meaning, "hangout", &asked.text)
                .await?;
        let keys: Vec<&str> = found
            .questions
            .iter()
            .filter(|suggestion| Some(suggestion.id) != own)
            .map(|suggestion| names.of(suggestion.id))
            .collect();
        let expected = right.get(&asked.key).cloned().unwrap_or_default();
        let hits = keys.iter().filter(|key| expected.contains(**key)).count();
        shown += keys.len();
        correct += hits;
        wanted += expected.len();
        if expected.is_empty() && !keys.is_empty() {
            silent_noise += 1;
        }
        println!(
            "    {:<16} → {}{}",
            asked.key,
            if keys.is_empty() {
                "(nothing)".to_owned()
            } else {
                keys.iter()
                    .map(|key| {
                        if expected.contains(*key) {
                            format!("*{key}")
                        } else {
                            (*key).to_owned()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            if hits < expected.len() {
                format!("   (missed {})", expected.len() - hits)
            } else {
                String::new()
            }
        );
    }
    let without = hangout.questions.len() - right.len();
    println!(
        "  suggestions: precision {:.2} ({correct} of {shown} right), recall {:.2} ({correct} of {wanted}); {silent_noise} of the {without} questions with nothing to suggest were shown something",
        correct as f64 / shown.max(1) as f64,
        correct as f64 / wanted.max(1) as f64,
    );
    Ok(())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let root = env!("CARGO_MANIFEST_DIR");
    let hangout: Hangout = serde_json::from_str(&std::fs::read_to_string(format!(
        "{root}/tests/data/mirage_hangout.json"
    ))?)?;
    let old_faq = std::fs::read_to_string(format!("{root}/../shared/data/mirageos/faq.jsonl"))?;
    let dir = std::env::temp_dir().join(format!("faqtory-hangout-{}", std::process::id()));
    let db = fresh_db(&dir).await?;

    let faq_event = faq_import::target_event(&db, None).await?;
    let mut entries = Vec::new();
    let mut old_questions = HashMap::new();
    for line in old_faq.lines().filter(|line| !line.trim().is_empty()) {
        let old: OldEntry = serde_json::from_str(line)?;
        old_questions.insert(old.question.clone(), old.faq_id);
        entries.push(faq_import::parse_line(line, None)?);
    }
    faq_import::import_batch(&db, faq_event, entries).await?;
    open_event(&db, "hangout", "MirageOS hangout").await?;
    let mut batch = Vec::new();
    for asked in &hangout.questions {
        batch.push(question_import::parse_record(
            &asked.text,
            None,
            None,
            None,
        )?);
    }
    question_import::import_batch(&db, "hangout", batch).await?;

    let index = SearchIndex::start(db.clone(), &index_dir(&dir))?;
    // No documentation: the suggestions are questions alone.
    let docs = DocsIndex::start(db.clone(), &docs_index_dir(&dir))?;
    caught_up(&db, &index).await?;
    let everything = db
        .read(|conn| {
            let mut all = db::faq::page_after(conn, 0, 1_000)?
                .into_iter()
                .map(|entry| (entry.id, entry.question))
                .collect::<Vec<_>>();
            let event = db::events::find_by_slug(conn, "hangout")?
                .ok_or(faqtory::error::AppError::NotFound { what: "event" })?;
            all.extend(
                db::questions::in_event_with_status(conn, event.id, QuestionStatus::Approved)?
                    .into_iter()
                    .map(|question| (question.id, question.body)),
            );
            Ok(all)
        })
        .await?;
    let key_of_text: HashMap<&str, &str> = hangout
        .questions
        .iter()
        .map(|asked| (asked.text.as_str(), asked.key.as_str()))
        .collect();
    let mut names = HashMap::new();
    let mut ids = HashMap::new();
    for (id, text) in &everything {
        if let Some(key) = key_of_text.get(text.as_str()) {
            names.insert(*id, (*key).to_owned());
            ids.insert((*key).to_owned(), *id);
        } else if let Some(faq_id) = old_questions.get(text) {
            names.insert(*id, faq_id.clone());
        }
    }
    let names = Names(names);
    let same: HashSet<(String, String)> = hangout.same.iter().map(|(a, b)| pair(a, b)).collect();
    let mut right: HashMap<String, HashSet<String>> = HashMap::new();
    for (a, b) in hangout.same.iter().chain(hangout.faq.iter()) {
        right.entry(a.clone()).or_default().insert(b.clone());
        if !b.starts_with("mirage-faq") {
            right.entry(b.clone()).or_default().insert(a.clone());
        }
    }
    println!(
        "MirageOS hangout: {} questions, {} old FAQ entries",
        hangout.questions.len(),
        old_questions.len()
    );

    let words_only = Meaning::off();
    println!("words only:");
    print_groups(&db, &index, &words_only, &names, &same, "duplicate groups").await?;
    print_suggestions(
        &db,
        &index,
        &docs,
        &words_only,
        &hangout,
        &ids,
        &names,
        &right,
    )
    .await?;

    let meaning = match model_dir() {
        Some(model) => {
            let meaning = start_meaning(&db, &model).await?;
            embedded(&meaning, everything.len()).await?;
            println!("words and meaning:");
            print_groups(&db, &index, &meaning, &names, &same, "duplicate groups").await?;
            print_suggestions(&db, &index, &docs, &meaning, &hangout, &ids, &names, &right).await?;
            meaning
        }
        None => {
            println!("(set FAQTORY_BENCH_MODEL to a model directory to measure with meaning)");
            words_only
        }
    };

    // A moderator merges the Raspberry Pi pair: the other groups stay as they were.
    let moderator = app::accounts::moderators::add_moderator(
        &db,
        None,
        Username::parse("bench")?,
        &Password::parse("correct horse battery staple")?,
        Role::Moderator,
    )
    .await?;
    let (Some(&kept), Some(&merged)) = (ids.get("pi"), ids.get("pi-again")) else {
        return Err("the Raspberry Pi pair is missing".into());
    };
    app::moderation::merge::merge(&db, &Bus::in_process(), moderator.id, merged, kept, None)
        .await?;
    caught_up(&db, &index).await?;
    print_groups(
        &db,
        &index,
        &meaning,
        &names,
        &same,
        "after merging pi-again into pi",
    )
    .await?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
