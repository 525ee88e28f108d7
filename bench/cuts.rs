//! Calibrates a model's cuts against all-MiniLM-L6-v2's (the ones the other benchmarks chose) on
//! English Stack Exchange: the 1,331 distinct questions of `pairs_1000.csv` are embedded with
//! both models, and every pair of them is compared, as closeness past the pool's background
//! (what suggestions and the duplicates view judge) and as plain cosine (FAQ search, grouped
//! searches). A cut of the new model is set where it lets through the same share of all pairs as
//! MiniLM's cut does: the same rate of unrelated matches, so what the better model gains shows as
//! more of the 500 labelled duplicates let through. Also prints each model's recall@5 by cosine
//! alone (the protocol of the table) and how often the clear-lead rule picks the right
//! question.
//!
//! cargo run --release --example bench_cuts -- MINILM_DIR OTHER_MODEL_DIR [THREADS]

#[path = "common/mod.rs"]
mod common;

use std::collections::HashMap;
use std::time::Instant;

use common::english_se;
use common::BoxError;
use faqtory::meaning::background::Background;
use faqtory::meaning::cuts::{self, Cuts};
use faqtory::meaning::encoder::Encoder;
use faqtory::meaning::hybrid::ClearLead;
use faqtory::meaning::unit_vectors::cosine;
use rayon::prelude::*;

/// Texts of similar length embedded together, so padding wastes little.
const BATCH: usize = 16;

fn embed_all(encoder: &Encoder, texts: &[String]) -> Result<Vec<Vec<f32>>, BoxError> {
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&at| texts[at].len());
    let batches: Vec<Vec<usize>> = order.chunks(BATCH).map(<[usize]>::to_vec).collect();
    let embedded: Vec<Vec<(usize, Vec<f32>)>> = batches
        .par_iter()
        .map(|batch| {
            let chunk: Vec<&str> = batch.iter().map(|&at| texts[at].as_str()).collect();
            encoder
                .embed(&chunk)
                .map(|vectors| batch.iter().copied().zip(vectors).collect())
        })
        .collect::<Result<_, _>>()?;
    let mut vectors = vec![Vec::new(); texts.len()];
    for (at, vector) in embedded.into_iter().flatten() {
        vectors[at] = vector;
    }
    Ok(vectors)
}

/// One model's view of the pool.
struct Closeness {
    name: String,
    /// Every pair of distinct questions, past the background and plain, each sorted.
    all_past: Vec<f32>,
    all_plain: Vec<f32>,
    /// The labelled duplicates.
    duplicates_past: Vec<f32>,
    duplicates_plain: Vec<f32>,
    /// Recall@5 asking with the first of each pair, with the second, and with either, any
    /// labelled duplicate of the asked question counting.
    recall_at_5: [f64; 3],
    /// For each duplicate pair: (the wanted question's index, every other question's closeness
    /// past the background to the asked one).
    lead_cases: Vec<(usize, HashMap<i64, f32>)>,
}

fn share_at_or_above(sorted: &[f32], cut: f32) -> f64 {
    let below = sorted.partition_point(|&value| value < cut);
    (sorted.len() - below) as f64 / sorted.len().max(1) as f64
}

/// The cut that lets through `share` of `sorted`.
fn cut_for_share(sorted: &[f32], share: f64) -> f32 {
    if sorted.is_empty() {
        return 1.0;
    }
    let at = ((1.0 - share) * sorted.len() as f64).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn measure(
    name: &str,
    vectors: &[Vec<f32>],
    duplicates: &[(usize, usize)],
) -> Result<Closeness, BoxError> {
    let background =
        Background::of(vectors.iter().map(Vec::as_slice)).ok_or("no background for the pool")?;
    let n = vectors.len();
    let rows: Vec<(Vec<f32>, Vec<f32>)> = (0..n)
        .into_par_iter()
        .map(|a| {
            let past = (a + 1..n)
                .map(|b| background.closeness(&vectors[a], &vectors[b]))
                .collect();
            let plain = (a + 1..n)
                .map(|b| cosine(&vectors[a], &vectors[b]))
                .collect();
            (past, plain)
        })
        .collect();
    let (mut all_past, mut all_plain): (Vec<f32>, Vec<f32>) = (Vec::new(), Vec::new());
    for (past, plain) in rows {
        all_past.extend(past);
        all_plain.extend(plain);
    }
    all_past.sort_by(f32::total_cmp);
    all_plain.sort_by(f32::total_cmp);
    let mut duplicates_past = Vec::new();
    let mut duplicates_plain = Vec::new();
    let mut lead_cases = Vec::new();
    for &(asked, wanted) in duplicates {
        duplicates_past.push(background.closeness(&vectors[asked], &vectors[wanted]));
        duplicates_plain.push(cosine(&vectors[asked], &vectors[wanted]));
        let others: HashMap<i64, f32> = (0..n)
            .filter(|&other| other != asked)
            .map(|other| {
                (
                    other as i64,
                    background.closeness(&vectors[asked], &vectors[other]),
                )
            })
            .collect();
        lead_cases.push((wanted, others));
    }
    duplicates_past.sort_by(f32::total_cmp);
    duplicates_plain.sort_by(f32::total_cmp);
    Ok(Closeness {
        name: name.to_owned(),
        all_past,
        all_plain,
        duplicates_past,
        duplicates_plain,
        recall_at_5: recall_at_5(vectors, duplicates),
        lead_cases,
    })
}

/// Whether any of `wanted` is among the five closest to `asked` by cosine.
fn in_top_5(vectors: &[Vec<f32>], asked: usize, wanted: &[usize]) -> bool {
    let mut closest: Vec<(usize, f32)> = (0..vectors.len())
        .filter(|&other| other != asked)
        .map(|other| (other, cosine(&vectors[asked], &vectors[other])))
        .collect();
    closest.sort_by(|a, b| b.1.total_cmp(&a.1));
    closest
        .iter()
        .take(5)
        .any(|(other, _)| wanted.contains(other))
}

fn recall_at_5(vectors: &[Vec<f32>], duplicates: &[(usize, usize)]) -> [f64; 3] {
    let partners = |of: usize| -> Vec<usize> {
        duplicates
            .iter()
            .filter_map(|&(a, b)| {
                if a == of {
                    Some(b)
                } else if b == of {
                    Some(a)
                } else {
                    None
                }
            })
            .collect()
    };
    let n = duplicates.len().max(1) as f64;
    let first = duplicates
        .par_iter()
        .filter(|&&(asked, _)| in_top_5(vectors, asked, &partners(asked)))
        .count() as f64;
    let second = duplicates
        .par_iter()
        .filter(|&&(_, asked)| in_top_5(vectors, asked, &partners(asked)))
        .count() as f64;
    [first / n, second / n, (first + second) / (2.0 * n)]
}

/// `reference`'s cut `cut` carried over to `other` at the same share of all pairs; prints both
/// shares of labelled duplicates let through.
fn carry(label: &str, cut: f32, plain: bool, reference: &Closeness, other: &Closeness) -> f32 {
    let (all_ref, dup_ref, all_other, dup_other) = if plain {
        (
            &reference.all_plain,
            &reference.duplicates_plain,
            &other.all_plain,
            &other.duplicates_plain,
        )
    } else {
        (
            &reference.all_past,
            &reference.duplicates_past,
            &other.all_past,
            &other.duplicates_past,
        )
    };
    let share = share_at_or_above(all_ref, cut);
    let carried = cut_for_share(all_other, share);
    println!(
        "  {label:<34} {cut:>6.3} → {carried:>6.3}   all pairs through {:>8.5}%   duplicates through {:.3} → {:.3}",
        share * 100.0,
        share_at_or_above(dup_ref, cut),
        share_at_or_above(dup_other, carried),
    );
    (carried * 100.0).round() / 100.0
}

fn lead_report(model: &Closeness, rule: ClearLead) -> (usize, usize) {
    let (mut right, mut wrong) = (0, 0);
    for (wanted, others) in &model.lead_cases {
        match rule.leader(others) {
            Some(leader) if leader == *wanted as i64 => right += 1,
            Some(_) => wrong += 1,
            None => {}
        }
    }
    (right, wrong)
}

fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    let (Some(reference_dir), Some(other_dir)) = (args.next(), args.next()) else {
        return Err("give the all-MiniLM-L6-v2 folder and the other model's folder".into());
    };
    let threads: usize = args.next().map_or(Ok(2), |given| given.parse())?;
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build_global()?;
    let pairs = english_se::pairs()?;
    let texts = english_se::distinct_texts(&pairs);
    let index_of: HashMap<&str, usize> = texts
        .iter()
        .enumerate()
        .map(|(at, (id, _))| (id.as_str(), at))
        .collect();
    let duplicates: Vec<(usize, usize)> = pairs
        .iter()
        .filter(|pair| pair.is_duplicate())
        .filter_map(|pair| {
            Some((
                *index_of.get(pair.q1_id.as_str())?,
                *index_of.get(pair.q2_id.as_str())?,
            ))
        })
        .collect();
    let bodies: Vec<String> = texts.into_iter().map(|(_, text)| text).collect();
    println!(
        "English SE: {} questions, {} duplicate pairs, {} pairs in all; {threads} threads",
        bodies.len(),
        duplicates.len(),
        bodies.len() * (bodies.len() - 1) / 2
    );
    let mut models = Vec::new();
    for dir in [&reference_dir, &other_dir] {
        let encoder = Encoder::load(std::path::Path::new(dir))?;
        let started = Instant::now();
        let vectors = embed_all(&encoder, &bodies)?;
        let took = started.elapsed().as_secs_f64();
        println!(
            "{}: embedded in {took:.1} s ({:.1} texts/s)",
            encoder.tag(),
            bodies.len() as f64 / took
        );
        models.push(measure(encoder.tag(), &vectors, &duplicates)?);
    }
    let [reference, other] = [&models[0], &models[1]];
    println!(
        "recall@5 by cosine alone, among all the others, any labelled duplicate counting: asking with the first of each pair / the second / either"
    );
    for model in &models {
        let [first, second, either] = model.recall_at_5;
        println!(
            "  {:<34} {first:.3} / {second:.3} / {either:.3}",
            model.name
        );
    }
    println!("cuts, {} → {}:", reference.name, other.name);
    let shipped: &Cuts = &cuts::ALL_MINILM_L6_V2;
    let carry_past = |label: &str, cut: f32| carry(label, cut, false, reference, other);
    let askers_close = carry_past("askers close", shipped.askers.close);
    let askers_floor = carry_past("askers floor", shipped.askers.floor);
    let searches_close = carry_past("searches close", shipped.searches.close);
    let searches_floor = carry_past("searches floor", shipped.searches.floor);
    let moderators_close = carry_past("moderators close", shipped.moderators.close);
    let same_meaning = carry_past("same question", shipped.same_question.same_meaning);
    let supported = carry_past(
        "same question, with words",
        shipped.same_question.supported_meaning,
    );
    let docs_askers_close = carry_past("docs for askers close", shipped.docs_for_askers.close);
    let docs_askers_floor = carry_past("docs for askers floor", shipped.docs_for_askers.floor);
    let docs_searches_close =
        carry_past("docs for searches close", shipped.docs_for_searches.close);
    let docs_searches_floor =
        carry_past("docs for searches floor", shipped.docs_for_searches.floor);
    let clear_floor = carry_past("clear lead floor", shipped.clear_lead.floor);
    let faq_min = carry(
        "FAQ entries by meaning alone",
        shipped.faq_min_meaning,
        true,
        reference,
        other,
    );
    let same_search = carry("same search", shipped.same_search, true, reference, other);
    // A lead is a difference of closenesses: carried in proportion to how far apart the
    // askers' two cuts land.
    let spread = (askers_close - askers_floor) / (shipped.askers.close - shipped.askers.floor);
    let clear_lead = (shipped.clear_lead.lead * spread * 100.0).round() / 100.0;
    println!(
        "  {:<34} {:>6.3} → {clear_lead:>6.3}   (scaled by the askers' spread, {spread:.2})",
        "clear lead", shipped.clear_lead.lead
    );
    println!("clear lead (who leads, for each duplicate asked): right / wrong leaders");
    for (model, floor, lead) in [
        (reference, shipped.clear_lead.floor, shipped.clear_lead.lead),
        (other, clear_floor, clear_lead),
    ] {
        for step in [-0.1, -0.05, 0.0, 0.05, 0.1] {
            let rule = ClearLead {
                lead: lead + step,
                floor,
            };
            let (right, wrong) = lead_report(model, rule);
            let marker = if step == 0.0 { " (as set)" } else { "" };
            println!(
                "  {:<34} lead {:.2} floor {floor:.2}: {right} right, {wrong} wrong{marker}",
                model.name, rule.lead
            );
        }
    }
    println!(
        "for src/meaning/cuts.rs: askers {askers_close}/{askers_floor}, searches {searches_close}/{searches_floor}, moderators {moderators_close}, same question {same_meaning}/{supported}, docs for askers {docs_askers_close}/{docs_askers_floor}, docs for searches {docs_searches_close}/{docs_searches_floor}, FAQ by meaning {faq_min}, same search {same_search}, clear lead {clear_lead} from {clear_floor}"
    );
    Ok(())
}
