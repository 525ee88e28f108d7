//! Polls: the moderator API, the public API, and the forms of the event page and dashboard.

pub(crate) mod admin;
pub(crate) mod admin_groups;
pub(crate) mod admin_moves;
pub(crate) mod api;
pub(crate) mod json;
pub(crate) mod pages;
pub(crate) mod participation_api;
