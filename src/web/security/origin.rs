//! Which browser origins are this site. With `--base-url`, exactly that one. Without it, the
//! Host header cannot say: a DNS-rebinding page (evil.example resolving to our address) sends its
//! own name as both Origin and Host. So without a base URL only origins that name an address
//! (an IP literal, or `localhost`) on the port we listen on are ours: no DNS name can be rebound
//! to pass.

use actix_web::http::header;
use actix_web::HttpRequest;
use url::{Host, Url};

use crate::web::state::AppState;

/// `Some(false)` when the request names an origin that is not this site; `None` when it names
/// none (scripts and older browsers), which other checks (CSRF tokens, JSON bodies) cover.
pub fn is_this_site(req: &HttpRequest, state: &AppState) -> Option<bool> {
    let origin = req.headers().get(header::ORIGIN)?;
    let Some(origin) = origin.to_str().ok().and_then(|text| Url::parse(text).ok()) else {
        return Some(false);
    };
    Some(matches(
        &origin,
        state.configured_base.as_ref(),
        &state.public_base,
    ))
}

fn matches(origin: &Url, configured: Option<&Url>, public_base: &str) -> bool {
    let Some(port) = origin.port_or_known_default() else {
        return false;
    };
    match configured {
        Some(base) => {
            base.scheme() == origin.scheme()
                && base.port_or_known_default() == Some(port)
                && match (base.host_str(), origin.host_str()) {
                    (Some(ours), Some(theirs)) => ours.eq_ignore_ascii_case(theirs),
                    _ => false,
                }
        }
        None => {
            let bound_port = Url::parse(public_base)
                .ok()
                .and_then(|base| base.port_or_known_default());
            let names_an_address = match origin.host() {
                Some(Host::Ipv4(_) | Host::Ipv6(_)) => true,
                Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
                None => false,
            };
            bound_port == Some(port) && names_an_address
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn without_a_base_url_only_addresses_on_our_port_are_ours() {
        let bound = "http://127.0.0.1:8080";
        for ours in [
            "http://127.0.0.1:8080",
            "http://localhost:8080",
            "http://192.168.1.5:8080",
            "http://[::1]:8080",
        ] {
            assert!(matches(&url(ours), None, bound), "{ours}");
        }
        for theirs in [
            "http://evil.example:8080",
            "http://127.0.0.1:9090",
            "http://localhost.evil.example:8080",
        ] {
            assert!(!matches(&url(theirs), None, bound), "{theirs}");
        }
    }

    #[test]
    fn with_a_base_url_only_that_origin_is_ours() {
        let base = url("https://qa.example.org/");
        assert!(matches(&url("https://qa.example.org"), Some(&base), ""));
        assert!(!matches(&url("http://qa.example.org"), Some(&base), ""));
        assert!(!matches(&url("https://127.0.0.1"), Some(&base), ""));
    }
}
