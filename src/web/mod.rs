//! What every HTTP handler stands on, below the capability handlers in `routes`: the shared
//! state, how errors look, extractors for bodies and the signed-in moderator, the access guards,
//! secrets and cookies, CSRF, API write guards, rate limits, security headers and metrics.
//! Nothing here imports a handler.

pub mod extract;
pub mod responses;
pub mod route_spec;
pub mod security;
pub mod state;
pub mod telemetry;

pub use state::AppState;
