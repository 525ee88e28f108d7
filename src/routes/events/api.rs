//! The moderator API for events: create, change settings and status, carry questions over.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;

use crate::app::events::export::{self, EventExport};
use crate::app::events::lifecycle::{self, EventChanges, NewEventInput};
use crate::app::events::listing;
use crate::app::events::{carry_over, export_csv};
use crate::db::events::Event;
use crate::domain::{EventSlug, EventStatus, EventTitle, Invalid, LabelName};
use crate::error::AppError;
use crate::routes::api_types::utc;
use crate::routes::events::admin::parse_start;
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::extract::export_format::wants_csv;
use crate::web::extract::json_object::JsonObject;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::post(
            "/api/v1/events",
            Access::Moderator,
            web::to(create_event_api),
        ),
        RouteSpec::patch(
            "/api/v1/events/{slug}",
            Access::Moderator,
            web::to(update_event_api),
        ),
        RouteSpec::post(
            "/api/v1/events/{slug}/carry-over",
            Access::Moderator,
            web::to(carry_over_api),
        ),
        RouteSpec::get(
            "/api/v1/events/{slug}/export",
            Access::Moderator,
            web::to(export_api),
        ),
    ]
}

/// An event with everything organisers set.
#[derive(Serialize, ToSchema)]
pub struct EventDetailJson {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub status: EventStatus,
    pub starts_at: Option<DateTime<Utc>>,
    pub premoderation: bool,
    pub recording_url: Option<String>,
    pub labels: Vec<String>,
    pub created_at: DateTime<Utc>,
}

impl EventDetailJson {
    fn new(event: Event, labels: Vec<String>) -> Self {
        Self {
            slug: event.slug,
            title: event.title,
            description: event.description,
            status: event.status,
            starts_at: event.starts_at.map(utc),
            premoderation: event.premoderation,
            recording_url: event.recording_url,
            labels,
            created_at: utc(event.created_at),
        }
    }
}

async fn detail(state: &AppState, event: Event) -> Result<EventDetailJson, AppError> {
    let labels = listing::event_labels(&state.db, event.id).await?;
    Ok(EventDetailJson::new(event, labels))
}

#[derive(Deserialize, ToSchema)]
pub struct CreateEventRequest {
    /// Lower-case letters, digits and single hyphens: the event's address, /e/{slug}.
    #[schema(min_length = 2, max_length = 64, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub slug: String,
    /// 1 to 120 characters once trimmed.
    #[schema(min_length = 1, max_length = 120)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// RFC 3339, e.g. `2026-12-03T17:00:00Z`.
    #[serde(default)]
    pub starts_at: Option<String>,
    #[serde(default)]
    pub premoderation: bool,
    #[serde(default)]
    pub recording_url: Option<String>,
    #[serde(default)]
    pub labels: Vec<String>,
    /// `open` unless said otherwise; `draft` prepares it out of the public's sight.
    #[serde(default)]
    #[schema(value_type = Option<EventStatus>)]
    pub status: Option<String>,
    /// Start by asking what people want from the session: a choice of format (with room for
    /// their own idea) and an open question, both open at once.
    #[serde(default)]
    pub ask_around: bool,
}

fn parse_status(raw: &str) -> Result<EventStatus, Invalid> {
    raw.parse()
        .map_err(|message: String| Invalid::new("status", message))
}

fn parse_recording(raw: Option<&str>) -> Result<Option<url::Url>, Invalid> {
    raw.map(str::trim)
        .filter(|url| !url.is_empty())
        .map(lifecycle::parse_recording_url)
        .transpose()
}

impl CreateEventRequest {
    fn parse(&self) -> Result<NewEventInput, Invalid> {
        Ok(NewEventInput {
            slug: EventSlug::parse(&self.slug)?,
            title: EventTitle::parse(&self.title)?,
            description: self.description.clone(),
            starts_at: parse_start(self.starts_at.as_deref().unwrap_or_default())?,
            premoderation: self.premoderation,
            recording_url: parse_recording(self.recording_url.as_deref())?,
            labels: LabelName::parse_event_each(self.labels.iter().map(String::as_str))?,
            status: self
                .status
                .as_deref()
                .map(parse_status)
                .transpose()?
                .unwrap_or(EventStatus::Open),
        })
    }
}

/// Creates an event.
#[utoipa::path(
    post, tag = "events", path = "/api/v1/events",
    request_body = CreateEventRequest,
    security(("bearer" = [])),
    responses((status = 201, body = EventDetailJson), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn create_event_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    body: JsonObject<CreateEventRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let input = body.parse().map_err(AppError::from)?;
    let event = lifecycle::create_event_by(&state.db, Some(me.0.id), input).await?;
    if body.ask_around {
        crate::app::polls::starter::start_asking_around(
            &state.db,
            &state.bus,
            Some(me.0.id),
            event.id,
            state.clock.now(),
        )
        .await?;
    }
    Ok(HttpResponse::Created().json(detail(&state, event).await?))
}

/// `null` and absent are different in a PATCH: absent leaves a setting alone, `null` clears it.
pub(crate) fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateEventRequest {
    /// 1 to 120 characters once trimmed.
    #[serde(default)]
    #[schema(min_length = 1, max_length = 120)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// RFC 3339; `null` removes the date.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub starts_at: Option<Option<String>>,
    #[serde(default)]
    pub premoderation: Option<bool>,
    /// `null` removes the link.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub recording_url: Option<Option<String>>,
    /// The event's whole set of labels; labels left out are taken off its questions.
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    /// draft, open, live, closed or archived.
    #[serde(default)]
    #[schema(value_type = Option<EventStatus>)]
    pub status: Option<String>,
}

impl UpdateEventRequest {
    fn parse(&self) -> Result<EventChanges, Invalid> {
        Ok(EventChanges {
            title: self.title.as_deref().map(EventTitle::parse).transpose()?,
            description: self.description.clone(),
            starts_at: self
                .starts_at
                .as_ref()
                .map(|start| parse_start(start.as_deref().unwrap_or_default()))
                .transpose()?,
            premoderation: self.premoderation,
            recording_url: self
                .recording_url
                .as_ref()
                .map(|url| parse_recording(url.as_deref()))
                .transpose()?,
            labels: self
                .labels
                .as_ref()
                .map(|names| LabelName::parse_event_each(names.iter().map(String::as_str)))
                .transpose()?,
            status: self.status.as_deref().map(parse_status).transpose()?,
        })
    }
}

/// Changes an event's settings, labels or status; only the fields sent change.
#[utoipa::path(
    patch, tag = "events", path = "/api/v1/events/{slug}",
    params(("slug" = String, Path)),
    request_body = UpdateEventRequest,
    security(("bearer" = [])),
    responses((status = 200, body = EventDetailJson), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn update_event_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    slug: web::Path<String>,
    body: JsonObject<UpdateEventRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let changes = body.parse().map_err(AppError::from)?;
    let event = lifecycle::update_event(&state.db, &state.bus, me.0.id, &slug, changes).await?;
    Ok(HttpResponse::Ok().json(detail(&state, event).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct CarryOverRequest {
    /// The slug of the event that takes the questions (draft, open or live).
    #[schema(min_length = 2, max_length = 64, pattern = "^[a-z0-9]+(-[a-z0-9]+)*$")]
    pub to: String,
}

#[derive(Serialize, ToSchema)]
pub struct CarryOverResponse {
    /// Approved, unanswered questions moved, with their votes.
    pub carried_over: usize,
    pub to: String,
}

/// Moves an event's approved, unanswered questions (with their votes) to another event.
#[utoipa::path(
    post, tag = "events", path = "/api/v1/events/{slug}/carry-over",
    params(("slug" = String, Path)),
    request_body = CarryOverRequest,
    security(("bearer" = [])),
    responses((status = 200, body = CarryOverResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody))
)]
pub async fn carry_over_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    slug: web::Path<String>,
    body: JsonObject<CarryOverRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let moved =
        carry_over::carry_over(&state.db, &state.bus, me.0.id, &slug, body.to.trim()).await?;
    Ok(HttpResponse::Ok().json(CarryOverResponse {
        carried_over: moved.questions,
        to: moved.to_slug,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `json` (everything, restorable with `faqtory import`; the default) or `csv` (one row per
    /// question, for a spreadsheet); anything else is 422.
    #[serde(default)]
    #[param(pattern = "^(json|csv)?$")]
    pub format: Option<String>,
    /// With `format=csv`: `questions` (the default) or `polls` (a row per count of each poll).
    #[serde(default)]
    #[param(pattern = "^(questions|polls)?$")]
    pub part: Option<String>,
}

/// Every question of an event with its status, votes, labels, answer and recording link.
#[utoipa::path(
    get, tag = "events", path = "/api/v1/events/{slug}/export",
    params(("slug" = String, Path), ExportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "JSON by default, CSV with `format=csv`",
            content((EventExport = "application/json"), (String = "text/csv"))),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
pub async fn export_api(
    state: Data,
    _me: CurrentModerator,
    slug: web::Path<String>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = wants_csv(query.format.as_deref()).map_err(AppError::from)?;
    let polls = match query.part.as_deref() {
        None | Some("" | "questions") => false,
        Some("polls") => true,
        Some(_) => {
            return Err(
                AppError::from(Invalid::new("part", "The part is `questions` or `polls`.")).into(),
            )
        }
    };
    let export = export::export_event(&state.db, &slug).await?;
    let filename = format!(
        "attachment; filename=\"{}{}.{}\"",
        export.event.slug,
        if csv && polls { "-polls" } else { "" },
        if csv { "csv" } else { "json" }
    );
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_DISPOSITION, filename))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    Ok(if csv {
        response
            .content_type("text/csv; charset=utf-8")
            .body(if polls {
                export_csv::polls_to_csv(&export)
            } else {
                export_csv::to_csv(&export)
            })
    } else {
        response.json(export)
    })
}
