//! `/mod/docs`: the docs report as a page, for the team.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::docs::report;
use crate::domain::Role;
use crate::views::docs::report::report_page;
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::html;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![RouteSpec::get(
        "/mod/docs",
        Access::Moderator,
        web::to(page),
    )]
}

async fn page(state: web::Data<AppState>, me: CurrentModerator) -> Result<HttpResponse, PageError> {
    let report = report::report(
        &state.db,
        &state.docs_index,
        &state.meaning(),
        &state.docs_closest,
    )
    .await?;
    Ok(html(
        StatusCode::OK,
        report_page(&report, me.0.role == Role::Admin),
    ))
}
