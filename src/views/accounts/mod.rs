//! Signing in, the moderation home, account pages and sessions.

pub mod pages;
pub mod sessions;
pub mod sign_in;
