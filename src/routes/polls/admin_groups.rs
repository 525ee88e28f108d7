//! An open-text poll's answers grouped by meaning, and the one-step moves from the groups: a
//! draft ranking poll of them, or questions of the session.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::polls::grouping;
use crate::error::AppError;
use crate::routes::polls::admin::{back_to, check_csrf, event_and_poll};
use crate::views::polls::groups::groups_page;
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{html, see_other};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::CsrfToken;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get(
            "/mod/e/{slug}/polls/{id}/groups",
            Access::Moderator,
            web::to(groups),
        ),
        RouteSpec::post(
            "/mod/e/{slug}/polls/{id}/groups/ranking",
            Access::Moderator,
            web::to(groups_to_ranking),
        ),
        RouteSpec::post(
            "/mod/e/{slug}/polls/{id}/groups/questions",
            Access::Moderator,
            web::to(groups_to_questions),
        ),
    ]
}

async fn groups(
    state: Data,
    path: web::Path<(String, i64)>,
    csrf: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let (slug, poll_id) = path.into_inner();
    let (event, view) = event_and_poll(&state, &slug, poll_id).await?;
    let found = grouping::groups(&state.db, &state.search, &state.meaning(), poll_id).await?;
    Ok(html(
        StatusCode::OK,
        groups_page(&event, &view.poll, &found, &csrf.0),
    ))
}

/// The answers a moderator kept ticked (each group's leading one), once the form is known to
/// come from this site.
fn ticked_answers(req: &HttpRequest, state: &AppState, body: &[u8]) -> Result<Vec<i64>, AppError> {
    let mut csrf_value = String::new();
    let mut chosen: Vec<i64> = Vec::new();
    for (key, value) in url::form_urlencoded::parse(body) {
        match key.as_ref() {
            "csrf" => csrf_value = value.into_owned(),
            "answer" => chosen.extend(value.trim().parse::<i64>().ok()),
            _ => {}
        }
    }
    check_csrf(req, state, &csrf_value)?;
    Ok(chosen)
}

/// The groups holding a ticked answer, grouped afresh.
async fn chosen_groups(
    state: &AppState,
    poll_id: i64,
    chosen: &[i64],
) -> Result<Vec<grouping::AnswerGroup>, AppError> {
    let found = grouping::groups(&state.db, &state.search, &state.meaning(), poll_id).await?;
    Ok(found
        .into_iter()
        .filter(|group| group.answers.iter().any(|(id, _, _)| chosen.contains(id)))
        .collect())
}

async fn groups_to_ranking(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    path: web::Path<(String, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let ticked = ticked_answers(&req, &state, &body)?;
    let (slug, poll_id) = path.into_inner();
    let (event, view) = event_and_poll(&state, &slug, poll_id).await?;
    let chosen = chosen_groups(&state, poll_id, &ticked).await?;
    let ranking = grouping::to_ranking_poll(
        &state.db,
        &state.bus,
        Some(me.0.id),
        &chosen,
        &view.poll,
        state.clock.now(),
    )
    .await?;
    Ok(back_to(&event, ranking.id))
}

async fn groups_to_questions(
    req: HttpRequest,
    state: Data,
    path: web::Path<(String, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let ticked = ticked_answers(&req, &state, &body)?;
    let (slug, poll_id) = path.into_inner();
    let (event, _) = event_and_poll(&state, &slug, poll_id).await?;
    let chosen = chosen_groups(&state, poll_id, &ticked).await?;
    grouping::to_questions(&state.db, &state.bus, &event.slug, event.id, &chosen).await?;
    Ok(see_other(&format!("/mod/e/{}?tab=live", event.slug)))
}
