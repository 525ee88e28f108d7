//! The moderator's focus mode and the presenter view for the stream.

pub mod focus;
pub mod presenter;
