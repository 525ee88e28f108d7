//! The live session: Server-Sent Events, the presenter view, and the moderator's focus mode.

pub(crate) mod focus;
pub(crate) mod presenter;
pub(crate) mod stream;
