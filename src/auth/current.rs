//! Who is signed in: the session cookie (encrypted, HttpOnly, SameSite=Lax) names a moderator,
//! and every request checks that the account is still enabled.

use std::future::Future;
use std::pin::Pin;

use actix_session::Session;
use actix_web::http::header;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};

use crate::app;
use crate::db::moderators::Moderator;
use crate::domain::Token;
use crate::error::AppError;
use crate::web::AppState;

const MODERATOR_KEY: &str = "moderator_id";
/// Derived from the password hash: a password change ends every other session of the account.
const PASSWORD_STAMP_KEY: &str = "password_stamp";
/// Fresh at every sign-in, so the session cookie never carries over from before it.
const SESSION_ID_KEY: &str = "session_id";

pub const SIGN_IN_PATH: &str = "/sign-in";

pub fn sign_in(session: &Session, moderator: &Moderator) -> Result<(), AppError> {
    session.renew();
    session.clear();
    let session_id =
        Token::generate().map_err(|error| AppError::internal("starting a session", error))?;
    session
        .insert(SESSION_ID_KEY, session_id.as_str())
        .and_then(|()| session.insert(MODERATOR_KEY, moderator.id))
        .and_then(|()| session.insert(PASSWORD_STAMP_KEY, password_stamp(moderator)))
        .map_err(|error| AppError::internal("starting a session", error))
}

fn password_stamp(moderator: &Moderator) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(&Sha256::digest(moderator.password_hash.as_bytes())[..8])
}

pub fn sign_out(session: &Session) {
    session.purge();
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

/// The enabled moderator this session names, if any. A disabled account's session ends here, and
/// so does one opened before the last password change.
pub async fn moderator_in_session(
    state: &AppState,
    session: &Session,
) -> Result<Option<Moderator>, actix_web::Error> {
    let Some(id) = session.get::<i64>(MODERATOR_KEY).ok().flatten() else {
        return Ok(None);
    };
    let stamp = session.get::<String>(PASSWORD_STAMP_KEY).ok().flatten();
    let moderator = app::moderators::active_moderator(&state.db, id)
        .await
        .map_err(crate::routes::PageError)?
        .filter(|moderator| stamp.as_deref() == Some(password_stamp(moderator).as_str()));
    if moderator.is_none() {
        session.purge();
    }
    Ok(moderator)
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
