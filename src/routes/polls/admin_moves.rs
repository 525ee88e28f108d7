//! The moderators' moves on one poll, from the polls page: open, close, reveal, conceal, remove;
//! show or hide an open-text answer; ban words from a word cloud; set automated answers aside.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::polls::lifecycle::{self, Move};
use crate::app::polls::{answering, drafting};
use crate::error::AppError;
use crate::routes::polls::admin::{back_to, check_csrf, event_and_poll, word_list, CsrfOnly};
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::see_other;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    let post = |path, handler| RouteSpec::post(path, Access::Moderator, handler);
    vec![
        post("/mod/e/{slug}/polls/{id}/delete", web::to(delete)),
        post(
            "/mod/e/{slug}/polls/{id}/banned-words",
            web::to(banned_words),
        ),
        post("/mod/e/{slug}/polls/{id}/automated", web::to(automated)),
        post(
            "/mod/e/{slug}/polls/{id}/answers/{answer_id}/show",
            web::to(show_answer),
        ),
        post(
            "/mod/e/{slug}/polls/{id}/answers/{answer_id}/hide",
            web::to(hide_answer),
        ),
        // Last: `open`, `close`, `reveal` or `conceal`, after the moves with names of their own.
        post("/mod/e/{slug}/polls/{id}/{verb}", web::to(apply)),
    ]
}

async fn apply(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    path: web::Path<(String, i64, String)>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&req, &state, &form.csrf)?;
    let (slug, poll_id, verb) = path.into_inner();
    let step = Move::parse(&verb).ok_or(AppError::NotFound { what: "page" })?;
    let (event, _) = event_and_poll(&state, &slug, poll_id).await?;
    lifecycle::apply(
        &state.db,
        &state.bus,
        Some(me.0.id),
        poll_id,
        step,
        state.clock.now(),
    )
    .await?;
    Ok(back_to(&event, poll_id))
}

async fn delete(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    path: web::Path<(String, i64)>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&req, &state, &form.csrf)?;
    let (slug, poll_id) = path.into_inner();
    let (event, _) = event_and_poll(&state, &slug, poll_id).await?;
    drafting::delete(
        &state.db,
        &state.bus,
        Some(me.0.id),
        poll_id,
        state.clock.now(),
    )
    .await?;
    Ok(see_other(&format!("/mod/e/{}/polls", event.slug)))
}

#[derive(Deserialize)]
struct WordsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    words: String,
}

async fn banned_words(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    path: web::Path<(String, i64)>,
    form: web::Form<WordsForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&req, &state, &form.csrf)?;
    let (slug, poll_id) = path.into_inner();
    let (event, _) = event_and_poll(&state, &slug, poll_id).await?;
    drafting::set_banned_words(
        &state.db,
        &state.bus,
        Some(me.0.id),
        poll_id,
        word_list(&form.words),
        state.clock.now(),
    )
    .await?;
    Ok(back_to(&event, poll_id))
}

#[derive(Deserialize)]
struct DiscountForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    discounted: String,
}

async fn automated(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    path: web::Path<(String, i64)>,
    form: web::Form<DiscountForm>,
) -> Result<HttpResponse, PageError> {
    check_csrf(&req, &state, &form.csrf)?;
    let (slug, poll_id) = path.into_inner();
    let (event, _) = event_and_poll(&state, &slug, poll_id).await?;
    answering::discount_automated(
        &state.db,
        &state.bus,
        Some(me.0.id),
        poll_id,
        form.discounted == "true",
        state.clock.now(),
    )
    .await?;
    Ok(back_to(&event, poll_id))
}

async fn moderate(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    path: web::Path<(String, i64, i64)>,
    form: web::Form<CsrfOnly>,
    show: bool,
) -> Result<HttpResponse, PageError> {
    check_csrf(&req, &state, &form.csrf)?;
    let (slug, poll_id, answer_id) = path.into_inner();
    let (event, _) = event_and_poll(&state, &slug, poll_id).await?;
    answering::moderate_text(
        &state.db,
        &state.bus,
        Some(me.0.id),
        poll_id,
        answer_id,
        show,
        state.clock.now(),
    )
    .await?;
    Ok(back_to(&event, poll_id))
}

async fn show_answer(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    path: web::Path<(String, i64, i64)>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    moderate(req, state, me, path, form, true).await
}

async fn hide_answer(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    path: web::Path<(String, i64, i64)>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    moderate(req, state, me, path, form, false).await
}
