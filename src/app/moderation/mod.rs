//! What moderators do to an event's questions: approve, reject, answer, edit, merge duplicates
//! (and find them), and the audit log of it all.

pub mod answers;
pub mod curation;
pub mod duplicates;
pub mod editing;
pub mod merge;
pub mod modlog;
