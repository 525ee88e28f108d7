//! An event's polls in its export: each definition, where it was in its life, every answer (the
//! voter's hash, as votes keep it) with its up-votes, and the counts when exported for the
//! organisers' records. `import` restores them with the event; the counts are worked out again
//! from the answers rather than trusted.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::polls::answering::AnswerInput;
use crate::app::polls::results::{self, Counts, PollResults, HELD, HIDDEN, SHOWN};
use crate::app::polls::{Poll, StoredDefinition};
use crate::db::{self, DbConnection};
use crate::domain::{DraftPoll, PollAnswer, PollDefinition, PollState};
use crate::error::AppError;

/// Words of a word cloud kept in the counts of an export.
const WORDS_KEPT: usize = 100;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PollRecord {
    /// `choice`, `rating`, `words`, `text` or `ranking`.
    pub kind: String,
    pub prompt: String,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub multiple: bool,
    #[serde(default)]
    pub other: bool,
    #[serde(default)]
    pub scale: Option<i64>,
    #[serde(default)]
    pub low_label: Option<String>,
    #[serde(default)]
    pub high_label: Option<String>,
    /// `live`, `after_answer` or `on_reveal`.
    pub results: String,
    #[serde(default)]
    pub banned_words: Vec<String>,
    /// `draft`, `open` or `closed`.
    pub state: String,
    #[serde(default)]
    pub revealed: bool,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub opened_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub closed_at: Option<DateTime<Utc>>,
    /// The counts when exported: per option, rating (`average`, then `1`…), word, ranked option
    /// (its Borda score) or shown open-text answer (its up-votes).
    #[serde(default)]
    pub tally: Vec<TallyLine>,
    #[serde(default)]
    pub answers: Vec<PollAnswerRecord>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TallyLine {
    pub label: String,
    pub value: f64,
}

impl TallyLine {
    /// The value as people read it: a count whole, an average to two places at most.
    pub fn value_text(&self) -> String {
        if self.value.fract() == 0.0 {
            format!("{:.0}", self.value)
        } else {
            format!("{:.2}", self.value)
                .trim_end_matches('0')
                .to_owned()
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct PollAnswerRecord {
    /// The hash of the voter's cookie token, as stored.
    pub voter: String,
    /// The answer as the API takes it.
    #[schema(value_type = Object)]
    pub answer: serde_json::Value,
    /// `shown`, `held` or `hidden`.
    pub status: String,
    #[serde(default)]
    pub automated: bool,
    #[serde(default)]
    pub discounted: bool,
    /// Hashes of the voters who up-voted it (open text).
    #[serde(default)]
    pub upvoters: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// The counts as lines of a label and a number.
pub fn tally_lines(poll: &Poll, results: &PollResults) -> Vec<TallyLine> {
    let line = |label: &str, value: f64| TallyLine {
        label: label.to_owned(),
        value,
    };
    let options = &poll.definition.options;
    match &results.counts {
        Counts::Choices {
            per_option, other, ..
        } => options
            .iter()
            .zip(per_option)
            .map(|(label, count)| line(label, *count as f64))
            .chain(other.map(|count| line("Other", count as f64)))
            .collect(),
        Counts::Rating(summary) => std::iter::once(line("average", summary.average.unwrap_or(0.0)))
            .chain(
                summary
                    .distribution
                    .iter()
                    .enumerate()
                    .map(|(at, count)| line(&(at + 1).to_string(), *count as f64)),
            )
            .collect(),
        Counts::Words(words) => words
            .iter()
            .take(WORDS_KEPT)
            .map(|(word, count)| line(word, *count as f64))
            .collect(),
        Counts::Ranking(scores) => options
            .iter()
            .zip(scores)
            .map(|(label, score)| line(label, *score as f64))
            .collect(),
        Counts::Texts(texts) => texts
            .iter()
            .filter(|text| !text.held)
            .map(|text| line(&text.text, f64::from(text.votes)))
            .collect(),
    }
}

/// The event's polls as records, in the order they were drafted.
pub fn records(conn: &mut DbConnection, event_id: i64) -> Result<Vec<PollRecord>, AppError> {
    let mut records = Vec::new();
    for row in db::polls::of_event(conn, event_id)? {
        let poll = Poll::from_row(row)?;
        let counted = db::poll_answers::of_poll(conn, poll.id)?;
        let tally = tally_lines(&poll, &results::count(&poll, &counted, false));
        let answers = db::poll_answers::for_backup(conn, poll.id)?
            .into_iter()
            .map(|(answer, upvoters)| PollAnswerRecord {
                voter: answer.voter_hash,
                answer: serde_json::from_str(&answer.answer).unwrap_or(serde_json::Value::Null),
                status: answer.status,
                automated: answer.automated,
                discounted: answer.discounted,
                upvoters,
                created_at: utc(answer.created_at),
                updated_at: utc(answer.updated_at),
            })
            .collect();
        let definition = &poll.definition;
        records.push(PollRecord {
            kind: definition.kind.as_str().to_owned(),
            prompt: definition.prompt.clone(),
            options: definition.options.clone(),
            multiple: definition.multiple,
            other: definition.other,
            scale: (definition.scale > 0).then_some(i64::from(definition.scale)),
            low_label: definition.low_label.clone(),
            high_label: definition.high_label.clone(),
            results: definition.results.as_str().to_owned(),
            banned_words: poll.banned_words.clone(),
            state: poll.state.as_str().to_owned(),
            revealed: poll.revealed,
            created_at: utc(poll.created_at),
            opened_at: poll.opened_at.map(utc),
            closed_at: poll.closed_at.map(utc),
            tally,
            answers,
        });
    }
    Ok(records)
}

/// A poll of a file, checked: its definition and its answers as stored.
pub struct CheckedPoll {
    definition: PollDefinition,
    answers: Vec<String>,
}

fn is_stored_hash(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// Checks every poll of a file as if it were drafted and answered anew; `Err` names the first
/// thing wrong.
pub fn check(records: &[PollRecord]) -> Result<Vec<CheckedPoll>, String> {
    records
        .iter()
        .enumerate()
        .map(|(at, record)| {
            let which = format!(
                "poll {} (“{}”)",
                at + 1,
                record.prompt.chars().take(40).collect::<String>()
            );
            let definition = PollDefinition::parse(&DraftPoll {
                kind: &record.kind,
                prompt: &record.prompt,
                options: &record.options,
                multiple: record.multiple,
                other: record.other,
                scale: record.scale,
                low_label: record.low_label.as_deref(),
                high_label: record.high_label.as_deref(),
                results: &record.results,
            })
            .map_err(|invalid| format!("{which}: {}: {}", invalid.field, invalid.message))?;
            if !matches!(record.state.as_str(), "draft" | "open" | "closed") {
                return Err(format!(
                    "{which}: the state `{}` is not draft, open or closed",
                    record.state
                ));
            }
            let answers = record
                .answers
                .iter()
                .map(|answer| {
                    if !is_stored_hash(&answer.voter) {
                        return Err(format!("{which}: a voter is not a stored hash"));
                    }
                    if ![SHOWN, HELD, HIDDEN].contains(&answer.status.as_str()) {
                        return Err(format!(
                            "{which}: an answer's status `{}` is unknown",
                            answer.status
                        ));
                    }
                    if answer.upvoters.iter().any(|voter| !is_stored_hash(voter)) {
                        return Err(format!("{which}: an up-voter is not a stored hash"));
                    }
                    let sent: AnswerInput = serde_json::from_value(answer.answer.clone())
                        .map_err(|_| format!("{which}: an answer is not an answer"))?;
                    let parsed = PollAnswer::parse(&definition, &sent.as_draft())
                        .map_err(|invalid| format!("{which}: an answer: {}", invalid.message))?;
                    Ok(parsed.to_stored())
                })
                .collect::<Result<Vec<_>, _>>()?;
            let mut voters: Vec<&str> = record
                .answers
                .iter()
                .map(|answer| answer.voter.as_str())
                .collect();
            voters.sort_unstable();
            voters.dedup();
            if voters.len() != record.answers.len() {
                return Err(format!("{which}: a voter answers twice"));
            }
            Ok(CheckedPoll {
                definition,
                answers,
            })
        })
        .collect()
}

/// Writes the checked polls of a file into the event, in the caller's transaction.
pub fn restore(
    conn: &mut DbConnection,
    event_id: i64,
    records: &[PollRecord],
    checked: &[CheckedPoll],
) -> Result<usize, AppError> {
    for (record, checked) in records.iter().zip(checked) {
        let definition = &checked.definition;
        let stored = StoredDefinition::of(definition)?;
        let banned = serde_json::to_string(&record.banned_words)
            .map_err(|error| AppError::internal("restoring banned words", error))?;
        let state = match record.state.as_str() {
            "open" => PollState::Open,
            "closed" => PollState::Closed,
            _ => PollState::Draft,
        };
        let poll_id = db::polls::restore(
            conn,
            &stored.row(definition, event_id, &banned, record.created_at.naive_utc()),
            &db::polls::RestoredState {
                state: state.as_str(),
                revealed: record.revealed,
                opened_at: record.opened_at.map(|at| at.naive_utc()),
                closed_at: record.closed_at.map(|at| at.naive_utc()),
            },
        )?;
        for (answer, stored) in record.answers.iter().zip(&checked.answers) {
            db::poll_answers::restore(
                conn,
                &db::poll_answers::RestoredAnswer {
                    poll_id,
                    voter_hash: &answer.voter,
                    answer: stored,
                    status: &answer.status,
                    automated: answer.automated,
                    discounted: answer.discounted,
                    upvoters: &answer.upvoters,
                    created_at: answer.created_at.naive_utc(),
                    updated_at: answer.updated_at.naive_utc(),
                },
            )?;
        }
    }
    Ok(records.len())
}
