//! The live session: the presenter view for the stream.

pub mod presenter;
