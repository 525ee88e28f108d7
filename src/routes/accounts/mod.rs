//! Moderators signing in and out, their account page and sessions, and the admins' moderators page.

pub(crate) mod pages;
pub(crate) mod sessions;
pub(crate) mod sign_in;
