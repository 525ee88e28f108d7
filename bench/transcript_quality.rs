//! How well faqtory finds where a question was discussed in a transcript, on QMSum's 197 real
//! meetings (`../shared/data/qmsum`): each meeting's WebVTT goes through the real import parser,
//! each question through the real matching, and the first proposed moments are scored against
//! the turns annotators marked (hit@1, hit@3, median distance in seconds), overall and per domain.
//! No on-screen times exist there: this measures the transcript matching alone. With
//! `FAQTORY_BENCH_MODEL=DIR` it scores words and meaning too, and times embedding a three-hour
//! call; vectors are kept under `target/bench-cache` so a second run only matches.
//!
//! `cargo run --release --example bench_transcript_quality [-- SPLIT]` (train, val or all)

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use faqtory::app::recording::proposals::{self, Said};
use faqtory::meaning::encoder::Encoder;
use faqtory::meaning::unit_vectors::{from_bytes, to_bytes};
use faqtory::transcript::{self, spoken_text, Cue, Mixing, Start, TranscriptIndex};
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

/// Scores of one way of matching: the ranked moments, and the proposals as the review page
/// gets them (one moment per question, none given twice).
#[derive(Default)]
struct Scores {
    ranked: Score,
    proposed: Score,
    by_domain: BTreeMap<String, Score>,
}

impl Scores {
    fn print(&mut self, title: &str) {
        println!("{title}");
        println!("{}", self.ranked.line("all"));
        for (domain, score) in &mut self.by_domain {
            println!("{}", score.line(domain));
        }
        println!(
            "{}  (one proposal per question, moments not given twice)",
            self.proposed.line("proposed")
        );
    }
}

/// A meeting's cue and question vectors.
struct Vectors {
    cues: Vec<Vec<f32>>,
    questions: Vec<Vec<f32>>,
}

/// Where a meeting's questions were discussed, as the annotators marked it.
struct Truth<'a> {
    meeting: &'a Meeting,
    /// Empty cues are left out on import: QMSum's turn numbers are found again by start time.
    turn_at: HashMap<i64, usize>,
    start_of: HashMap<usize, f64>,
}

impl<'a> Truth<'a> {
    fn new(meeting: &'a Meeting) -> Self {
        Self {
            meeting,
            turn_at: meeting
                .cues
                .iter()
                .map(|cue| ((cue.start * 1000.0).round() as i64, cue.index))
                .collect(),
            start_of: meeting
                .cues
                .iter()
                .map(|cue| (cue.index, cue.start))
                .collect(),
        }
    }

    fn turn_at(&self, start_ms: i64) -> Option<usize> {
        self.turn_at.get(&start_ms).copied()
    }

    fn inside(question: &Question, turn: usize) -> bool {
        question
            .spans
            .iter()
            .any(|(first, last)| (*first..=*last).contains(&turn))
    }

    /// Seconds from `turn` to the nearest span's start; a question without one is a miss at 0 s,
    /// as the data's README scores it.
    fn distance(&self, question: &Question, turn: Option<usize>) -> f64 {
        turn.map_or(0.0, |turn| {
            question
                .spans
                .iter()
                .map(|(first, _)| (self.start_of[first] - self.start_of[&turn]).abs())
                .fold(f64::INFINITY, f64::min)
        })
    }

    /// Scores each question's ranked moments from `index` into `score` (and `by_domain`).
    fn rank(
        &self,
        index: &TranscriptIndex,
        cues: &[Cue],
        vectors: Option<&Vectors>,
        score: &mut Score,
        mut by_domain: Option<&mut BTreeMap<String, Score>>,
    ) {
        for (n, question) in self.meeting.questions.iter().enumerate() {
            let meaning = vectors.map(|vectors| &vectors.questions[n][..]);
            let turns: Vec<usize> = index
                .moments(&question.query, meaning)
                .iter()
                .filter_map(|moment| self.turn_at(cues[moment.cue].start_ms))
                .collect();
            let hit_at_1 = turns
                .first()
                .is_some_and(|&turn| Self::inside(question, turn));
            let hit_at_3 = turns
                .iter()
                .take(3)
                .any(|&turn| Self::inside(question, turn));
            let distance = self.distance(question, turns.first().copied());
            score.add(hit_at_1, hit_at_3, distance);
            if let Some(by_domain) = by_domain.as_deref_mut() {
                by_domain
                    .entry(self.meeting.domain.clone())
                    .or_default()
                    .add(hit_at_1, hit_at_3, distance);
            }
        }
    }
}

fn score_meeting(meeting: &Meeting, cues: &[Cue], vectors: Option<&Vectors>, scores: &mut Scores) {
    let truth = Truth::new(meeting);
    let asked: Vec<proposals::Asked<'_>> = meeting
        .questions
        .iter()
        .enumerate()
        .map(|(n, question)| proposals::Asked {
            id: n as i64,
            text: &question.query,
            asked_ms: None,
            on_screen_ms: None,
            meaning: vectors.map(|vectors| &vectors.questions[n][..]),
        })
        .collect();
    let said = Said {
        cues,
        cue_vectors: vectors.map(|vectors| &vectors.cues[..]),
    };
    let proposals = proposals::propose(&asked, said);
    for _ in proposals.len()..asked.len() {
        // A question without a proposal is a miss at 0 s, as the data's README scores it.
        scores.proposed.add(false, false, 0.0);
    }
    for proposal in proposals {
        let question = &meeting.questions[proposal.question_id as usize];
        let turn = truth.turn_at(proposal.at_ms);
        let hit = turn.is_some_and(|turn| Truth::inside(question, turn));
        scores
            .proposed
            .add(hit, hit, truth.distance(question, turn));
    }
    let mut index = TranscriptIndex::new(cues);
    if let Some(vectors) = vectors {
        index = index.with_vectors(&vectors.cues);
    }
    truth.rank(
        &index,
        cues,
        vectors,
        &mut scores.ranked,
        Some(&mut scores.by_domain),
    );
}

/// The ranked moments alone, with words and meaning mixed as `mixing` says.
fn rank_meeting(
    meeting: &Meeting,
    cues: &[Cue],
    vectors: &Vectors,
    mixing: Mixing,
    score: &mut Score,
) {
    let index = TranscriptIndex::new(cues)
        .with_vectors(&vectors.cues)
        .with_mixing(mixing);
    Truth::new(meeting).rank(&index, cues, Some(vectors), score, None);
}

/// The ways of mixing words and meaning the benchmark compares.
fn mixings() -> Vec<Mixing> {
    let mut all = Vec::new();
    for lexical_weight in [0.1, 0.2, 0.3, 0.4, 0.5, 0.7] {
        for stretch_meaning in [false, true] {
            for start in [Start::OwnPassage, Start::Words, Start::WordsAndMeaning] {
                all.push(Mixing {
                    lexical_weight,
                    stretch_meaning,
                    start,
                });
            }
        }
    }
    all
}

/// Vectors of `texts`, from the cache file when it holds them.
fn embed_cached(
    encoder: &Encoder,
    cache: &Path,
    texts: &[String],
) -> Result<Vec<Vec<f32>>, Box<dyn std::error::Error>> {
    if let Ok(bytes) = std::fs::read(cache) {
        let dimensions = encoder.dimensions() * 4;
        if bytes.len() == texts.len() * dimensions {
            return Ok(bytes.chunks_exact(dimensions).map(from_bytes).collect());
        }
    }
    let vectors = embed_like_the_embedder(encoder, texts)?;
    let bytes: Vec<u8> = vectors.iter().flat_map(|vector| to_bytes(vector)).collect();
    std::fs::write(cache, bytes)?;
    Ok(vectors)
}

/// In batches of 16 texts of like length, as the background embedder takes a transcript.
fn embed_like_the_embedder(
    encoder: &Encoder,
    texts: &[String],
) -> Result<Vec<Vec<f32>>, Box<dyn std::error::Error>> {
    let mut order: Vec<usize> = (0..texts.len()).collect();
    order.sort_by_key(|&at| texts[at].len());
    let mut vectors = vec![Vec::new(); texts.len()];
    for chunk in order.chunks(16) {
        let batch: Vec<&str> = chunk.iter().map(|&at| texts[at].as_str()).collect();
        for (&at, vector) in chunk.iter().zip(encoder.embed(&batch)?) {
            vectors[at] = vector;
        }
    }
    Ok(vectors)
}

fn meeting_vectors(
    encoder: &Encoder,
    cache_dir: &Path,
    meeting: &Meeting,
    cues: &[Cue],
) -> Result<Vectors, Box<dyn std::error::Error>> {
    let spoken: Vec<String> = cues.iter().map(spoken_text).collect();
    let questions: Vec<String> = meeting.questions.iter().map(|q| q.query.clone()).collect();
    Ok(Vectors {
        cues: embed_cached(
            encoder,
            &cache_dir.join(format!("{}.cues", meeting.meeting_id)),
            &spoken,
        )?,
        questions: embed_cached(
            encoder,
            &cache_dir.join(format!("{}.questions", meeting.meeting_id)),
            &questions,
        )?,
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let split = std::env::args().nth(1).unwrap_or_else(|| "all".into());
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/qmsum");
    let encoder = match std::env::var_os("FAQTORY_BENCH_MODEL") {
        Some(dir) => Some(Encoder::load(Path::new(&dir))?),
        None => None,
    };
    let cache_dir: Option<PathBuf> = encoder.as_ref().map(|encoder| {
        let tag = encoder.tag().replace(['/', '@'], "-");
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/bench-cache")).join(tag)
    });
    if let Some(dir) = &cache_dir {
        std::fs::create_dir_all(dir)?;
    }
    let started = Instant::now();
    let mut by_words = Scores::default();
    let mut by_meaning = Scores::default();
    let mut sweep: Vec<(Mixing, Score)> = mixings()
        .into_iter()
        .map(|mixing| (mixing, Score::default()))
        .collect();
    let mut cues_read = 0usize;
    // For the speed figures: a three-hour call made of meetings one after another.
    let mut long_call: Vec<Cue> = Vec::new();
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
        score_meeting(&meeting, &transcript.cues, None, &mut by_words);
        if let (Some(encoder), Some(dir)) = (&encoder, &cache_dir) {
            let vectors = meeting_vectors(encoder, dir, &meeting, &transcript.cues)?;
            score_meeting(&meeting, &transcript.cues, Some(&vectors), &mut by_meaning);
            for (mixing, score) in &mut sweep {
                rank_meeting(&meeting, &transcript.cues, &vectors, *mixing, score);
            }
        }
    }
    println!(
        "QMSum ({split}); baseline BM25 over 3-cue windows: hit@1 0.291, hit@3 0.499, median 203 s"
    );
    by_words.print("by words:");
    if encoder.is_some() {
        by_meaning.print(&format!("by words and meaning ({:?}):", Mixing::default()));
        println!("other mixings (ranked moments):");
        for (mixing, score) in &mut sweep {
            let name = format!(
                "w{:.1}{}{}",
                mixing.lexical_weight,
                if mixing.stretch_meaning {
                    " stretch"
                } else {
                    ""
                },
                match mixing.start {
                    Start::OwnPassage => " start: own passage",
                    Start::Words => " start: words",
                    Start::WordsAndMeaning => " start: words+meaning",
                }
            );
            println!("{}", score.line(&name));
        }
    }
    println!(
        "{cues_read} cues read and matched in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    long_call.truncate(2_000);
    long_questions.truncate(100);
    speed(&long_call, &long_questions, encoder.as_ref())
}

/// Proposals for 100 questions over a three-hour call, by words; with a model, the time to
/// embed the call's cues and the proposals by meaning once embedded.
fn speed(
    call: &[Cue],
    questions: &[String],
    encoder: Option<&Encoder>,
) -> Result<(), Box<dyn std::error::Error>> {
    let minutes = call.last().map_or(0, |cue| cue.end_ms) as f64 / 60_000.0;
    fn asked<'a>(
        questions: &'a [String],
        vectors: Option<&'a [Vec<f32>]>,
    ) -> Vec<proposals::Asked<'a>> {
        questions
            .iter()
            .enumerate()
            .map(|(n, text)| proposals::Asked {
                id: n as i64,
                text,
                asked_ms: None,
                on_screen_ms: None,
                meaning: vectors.map(|vectors| &vectors[n][..]),
            })
            .collect()
    }
    let timed = Instant::now();
    let proposals = proposals::propose(
        &asked(questions, None),
        Said {
            cues: call,
            cue_vectors: None,
        },
    );
    println!(
        "speed, words only: {} questions over {} cues ({minutes:.0} minutes of call): {} proposals with drafts in {:.0} ms",
        questions.len(),
        call.len(),
        proposals.len(),
        timed.elapsed().as_secs_f64() * 1000.0
    );
    let Some(encoder) = encoder else {
        return Ok(());
    };
    let timed = Instant::now();
    let spoken: Vec<String> = call.iter().map(spoken_text).collect();
    let cue_vectors = embed_like_the_embedder(encoder, &spoken)?;
    let embedding = timed.elapsed().as_secs_f64();
    println!(
        "speed, embedding the call's {} cues in batches of 16 of like length, as the embedder does, on this thread: {embedding:.1} s ({:.1} ms a cue)",
        cue_vectors.len(),
        embedding * 1000.0 / cue_vectors.len().max(1) as f64
    );
    let texts: Vec<&str> = questions.iter().map(String::as_str).collect();
    let question_vectors = encoder.embed(&texts)?;
    let timed = Instant::now();
    let proposals = proposals::propose(
        &asked(questions, Some(&question_vectors)),
        Said {
            cues: call,
            cue_vectors: Some(&cue_vectors),
        },
    );
    println!(
        "speed, words and meaning once embedded: {} proposals with drafts in {:.0} ms",
        proposals.len(),
        timed.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}
