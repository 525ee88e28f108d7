//! The presenter view (`/present/{token}`, its live stream) and making its secret link, from
//! the event's settings page or the API.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::live::presenter;
use crate::error::AppError;
use crate::live::Audience;
use crate::routes::events::admin::NEW_PRESENTER_LINK;
use crate::routes::live::stream::stream;
use crate::views::live::presenter::{presenter_page, PresenterView};
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::{ApiError, PageError};
use crate::web::responses::respond::html;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::security::csrf;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/present/{token}", Access::Public, web::to(page)),
        RouteSpec::get("/present/{token}/live", Access::Public, web::to(live)),
        RouteSpec::post(
            "/mod/e/{slug}/presenter",
            Access::Moderator,
            web::to(new_link_form),
        ),
        RouteSpec::post(
            "/api/v1/events/{slug}/presenter-link",
            Access::Moderator,
            web::to(new_link_api),
        ),
    ]
}

#[derive(Deserialize)]
struct PageQuery {
    #[serde(default)]
    transparent: Option<String>,
}

async fn page(
    state: Data,
    token: web::Path<String>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, PageError> {
    let presenter = presenter::presenter(&state.db, &state.polls, &token).await?;
    let join_url = format!("{}/e/{}", state.public_base, presenter.event.slug);
    let transparent = query
        .transparent
        .as_deref()
        .is_some_and(|value| !matches!(value, "" | "0" | "false"));
    let mut response = html(
        StatusCode::OK,
        presenter_page(&PresenterView {
            presenter: &presenter,
            token: &token,
            transparent,
            join_url: &join_url,
        }),
    );
    // The link is a secret: keep it out of search engines and other sites' logs.
    let headers = response.headers_mut();
    headers.insert(
        header::HeaderName::from_static("x-robots-tag"),
        header::HeaderValue::from_static("noindex"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    Ok(response)
}

async fn live(state: Data, token: web::Path<String>) -> Result<HttpResponse, PageError> {
    let event = presenter::event_of(&state.db, &token).await?;
    stream(&state, event.id, Audience::Presenter)
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn new_link_form(
    req: HttpRequest,
    state: Data,
    session: Session,
    me: CurrentModerator,
    slug: web::Path<String>,
    form: web::Form<CsrfForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(AppError::Forbidden {
            code: "csrf",
            message:
                "This page had expired, so no link was made. Please go back, reload, and try again."
                    .into(),
        }
        .into());
    }
    let token = presenter::new_link(&state.db, me.0.id, &slug).await?;
    let link = format!("{}/present/{}", state.public_base, token.as_str());
    session
        .insert(NEW_PRESENTER_LINK, link)
        .map_err(|error| AppError::internal("keeping the new presenter link", error))?;
    Ok(HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("/mod/e/{slug}/settings#presenter"),
        ))
        .finish())
}

/// A new presenter link; the previous one stops working.
#[derive(Serialize, ToSchema)]
pub struct PresenterLinkJson {
    /// Open it in the streaming software; `?transparent=1` for a transparent background.
    pub url: String,
}

/// Makes a new presenter link for the event (the previous one stops working).
#[utoipa::path(
    post, tag = "live",
    path = "/api/v1/events/{slug}/presenter-link",
    params(("slug" = String, Path, description = "The event")),
    responses(
        (status = 201, body = PresenterLinkJson),
        (status = 404, description = "No such event"),
    ),
    security(("bearer" = []))
)]
pub async fn new_link_api(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let token = presenter::new_link(&state.db, me.0.id, &slug).await?;
    Ok(HttpResponse::Created().json(PresenterLinkJson {
        url: format!("{}/present/{}", state.public_base, token.as_str()),
    }))
}
