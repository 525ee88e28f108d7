//! The recording's review page and its API: the transcript, the timeline, each question's
//! moment and accepting its proposal.

pub(crate) mod api;
pub(crate) mod audio_api;
pub(crate) mod audio_page;
pub(crate) mod captions;
pub(crate) mod moment;
pub(crate) mod page;
pub(crate) mod transcript_api;
