//! Moderator authentication: password hashing, sign-in throttling, and the signed-in moderator of
//! a request.

pub mod current;
pub mod guard;
pub mod passwords;
pub mod throttle;
