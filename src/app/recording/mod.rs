//! After the call: the transcript brought in, each question's moment in the recording proposed
//! from it with a draft answer, the timeline that lines recording and call up, and the review.

pub mod accept;
pub mod captions;
pub mod proposals;
pub mod review;
pub mod timeline;
pub mod transcriber;
pub mod transcription;
pub mod transcripts;
