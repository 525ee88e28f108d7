//! How well faqtory finds where a question was discussed in a transcript, on QMSum's 197 real
//! meetings (`../shared/data/qmsum`): each meeting's WebVTT goes through the real import parser,
//! each question through the real matching, and the first proposed moments are scored against
//! the turns annotators marked (hit@1, hit@3, median distance in seconds), overall and per domain.
//! No on-screen times exist there: this measures the transcript matching alone.
//!
//! `cargo run --release --example bench_transcript_quality [-- SPLIT]` (train, val or all)

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use faqtory::app::recording;
use faqtory::transcript::{self, TranscriptIndex};
use serde::Deserialize;

#[derive(Deserialize)]
struct Meeting {
    meeting_id: String,
    domain: String,
    split: String,
    cues: Vec<QmsumCue>,
    questions: Vec<Question>,
}

#[derive(Deserialize)]
struct QmsumCue {
    index: usize,
    start: f64,
}

#[derive(Deserialize)]
struct Question {
    query: String,
    spans: Vec<(usize, usize)>,
}

#[derive(Default)]
struct Score {
    questions: usize,
    hits_at_1: usize,
    hits_at_3: usize,
    distances: Vec<f64>,
}

impl Score {
    fn add(&mut self, hit_at_1: bool, hit_at_3: bool, distance: f64) {
        self.questions += 1;
        self.hits_at_1 += usize::from(hit_at_1);
        self.hits_at_3 += usize::from(hit_at_3);
        self.distances.push(distance);
    }

    fn line(&mut self, name: &str) -> String {
        self.distances.sort_by(f64::total_cmp);
        let median = self
            .distances
            .get(self.distances.len() / 2)
            .copied()
            .unwrap_or(f64::NAN);
        format!(
            "{name:<10} {:>5} questions  hit@1 {:.3}  hit@3 {:.3}  median distance {:>4.0} s",
            self.questions,
            self.hits_at_1 as f64 / self.questions.max(1) as f64,
            self.hits_at_3 as f64 / self.questions.max(1) as f64,
            median
        )
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let split = std::env::args().nth(1).unwrap_or_else(|| "all".into());
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/qmsum");
    let started = Instant::now();
    let mut overall = Score::default();
    // The proposals as the review page gets them: one moment per question, none given twice.
    let mut proposed = Score::default();
    let mut by_domain: BTreeMap<String, Score> = BTreeMap::new();
    let mut cues_read = 0usize;
    // For the speed figure: a three-hour call made of meetings one after another.
    let mut long_call: Vec<transcript::Cue> = Vec::new();
    let mut long_questions: Vec<String> = Vec::new();
    for line in std::fs::read_to_string(format!("{data}/meetings.jsonl"))?.lines() {
        let meeting: Meeting = serde_json::from_str(line)?;
        if split != "all" && meeting.split != split {
            continue;
        }
        let file = std::fs::read(format!("{data}/vtt/{}.vtt", meeting.meeting_id))?;
        let transcript =
            transcript::parse(&file).map_err(|error| format!("{}: {error}", meeting.meeting_id))?;
        cues_read += transcript.cues.len();
        if long_call.len() < 2_000 {
            let shift = long_call.last().map_or(0, |cue| cue.end_ms);
            long_call.extend(transcript.cues.iter().cloned().map(|mut cue| {
                cue.start_ms += shift;
                cue.end_ms += shift;
                cue
            }));
        }
        if long_questions.len() < 100 {
            long_questions.extend(meeting.questions.iter().map(|q| q.query.clone()));
        }
        // Empty cues are left out on import: QMSum's turn numbers are found again by start time.
        let turn_at: HashMap<i64, usize> = meeting
            .cues
            .iter()
            .map(|cue| ((cue.start * 1000.0).round() as i64, cue.index))
            .collect();
        let start_of: HashMap<usize, f64> = meeting
            .cues
            .iter()
            .map(|cue| (cue.index, cue.start))
            .collect();
        let index = TranscriptIndex::new(&transcript.cues);
        let asked: Vec<recording::Asked<'_>> = meeting
            .questions
            .iter()
            .enumerate()
            .map(|(n, question)| recording::Asked {
                id: n as i64,
                text: &question.query,
                asked_ms: None,
                on_screen_ms: None,
            })
            .collect();
        let proposals = recording::propose(&asked, &transcript.cues);
        for _ in proposals.len()..asked.len() {
            // A question without a proposal is a miss at 0 s, as the data's README scores it.
            proposed.add(false, false, 0.0);
        }
        for proposal in proposals {
            let question = &meeting.questions[proposal.question_id as usize];
            let turn = turn_at.get(&proposal.at_ms).copied();
            let hit = turn.is_some_and(|turn| {
                question
                    .spans
                    .iter()
                    .any(|(first, last)| (first..=last).contains(&&turn))
            });
            let distance = turn.map_or(0.0, |turn| {
                question
                    .spans
                    .iter()
                    .map(|(first, _)| (start_of[first] - start_of[&turn]).abs())
                    .fold(f64::INFINITY, f64::min)
            });
            proposed.add(hit, hit, distance);
        }
        for question in &meeting.questions {
            let moments = index.moments(&question.query);
            let turns: Vec<usize> = moments
                .iter()
                .filter_map(|moment| turn_at.get(&transcript.cues[moment.cue].start_ms).copied())
                .collect();
            let inside = |turn: &usize| {
                question
                    .spans
                    .iter()
                    .any(|(first, last)| (first..=last).contains(&turn))
            };
            let hit_at_1 = turns.first().is_some_and(inside);
            let hit_at_3 = turns.iter().take(3).any(inside);
            let distance = turns.first().map_or(0.0, |turn| {
                let at = start_of[turn];
                question
                    .spans
                    .iter()
                    .map(|(first, _)| (start_of[first] - at).abs())
                    .fold(f64::INFINITY, f64::min)
            });
            overall.add(hit_at_1, hit_at_3, distance);
            by_domain
                .entry(meeting.domain.clone())
                .or_default()
                .add(hit_at_1, hit_at_3, distance);
        }
    }
    println!("QMSum ({split}), words only; baseline BM25 over 3-cue windows: hit@1 0.291, hit@3 0.499, median 203 s");
    println!("{}", overall.line("all"));
    for (domain, score) in &mut by_domain {
        println!("{}", score.line(domain));
    }
    println!(
        "{}  (one proposal per question, moments not given twice)",
        proposed.line("proposed")
    );
    println!(
        "{cues_read} cues read and matched in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    long_call.truncate(2_000);
    long_questions.truncate(100);
    let asked: Vec<recording::Asked<'_>> = long_questions
        .iter()
        .enumerate()
        .map(|(n, text)| recording::Asked {
            id: n as i64,
            text,
            asked_ms: None,
            on_screen_ms: None,
        })
        .collect();
    let timed = Instant::now();
    let proposals = recording::propose(&asked, &long_call);
    println!(
        "speed: {} questions over {} cues ({:.0} minutes of call): {} proposals with drafts in {:.0} ms",
        asked.len(),
        long_call.len(),
        long_call.last().map_or(0, |cue| cue.end_ms) as f64 / 60_000.0,
        proposals.len(),
        timed.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
