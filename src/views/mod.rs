//! HTML pages with maud. A page function takes plain data and returns `Markup`; every piece of
//! user text goes through maud's escaping.

pub mod accounts;
pub mod ask_form;
pub mod audit_log;
pub mod calendar;
pub mod components;
pub mod dashboard;
pub mod dashboard_forms;
pub mod dashboard_row;
pub mod dashboard_view;
pub mod duplicates;
pub mod embed;
pub mod error_page;
pub mod event;
pub mod event_parts;
pub mod event_settings;
pub mod faq;
pub mod faq_export;
pub mod feed;
pub mod focus;
pub mod follow;
pub mod home;
pub mod layout;
pub mod mail;
pub mod mail_pages;
pub mod merge;
pub mod moderation;
pub mod presenter;
pub mod recording;
mod recording_row;
pub mod recording_view;
pub mod search_misses;
pub mod sessions;
pub mod sitemap;
pub mod structured_data;
pub mod time;
pub mod webhooks;
