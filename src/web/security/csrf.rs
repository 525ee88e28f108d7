//! CSRF protection for HTML forms. Browsers name where a POST comes from (`Origin`,
//! `Sec-Fetch-Site`), and a form is accepted when that is this site. A client that names nothing
//! shows a token instead: a random value in an HttpOnly cookie, and in the form an HMAC of it
//! under a server key, which a forged cross-site POST cannot know. Pages rendered for one person
//! carry the token; pages rendered once for everyone cannot. (The JSON API is guarded
//! differently; see `api_guard`.)

use std::future::{ready, Ready};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use hmac::Mac;

use crate::domain::Token;
use crate::web::security::cookies::{csrf_cookie, CSRF};
use crate::web::state::AppState;

pub const FORM_FIELD: &str = "csrf";

/// The seed this request works with: from the cookie, or newly made for this response.
#[derive(Clone)]
struct CsrfSeed(String);

/// Gives every browser a CSRF cookie the first time it loads a page.
pub async fn ensure_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, impl MessageBody>>, actix_web::Error> {
    if !is_page_request(&req) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body);
    }
    let existing = req
        .cookie(CSRF)
        .and_then(|cookie| Token::parse(cookie.value()));
    let fresh = match existing {
        Some(seed) => {
            req.extensions_mut()
                .insert(CsrfSeed(seed.as_str().to_owned()));
            None
        }
        None => match Token::generate() {
            Ok(seed) => {
                req.extensions_mut()
                    .insert(CsrfSeed(seed.as_str().to_owned()));
                Some(seed)
            }
            Err(error) => {
                tracing::error!(%error, "cannot make a CSRF seed");
                None
            }
        },
    };
    let secure = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.secure_cookies);
    let mut response = next.call(req).await?.map_into_right_body();
    if let Some(seed) = fresh {
        if let Err(error) = response
            .response_mut()
            .add_cookie(&csrf_cookie(seed.as_str(), secure))
        {
            tracing::error!(%error, "cannot set the CSRF cookie");
        }
    }
    Ok(response)
}

/// Pages and their forms need the cookie; the API, assets and probes do not.
fn is_page_request(req: &ServiceRequest) -> bool {
    let path = req.path();
    !["/api/", "/assets/", "/healthz", "/readyz", "/metrics"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// The token to put in this page's forms.
pub struct CsrfToken(pub String);

impl FromRequest for CsrfToken {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let token = match (req.extensions().get::<CsrfSeed>(), state(req)) {
            (Some(seed), Some(state)) => form_token(&state, &seed.0),
            _ => String::new(),
        };
        ready(Ok(CsrfToken(token)))
    }
}

fn state(req: &HttpRequest) -> Option<web::Data<AppState>> {
    req.app_data::<web::Data<AppState>>().cloned()
}

fn form_token(state: &AppState, seed: &str) -> String {
    match state.keys.csrf_mac() {
        Some(mut mac) => {
            mac.update(seed.as_bytes());
            hex::encode(mac.finalize().into_bytes())
        }
        None => String::new(),
    }
}

/// Whether a form POST comes from this site's own pages. A browser says where a request comes
/// from: `Origin` on every POST, and `Sec-Fetch-Site` in every current browser; a cross-site page
/// can forge neither. Those headers are trusted first, because they let the public pages carry
/// no per-browser token and so be rendered once for everyone. Only a request that names neither
/// (a script, or a browser too old to send them) must show the token, an HMAC of its cookie.
pub fn verify(req: &HttpRequest, state: &AppState, submitted: &str) -> bool {
    // Origin first: a DNS-rebinding page is "same-origin" to the browser but names its own host.
    if let Some(ours) = crate::web::security::origin::is_this_site(req, state) {
        return ours;
    }
    if let Some(site) = req.headers().get(FETCH_SITE) {
        return site.as_bytes() == b"same-origin";
    }
    token_matches(req, state, submitted)
}

const FETCH_SITE: &str = "sec-fetch-site";

/// Whether a submitted form token matches this browser's CSRF cookie (compared in constant time).
fn token_matches(req: &HttpRequest, state: &AppState, submitted: &str) -> bool {
    let Some(seed) = req.cookie(CSRF).and_then(|c| Token::parse(c.value())) else {
        return false;
    };
    let Ok(submitted) = hex::decode(submitted) else {
        return false;
    };
    let Some(mut mac) = state.keys.csrf_mac() else {
        return false;
    };
    mac.update(seed.as_str().as_bytes());
    mac.verify_slice(&submitted).is_ok()
}
