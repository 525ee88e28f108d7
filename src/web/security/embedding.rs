//! Pages made to live in an iframe on a project's own site (`/embed/…`). Only they may be framed,
//! and only by the origins an admin lists (`FAQTORY_EMBED_ORIGINS`); every other page keeps
//! refusing. Framed on another site, our cookies are third-party: they go out `SameSite=None;
//! Secure; Partitioned`, so that a browser keeps them for that site alone (and browsers that
//! block even those still get the page, with its "open in a new tab" link).

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

use crate::web::security::headers::CONTENT_SECURITY_POLICY;
use crate::web::state::AppState;

pub const EMBED_PREFIX: &str = "/embed/";

/// Our Content-Security-Policy with `frame-ancestors` naming `origins` (none: no one).
pub fn embed_policy(origins: &[String]) -> String {
    let ancestors = if origins.is_empty() {
        "'none'".to_owned()
    } else {
        origins.join(" ")
    };
    CONTENT_SECURITY_POLICY.replace(
        "frame-ancestors 'none'",
        &format!("frame-ancestors {ancestors}"),
    )
}

/// Lets embed pages be framed by the listed origins and makes their cookies partitioned.
/// Wrapped outside the default security headers, so that it has the last word on these routes.
pub async fn frame_embeds<B: MessageBody>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    if !req.path().starts_with(EMBED_PREFIX) {
        return next.call(req).await;
    }
    let policy = req
        .app_data::<web::Data<AppState>>()
        .and_then(|state| HeaderValue::from_str(&state.embed_policy).ok());
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    headers.remove(header::X_FRAME_OPTIONS);
    if let Some(policy) = policy {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    let cookies: Vec<HeaderValue> = headers.get_all(header::SET_COOKIE).cloned().collect();
    headers.remove(header::SET_COOKIE);
    for cookie in cookies {
        let Some(partitioned) = cookie
            .to_str()
            .ok()
            .and_then(|text| Cookie::parse(text.to_owned()).ok())
            .and_then(|cookie| HeaderValue::from_str(&third_party(cookie)).ok())
        else {
            continue;
        };
        headers.append(header::SET_COOKIE, partitioned);
    }
    Ok(response)
}

/// The cookie as a framed page needs it. (`Partitioned` is written by hand: the cookie crate
/// actix-web uses does not know it yet.)
fn third_party(mut cookie: Cookie<'_>) -> String {
    cookie.set_same_site(SameSite::None);
    cookie.set_secure(true);
    format!("{cookie}; Partitioned")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_frame_ancestors_change() {
        let policy = embed_policy(&["https://a.org".into(), "https://b.org".into()]);
        assert!(policy.ends_with("frame-ancestors https://a.org https://b.org"));
        assert!(policy.starts_with("default-src 'none'; script-src 'self';"));
        assert!(embed_policy(&[]).ends_with("frame-ancestors 'none'"));
    }

    #[test]
    fn cookies_become_partitioned() {
        let cookie = Cookie::parse("faqtory_voter=abc; Path=/; HttpOnly; SameSite=Lax").unwrap();
        let written = third_party(cookie);
        assert!(written.contains("SameSite=None"), "{written}");
        assert!(written.contains("Secure"), "{written}");
        assert!(written.ends_with("; Partitioned"), "{written}");
        assert!(written.contains("HttpOnly"), "{written}");
    }
}
