//! What every HTTP handler stands on, below the capability handlers in `routes`: the shared
//! state, how errors look, extractors for bodies and the signed-in moderator, the access guards,
//! secrets and cookies, CSRF, API write guards, rate limits, security headers and metrics.
//! Nothing here imports a handler.

pub mod api_guard;
pub mod client_ip;
pub mod cookies;
pub mod csrf;
pub mod current_moderator;
pub mod embedding;
pub mod errors;
pub mod guard;
pub mod head_requests;
pub mod headers;
pub mod json_object;
pub mod keys;
pub mod metrics;
pub mod origin;
pub mod page_cache;
pub mod rate_limit;
pub mod rendered_page;
pub mod request_metrics;
pub mod respond;
pub mod route_spec;
pub mod state;
pub mod typed_text;
pub mod voter_issue;
pub mod whole_number;

pub use state::AppState;
