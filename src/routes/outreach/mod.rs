//! What reaches people outside faqtory: mail links and forms, webhooks, calendars, the embeddable
//! pages, and what search engines read.

pub(crate) mod calendars;
pub(crate) mod crawlers;
pub(crate) mod embed;
pub(crate) mod mail;
pub(crate) mod webhooks_api;
pub(crate) mod webhooks_page;
