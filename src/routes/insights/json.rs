//! Topics as the API gives them, and what it takes to change them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::insights::overview::Filter;
use crate::app::insights::summary::TopicSummary;
use crate::db::topics::GroupingRow;
use crate::domain::Invalid;
use crate::routes::api_types::utc;
use crate::web::extract::whole_number::{whole_number, whole_numbers};

#[derive(Deserialize, IntoParams, Default, Clone)]
pub struct TopicsQuery {
    /// Only questions asked (and searches last made) on or after this day, `YYYY-MM-DD`; another
    /// form is refused with 422.
    pub since: Option<String>,
    /// And before this day, `YYYY-MM-DD` (a digest's period ends there); another form is refused
    /// with 422.
    pub until: Option<String>,
    /// Only this event's questions, by slug.
    pub event: Option<String>,
    /// Only questions with a label of this name.
    pub label: Option<String>,
    /// `true` for hidden topics too (`false`, the default); anything else is refused with 422.
    pub hidden: Option<String>,
    /// `json` (the default) or `csv`; anything else is refused with 422.
    pub format: Option<String>,
}

impl TopicsQuery {
    pub fn filter(&self) -> Result<Filter, Invalid> {
        let blank = |value: &Option<String>| {
            value
                .as_deref()
                .map(str::trim)
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        };
        let day_of = |field: &'static str, value: &Option<String>| match blank(value) {
            Some(day) => chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| Invalid::new(field, "Give the day as YYYY-MM-DD.")),
            None => Ok(None),
        };
        let since = day_of("since", &self.since)?;
        let until = day_of("until", &self.until)?;
        let include_hidden = match blank(&self.hidden).as_deref() {
            None | Some("false") => false,
            Some("true") => true,
            Some(_) => return Err(Invalid::new("hidden", "Hidden is `true` or `false`.")),
        };
        Ok(Filter {
            since,
            until,
            event: blank(&self.event),
            label: blank(&self.label),
            include_hidden,
        })
    }
}

#[derive(Serialize, ToSchema)]
pub struct TopicEventJson {
    pub slug: String,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct RecordingMomentJson {
    pub question_id: i64,
    pub event: String,
    /// Seconds into the event's recording.
    pub seconds: i32,
}

#[derive(Serialize, ToSchema)]
pub struct DocsCoverJson {
    pub section_id: i64,
    pub title: String,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct CoverageJson {
    /// `faq`, `docs`, `recording` or `none`: the strongest cover it has.
    pub state: String,
    /// FAQ entries that answer it (their ids are their questions').
    pub faq_entries: Vec<i64>,
    /// The documentation section that answers its most voted question.
    pub docs: Option<DocsCoverJson>,
    /// Moments of recordings where it was answered.
    pub recording: Vec<RecordingMomentJson>,
}

#[derive(Serialize, ToSchema)]
pub struct TopicJson {
    pub id: i64,
    /// A moderator's name, else the title of what covers it, else its distinctive words.
    pub label: String,
    /// The words that set it apart from the other topics.
    pub words: String,
    pub hidden: bool,
    /// Listed in the docs report as something to write documentation for.
    pub docs_wanted: bool,
    pub questions: i64,
    /// Votes on its questions, automated bursts left out.
    pub votes: i64,
    /// The events it was asked at, oldest first.
    pub events: Vec<TopicEventJson>,
    /// Searches of the FAQ that found nothing.
    pub searches: i64,
    /// Open-text answers to polls, shown to everyone.
    pub poll_answers: i64,
    /// questions + votes + searches + poll answers: what it is ranked by.
    pub demand: i64,
    /// `new`, `rising`, `steady` or `fading`, over the last events.
    pub trend: String,
    /// Its questions at each of the last events, oldest first.
    pub trend_counts: Vec<u32>,
    pub coverage: CoverageJson,
    /// Demand with no answer anywhere.
    pub gap: bool,
    /// Answered, yet asked again (or searched for in vain) since.
    pub asked_again: bool,
    pub first_seen: Option<DateTime<Utc>>,
    pub last_seen: Option<DateTime<Utc>>,
    /// All its questions, most voted first.
    pub question_ids: Vec<i64>,
}

impl From<&TopicSummary> for TopicJson {
    fn from(topic: &TopicSummary) -> Self {
        Self {
            id: topic.id,
            label: topic.label.clone(),
            words: topic.words.clone(),
            hidden: topic.hidden,
            docs_wanted: topic.docs_wanted,
            questions: topic.questions,
            votes: topic.votes,
            events: topic
                .events
                .iter()
                .map(|event| TopicEventJson {
                    slug: event.slug.clone(),
                    title: event.title.clone(),
                })
                .collect(),
            searches: topic.searches,
            poll_answers: topic.poll_answers,
            demand: topic.demand,
            trend: topic.trend.as_str().to_owned(),
            trend_counts: topic.per_event.clone(),
            coverage: CoverageJson {
                state: topic.coverage.state().to_owned(),
                faq_entries: topic.coverage.faq_entries.clone(),
                docs: topic.coverage.docs.as_ref().map(|docs| DocsCoverJson {
                    section_id: docs.section_id,
                    title: docs.title.clone(),
                    url: docs.url.clone(),
                }),
                recording: topic
                    .coverage
                    .recording
                    .iter()
                    .map(|moment| RecordingMomentJson {
                        question_id: moment.question_id,
                        event: moment.event_slug.clone(),
                        seconds: moment.seconds,
                    })
                    .collect(),
            },
            gap: topic.is_gap(),
            asked_again: topic.asked_again,
            first_seen: topic.first_seen.map(utc),
            last_seen: topic.last_seen.map(utc),
            question_ids: topic.question_ids.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RegroupingJson {
    pub id: i64,
    /// `running`, `done` or `failed`.
    pub state: String,
    /// What questions were compared by: a model's tag, or `words`.
    pub basis: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub topics: i32,
    pub failure: Option<String>,
}

impl From<&GroupingRow> for RegroupingJson {
    fn from(row: &GroupingRow) -> Self {
        Self {
            id: row.id,
            state: row.state.clone(),
            basis: row.basis.clone(),
            started_at: utc(row.started_at),
            finished_at: row.finished_at.map(utc),
            topics: row.topic_count,
            failure: row.failure.clone(),
        }
    }
}

/// A change to a topic: set any of the fields.
#[derive(Deserialize, ToSchema)]
pub struct TopicChangeRequest {
    /// A name of 1 to 80 characters; an empty one gives the topic back its own words.
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub hidden: Option<bool>,
    /// List it in the docs report as something to write documentation for, or take it off.
    #[serde(default)]
    pub docs_wanted: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
pub struct TopicMergeRequest {
    /// The topic this one joins.
    #[serde(deserialize_with = "whole_number")]
    pub into: i64,
}

#[derive(Deserialize, ToSchema)]
pub struct TopicSplitRequest {
    /// Questions of the topic that become a topic of their own.
    #[serde(deserialize_with = "whole_numbers")]
    pub question_ids: Vec<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TopicMovedJson {
    /// The topic to look at now: the same, the one merged into, or the one split off.
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct TopicCarriedJson {
    /// How many of its questions moved.
    pub questions: usize,
    /// The slug of the event they moved to.
    pub event: String,
}

#[derive(Serialize, ToSchema)]
pub struct TopicDraftJson {
    /// The question the draft answers (unpublished until a moderator publishes it).
    pub question_id: i64,
    /// The slug of its event, whose dashboard has the draft.
    pub event: String,
}
