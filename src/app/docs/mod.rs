//! The project's own documentation as a source of answers: sources an admin adds, refreshes and
//! removes, each read into sections by heading and kept with tombstones for what went.

pub mod answering;
pub mod closest_cache;
pub mod coverage;
pub mod finding;
pub mod lease;
pub mod refresh;
pub mod report;
pub mod report_csv;
pub mod schedule;
pub mod sources;
pub mod uses;
