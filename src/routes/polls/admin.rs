//! The moderators' polls page and its forms: draft a poll (the form comes back as typed when
//! refused) and start with the ready-made pair; the moves on each poll are in `admin_moves`, the
//! grouped open-text answers in `admin_groups`. Every form checks CSRF and ends in a redirect.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::events::listing;
use crate::app::polls::reading::{self, PollView, Viewer};
use crate::app::polls::{drafting, starter};
use crate::db::events::Event;
use crate::domain::{DraftPoll, PollDefinition};
use crate::error::AppError;
use crate::views::polls::admin::{polls_admin_page, PollsAdmin};
use crate::views::polls::new_poll_form::NewPollForm;
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{html, see_other};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/mod/e/{slug}/polls", Access::Moderator, web::to(page)),
        RouteSpec::post("/mod/e/{slug}/polls", Access::Moderator, web::to(create)),
        RouteSpec::post(
            "/mod/e/{slug}/polls/starter",
            Access::Moderator,
            web::to(start_asking_around),
        ),
    ]
}

pub(crate) fn expired() -> AppError {
    AppError::Forbidden {
        code: "csrf",
        message: "This page had expired, so nothing was done. Please go back, reload, and try \
                  again."
            .into(),
    }
}

pub(crate) fn check_csrf(
    req: &HttpRequest,
    state: &AppState,
    submitted: &str,
) -> Result<(), AppError> {
    if csrf::verify(req, state, submitted) {
        Ok(())
    } else {
        Err(expired())
    }
}

async fn render(
    state: &AppState,
    event: &Event,
    csrf: &CsrfToken,
    form: &NewPollForm,
    notice: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let polls = reading::of_event(&state.polls, event.id, Viewer::Moderator).await?;
    Ok(html(
        status,
        polls_admin_page(&PollsAdmin {
            event,
            polls: &polls,
            csrf: &csrf.0,
            form,
            notice,
        }),
    ))
}

async fn page(
    state: Data,
    slug: web::Path<String>,
    csrf: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let event = listing::find_event(&state.db, &slug).await?;
    render(
        &state,
        &event,
        &csrf,
        &NewPollForm::default(),
        None,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
struct NewPollFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    options: String,
    #[serde(default)]
    multiple: Option<String>,
    #[serde(default)]
    other: Option<String>,
    #[serde(default)]
    scale: String,
    #[serde(default)]
    low_label: String,
    #[serde(default)]
    high_label: String,
    #[serde(default)]
    results: String,
    #[serde(default)]
    banned_words: String,
}

/// Comma- or line-separated words, trimmed, empty ones left out.
pub(crate) fn word_list(raw: &str) -> Vec<String> {
    raw.split([',', '\n'])
        .map(str::trim)
        .filter(|word| !word.is_empty())
        .map(str::to_owned)
        .collect()
}

impl NewPollFields {
    fn definition(&self) -> Result<PollDefinition, AppError> {
        let options: Vec<String> = self
            .options
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        let rating = self.kind == "rating";
        let scale = match self.scale.trim() {
            _ if !rating => None,
            "" => None,
            raw => Some(raw.parse::<i64>().unwrap_or(0)),
        };
        let options = if matches!(self.kind.as_str(), "choice" | "ranking") {
            options
        } else {
            Vec::new()
        };
        Ok(PollDefinition::parse(&DraftPoll {
            kind: &self.kind,
            prompt: &self.prompt,
            options: &options,
            multiple: self.kind == "choice" && self.multiple.is_some(),
            other: self.kind == "choice" && self.other.is_some(),
            scale,
            low_label: Some(self.low_label.as_str()).filter(|_| rating),
            high_label: Some(self.high_label.as_str()).filter(|_| rating),
            results: &self.results,
        })?)
    }

    fn as_typed(&self, error: Option<(String, String)>) -> NewPollForm {
        NewPollForm {
            kind: self.kind.clone(),
            prompt: self.prompt.clone(),
            options: self.options.clone(),
            multiple: self.multiple.is_some(),
            other: self.other.is_some(),
            scale: self.scale.clone(),
            low_label: self.low_label.clone(),
            high_label: self.high_label.clone(),
            results: self.results.clone(),
            banned_words: self.banned_words.clone(),
            error,
        }
    }
}

async fn create(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    slug: web::Path<String>,
    fields: web::Form<NewPollFields>,
    csrf: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let event = listing::find_event(&state.db, &slug).await?;
    let refused = |status: StatusCode, field: &str, message: String| {
        (status, fields.as_typed(Some((field.to_owned(), message))))
    };
    let outcome = match check_csrf(&req, &state, &fields.csrf).and_then(|()| fields.definition()) {
        Ok(definition) => drafting::create(
            &state.db,
            &state.bus,
            Some(me.0.id),
            event.id,
            definition,
            word_list(&fields.banned_words),
            state.clock.now(),
        )
        .await
        .map_err(|error| match error {
            AppError::Invalid(invalid) => refused(
                StatusCode::UNPROCESSABLE_ENTITY,
                invalid.field,
                invalid.message,
            ),
            other => refused(other.status(), "", other.public_message()),
        }),
        Err(AppError::Invalid(invalid)) => Err(refused(
            StatusCode::UNPROCESSABLE_ENTITY,
            invalid.field,
            invalid.message,
        )),
        Err(other) => Err(refused(other.status(), "", other.public_message())),
    };
    match outcome {
        Ok(poll) => Ok(see_other(&format!(
            "/mod/e/{}/polls#poll-{}",
            event.slug, poll.id
        ))),
        Err((status, typed)) => render(&state, &event, &csrf, &typed, None, status).await,
    }
}

#[derive(Deserialize)]
pub(crate) struct CsrfOnly {
    #[serde(default)]
    pub(crate) csrf: String,
}

async fn start_asking_around(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    slug: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&req, &state, &form.csrf)?;
    let event = listing::find_event(&state.db, &slug).await?;
    starter::start_asking_around(
        &state.db,
        &state.bus,
        Some(me.0.id),
        event.id,
        state.clock.now(),
    )
    .await?;
    Ok(see_other(&format!("/mod/e/{}/polls", event.slug)))
}

/// The event and one of its polls as moderators see it; a poll of another event is not found.
pub(crate) async fn event_and_poll(
    state: &AppState,
    slug: &str,
    poll_id: i64,
) -> Result<(Event, PollView), AppError> {
    let event = listing::find_event(&state.db, slug).await?;
    let view = reading::one(&state.polls, poll_id, Viewer::Moderator).await?;
    if view.poll.event_id != event.id {
        return Err(AppError::NotFound { what: "poll" });
    }
    Ok((event, view))
}

pub(crate) fn back_to(event: &Event, poll_id: i64) -> HttpResponse {
    see_other(&format!("/mod/e/{}/polls#poll-{poll_id}", event.slug))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_split_on_commas_and_lines() {
        assert_eq!(
            word_list(" darn, heck\nblast ,, "),
            vec!["darn".to_owned(), "heck".to_owned(), "blast".to_owned()]
        );
    }
}
