//! Duplicate suggestions on English Stack Exchange: 1,000 question pairs, 500 of them closed by
//! moderators as duplicates. Every question of the file goes into one event (title and body,
//! "Possible Duplicate:" notices stripped, cut to the 1,000 characters a question may have); for
//! each duplicate pair the moderators' "likely duplicates" of the first question are asked for
//! and the rank of the second is noted. Prints recall@1, recall@5 and MRR@10 by words alone, for
//! SQLite FTS5 `bm25()` on the same texts, and with the sentence encoder; the duplicates view's
//! clusters over the whole pool (pair precision and recall against the labelled pairs, and a
//! strict precision over every pair a cluster puts together); and, with
//! the encoder, how the mix weight moves the ranking and how close labelled pairs are.
//!
//! FAQTORY_BENCH_MODEL=DIR cargo run --release --example bench_duplicate_quality

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;

use common::english_se::{self, Pair};
use common::{caught_up, embedded, fresh_db, model_dir, start_meaning, BoxError, Fts5};
use faqtory::app::moderation::duplicates::Linking;
use faqtory::app::{self, asking::question_import};
use faqtory::db;
use faqtory::db::questions::Question;
use faqtory::domain::{EventSlug, EventStatus, EventTitle, QuestionBody, QuestionStatus};
use faqtory::meaning::{hybrid, Meaning};
use faqtory::search::{index_dir, SearchIndex, SimilarRequest, Style};

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

/// Pair precision and recall of clusters against the labelled pairs: a labelled pair is
/// predicted a duplicate when both questions are in one cluster.
fn cluster_quality(
    name: &str,
    clusters: &[Vec<Question>],
    pairs: &[Pair],
    ours: &HashMap<&str, (i64, String)>,
) {
    let cluster_of: HashMap<i64, usize> = clusters
        .iter()
        .enumerate()
        .flat_map(|(at, members)| members.iter().map(move |question| (question.id, at)))
        .collect();
    let (mut true_positive, mut false_positive, mut labelled_duplicates) = (0, 0, 0);
    for pair in pairs {
        let (Some((a, _)), Some((b, _))) =
            (ours.get(pair.q1_id.as_str()), ours.get(pair.q2_id.as_str()))
        else {
            continue;
        };
        let duplicate = pair.is_duplicate();
        labelled_duplicates += usize::from(duplicate);
        let together =
            matches!((cluster_of.get(a), cluster_of.get(b)), (Some(x), Some(y)) if x == y);
        if together {
            if duplicate {
                true_positive += 1;
            } else {
                false_positive += 1;
            }
        }
    }
    let precision = true_positive as f64 / (true_positive + false_positive).max(1) as f64;
    let recall = true_positive as f64 / labelled_duplicates.max(1) as f64;
    let grouped: usize = clusters.iter().map(Vec::len).sum();
    // Every pair a cluster puts together, labelled or not: the pool's questions are distinct
    // but for the labelled duplicates, so an unlabelled pair together is (almost always) a
    // wrong one. A lower bound on precision that chaining cannot hide.
    let together: usize = clusters
        .iter()
        .map(|members| members.len() * (members.len() - 1) / 2)
        .sum();
    let strict = true_positive as f64 / together.max(1) as f64;
    let largest = clusters.iter().map(Vec::len).max().unwrap_or(0);
    println!(
        "{name:<26} pair precision {precision:.3}   recall {recall:.3}   strict precision {strict:.3}   ({} clusters, {grouped} questions, largest {largest}; {together} pairs together: {true_positive} labelled duplicates, {false_positive} labelled non-duplicates)",
        clusters.len()
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), BoxError> {
    let dir = std::env::temp_dir().join(format!("faqtory-duplicates-{}", std::process::id()));
    let pairs = english_se::pairs()?;
    let texts = english_se::distinct_texts(&pairs);

    let db = fresh_db(&dir).await?;
    app::events::lifecycle::create_event(
        &db,
        app::events::lifecycle::NewEventInput {
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

    let duplicates: Vec<(i64, i64, &str)> = pairs
        .iter()
        .filter(|pair| pair.is_duplicate())
        .filter_map(|pair| {
            let (asked, text) = ours.get(pair.q1_id.as_str())?;
            let (wanted, _) = ours.get(pair.q2_id.as_str())?;
            Some((*asked, *wanted, text.as_str()))
        })
        .collect();
    println!(
        "English SE duplicates: {} questions imported ({refused} refused), {} duplicate pairs",
        ours.len(),
        duplicates.len()
    );

    // The moderators' "likely duplicates" as the dashboard asks for them, by words alone.
    let words_only = Meaning::off();
    let mut lexical_scores = Scores::default();
    for (asked, wanted, _) in &duplicates {
        let (_, found) =
            app::asking::similar::duplicates_of(&db, &index, &words_only, *asked).await?;
        lexical_scores.add(found.iter().position(|s| s.id == *wanted).map(|at| at + 1));
    }
    let mut fts_scores = Scores::default();
    for (asked, wanted, text) in &duplicates {
        let fts_hits: Vec<i64> = fts
            .search(text, 1.0, 11)?
            .into_iter()
            .filter(|id| id != asked)
            .take(10)
            .collect();
        fts_scores.add(fts_hits.iter().position(|id| id == wanted).map(|at| at + 1));
    }
    lexical_scores.print("faqtory, words only");
    fts_scores.print("SQLite FTS5 bm25()");

    let shipped = words_only.cuts().same_question;
    for same_words in [0.25, 0.35, 0.5] {
        let linking = Linking {
            same_words,
            ..shipped
        };
        let clusters = app::moderation::duplicates::groups_among(
            &db,
            &index,
            &words_only,
            "duplicates",
            usize::MAX,
            linking,
        )
        .await?;
        let marker = if (same_words - shipped.same_words).abs() < 1e-6 {
            " (faqtory's)"
        } else {
            ""
        };
        cluster_quality(
            &format!("clusters, words ≥ {same_words:.2}{marker}"),
            &clusters,
            &pairs,
            &ours,
        );
    }

    let Some(model) = model_dir() else {
        println!("(set FAQTORY_BENCH_MODEL to a model directory to measure matching by meaning)");
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(());
    };
    let meaning = start_meaning(&db, &model).await?;
    let took = embedded(&meaning, ours.len()).await?;
    println!(
        "embedded {} questions in {:.1} s ({:.1} texts/s; FAQTORY_EMBEDDING_THREADS={})",
        ours.len(),
        took.as_secs_f64(),
        ours.len() as f64 / took.as_secs_f64(),
        std::env::var("FAQTORY_EMBEDDING_THREADS").unwrap_or_else(|_| "1".into())
    );
    let mut hybrid_scores = Scores::default();
    for (asked, wanted, _) in &duplicates {
        let (_, found) = app::asking::similar::duplicates_of(&db, &index, &meaning, *asked).await?;
        hybrid_scores.add(found.iter().position(|s| s.id == *wanted).map(|at| at + 1));
    }
    hybrid_scores.print("faqtory, words + meaning");
    // Around the model's own cuts.
    let shipped = meaning.cuts().same_question;
    let mut linkings = Vec::new();
    for step in [-0.1, -0.05, 0.0, 0.05, 0.1, 0.2] {
        linkings.push(Linking {
            same_meaning: shipped.same_meaning + step,
            ..shipped
        });
    }
    for (supported_step, supporting_words) in [
        (-0.1, 0.3),
        (-0.05, 0.3),
        (0.0, 0.2),
        (0.0, 0.4),
        (1.0, 1.0),
    ] {
        linkings.push(Linking {
            supported_meaning: shipped.supported_meaning + supported_step,
            supporting_words,
            ..shipped
        });
    }
    for linking in linkings {
        let clusters = app::moderation::duplicates::groups_among(
            &db,
            &index,
            &meaning,
            "duplicates",
            usize::MAX,
            linking,
        )
        .await?;
        let marker = if linking == shipped {
            " (faqtory's)"
        } else {
            ""
        };
        cluster_quality(
            &format!(
                "clusters, meaning ≥ {:.2} or ≥ {:.2} with words ≥ {:.2}{marker}",
                linking.same_meaning, linking.supported_meaning, linking.supporting_words
            ),
            &clusters,
            &pairs,
            &ours,
        );
    }

    // How the share of words in the mix moves the ranking (no relatedness cut), and how close
    // labelled duplicates and non-duplicates are: what the constants in meaning::hybrid rest on.
    let Some(vectors) = meaning.vectors() else {
        return Err("no vectors".into());
    };
    println!("weight of words in the mix (ranking alone):");
    for tenth in 0..=10 {
        let weight = tenth as f32 / 10.0;
        let mut scores = Scores::default();
        for (asked, wanted, text) in &duplicates {
            let request = SimilarRequest {
                text,
                event: "duplicates",
                statuses: &[QuestionStatus::Approved],
                include_faq: false,
                exclude: Some(*asked),
                style: Style::WHOLE_QUESTION,
                limit: 30,
            };
            let lexical = index.similar_scores(&request, 30)?;
            let Some(vector) = vectors.of(*asked) else {
                scores.add(None);
                continue;
            };
            let candidates = index.similar_candidates(&request)?;
            let mut closeness: HashMap<i64, f32> = vectors
                .nearest(&vector, &candidates, 30)
                .into_iter()
                .collect();
            let matched: Vec<i64> = lexical.iter().map(|(id, _)| *id).collect();
            closeness.extend(vectors.closeness(&vector, &matched));
            let ranked = hybrid::mix(&lexical, &closeness, weight);
            scores.add(
                ranked
                    .iter()
                    .take(10)
                    .position(|m| m.id == *wanted)
                    .map(|at| at + 1),
            );
        }
        scores.print(&format!("  words {weight:.1}"));
    }
    for (label, name) in [("1", "duplicates"), ("0", "non-duplicates")] {
        let mut cosines: Vec<f32> = pairs
            .iter()
            .filter(|pair| pair.duplicate_label == label)
            .filter_map(|pair| {
                let (a, _) = ours.get(pair.q1_id.as_str())?;
                let (b, _) = ours.get(pair.q2_id.as_str())?;
                Some(faqtory::meaning::unit_vectors::cosine(
                    &vectors.of(*a)?,
                    &vectors.of(*b)?,
                ))
            })
            .collect();
        cosines.sort_by(f32::total_cmp);
        let at = |q: f64| cosines[((cosines.len() as f64 - 1.0) * q).round() as usize];
        println!(
            "cosine of labelled {name:<15} p10 {:.2}  p25 {:.2}  p50 {:.2}  p75 {:.2}  p90 {:.2}",
            at(0.1),
            at(0.25),
            at(0.5),
            at(0.75),
            at(0.9)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
