//! Moderators sign in and out, and their home page.

use actix_session::Session;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app;
use crate::app::accounts::sessions::Device;
use crate::error::AppError;
use crate::views::accounts::sign_in::{moderation_home, sign_in_page, SignInForm};
use crate::web::extract::client_ip::client_ip;
use crate::web::extract::current_moderator::{safe_next, sign_in, sign_out, CurrentModerator};
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{html, CsrfOnly};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

/// The one message for every failed sign-in, whatever the cause.
const SIGN_IN_FAILED: &str =
    "That username and password did not work, or there were too many attempts. Please wait a moment and try again.";

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/mod", Access::Moderator, web::to(home)),
        RouteSpec::get("/sign-in", Access::Public, web::to(sign_in_form)),
        RouteSpec::post("/sign-in", Access::Public, web::to(submit_sign_in)),
        RouteSpec::post("/sign-out", Access::Public, web::to(submit_sign_out)),
    ]
}

async fn home(
    state: Data,
    moderator: CurrentModerator,
    csrf: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let events = app::events::listing::list_all_events(&state.db).await?;
    Ok(html(
        StatusCode::OK,
        moderation_home(&moderator.0, &events, &csrf.0, app::now()),
    ))
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn sign_in_form(query: web::Query<NextQuery>, csrf: CsrfToken) -> HttpResponse {
    let next = safe_next(query.next.as_deref());
    let form = SignInForm {
        username: "",
        next: &next,
        error: None,
        csrf: &csrf.0,
    };
    html(StatusCode::OK, sign_in_page(&form))
}

#[derive(Deserialize)]
struct SignInData {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf: String,
}

async fn submit_sign_in(
    req: HttpRequest,
    state: Data,
    session: Session,
    form: web::Form<SignInData>,
    csrf_token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    let next = safe_next(Some(&form.next));
    let refuse = |status, message: &str| {
        let again = SignInForm {
            username: &form.username,
            next: &next,
            error: Some(message),
            csrf: &csrf_token.0,
        };
        Ok(html(status, sign_in_page(&again)))
    };
    if !csrf::verify(&req, &state, &form.csrf) {
        return refuse(
            StatusCode::FORBIDDEN,
            "This form had expired, so nothing was sent. Please sign in again.",
        );
    }
    let ip = client_ip(&req);
    let username_key = form.username.trim().to_lowercase();
    if !state.sign_in_throttle.allows(&ip, &username_key) {
        return refuse(StatusCode::UNAUTHORIZED, SIGN_IN_FAILED);
    }
    let moderator =
        app::accounts::moderators::authenticate(&state.db, &form.username, form.password.clone())
            .await?;
    let Some(moderator) = moderator else {
        state.sign_in_throttle.failed(&ip, &username_key);
        return refuse(StatusCode::UNAUTHORIZED, SIGN_IN_FAILED);
    };
    state.sign_in_throttle.succeeded(&ip, &username_key);
    sign_in(&state, &session, &moderator, Device::of(&req)).await?;
    tracing::info!(moderator = %moderator.username, "signed in");
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, next))
        .finish())
}

async fn submit_sign_out(
    req: HttpRequest,
    state: Data,
    session: Session,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(AppError::Forbidden {
            code: "csrf",
            message: "This page had expired. Please go back, reload, and sign out again.".into(),
        }
        .into());
    }
    sign_out(&state, &session).await?;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/"))
        .finish())
}
