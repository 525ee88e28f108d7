//! Everyone's own account page, and the admins' moderators page. Forms keep what was typed
//! (never passwords) and say what was wrong next to the field.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::accounts::sessions::Device;
use crate::app::{self, accounts::api_tokens, accounts::moderators};
use crate::domain::{Invalid, Password, Role, Username};
use crate::error::AppError;
use crate::views::accounts::pages::{
    account_page, moderators_page, AccountView, MatchingStatus, ModeratorsView,
};
use crate::web::extract::current_moderator::{sign_in, CurrentModerator, CurrentSession};
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{expired_form, html, see_other, CsrfOnly};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/mod/account", Access::Moderator, web::to(account)),
        RouteSpec::post(
            "/mod/account/password",
            Access::Moderator,
            web::to(change_password),
        ),
        RouteSpec::post(
            "/mod/account/tokens",
            Access::Moderator,
            web::to(create_token),
        ),
        RouteSpec::post(
            "/mod/account/tokens/{id}/revoke",
            Access::Moderator,
            web::to(revoke_token),
        ),
        RouteSpec::get("/mod/admin/moderators", Access::Admin, web::to(list)),
        RouteSpec::post("/mod/admin/moderators", Access::Admin, web::to(add)),
        RouteSpec::post(
            "/mod/admin/moderators/{name}/disable",
            Access::Admin,
            web::to(disable),
        ),
        RouteSpec::post(
            "/mod/admin/moderators/{name}/enable",
            Access::Admin,
            web::to(enable),
        ),
        RouteSpec::post(
            "/mod/admin/moderators/{name}/password",
            Access::Admin,
            web::to(reset_password),
        ),
    ]
}

#[derive(Deserialize)]
struct ChangedQuery {
    changed: Option<String>,
}

/// The session key under which a just-created token waits for the page that shows it once.
const NEW_TOKEN_KEY: &str = "new_api_token";

async fn account(
    state: Data,
    session: Session,
    me: CurrentModerator,
    current: Option<CurrentSession>,
    csrf: CsrfToken,
    query: web::Query<ChangedQuery>,
) -> Result<HttpResponse, PageError> {
    let new_token = session
        .remove_as::<String>(NEW_TOKEN_KEY)
        .and_then(Result::ok);
    render_account(
        &state,
        &me,
        &csrf,
        AccountExtras {
            session: current,
            error: None,
            changed: query.changed.is_some(),
            new_token: new_token.as_deref(),
        },
        StatusCode::OK,
    )
    .await
}

struct AccountExtras<'a> {
    /// The session the page is shown in, marked "this browser".
    session: Option<CurrentSession>,
    error: Option<(&'a str, &'a str)>,
    changed: bool,
    new_token: Option<&'a str>,
}

async fn render_account(
    state: &AppState,
    me: &CurrentModerator,
    csrf: &CsrfToken,
    extras: AccountExtras<'_>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let tokens = api_tokens::list(&state.db, me.0.id).await?;
    let sessions = app::accounts::sessions::list(&state.db, me.0.id).await?;
    Ok(html(
        status,
        account_page(&AccountView {
            moderator: &me.0,
            csrf: &csrf.0,
            error: extras.error,
            changed: extras.changed,
            tokens: &tokens,
            sessions: &sessions,
            current_session: extras.session.map(|current| current.0),
            new_token: extras.new_token,
            now: app::now(),
        }),
    ))
}

#[derive(Deserialize)]
struct NewTokenForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    label: String,
}

async fn create_token(
    req: HttpRequest,
    state: Data,
    session: Session,
    me: CurrentModerator,
    csrf_token: CsrfToken,
    form: web::Form<NewTokenForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    match api_tokens::create(&state.db, me.0.id, &form.label).await {
        Ok((_, token)) => {
            session
                .insert(NEW_TOKEN_KEY, token)
                .map_err(|error| AppError::internal("showing a new token", error))?;
            Ok(see_other("/mod/account"))
        }
        Err(AppError::Invalid(invalid)) => refused(&state, &me, &csrf_token, &invalid).await,
        Err(other) => Err(other.into()),
    }
}

/// The account page again, with why a form was refused at its field.
async fn refused(
    state: &AppState,
    me: &CurrentModerator,
    csrf: &CsrfToken,
    invalid: &crate::domain::Invalid,
) -> Result<HttpResponse, PageError> {
    let extras = AccountExtras {
        session: None,
        error: Some((invalid.field, &invalid.message)),
        changed: false,
        new_token: None,
    };
    render_account(state, me, csrf, extras, StatusCode::UNPROCESSABLE_ENTITY).await
}

async fn revoke_token(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    id: web::Path<i64>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    api_tokens::revoke(&state.db, me.0.id, *id).await?;
    Ok(see_other("/mod/account"))
}

#[derive(Deserialize)]
struct PasswordChange {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    repeat_password: String,
}

async fn change_password(
    req: HttpRequest,
    state: Data,
    session: Session,
    me: CurrentModerator,
    csrf_token: CsrfToken,
    form: web::Form<PasswordChange>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let outcome = match Password::parse(&form.new_password) {
        Err(invalid) => Err(Invalid::new("new_password", invalid.message).into()),
        Ok(_) if form.new_password != form.repeat_password => {
            Err(Invalid::new("repeat_password", "The two new passwords differ.").into())
        }
        Ok(new) => {
            moderators::change_own_password(&state.db, &me.0, form.current_password.clone(), &new)
                .await
        }
    };
    match outcome {
        Ok(()) => {
            // This session stays signed in; the others end with the old password.
            let renewed = app::accounts::moderators::active_moderator(&state.db, me.0.id)
                .await?
                .ok_or(AppError::NotFound { what: "moderator" })?;
            sign_in(&state, &session, &renewed, Device::of(&req)).await?;
            Ok(see_other("/mod/account?changed=1"))
        }
        Err(AppError::Invalid(invalid)) => refused(&state, &me, &csrf_token, &invalid).await,
        Err(other) => Err(other.into()),
    }
}

async fn render_moderators(
    state: &AppState,
    me: &CurrentModerator,
    csrf: &CsrfToken,
    new_username: &str,
    error: Option<(&str, &str)>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let all = moderators::list(&state.db).await?;
    Ok(html(
        status,
        moderators_page(&ModeratorsView {
            moderators: &all,
            me: &me.0,
            csrf: &csrf.0,
            new_username,
            error,
            now: app::now(),
            matching: &matching_status(&state.meaning()),
        }),
    ))
}

async fn list(
    state: Data,
    me: CurrentModerator,
    csrf: CsrfToken,
) -> Result<HttpResponse, PageError> {
    render_moderators(&state, &me, &csrf, "", None, StatusCode::OK).await
}

#[derive(Deserialize)]
struct NewModeratorForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    admin: Option<String>,
}

async fn add(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    csrf_token: CsrfToken,
    form: web::Form<NewModeratorForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let role = if form.admin.is_some() {
        Role::Admin
    } else {
        Role::Moderator
    };
    let outcome = match (
        Username::parse(&form.username),
        Password::parse(&form.password),
    ) {
        (Err(invalid), _) | (_, Err(invalid)) => Err(AppError::Invalid(invalid)),
        (Ok(username), Ok(password)) => {
            moderators::add_moderator(&state.db, Some(me.0.id), username, &password, role)
                .await
                .map(|_| ())
        }
    };
    match outcome {
        Ok(()) => Ok(see_other("/mod/admin/moderators")),
        Err(AppError::Invalid(invalid)) => {
            let error = Some((invalid.field, invalid.message.as_str()));
            render_moderators(
                &state,
                &me,
                &csrf_token,
                &form.username,
                error,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

async fn disable(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    name: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    set_disabled(&req, &state, &me, &name, &form.csrf, true).await
}

async fn enable(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    name: web::Path<String>,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, PageError> {
    set_disabled(&req, &state, &me, &name, &form.csrf, false).await
}

async fn set_disabled(
    req: &HttpRequest,
    state: &AppState,
    me: &CurrentModerator,
    name: &str,
    csrf: &str,
    disabled: bool,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(req, state, csrf) {
        return Err(expired_form().into());
    }
    let username = Username::parse(name).map_err(|_| AppError::NotFound { what: "moderator" })?;
    moderators::set_disabled(&state.db, Some(me.0.id), username, disabled).await?;
    Ok(see_other("/mod/admin/moderators"))
}

#[derive(Deserialize)]
struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
}

async fn reset_password(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    csrf_token: CsrfToken,
    name: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let username = Username::parse(&name).map_err(|_| AppError::NotFound { what: "moderator" })?;
    match Password::parse(&form.password) {
        Ok(password) => {
            moderators::set_password(&state.db, Some(me.0.id), username, &password).await?;
            Ok(see_other("/mod/admin/moderators"))
        }
        Err(invalid) => {
            let message = format!("{}: {}", username, invalid.message);
            render_moderators(
                &state,
                &me,
                &csrf_token,
                "",
                Some(("form", &message)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

fn matching_status(meaning: &crate::meaning::Meaning) -> MatchingStatus {
    MatchingStatus {
        summary: meaning.availability().describe(),
        ready: meaning.is_ready(),
        pending: meaning.pending(),
        vectors: meaning.vectors().map_or(0, |vectors| vectors.len()),
    }
}
