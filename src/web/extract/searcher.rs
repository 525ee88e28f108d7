//! Who settled on a search, as far as the FAQ's "searched for, not answered" needs to know: a
//! crawler (not counted), or a visitor told apart by a hash of their address and browser.

use std::hash::{DefaultHasher, Hash, Hasher};

use actix_web::http::header;
use actix_web::HttpRequest;

use crate::app::faq::browse::Settled;
use crate::app::faq::recent_searches::Searcher;
use crate::web::extract::client_ip::client_ip;
use crate::web::AppState;

pub fn settled_by<'a>(req: &HttpRequest, state: &'a AppState) -> Settled<'a> {
    let agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    if !agent.is_empty() && state.crawlers.is_bot(agent) {
        return Settled::ByCrawler;
    }
    let mut hasher = DefaultHasher::new();
    client_ip(req).hash(&mut hasher);
    agent.hash(&mut hasher);
    Settled::Yes(Some(Searcher {
        recent: &state.recent_searches,
        visitor: hasher.finish(),
        at: state.clock.now(),
    }))
}
