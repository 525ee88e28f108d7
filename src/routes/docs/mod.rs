//! The project's documentation as a source of answers: its sources and sections, for admins.

pub(crate) mod api;
