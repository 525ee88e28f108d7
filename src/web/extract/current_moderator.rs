//! Who is signed in: the session cookie (encrypted, HttpOnly, SameSite=Lax) names a moderator,
//! and every request checks that the account is still enabled.

use std::future::Future;
use std::pin::Pin;

use actix_session::Session;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};

use crate::app;
use crate::app::accounts::sessions::Device;
use crate::db::moderators::Moderator;
use crate::error::AppError;
use crate::web::state::AppState;

const MODERATOR_KEY: &str = "moderator_id";
/// Derived from the password hash: a password change ends every other session of the account.
const PASSWORD_STAMP_KEY: &str = "password_stamp";
/// The session's secret: its hash names the session on the server.
const SESSION_ID_KEY: &str = "session_id";

pub const SIGN_IN_PATH: &str = "/sign-in";

impl Device {
    /// What the request says about the browser and where it comes from.
    pub fn of(req: &HttpRequest) -> Self {
        Device {
            user_agent: req
                .headers()
                .get(header::USER_AGENT)
                .and_then(|value| value.to_str().ok())
                .unwrap_or("unknown browser")
                .to_owned(),
            address: crate::web::extract::client_ip::client_ip(req),
        }
    }
}

/// Starts a session on the server and names it in the cookie (renewed, so nothing carries over
/// from before the sign-in).
pub async fn sign_in(
    state: &AppState,
    session: &Session,
    moderator: &Moderator,
    device: Device,
) -> Result<(), AppError> {
    let now = state.clock.now();
    // Sign-ins are rare: a good moment to forget sessions that expired unused.
    app::accounts::sessions::end_expired(&state.db, state.session_policy, now).await?;
    let secret = app::accounts::sessions::start(&state.db, moderator.id, device, now).await?;
    session.renew();
    session.clear();
    session
        .insert(SESSION_ID_KEY, secret.as_str())
        .and_then(|()| session.insert(MODERATOR_KEY, moderator.id))
        .and_then(|()| session.insert(PASSWORD_STAMP_KEY, password_stamp(moderator)))
        .map_err(|error| AppError::internal("starting a session", error))
}

fn password_stamp(moderator: &Moderator) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(moderator.password_hash.as_bytes())[..8])
}

/// Ends the session on the server too: a copy of the cookie opens nothing afterwards.
pub async fn sign_out(state: &AppState, session: &Session) -> Result<(), AppError> {
    if let Some(secret) = session.get::<String>(SESSION_ID_KEY).ok().flatten() {
        app::accounts::sessions::end(&state.db, &secret).await?;
    }
    session.purge();
    Ok(())
}

/// Where a sign-in may send the moderator afterwards: a path on this site, nothing else.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/mod".to_owned(),
    }
}

/// The signed-in moderator of this request; anyone else is sent to sign in.
pub struct CurrentModerator(pub Moderator);

#[derive(Debug, thiserror::Error)]
#[error("sign-in required")]
pub struct SignInRequired {
    next: String,
}

impl ResponseError for SignInRequired {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::SEE_OTHER
    }

    fn error_response(&self) -> HttpResponse {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("next", &self.next)
            .finish();
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, format!("{SIGN_IN_PATH}?{query}")))
            .finish()
    }
}

impl SignInRequired {
    pub fn to(next: String) -> Self {
        Self { next }
    }
}

/// The session a signed-in request belongs to (its id in the database), for "this session" on the
/// account page.
#[derive(Debug, Clone, Copy)]
pub struct CurrentSession(pub i64);

/// The enabled moderator this session names, if any, with the session's id. A session ended on
/// the server (signed out, expired, ended from another device) ends here, and so do a disabled
/// account's and one opened before the last password change.
pub async fn moderator_in_session(
    state: &AppState,
    session: &Session,
) -> Result<Option<(Moderator, CurrentSession)>, actix_web::Error> {
    let Some(id) = session.get::<i64>(MODERATOR_KEY).ok().flatten() else {
        return Ok(None);
    };
    let secret = session.get::<String>(SESSION_ID_KEY).ok().flatten();
    let stamp = session.get::<String>(PASSWORD_STAMP_KEY).ok().flatten();
    let live = match secret {
        Some(secret) => app::accounts::sessions::check(
            &state.db,
            &secret,
            state.session_policy,
            state.clock.now(),
        )
        .await
        .map_err(crate::web::responses::errors::PageError)?
        .filter(|record| record.moderator_id == id),
        None => None,
    };
    let Some(record) = live else {
        session.purge();
        return Ok(None);
    };
    let moderator = app::accounts::moderators::active_moderator(&state.db, id)
        .await
        .map_err(crate::web::responses::errors::PageError)?
        .filter(|moderator| stamp.as_deref() == Some(password_stamp(moderator).as_str()));
    match moderator {
        Some(moderator) => Ok(Some((moderator, CurrentSession(record.id)))),
        None => {
            session.purge();
            Ok(None)
        }
    }
}

impl FromRequest for CurrentSession {
    type Error = actix_web::Error;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    /// Left in the request by the route table's guard when a session cookie signed it in.
    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        std::future::ready(
            req.extensions()
                .get::<CurrentSession>()
                .copied()
                .ok_or_else(|| actix_web::error::ErrorUnauthorized("no session")),
        )
    }
}

impl FromRequest for CurrentModerator {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    /// Moderator routes are guarded by the route table, which leaves the moderator in the
    /// request; anywhere else this asks for a sign-in.
    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let found = req.extensions().get::<Moderator>().cloned();
        let next = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/mod".to_owned());
        Box::pin(async move {
            found
                .map(CurrentModerator)
                .ok_or_else(|| SignInRequired { next }.into())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(safe_next(Some("/mod/e/x?tab=live")), "/mod/e/x?tab=live");
        for outside in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "mod",
            "",
        ] {
            assert_eq!(safe_next(Some(outside)), "/mod", "{outside}");
        }
        assert_eq!(safe_next(None), "/mod");
    }
}
