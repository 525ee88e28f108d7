//! The access check the route table attaches to every moderator and admin route: anonymous
//! visitors are sent to sign in (pages) or get 401 (API); moderators on admin routes get 403.
//! The signed-in moderator is left in the request for handlers (`CurrentModerator`).
//!
//! The moderator API takes `Authorization: Bearer <token>`, or the session cookie; with the
//! cookie, a request that changes something must also carry the page's CSRF token in
//! `X-CSRF-Token`, since a cookie alone proves nothing about who built the request.

use actix_session::SessionExt;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, ResponseError};

use crate::app;
use crate::domain::Role;
use crate::error::AppError;
use crate::web::extract::current_moderator::{moderator_in_session, SignInRequired};
use crate::web::responses::errors::{ApiError, PageError};
use crate::web::security::csrf;
use crate::web::state::AppState;

pub async fn require_moderator(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    guard(req, next, Role::Moderator).await
}

pub async fn require_admin(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    guard(req, next, Role::Admin).await
}

async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    needed: Role,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let is_api = req.path().starts_with("/api/");
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Err(PageError(AppError::internal(
            "checking access",
            "no application state",
        ))
        .into());
    };
    let moderator = match bearer_token(&req) {
        Some(token) if is_api => app::accounts::api_tokens::authenticate(&state.db, &token)
            .await
            .map_err(ApiError)?,
        _ => {
            let session = req.get_session();
            let signed_in = moderator_in_session(&state, &session).await?;
            let moderator = signed_in.map(|(moderator, current)| {
                req.extensions_mut().insert(current);
                moderator
            });
            if moderator.is_some() && is_api && changes_something(&req) {
                let header_token = req
                    .headers()
                    .get(CSRF_HEADER)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                if !csrf::verify(req.request(), &state, &header_token) {
                    let error = AppError::Forbidden {
                        code: "csrf",
                        message: format!(
                            "With a session cookie, send the page's CSRF token in `{CSRF_HEADER}`."
                        ),
                    };
                    return Ok(req.into_response(ApiError(error).error_response()));
                }
            }
            moderator
        }
    };
    let refusal = match &moderator {
        None if is_api => Some(ApiError(AppError::Unauthorized).error_response()),
        None => {
            let next_path = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "/mod".to_owned());
            Some(SignInRequired::to(next_path).error_response())
        }
        Some(moderator) if needed == Role::Admin && moderator.role != Role::Admin => {
            let error = AppError::Forbidden {
                code: "admins_only",
                message: "Only administrators can do this.".into(),
            };
            Some(if is_api {
                ApiError(error).error_response()
            } else {
                PageError(error).error_response()
            })
        }
        Some(_) => None,
    };
    if let Some(response) = refusal {
        return Ok(req.into_response(response));
    }
    if let Some(moderator) = moderator {
        req.extensions_mut().insert(moderator);
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

const CSRF_HEADER: &str = "X-CSRF-Token";

fn bearer_token(req: &ServiceRequest) -> Option<String> {
    bearer_in(req.headers())
}

/// The token of an `Authorization: Bearer …` header.
pub(crate) fn bearer_in(headers: &actix_web::http::header::HeaderMap) -> Option<String> {
    let value = headers.get(actix_web::http::header::AUTHORIZATION)?;
    let value = value.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

fn changes_something(req: &ServiceRequest) -> bool {
    !matches!(
        *req.method(),
        actix_web::http::Method::GET | actix_web::http::Method::HEAD
    )
}
