//! Pages about the project's documentation as a source of answers: its sources, for admins.

pub mod report;
pub mod sources;
