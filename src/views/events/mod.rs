//! The event pages: the public page (rendered once, in parts, for everyone), its settings for
//! moderators, and the home page's list of events.

pub mod event;
pub mod event_parts;
pub mod event_settings;
pub mod home;
