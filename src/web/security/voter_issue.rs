//! Hands a voter identity to a browser that looks at an event (its page, or its part of the API)
//! without one yet, within the per-network limit on new identities. A vote only counts with an
//! identity handed out this way, never with one the vote itself would make.

use actix_web::body::BoxBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, Error};

use crate::app;
use crate::domain::Token;
use crate::web::extract::client_ip::{client_ip, network_of};
use crate::web::security::cookies;
use crate::web::state::AppState;

fn looks_at_an_event(req: &ServiceRequest) -> bool {
    let path = req.path();
    req.method() == Method::GET
        && (path.starts_with("/e/")
            || path.starts_with("/embed/e/")
            || path.starts_with("/api/v1/events"))
        && !path.ends_with(".ics")
}

pub async fn issue_voters(
    req: ServiceRequest,
    next: Next<BoxBody>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let wanted = match &state {
        Some(state) if looks_at_an_event(&req) => {
            cookies::read_voter(req.request(), &state.keys).is_none()
        }
        _ => false,
    };
    let network = wanted.then(|| network_of(&client_ip(req.request())));
    let mut response = next.call(req).await?;
    let (Some(state), Some(network)) = (state, network) else {
        return Ok(response);
    };
    if !response.status().is_success() {
        return Ok(response);
    }
    let limits = state.limiter.limits();
    if limits.enabled {
        match app::asking::voters::may_issue(
            &state.db,
            network,
            limits.new_voters_per_ip,
            state.clock.now(),
        )
        .await
        {
            Ok(true) => {}
            // The page is served either way; without an identity, a vote says why it waits.
            Ok(false) => return Ok(response),
            Err(error) => {
                tracing::warn!(%error, "could not check the new-voter limit");
                return Ok(response);
            }
        }
    }
    let Ok(token) = Token::generate() else {
        return Ok(response);
    };
    let cookie = cookies::voter_cookie(&token, &state.keys, state.secure_cookies);
    if let Err(error) = response.response_mut().add_cookie(&cookie) {
        tracing::warn!(%error, "could not set a voter cookie");
    }
    Ok(response)
}
