//! Moderators create events, edit their settings and move them through their life, in the browser.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDateTime};
use serde::Deserialize;

use crate::app::events::carry_over;
use crate::app::events::lifecycle::{self, EventChanges, NewEventInput};
use crate::app::events::listing;
use crate::app::live::presenter;
use crate::db::events::Event;
use crate::domain::{EventSlug, EventStatus, EventTitle, Invalid, LabelName};
use crate::error::AppError;
use crate::views::events::event_settings::{event_settings_page, CarryOverOffer, EventFormValues};
use crate::views::live::presenter::presenter_settings;
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{expired_form, html, see_other};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

/// The session key under which a new presenter link waits for the settings page that shows it
/// once (only its hash is stored).
pub(crate) const NEW_PRESENTER_LINK: &str = "new_presenter_link";

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/mod/events/new", Access::Moderator, web::to(new_event)),
        RouteSpec::post("/mod/events", Access::Moderator, web::to(create)),
        RouteSpec::get(
            "/mod/e/{slug}/settings",
            Access::Moderator,
            web::to(settings),
        ),
        RouteSpec::post(
            "/mod/e/{slug}/settings",
            Access::Moderator,
            web::to(save_settings),
        ),
        RouteSpec::post(
            "/mod/e/{slug}/status",
            Access::Moderator,
            web::to(change_status),
        ),
        RouteSpec::post(
            "/mod/e/{slug}/carry-over",
            Access::Moderator,
            web::to(carry_over_questions),
        ),
    ]
}

#[derive(Deserialize)]
struct EventForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    slug: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    starts_at: String,
    premoderation: Option<String>,
    #[serde(default)]
    recording_url: String,
    #[serde(default)]
    labels: String,
    ask_around: Option<String>,
}

impl EventForm {
    fn values(&self, error: Option<Invalid>) -> EventFormValues {
        EventFormValues {
            slug: self.slug.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            starts_at: self.starts_at.clone(),
            premoderation: self.premoderation.is_some(),
            recording_url: self.recording_url.clone(),
            labels: self.labels.clone(),
            ask_around: self.ask_around.is_some(),
            error: error.map(|invalid| (invalid.field, invalid.message)),
        }
    }

    /// Every setting the form holds (it does not move the event: the status buttons do).
    fn changes(&self) -> Result<EventChanges, Invalid> {
        Ok(EventChanges {
            title: Some(EventTitle::parse(&self.title)?),
            description: Some(self.description.clone()),
            starts_at: Some(parse_start(&self.starts_at)?),
            premoderation: Some(self.premoderation.is_some()),
            recording_url: Some(
                Some(self.recording_url.trim())
                    .filter(|url| !url.is_empty())
                    .map(lifecycle::parse_recording_url)
                    .transpose()?,
            ),
            labels: Some(LabelName::parse_event_list(&self.labels)?),
            status: None,
        })
    }

    fn new_event(&self) -> Result<NewEventInput, Invalid> {
        Ok(NewEventInput {
            slug: EventSlug::parse(&self.slug)?,
            title: EventTitle::parse(&self.title)?,
            description: self.description.clone(),
            starts_at: parse_start(&self.starts_at)?,
            premoderation: self.premoderation.is_some(),
            recording_url: Some(self.recording_url.trim())
                .filter(|url| !url.is_empty())
                .map(lifecycle::parse_recording_url)
                .transpose()?,
            labels: LabelName::parse_event_list(&self.labels)?,
            status: EventStatus::Open,
        })
    }
}

/// A browser's `datetime-local` value (taken as UTC) or an RFC 3339 time; empty is "no date".
pub(crate) fn parse_start(raw: &str) -> Result<Option<NaiveDateTime>, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| DateTime::parse_from_rfc3339(raw).map(|at| at.naive_utc()))
        .map(Some)
        .map_err(|_| {
            Invalid::new(
                "starts_at",
                "Give the start as a date and time, like 2026-12-03T17:00.",
            )
        })
}

async fn new_event(csrf: CsrfToken, _me: CurrentModerator) -> HttpResponse {
    let values = EventFormValues::default();
    html(
        StatusCode::OK,
        event_settings_page(None, &values, None, None, &csrf.0),
    )
}

async fn create(
    req: HttpRequest,
    state: Data,
    csrf_token: CsrfToken,
    me: CurrentModerator,
    form: web::Form<EventForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let outcome = match form.new_event() {
        Ok(input) => lifecycle::create_event_by(&state.db, Some(me.0.id), input).await,
        Err(invalid) => Err(invalid.into()),
    };
    match outcome {
        Ok(event) if form.ask_around.is_some() => {
            crate::app::polls::starter::start_asking_around(
                &state.db,
                &state.bus,
                Some(me.0.id),
                event.id,
                state.clock.now(),
            )
            .await?;
            Ok(see_other(&format!("/mod/e/{}/polls", event.slug)))
        }
        Ok(event) => Ok(see_other(&format!("/mod/e/{}", event.slug))),
        Err(AppError::Invalid(invalid)) => {
            Ok(refused(None, form.values(Some(invalid)), &csrf_token))
        }
        Err(AppError::Conflict { message, .. }) => Ok(refused(
            None,
            form.values(Some(Invalid::new("slug", message))),
            &csrf_token,
        )),
        Err(other) => Err(other.into()),
    }
}

fn refused(event: Option<&Event>, values: EventFormValues, csrf: &CsrfToken) -> HttpResponse {
    html(
        StatusCode::UNPROCESSABLE_ENTITY,
        event_settings_page(event, &values, None, None, &csrf.0),
    )
}

/// The settings page of an existing event; once it has closed, with the carry-over offer.
async fn settings_page(
    state: &AppState,
    event: &Event,
    status: StatusCode,
    carry_over_error: Option<String>,
    csrf: &CsrfToken,
    new_presenter_link: Option<&str>,
) -> Result<HttpResponse, AppError> {
    let has_presenter_link = presenter::has_link(&state.db, event.id).await?;
    let presenter =
        presenter_settings(&event.slug, has_presenter_link, new_presenter_link, &csrf.0);
    let labels = listing::event_labels(&state.db, event.id).await?;
    let values = EventFormValues::of(event, &labels);
    let closed = matches!(event.status, EventStatus::Closed | EventStatus::Archived);
    let unanswered = if closed {
        carry_over::pending_carry_over(&state.db, event.id).await?
    } else {
        0
    };
    let upcoming = if unanswered > 0 {
        listing::list_all_events(&state.db).await?
    } else {
        Vec::new()
    };
    let offer = (unanswered > 0).then(|| CarryOverOffer {
        questions: unanswered,
        targets: upcoming
            .iter()
            .map(|summary| &summary.event)
            .filter(|other| other.id != event.id && other.status.accepts_carry_over())
            .map(|other| (other.slug.as_str(), other.title.as_str()))
            .collect(),
        error: carry_over_error,
    });
    Ok(html(
        status,
        event_settings_page(
            Some(event),
            &values,
            offer.as_ref(),
            Some(presenter),
            &csrf.0,
        ),
    ))
}

async fn settings(
    state: Data,
    session: Session,
    slug: web::Path<String>,
    csrf: CsrfToken,
    _me: CurrentModerator,
) -> Result<HttpResponse, PageError> {
    let event = listing::find_event(&state.db, &slug).await?;
    let new_presenter_link = session
        .remove_as::<String>(NEW_PRESENTER_LINK)
        .and_then(Result::ok);
    Ok(settings_page(
        &state,
        &event,
        StatusCode::OK,
        None,
        &csrf,
        new_presenter_link.as_deref(),
    )
    .await?)
}

async fn save_settings(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
    csrf_token: CsrfToken,
    me: CurrentModerator,
    form: web::Form<EventForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let event = listing::find_event(&state.db, &slug).await?;
    let outcome = match form.changes() {
        Ok(changes) => {
            lifecycle::update_event(&state.db, &state.bus, me.0.id, &slug, changes).await
        }
        Err(invalid) => Err(invalid.into()),
    };
    match outcome {
        Ok(event) => Ok(see_other(&format!("/mod/e/{}/settings", event.slug))),
        Err(AppError::Invalid(invalid)) => Ok(refused(
            Some(&event),
            form.values(Some(invalid)),
            &csrf_token,
        )),
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
}

async fn change_status(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
    me: CurrentModerator,
    form: web::Form<StatusForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let status: EventStatus =
        form.status
            .parse()
            .map_err(|message: String| AppError::BadRequest {
                code: "bad_status",
                message,
            })?;
    let event = lifecycle::move_event(&state.db, &state.bus, me.0.id, &slug, status).await?;
    Ok(see_other(&format!("/mod/e/{}/settings", event.slug)))
}

#[derive(Deserialize)]
struct CarryOverForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    to: String,
}

/// Carries a closed event's unanswered questions over; the moderator lands on the dashboard of
/// the event that received them.
async fn carry_over_questions(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
    csrf_token: CsrfToken,
    me: CurrentModerator,
    form: web::Form<CarryOverForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    match carry_over::carry_over(&state.db, &state.bus, me.0.id, &slug, form.to.trim()).await {
        Ok(moved) => Ok(see_other(&format!("/mod/e/{}", moved.to_slug))),
        Err(AppError::Invalid(invalid)) => {
            let event = listing::find_event(&state.db, &slug).await?;
            Ok(settings_page(
                &state,
                &event,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(invalid.message),
                &csrf_token,
                None,
            )
            .await?)
        }
        Err(other) => Err(other.into()),
    }
}
