//! Ending sessions: one's own (one, or all of them) from the account page, and an admin ending
//! another moderator's everywhere.

use actix_session::Session;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::app;
use crate::domain::Username;
use crate::error::AppError;
use crate::web::extract::current_moderator::{CurrentModerator, CurrentSession};
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{expired_form, see_other, CsrfOnly};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::post(
            "/mod/account/sessions/{id}/end",
            Access::Moderator,
            web::to(end_one),
        ),
        RouteSpec::post(
            "/mod/account/sessions/end-all",
            Access::Moderator,
            web::to(end_all),
        ),
        RouteSpec::post(
            "/mod/admin/moderators/{name}/sessions/end",
            Access::Admin,
            web::to(end_someone_elses),
        ),
    ]
}

async fn end_one(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    current: Option<CurrentSession>,
    session: Session,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    app::accounts::sessions::end_one(&state.db, me.0.id, *id).await?;
    if current.is_some_and(|current| current.0 == *id) {
        session.purge();
        return Ok(see_other("/sign-in"));
    }
    Ok(see_other("/mod/account#sessions-heading"))
}

async fn end_all(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    session: Session,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    app::accounts::sessions::end_all(&state.db, me.0.id).await?;
    session.purge();
    Ok(see_other("/sign-in"))
}

async fn end_someone_elses(
    req: HttpRequest,
    state: Data,
    name: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let username = Username::parse(&name).map_err(AppError::from)?;
    let moderator = app::accounts::moderators::find(&state.db, username)
        .await?
        .ok_or(AppError::NotFound { what: "moderator" })?;
    app::accounts::sessions::end_all(&state.db, moderator.id).await?;
    Ok(see_other("/mod/admin/moderators"))
}
