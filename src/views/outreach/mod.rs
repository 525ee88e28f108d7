//! What is read outside faqtory: letters and the pages behind their links, webhooks' admin
//! page, calendars, the embeddable pages and the sitemap.

pub mod calendar;
pub mod embed;
pub mod mail;
pub mod mail_pages;
pub mod sitemap;
pub mod webhooks;
