//! The project's documentation as a source of answers: its sources and sections, for admins.

pub(crate) mod answering;
pub(crate) mod api;
pub(crate) mod coverage_api;
pub(crate) mod item_json;
pub(crate) mod public;
pub(crate) mod report_api;
pub(crate) mod report_page;
pub(crate) mod schedule_api;
pub(crate) mod sources_page;
