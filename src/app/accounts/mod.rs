//! Moderator accounts, their sessions, and their personal API tokens.

pub mod api_tokens;
pub mod moderators;
pub mod sessions;
