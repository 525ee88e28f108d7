//! Polls and their results as the API gives them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::polls::answering::AnswerInput;
use crate::app::polls::reading::PollView;
use crate::app::polls::results::{Counts, PollResults};
use crate::app::polls::Poll;
use crate::domain::PollAnswer;
use crate::routes::api_types::utc;

#[derive(Deserialize, ToSchema)]
pub struct CreatePollRequest {
    /// `choice`, `rating`, `words`, `text` or `ranking`.
    pub kind: String,
    /// 3 to 300 characters.
    pub prompt: String,
    /// A choice or ranking poll's options, 2 to 10, each 1 to 80 characters.
    #[serde(default)]
    pub options: Vec<String>,
    /// A choice poll where several options may be picked.
    #[serde(default)]
    pub multiple: bool,
    /// A choice poll that also takes a short answer of the participant's own ("Other").
    #[serde(default)]
    pub other: bool,
    /// A rating's top: 5 (the default) or 10.
    #[serde(default)]
    pub scale: Option<i64>,
    /// What the low end of a rating's scale means.
    #[serde(default)]
    pub low_label: Option<String>,
    /// What the high end of a rating's scale means.
    #[serde(default)]
    pub high_label: Option<String>,
    /// When participants see results: `live` (the default), `after_answer` or `on_reveal`.
    #[serde(default)]
    pub results: Option<String>,
    /// Words a word cloud leaves out (besides common stop words).
    #[serde(default)]
    pub banned_words: Vec<String>,
}

/// An answer: the one field the poll's kind reads.
#[derive(Deserialize, ToSchema, Default)]
pub struct PollAnswerRequest {
    /// A choice poll: the picked options' positions, from 0.
    #[serde(default)]
    pub choices: Option<Vec<i64>>,
    /// A choice poll that takes one: an answer of the participant's own, 1 to 80 characters.
    #[serde(default)]
    pub other: Option<String>,
    /// A rating poll: 1 to the poll's scale.
    #[serde(default)]
    pub rating: Option<i64>,
    /// A word cloud: one to three words or short phrases.
    #[serde(default)]
    pub words: Option<Vec<String>>,
    /// An open-text poll: 1 to 500 characters.
    #[serde(default)]
    pub text: Option<String>,
    /// A ranking poll: every option's position, most preferred first.
    #[serde(default)]
    pub ranking: Option<Vec<i64>>,
}

impl PollAnswerRequest {
    pub fn into_input(self) -> AnswerInput {
        AnswerInput {
            choices: self.choices,
            other: self.other,
            rating: self.rating,
            words: self.words,
            text: self.text,
            ranking: self.ranking,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct BannedWordsRequest {
    pub words: Vec<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct DiscountRequest {
    /// `true` sets the poll's automated answers aside; `false` counts them again.
    pub discounted: bool,
}

#[derive(Serialize, ToSchema)]
pub struct PollJson {
    pub id: i64,
    pub kind: String,
    pub prompt: String,
    pub options: Vec<String>,
    pub multiple: bool,
    pub other: bool,
    /// A rating's top (5 or 10); 0 for other kinds.
    pub scale: u8,
    pub low_label: Option<String>,
    pub high_label: Option<String>,
    /// When participants see results: `live`, `after_answer` or `on_reveal`.
    pub results: String,
    /// `draft`, `open` or `closed`.
    pub state: String,
    pub revealed: bool,
    pub banned_words: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// The caller's own answer, in the shape it was sent.
    #[schema(value_type = Option<Object>)]
    pub mine: Option<serde_json::Value>,
    /// The results, while the caller may see them.
    pub tally: Option<PollResultsJson>,
}

impl PollJson {
    pub fn new(view: &PollView) -> Self {
        let mut json = Self::of_poll(&view.poll);
        json.mine = view.mine.as_ref().map(answer_json);
        json.tally = view
            .results
            .as_ref()
            .map(|results| PollResultsJson::new(&view.poll, results, &view.upvoted));
        json
    }

    pub fn of_poll(poll: &Poll) -> Self {
        let definition = &poll.definition;
        Self {
            id: poll.id,
            kind: definition.kind.as_str().into(),
            prompt: definition.prompt.clone(),
            options: definition.options.clone(),
            multiple: definition.multiple,
            other: definition.other,
            scale: definition.scale,
            low_label: definition.low_label.clone(),
            high_label: definition.high_label.clone(),
            results: definition.results.as_str().into(),
            state: poll.state.as_str().into(),
            revealed: poll.revealed,
            banned_words: poll.banned_words.clone(),
            created_at: utc(poll.created_at),
            opened_at: poll.opened_at.map(utc),
            closed_at: poll.closed_at.map(utc),
            mine: None,
            tally: None,
        }
    }
}

/// An answer as the API takes it.
pub fn answer_json(answer: &PollAnswer) -> serde_json::Value {
    serde_json::from_str(&answer.to_stored()).unwrap_or(serde_json::Value::Null)
}

#[derive(Serialize, ToSchema)]
pub struct OptionResultJson {
    pub label: String,
    /// A choice poll: how many picked it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// A ranking poll: its Borda score (in a ranking of n options the first gets n − 1 points).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<u64>,
    /// The "Other" of a choice poll that takes answers of the participant's own.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub other: bool,
}

#[derive(Serialize, ToSchema)]
pub struct WordCountJson {
    pub word: String,
    pub count: u64,
}

#[derive(Serialize, ToSchema)]
pub struct TextAnswerJson {
    pub id: i64,
    pub text: String,
    pub votes: i32,
    /// Waiting for a moderator (moderators only see these).
    pub held: bool,
    /// The caller has up-voted it.
    pub upvoted: bool,
}

/// A poll's results; the fields present depend on its kind.
#[derive(Serialize, ToSchema)]
pub struct PollResultsJson {
    pub poll_id: i64,
    pub kind: String,
    /// Answers that count.
    pub answers: u64,
    /// choice: `{"label", "count"}` per option in order (then "Other"); ranking:
    /// `{"label", "score"}` per option in order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub options: Option<Vec<OptionResultJson>>,
    /// rating: the average, `null` before the first answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub average: Option<Option<f64>>,
    /// rating: how many gave each rating, from 1 to the scale's top.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Vec<u64>>,
    /// words: each folded word with its count, most frequent first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<WordCountJson>>,
    /// text: the shown answers, most up-voted first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub texts: Option<Vec<TextAnswerJson>>,
    /// choice, to moderators: the answers given under "Other".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other_texts: Option<Vec<String>>,
}

impl PollResultsJson {
    pub fn new(poll: &Poll, results: &PollResults, upvoted: &[i64]) -> Self {
        let labels = &poll.definition.options;
        let mut json = Self {
            poll_id: poll.id,
            kind: poll.kind().as_str().into(),
            answers: results.answers,
            options: None,
            average: None,
            distribution: None,
            words: None,
            texts: None,
            other_texts: None,
        };
        match &results.counts {
            Counts::Choices {
                per_option,
                other,
                other_texts,
            } => {
                let mut options: Vec<OptionResultJson> = labels
                    .iter()
                    .zip(per_option)
                    .map(|(label, count)| OptionResultJson {
                        label: label.clone(),
                        count: Some(*count),
                        score: None,
                        other: false,
                    })
                    .collect();
                if let Some(count) = other {
                    options.push(OptionResultJson {
                        label: "Other".into(),
                        count: Some(*count),
                        score: None,
                        other: true,
                    });
                }
                json.options = Some(options);
                json.other_texts = (!other_texts.is_empty()).then(|| other_texts.clone());
            }
            Counts::Rating(summary) => {
                json.average = Some(summary.average);
                json.distribution = Some(summary.distribution.clone());
            }
            Counts::Words(words) => {
                json.words = Some(
                    words
                        .iter()
                        .map(|(word, count)| WordCountJson {
                            word: word.clone(),
                            count: *count,
                        })
                        .collect(),
                );
            }
            Counts::Ranking(scores) => {
                json.options = Some(
                    labels
                        .iter()
                        .zip(scores)
                        .map(|(label, score)| OptionResultJson {
                            label: label.clone(),
                            count: None,
                            score: Some(*score),
                            other: false,
                        })
                        .collect(),
                );
            }
            Counts::Texts(texts) => {
                json.texts = Some(
                    texts
                        .iter()
                        .map(|text| TextAnswerJson {
                            id: text.answer_id,
                            text: text.text.clone(),
                            votes: text.votes,
                            held: text.held,
                            upvoted: upvoted.contains(&text.answer_id),
                        })
                        .collect(),
                );
            }
        }
        json
    }
}

#[derive(Serialize, ToSchema)]
pub struct AnsweredJson {
    pub poll_id: i64,
    /// The answer as recorded (tidied: white space collapsed, options in order).
    #[schema(value_type = Object)]
    pub answer: serde_json::Value,
    /// Waiting for a moderator before anyone sees it.
    pub held: bool,
    /// It replaced this voter's earlier answer.
    pub replaced: bool,
}

#[derive(Serialize, ToSchema)]
pub struct UpvotedJson {
    pub id: i64,
    pub votes: i32,
}
