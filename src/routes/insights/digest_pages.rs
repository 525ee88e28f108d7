//! The digest's form on the insights page (ask for it by mail, change it, stop it) and the
//! pages behind a digest's link to stop it, which need no sign-in: the link's token is the proof.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::insights::digest_readers::{self, parse_request};
use crate::routes::insights::digest_api::no_mail;
use crate::routes::insights::json::TopicsQuery;
use crate::routes::insights::pages::render_page;
use crate::routes::outreach::mail::{private_page, token_of};
use crate::views::insights::digest::{
    digest_unsubscribe_page, digest_unsubscribed_page, DigestForm,
};
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{expired_form, see_other};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::post(
            "/mod/insights/digest",
            Access::Moderator,
            web::to(change_digest),
        ),
        RouteSpec::get(
            "/mail/digest/unsubscribe/{token}",
            Access::Public,
            web::to(unsubscribe_page),
        ),
        RouteSpec::post(
            "/mail/digest/unsubscribe/{token}",
            Access::Public,
            web::to(unsubscribe),
        ),
    ]
}

#[derive(Deserialize)]
struct DigestFormFields {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    period: String,
    /// `save` or `stop`.
    #[serde(default)]
    action: String,
}

async fn change_digest(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    form: web::Form<DigestFormFields>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    if form.action == "stop" {
        digest_readers::unsubscribe(&state.db, me.0.id).await?;
        return Ok(see_other("/mod/insights#digest"));
    }
    let parsed = if state.offers_mail {
        parse_request(&form.email, &form.period)
    } else {
        Err(no_mail())
    };
    match parsed {
        Ok((email, period)) => {
            digest_readers::subscribe(&state.db, me.0.id, email, period).await?;
            Ok(see_other("/mod/insights#digest"))
        }
        Err(invalid) => {
            let digest = DigestForm {
                offers_mail: state.offers_mail,
                current: digest_readers::of_moderator(&state.db, me.0.id).await?,
                typed_email: form.email.clone(),
                typed_period: form.period.clone(),
                error: Some(invalid.message),
            };
            render_page(&state, &TopicsQuery::default(), &form.csrf, &digest).await
        }
    }
}

async fn unsubscribe_page(
    state: Data,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let found = match token_of(&token) {
        Some(token) => digest_readers::by_link(&state.db, token).await?,
        None => None,
    };
    Ok(private_page(
        StatusCode::OK,
        match found {
            Some(request) => digest_unsubscribe_page(&request, &token),
            None => digest_unsubscribed_page(),
        },
    ))
}

/// Also the one-click unsubscribe of mail programs (RFC 8058), with no cookie and no page of
/// ours before it.
async fn unsubscribe(state: Data, token: web::Path<String>) -> Result<HttpResponse, PageError> {
    if let Some(token) = token_of(&token) {
        digest_readers::unsubscribe_by_link(&state.db, token).await?;
    }
    Ok(private_page(StatusCode::OK, digest_unsubscribed_page()))
}
