//! The insights digest over the API: the calling moderator's own request (address and period),
//! set, read and stopped, and the digests told so far.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::insights::digest::{self, Recorded};
use crate::app::insights::digest_readers::{self, parse_request, DigestRequest};
use crate::app::outreach::digest_news::DigestTopic;
use crate::domain::Invalid;
use crate::error::AppError;
use crate::routes::api_types::utc;
use crate::routes::insights::sources;
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::extract::json_object::JsonObject;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::AppState;

type Data = web::Data<AppState>;

/// Digests the API lists, newest first.
const LISTED_DIGESTS: i64 = 20;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get(
            "/api/v1/insights/digest",
            Access::Moderator,
            web::to(my_digest),
        ),
        RouteSpec::put(
            "/api/v1/insights/digest",
            Access::Moderator,
            web::to(ask_for_digest),
        ),
        RouteSpec::delete(
            "/api/v1/insights/digest",
            Access::Moderator,
            web::to(stop_digest),
        ),
        RouteSpec::get(
            "/api/v1/insights/digests",
            Access::Moderator,
            web::to(list_digests),
        ),
    ]
}

/// A moderator's digest by mail.
#[derive(Serialize, ToSchema)]
pub struct DigestRequestJson {
    /// Where the digest goes; `null` when the moderator asked for none.
    pub email: Option<String>,
    /// `week` or `month`; `null` when the moderator asked for none.
    pub period: Option<String>,
    /// Whether this site sends mail at all.
    pub mail: bool,
}

impl DigestRequestJson {
    fn of(request: Option<DigestRequest>, mail: bool) -> Self {
        Self {
            email: request.as_ref().map(|request| request.email.clone()),
            period: request.map(|request| request.period.as_str().to_owned()),
            mail,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct DigestRequestBody {
    /// The address the digest goes to.
    pub email: String,
    /// `week` (Monday to Monday, UTC) or `month`.
    pub period: String,
}

#[derive(Serialize, ToSchema)]
pub struct DigestTopicJson {
    pub id: i64,
    pub label: String,
    pub questions: i64,
    pub votes: i64,
    pub searches: i64,
    pub demand: i64,
    /// `new`, `rising`, `steady` or `fading`, over the last events.
    pub trend: String,
    /// `faq`, `docs`, `recording` or `none`.
    pub coverage: String,
}

impl From<&DigestTopic> for DigestTopicJson {
    fn from(topic: &DigestTopic) -> Self {
        Self {
            id: topic.id,
            label: topic.label.clone(),
            questions: topic.questions,
            votes: topic.votes,
            searches: topic.searches,
            demand: topic.demand,
            trend: topic.trend.clone(),
            coverage: topic.coverage.clone(),
        }
    }
}

/// One period's digest, as told.
#[derive(Serialize, ToSchema)]
pub struct DigestJson {
    pub title: String,
    /// `week` or `month`.
    pub period: String,
    /// Its first day, `YYYY-MM-DD`.
    pub starts_on: String,
    /// The day after its last.
    pub ends_on: String,
    pub questions: i64,
    pub searches: i64,
    pub poll_answers: i64,
    /// Ranked by demand in the period.
    pub top: Vec<DigestTopicJson>,
    /// Demand in the period, and no answer anywhere.
    pub gaps: Vec<DigestTopicJson>,
    /// Asked in the period, and rising or new over the last events.
    pub rising: Vec<DigestTopicJson>,
    /// Whether it was mailed and sent to webhooks (a period nobody asked in is only recorded).
    pub sent: bool,
    pub created_at: DateTime<Utc>,
}

impl From<&Recorded> for DigestJson {
    fn from(recorded: &Recorded) -> Self {
        let news = &recorded.news;
        let list = |topics: &[DigestTopic]| topics.iter().map(DigestTopicJson::from).collect();
        Self {
            title: news.title(),
            period: news.period.as_str().to_owned(),
            starts_on: news.starts_on.format("%Y-%m-%d").to_string(),
            ends_on: news.ends_on.format("%Y-%m-%d").to_string(),
            questions: news.questions,
            searches: news.searches,
            poll_answers: news.poll_answers,
            top: list(&news.top),
            gaps: list(&news.gaps),
            rising: list(&news.rising),
            sent: recorded.sent,
            created_at: utc(recorded.created_at),
        }
    }
}

/// The calling moderator's digest by mail, if they asked for one.
#[utoipa::path(
    get, tag = "insights", path = "/api/v1/insights/digest",
    security(("bearer" = [])),
    responses((status = 200, body = DigestRequestJson), (status = 401, body = ErrorBody))
)]
pub(crate) async fn my_digest(state: Data, me: CurrentModerator) -> Result<HttpResponse, ApiError> {
    let request = digest_readers::of_moderator(&state.db, me.0.id).await?;
    Ok(HttpResponse::Ok().json(DigestRequestJson::of(request, state.offers_mail)))
}

/// Asks for the digest by mail each week or month (replacing the address and period given
/// before). Refused with 422 when the site sends no mail: site-wide webhooks of `digest.weekly`
/// and `digest.monthly` get it all the same.
#[utoipa::path(
    put, tag = "insights", path = "/api/v1/insights/digest",
    request_body = DigestRequestBody,
    security(("bearer" = [])),
    responses(
        (status = 200, body = DigestRequestJson), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`email` or `period` cannot be used"),
    )
)]
pub(crate) async fn ask_for_digest(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    body: JsonObject<DigestRequestBody>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    if !state.offers_mail {
        return Err(AppError::from(no_mail()).into());
    }
    let (email, period) = parse_request(&body.email, &body.period).map_err(AppError::from)?;
    let request = digest_readers::subscribe(&state.db, me.0.id, email, period).await?;
    Ok(HttpResponse::Ok().json(DigestRequestJson::of(Some(request), true)))
}

pub(crate) fn no_mail() -> Invalid {
    Invalid::new(
        "email",
        "This site sends no mail (FAQTORY_SMTP_URL is not set). Webhooks of digest.weekly or \
         digest.monthly get the digest all the same.",
    )
}

/// Stops the calling moderator's digest by mail (whether or not they asked for one).
#[utoipa::path(
    delete, tag = "insights", path = "/api/v1/insights/digest",
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody))
)]
pub(crate) async fn stop_digest(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    digest_readers::unsubscribe(&state.db, me.0.id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The latest digests told (or only recorded, when nothing was asked in their period), newest
/// first.
#[utoipa::path(
    get, tag = "insights", path = "/api/v1/insights/digests",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<DigestJson>), (status = 401, body = ErrorBody))
)]
pub(crate) async fn list_digests(state: Data) -> Result<HttpResponse, ApiError> {
    let recorded = digest::recent(&sources(&state), LISTED_DIGESTS).await?;
    Ok(HttpResponse::Ok().json(recorded.iter().map(DigestJson::from).collect::<Vec<_>>()))
}
