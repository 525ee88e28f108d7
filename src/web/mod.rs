//! Cross-cutting HTTP concerns: secrets and cookies, CSRF, API write guards, rate limits,
//! security headers and metrics.

pub mod api_guard;
pub mod client_ip;
pub mod cookies;
pub mod csrf;
pub mod embedding;
pub mod head_requests;
pub mod headers;
pub mod keys;
pub mod metrics;
pub mod origin;
pub mod page_cache;
pub mod rate_limit;
pub mod rendered_page;
pub mod state;
pub mod voter_issue;

pub use state::AppState;
