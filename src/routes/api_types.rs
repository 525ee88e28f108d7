//! The JSON shapes of the public API: a contract other tools rely on.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::events::listing::EventSummary;
use crate::app::events::page::ListedQuestion;
use crate::domain::{EventStatus, QuestionStatus};

pub fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

#[derive(Serialize, ToSchema)]
pub struct EventJson {
    pub slug: String,
    pub title: String,
    pub status: EventStatus,
    pub starts_at: Option<DateTime<Utc>>,
    /// Questions the public sees (approved or answered).
    pub question_count: i64,
}

impl From<EventSummary> for EventJson {
    fn from(summary: EventSummary) -> Self {
        Self {
            slug: summary.event.slug,
            title: summary.event.title,
            status: summary.event.status,
            starts_at: summary.event.starts_at.map(utc),
            question_count: summary.question_count,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct QuestionJson {
    pub id: i64,
    pub body: String,
    pub author_name: Option<String>,
    pub status: QuestionStatus,
    pub vote_count: i32,
    /// Whether the voter of this request has voted for it.
    pub voted: bool,
    pub created_at: DateTime<Utc>,
}

impl From<ListedQuestion> for QuestionJson {
    fn from(listed: ListedQuestion) -> Self {
        let question = listed.question;
        Self {
            id: question.id,
            body: question.body,
            author_name: question.author_name,
            status: question.status,
            vote_count: question.vote_count,
            voted: listed.voted,
            created_at: utc(question.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct AskRequest {
    /// 10 to 1,000 characters once white space is normalised (runs become one space, the ends
    /// are trimmed); no control characters. Breaking that is 422.
    #[schema(min_length = 10, max_length = 1000)]
    pub body: String,
    /// At most 60 characters; null or empty for anonymous.
    #[serde(default)]
    #[schema(max_length = 60)]
    pub author_name: Option<String>,
    /// An address to email when the question is answered, merged or not taken: it is sent a
    /// link to confirm first, and forgotten once nothing more will be sent. 422 when it is not
    /// an address, or when this server sends no mail.
    #[serde(default)]
    #[schema(max_length = 254)]
    pub notify_email: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AskResponse {
    pub id: i64,
    pub status: QuestionStatus,
    /// The private link where the asker follows the question. Shown once.
    pub follow_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct VoteResponse {
    /// The question whose count this is (the canonical one when the question was merged).
    pub id: i64,
    pub vote_count: i32,
    pub voted: bool,
}

#[derive(Serialize, ToSchema)]
pub struct FollowEventJson {
    pub slug: String,
    pub title: String,
    pub status: EventStatus,
}

#[derive(Serialize, ToSchema)]
pub struct FollowResponse {
    pub id: i64,
    pub body: String,
    pub author_name: Option<String>,
    pub status: QuestionStatus,
    /// Why moderators did not take it, when rejected.
    pub reject_reason: Option<String>,
    pub merged_into: Option<i64>,
    pub vote_count: i32,
    pub created_at: DateTime<Utc>,
    pub event: FollowEventJson,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SortQuery {
    /// `top` (most votes first, the default) or `new`; anything else is 422
    #[param(pattern = "^(top|new)?$")]
    pub sort: Option<String>,
}
