//! On a public route, whether the caller happens to be a moderator (an API token, or a signed-in
//! session): public reads that moderators see more of, such as a poll's hidden results.

use std::future::Future;
use std::pin::Pin;

use actix_session::SessionExt;
use actix_web::{web, FromRequest, HttpRequest};

use crate::app;
use crate::db::moderators::Moderator;
use crate::web::extract::current_moderator::moderator_in_session;
use crate::web::responses::errors::ApiError;
use crate::web::security::guard::bearer_in;
use crate::web::state::AppState;

/// The moderator behind the request, if any; an unknown or expired token is simply nobody.
pub struct MaybeModerator(pub Option<Moderator>);

impl MaybeModerator {
    pub fn is_moderator(&self) -> bool {
        self.0.is_some()
    }
}

impl FromRequest for MaybeModerator {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_in(req.headers());
        let session = req.get_session();
        Box::pin(async move {
            let Some(state) = state else {
                return Ok(MaybeModerator(None));
            };
            if let Some(token) = token {
                let moderator = app::accounts::api_tokens::authenticate(&state.db, &token)
                    .await
                    .map_err(ApiError)?;
                return Ok(MaybeModerator(moderator));
            }
            let signed_in = moderator_in_session(&state, &session).await?;
            Ok(MaybeModerator(signed_in.map(|(moderator, _)| moderator)))
        })
    }
}
