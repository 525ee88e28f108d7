//! Mail links and the forms that ask for mail: confirming and unsubscribing by the token in a
//! mail's link, a voter's address for an event, and an asker's from their follow page.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use maud::Markup;
use serde::Deserialize;

use crate::app::{self, outreach::mail};
use crate::domain::{EmailAddress, Token};
use crate::error::AppError;
use crate::routes::asking::pages::render_follow;
use crate::routes::asking::visitor::Visitor;
use crate::views::outreach::mail_pages::{self as pages, VoterMailForm};
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::html;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::security::rate_limit::Action;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get(
            "/mail/confirm/{token}",
            Access::Public,
            web::to(confirm_page),
        ),
        RouteSpec::post("/mail/confirm/{token}", Access::Public, web::to(confirm)),
        RouteSpec::get(
            "/mail/unsubscribe/{token}",
            Access::Public,
            web::to(unsubscribe_page),
        ),
        RouteSpec::post(
            "/mail/unsubscribe/{token}",
            Access::Public,
            web::to(unsubscribe),
        ),
        RouteSpec::get("/e/{slug}/notify", Access::Public, web::to(voter_form)),
        RouteSpec::post("/e/{slug}/notify", Access::Public, web::to(voter_subscribe)),
        RouteSpec::post("/follow/{token}/notify", Access::Public, web::to(follower)),
    ]
}

/// A page behind a secret link: kept out of shared caches and search engines.
pub(crate) fn private_page(status: StatusCode, markup: Markup) -> HttpResponse {
    let mut response = html(status, markup);
    response.headers_mut().insert(
        header::HeaderName::from_static("x-robots-tag"),
        header::HeaderValue::from_static("noindex"),
    );
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

/// The token of a mail link, when it has the shape of one; anything else is a link not kept.
pub(crate) fn token_of(raw: &str) -> Option<String> {
    Token::parse(raw).map(|token| token.as_str().to_owned())
}

async fn confirm_page(state: Data, token: web::Path<String>) -> Result<HttpResponse, PageError> {
    let found = match token_of(&token) {
        Some(token) => mail::by_token(&state.db, token).await?,
        None => None,
    };
    Ok(match found {
        Some(subscription) => {
            private_page(StatusCode::OK, pages::confirm_page(&subscription, &token))
        }
        None => private_page(
            StatusCode::NOT_FOUND,
            pages::link_gone("Confirm your email"),
        ),
    })
}

/// The token is the proof: whoever has the mail may confirm, from anywhere.
async fn confirm(state: Data, token: web::Path<String>) -> Result<HttpResponse, PageError> {
    let Some(token) = token_of(&token) else {
        return Ok(private_page(
            StatusCode::NOT_FOUND,
            pages::link_gone("Confirm your email"),
        ));
    };
    if !mail::confirm(&state.db, token.clone()).await? {
        return Ok(private_page(
            StatusCode::NOT_FOUND,
            pages::link_gone("Confirm your email"),
        ));
    }
    Ok(match mail::by_token(&state.db, token).await? {
        Some(subscription) => private_page(StatusCode::OK, pages::confirmed_page(&subscription)),
        None => private_page(
            StatusCode::NOT_FOUND,
            pages::link_gone("Confirm your email"),
        ),
    })
}

async fn unsubscribe_page(
    state: Data,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let found = match token_of(&token) {
        Some(token) => mail::by_token(&state.db, token).await?,
        None => None,
    };
    Ok(match found {
        Some(subscription) => private_page(
            StatusCode::OK,
            pages::unsubscribe_page(&subscription, &token),
        ),
        None => private_page(StatusCode::OK, pages::unsubscribed_page()),
    })
}

/// Also the one-click unsubscribe of mail programs (RFC 8058): a POST from the mail provider,
/// with no cookie and no page of ours before it. The token is the proof.
async fn unsubscribe(state: Data, token: web::Path<String>) -> Result<HttpResponse, PageError> {
    if let Some(token) = token_of(&token) {
        mail::unsubscribe(&state.db, token).await?;
    }
    Ok(private_page(StatusCode::OK, pages::unsubscribed_page()))
}

#[derive(Deserialize)]
struct MailFormData {
    #[serde(default)]
    notify_email: String,
    #[serde(default)]
    csrf: String,
    /// `stop` on the follow page: no more mail about this question.
    #[serde(default)]
    action: String,
}

fn no_mail() -> AppError {
    AppError::NotOffered {
        message: "This site is not set up to send email, so there is nothing to sign up for here. \
                  The event's page shows what happens to the questions you voted for."
            .to_owned(),
    }
}

async fn voter_form(
    state: Data,
    slug: web::Path<String>,
    csrf_token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    if !state.offers_mail {
        return Err(no_mail().into());
    }
    let event = app::events::listing::find_public_event(&state.db, &slug).await?;
    let form = VoterMailForm::default();
    Ok(private_page(
        StatusCode::OK,
        pages::voter_mail_page(&event.slug, &event.title, &form, &csrf_token.0),
    ))
}

async fn voter_subscribe(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
    form: web::Form<MailFormData>,
    csrf_token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    if !state.offers_mail {
        return Err(no_mail().into());
    }
    let event = app::events::listing::find_public_event(&state.db, &slug).await?;
    let form = form.into_inner();
    let refused = |status: StatusCode, message: String| {
        let shown = VoterMailForm {
            email: form.notify_email.clone(),
            error: Some(message),
            sent: false,
        };
        Ok(private_page(
            status,
            pages::voter_mail_page(&event.slug, &event.title, &shown, &csrf_token.0),
        ))
    };
    if !csrf::verify(&req, &state, &form.csrf) {
        return refused(
            StatusCode::FORBIDDEN,
            "This form had expired, so nothing was sent. Your address is still here: please send it again.".into(),
        );
    }
    let visitor = Visitor::voter_only(&req, &state);
    let Some(voter) = visitor.voter_hash() else {
        return refused(
            StatusCode::FORBIDDEN,
            "This browser has no voter cookie yet, so there are no votes to hear about: open the event's page (cookies must be allowed), vote, and come back.".into(),
        );
    };
    let email = match EmailAddress::parse(&form.notify_email) {
        Ok(email) => email,
        Err(invalid) => return refused(StatusCode::UNPROCESSABLE_ENTITY, invalid.message),
    };
    // Each address given is mailed: as limited as asking is, so the form is no way to mail many.
    if let Err(error) = state
        .limiter
        .check(Action::Ask, &visitor.ip, Some(voter.as_str()))
    {
        return refused(error.status(), error.public_message());
    }
    match mail::subscribe_voter(&state.db, &event.slug, voter, email).await {
        Ok(()) => {
            let sent = VoterMailForm {
                email: form.notify_email.trim().to_owned(),
                error: None,
                sent: true,
            };
            Ok(private_page(
                StatusCode::OK,
                pages::voter_mail_page(&event.slug, &event.title, &sent, &csrf_token.0),
            ))
        }
        Err(AppError::Invalid(invalid)) => {
            refused(StatusCode::UNPROCESSABLE_ENTITY, invalid.message)
        }
        Err(error @ AppError::Conflict { .. }) => refused(error.status(), error.public_message()),
        Err(other) => Err(other.into()),
    }
}

/// The follow page's form: mail about this question to this address, or no more mail. A
/// problem brings the page back with the address as typed.
async fn follower(
    req: HttpRequest,
    state: Data,
    token: web::Path<String>,
    form: web::Form<MailFormData>,
    csrf_token: CsrfToken,
) -> Result<HttpResponse, PageError> {
    if !state.offers_mail {
        return Err(no_mail().into());
    }
    let form = form.into_inner();
    let refused = match change_follower_mail(&req, &state, &token, &form).await {
        Ok(()) => {
            let mut response = HttpResponse::SeeOther();
            response.insert_header((header::LOCATION, format!("/follow/{token}#mail")));
            return Ok(response.finish());
        }
        Err(AppError::Invalid(invalid)) => (StatusCode::UNPROCESSABLE_ENTITY, invalid.message),
        Err(
            error @ (AppError::Conflict { .. }
            | AppError::Forbidden { .. }
            | AppError::RateLimited { .. }),
        ) => (error.status(), error.public_message()),
        Err(other) => return Err(other.into()),
    };
    let (status, message) = refused;
    render_follow(
        &state,
        &token,
        &csrf_token,
        status,
        &form.notify_email,
        Some(&message),
    )
    .await
}

async fn change_follower_mail(
    req: &HttpRequest,
    state: &AppState,
    token: &str,
    form: &MailFormData,
) -> Result<(), AppError> {
    if !csrf::verify(req, state, &form.csrf) {
        return Err(AppError::Forbidden {
            code: "csrf",
            message: "This form had expired, so nothing changed. Your address is still here: \
                      please send it again."
                .into(),
        });
    }
    if form.action == "stop" {
        return mail::unsubscribe_follower(&state.db, token).await;
    }
    let email = EmailAddress::parse(&form.notify_email)?;
    let visitor = Visitor::from_request(req, state);
    let voter = visitor.voter_hash();
    state.limiter.check(
        Action::Ask,
        &visitor.ip,
        voter.as_ref().map(|voter| voter.as_str()),
    )?;
    mail::subscribe_follower(&state.db, token, email).await
}
