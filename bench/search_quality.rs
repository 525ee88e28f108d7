//! Search quality on StackFAQ: 125 threads of Stack Exchange (web apps) answers, each thread one
//! FAQ entry (its question, its answers joined), and 1,249 paraphrased queries whose relevant
//! entry is their own thread. Prints nDCG@10, MRR@10 and recall@10 for faqtory's search and, on
//! the same texts, for SQLite FTS5 `bm25()`.
//!
//! With `FAQTORY_BENCH_MODEL=DIR` (a sentence encoder), the same with ranking by meaning, for each
//! share of words in the mix, and through the whole path a visitor's search takes.
//!
//! cargo run --release --example bench_search_quality [-- DATA_DIR]

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;

use common::{
    caught_up, embedded, entry_ids, fresh_db, import, model_dir, start_meaning, BoxError, Fts5,
};
use faqtory::app;
use faqtory::domain::plain_text;
use faqtory::meaning::encoder::Encoder;
use faqtory::search::{index_dir, ByMeaning, SearchIndex, SearchRequest};

#[derive(serde::Deserialize)]
struct Answer {
    thread_id: String,
    question: String,
    answer: String,
}

#[derive(Default)]
struct Scores {
    ndcg: f64,
    mrr: f64,
    recall: f64,
    queries: usize,
}

impl Scores {
    /// `rank` is 1-based, `None` when the relevant entry is not in the top 10.
    fn add(&mut self, rank: Option<usize>) {
        self.queries += 1;
        if let Some(rank) = rank.filter(|rank| *rank <= 10) {
            self.ndcg += 1.0 / ((rank + 1) as f64).log2();
            self.mrr += 1.0 / rank as f64;
            self.recall += 1.0;
        }
    }

    fn print(&self, name: &str) {
        let n = self.queries.max(1) as f64;
        println!(
            "{name:<28} nDCG@10 {:.3}   MRR@10 {:.3}   recall@10 {:.3}   ({} queries)",
            self.ndcg / n,
            self.mrr / n,
            self.recall / n,
            self.queries
        );
    }
}

/// How often a search is judged to be answered closely (the page then offers no question
/// instead), split by whether the query's own thread is among the first three hits: every
/// StackFAQ query has an answer, so "close" should follow finding it.
#[derive(Default)]
struct CloseShare {
    found: (usize, usize),
    missed: (usize, usize),
}

impl CloseShare {
    fn add(&mut self, close: bool, rank: Option<usize>) {
        let bucket = if rank.is_some_and(|rank| rank <= 3) {
            &mut self.found
        } else {
            &mut self.missed
        };
        bucket.0 += usize::from(close);
        bucket.1 += 1;
    }

    fn print(&self, name: &str) {
        let share = |(close, all): (usize, usize)| close as f64 / all.max(1) as f64;
        println!(
            "judged close, {name}: {:.3} of queries whose answer is in the first three ({}), {:.3} of the others ({})",
            share(self.found),
            self.found.1,
            share(self.missed),
            self.missed.1
        );
    }
}

/// The queries through `app::faq::browse::search`, as a visitor's search goes: the ranks, and how often
/// the page judged itself answered closely.
async fn served(
    db: &faqtory::db::Db,
    index: &SearchIndex,
    meaning: &faqtory::meaning::Meaning,
    queries: &[(String, String)],
    thread_of_id: &HashMap<i64, &str>,
) -> Result<(Scores, CloseShare), BoxError> {
    let mut scores = Scores::default();
    let mut closeness = CloseShare::default();
    for (thread, text) in queries {
        let page = app::faq::browse::search(
            db,
            index,
            None,
            meaning,
            text,
            &app::faq::browse::Filters::default(),
            1,
            app::faq::browse::Settled::StillTyping,
        )
        .await?;
        let rank = page
            .hits
            .iter()
            .position(|hit| thread_of_id.get(&hit.id) == Some(&thread.as_str()))
            .map(|at| at + 1);
        scores.add(rank);
        closeness.add(page.close, rank);
    }
    Ok((scores, closeness))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/stackfaq");
    let dir = std::env::args()
        .nth(1)
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("faqtory-quality-{}", std::process::id()))
        });

    let mut threads: Vec<(String, String, Vec<String>)> = Vec::new();
    for line in std::fs::read_to_string(format!("{data}/faq.jsonl"))?.lines() {
        let answer: Answer = serde_json::from_str(line)?;
        match threads
            .iter_mut()
            .find(|(id, _, _)| *id == answer.thread_id)
        {
            Some((_, _, answers)) => answers.push(answer.answer),
            None => threads.push((answer.thread_id, answer.question, vec![answer.answer])),
        }
    }
    let entries: Vec<(String, String)> = threads
        .iter()
        .map(|(_, question, answers)| (question.clone(), answers.join("\n\n")))
        .collect();
    let queries: Vec<(String, String)> = std::fs::read_to_string(format!("{data}/queries.tsv"))?
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.splitn(3, '\t');
            let _id = fields.next()?;
            Some((fields.next()?.to_owned(), fields.next()?.to_owned()))
        })
        .collect();

    let db = fresh_db(&dir).await?;
    let (refused, reason) = import(&db, &entries).await?;
    if refused > 0 {
        println!(
            "{refused} threads refused by the import: {}",
            reason.unwrap_or_default()
        );
    }
    let index = SearchIndex::start(db.clone(), &index_dir(&dir))?;
    caught_up(&db, &index).await?;

    let thread_of_question: HashMap<&str, &str> = threads
        .iter()
        .map(|(thread, question, _)| (question.as_str(), thread.as_str()))
        .collect();
    let ids = entry_ids(&db).await?;
    let thread_of_id: HashMap<i64, &str> = ids
        .iter()
        .filter_map(|(id, question)| Some((*id, *thread_of_question.get(question.as_str())?)))
        .collect();

    let mut ours = Scores::default();
    for (thread, text) in &queries {
        let results = index.search(&SearchRequest {
            text,
            label: None,
            event: None,
            offset: 0,
            limit: 10,
            meaning: None,
        })?;
        let rank = results
            .hits
            .iter()
            .position(|hit| thread_of_id.get(&hit.id) == Some(&thread.as_str()))
            .map(|at| at + 1);
        ours.add(rank);
    }

    let answer_of: HashMap<&str, &str> = entries
        .iter()
        .map(|(question, answer)| (question.as_str(), answer.as_str()))
        .collect();
    let fts_rows: Vec<(i64, String, String)> = ids
        .iter()
        .filter_map(|(id, question)| {
            let answer = answer_of.get(question.as_str())?;
            Some((*id, question.clone(), plain_text(answer)))
        })
        .collect();
    let mut fts = Fts5::new(&fts_rows)?;
    println!(
        "StackFAQ: {} entries (threads), thread-level relevance",
        ids.len()
    );
    ours.print("faqtory (tantivy)");
    // The baseline at its default weights and at the best question weight we found for it.
    for (name, weight) in [
        ("SQLite FTS5 bm25()", 1.0),
        ("SQLite FTS5 bm25(5.0, 1.0)", 5.0),
    ] {
        let mut baseline = Scores::default();
        for (thread, text) in &queries {
            let rank = fts
                .search(text, weight, 10)?
                .iter()
                .position(|id| thread_of_id.get(id) == Some(&thread.as_str()))
                .map(|at| at + 1);
            baseline.add(rank);
        }
        baseline.print(name);
    }
    if let Some(model) = model_dir() {
        let meaning = start_meaning(&db, &model).await?;
        embedded(&meaning, ids.len()).await?;
        let Some(vectors) = meaning.vectors() else {
            return Err("no vectors".into());
        };
        let encoder = Encoder::load(&model)?;
        let query_vectors: Vec<Vec<f32>> = queries
            .iter()
            .map(|(_, text)| encoder.embed(&[text]).map(|mut v| v.remove(0)))
            .collect::<Result<_, _>>()?;
        println!("with the sentence encoder ({}):", encoder.tag());
        for tenth in 0..=10 {
            let lexical_weight = tenth as f32 / 10.0;
            let mut scores = Scores::default();
            for ((thread, text), query) in queries.iter().zip(&query_vectors) {
                let results = index.search(&SearchRequest {
                    text,
                    label: None,
                    event: None,
                    offset: 0,
                    limit: 10,
                    meaning: Some(ByMeaning {
                        vectors,
                        query,
                        lexical_weight,
                        min_meaning: meaning.cuts().faq_min_meaning,
                    }),
                })?;
                scores.add(
                    results
                        .hits
                        .iter()
                        .position(|hit| thread_of_id.get(&hit.id) == Some(&thread.as_str()))
                        .map(|at| at + 1),
                );
            }
            let marker = if (lexical_weight - meaning.cuts().lexical_weight).abs() < 1e-6 {
                " (faqtory's)"
            } else {
                ""
            };
            scores.print(&format!("words {lexical_weight:.1} + meaning{marker}"));
        }
        // The whole path a visitor's search takes, the query embedded at request time.
        let (served, closeness) = served(&db, &index, &meaning, &queries, &thread_of_id).await?;
        served.print("faqtory (words + meaning)");
        closeness.print("words + meaning");
    } else {
        println!("(set FAQTORY_BENCH_MODEL to a model directory to measure matching by meaning)");
    }
    let words_only = faqtory::meaning::Meaning::off();
    let (_, closeness) = served(&db, &index, &words_only, &queries, &thread_of_id).await?;
    closeness.print("words only");
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
