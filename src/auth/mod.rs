//! Moderator credentials, below HTTP: password hashing and sign-in throttling. The signed-in
//! moderator of a request and the access guards are HTTP extractors, in `web`.

pub mod passwords;
pub mod throttle;
