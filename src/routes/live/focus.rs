//! Focus mode (`/mod/e/{slug}/focus`): the moderator running the call sees what is on screen and
//! moves on with one key.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use crate::app::live::presenter;
use crate::views::live::focus::{focus_page, FocusView};
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::html;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::CsrfToken;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![RouteSpec::get(
        "/mod/e/{slug}/focus",
        Access::Moderator,
        web::to(focus),
    )]
}

async fn focus(
    state: Data,
    slug: web::Path<String>,
    csrf: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let presenter = presenter::for_moderator(&state.db, &state.polls, &slug).await?;
    let page_url = format!("{}/mod/e/{}/focus", state.public_base, presenter.event.slug);
    Ok(html(
        StatusCode::OK,
        focus_page(&FocusView {
            presenter: &presenter,
            csrf: &csrf.0,
            page_url: &page_url,
        }),
    ))
}
