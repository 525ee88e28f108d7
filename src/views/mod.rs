//! HTML pages with maud. A page function takes plain data and returns `Markup`; every piece of
//! user text goes through maud's escaping.

pub mod accounts;
pub mod asking;
pub mod components;
pub mod docs;
pub mod error_page;
pub mod events;
pub mod faq;
pub mod insights;
pub mod layout;
pub mod live;
pub mod moderation;
pub mod outreach;
pub mod polls;
pub mod recording;
pub mod structured_data;
pub mod time;
