//! How the JSON API resists cross-site requests without CSRF tokens: a write must declare a JSON
//! body (`Content-Type: application/json`, which a cross-site form cannot send without a CORS
//! preflight that we never grant), and when the browser names an `Origin` it must be this site.

use actix_web::http::header;
use actix_web::HttpRequest;

use super::AppState;
use crate::error::AppError;

pub fn check_write(req: &HttpRequest, state: &AppState) -> Result<(), AppError> {
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(AppError::BadRequest {
            code: "json_required",
            message: "API writes need `Content-Type: application/json` (an empty body is fine)."
                .into(),
        });
    }
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or_default();
        if !same_site(req, state, origin) {
            return Err(AppError::Forbidden {
                code: "cross_origin",
                message: "Requests from other sites are not accepted.".into(),
            });
        }
    }
    Ok(())
}

fn same_site(req: &HttpRequest, state: &AppState, origin: &str) -> bool {
    let Ok(origin) = url::Url::parse(origin) else {
        return false;
    };
    let origin_authority = match (origin.host_str(), origin.port_or_known_default()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        _ => return false,
    };
    let expected = match &state.configured_base {
        Some(base) => match (base.host_str(), base.port_or_known_default()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            _ => return false,
        },
        // Without a configured base URL the Host header is the best statement of who we are.
        None => {
            let host = req.connection_info().host().to_owned();
            if host.contains(':') && !host.ends_with(']') {
                host
            } else {
                let default_port = if origin.scheme() == "https" { 443 } else { 80 };
                format!("{host}:{default_port}")
            }
        }
    };
    origin_authority.eq_ignore_ascii_case(&expected)
}
