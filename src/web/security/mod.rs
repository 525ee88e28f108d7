//! Who may do what from where: the access guard of every route, API write checks, CSRF,
//! same-origin checks, rate limits, the voter cookie, secrets and signed cookies, embedding and
//! the security headers.

pub mod api_guard;
pub mod cookies;
pub mod csrf;
pub mod embedding;
pub mod guard;
pub mod headers;
pub mod keys;
pub mod origin;
pub mod rate_limit;
pub mod voter_issue;
