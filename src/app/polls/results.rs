//! A poll's results, counted from its answers: options picked, a rating's average and
//! distribution, a word cloud's words, a ranking's Borda scores, the shown open-text answers.
//! Discounted answers (automated bursts a moderator set aside) count for nothing; open-text
//! answers held for a moderator or hidden are not shown.

use crate::app::polls::Poll;
use crate::db::poll_answers::AnswerRow;
use crate::domain::{
    borda_scores, rating_summary, tally_choices, word_counts, PollAnswer, PollKind, RatingSummary,
};

/// Held for a moderator (open text when the event pre-moderates).
pub const HELD: &str = "held";
pub const SHOWN: &str = "shown";
pub const HIDDEN: &str = "hidden";

#[derive(Debug, Clone, PartialEq)]
pub struct PollResults {
    /// Answers that count.
    pub answers: u64,
    pub counts: Counts,
    /// Answers flagged as part of a burst from one network and still counted.
    pub automated: u64,
    /// Flagged answers a moderator set aside.
    pub discounted: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Counts {
    /// Per option in order, then "Other" when the poll takes answers of their own; with those
    /// answers' texts (for moderators).
    Choices {
        per_option: Vec<u64>,
        other: Option<u64>,
        other_texts: Vec<String>,
    },
    Rating(RatingSummary),
    Words(Vec<(String, u64)>),
    Ranking(Vec<u64>),
    Texts(Vec<ShownText>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShownText {
    pub answer_id: i64,
    pub text: String,
    pub votes: i32,
    /// Waiting for a moderator: listed to moderators only.
    pub held: bool,
}

/// Counts the answers of `poll`. Held and hidden open-text answers are listed only when
/// `for_moderators`.
pub fn count(poll: &Poll, rows: &[AnswerRow], for_moderators: bool) -> PollResults {
    let counted: Vec<(&AnswerRow, PollAnswer)> = rows
        .iter()
        .filter(|row| !row.discounted)
        .filter_map(|row| PollAnswer::from_stored(&row.answer).map(|answer| (row, answer)))
        .collect();
    let definition = &poll.definition;
    let options = definition.options.len();
    let counts = match definition.kind {
        PollKind::Choice => {
            let picked: Vec<&[usize]> = counted
                .iter()
                .filter_map(|(_, answer)| match answer {
                    PollAnswer::Choices { picked, .. } => Some(picked.as_slice()),
                    _ => None,
                })
                .collect();
            let other_texts: Vec<String> = counted
                .iter()
                .filter_map(|(_, answer)| match answer {
                    PollAnswer::Choices {
                        other: Some(text), ..
                    } => Some(text.clone()),
                    _ => None,
                })
                .collect();
            Counts::Choices {
                per_option: tally_choices(options, picked),
                other: definition.other.then_some(other_texts.len() as u64),
                other_texts: if for_moderators {
                    other_texts
                } else {
                    Vec::new()
                },
            }
        }
        PollKind::Rating => Counts::Rating(rating_summary(
            definition.scale,
            counted.iter().filter_map(|(_, answer)| match answer {
                PollAnswer::Rating(rating) => Some(*rating),
                _ => None,
            }),
        )),
        PollKind::Words => Counts::Words(word_counts(
            counted.iter().filter_map(|(_, answer)| match answer {
                PollAnswer::Words(words) => Some(words.as_slice()),
                _ => None,
            }),
            &poll.banned_words,
        )),
        PollKind::Ranking => Counts::Ranking(borda_scores(
            options,
            counted.iter().filter_map(|(_, answer)| match answer {
                PollAnswer::Ranking(order) => Some(order.as_slice()),
                _ => None,
            }),
        )),
        PollKind::Text => {
            let mut texts: Vec<ShownText> = counted
                .iter()
                .filter(|(row, _)| row.status == SHOWN || (for_moderators && row.status == HELD))
                .filter_map(|(row, answer)| match answer {
                    PollAnswer::Text(text) => Some(ShownText {
                        answer_id: row.id,
                        text: text.clone(),
                        votes: row.votes,
                        held: row.status == HELD,
                    }),
                    _ => None,
                })
                .collect();
            texts.sort_by(|a, b| b.votes.cmp(&a.votes).then(a.answer_id.cmp(&b.answer_id)));
            Counts::Texts(texts)
        }
    };
    let answers = counted
        .iter()
        .filter(|(row, _)| for_moderators || poll.kind() != PollKind::Text || row.status == SHOWN)
        .count() as u64;
    PollResults {
        answers,
        counts,
        automated: rows
            .iter()
            .filter(|row| row.automated && !row.discounted)
            .count() as u64,
        discounted: rows.iter().filter(|row| row.discounted).count() as u64,
    }
}
