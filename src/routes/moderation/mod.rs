//! The moderators' dashboard and its moves on questions, as forms and as the moderator API:
//! approve, reject, answer, edit, vote, merge, and the audit log.

pub(crate) mod curation;
pub(crate) mod curation_api;
pub(crate) mod dashboard;
pub(crate) mod merge;
pub(crate) mod modlog;
