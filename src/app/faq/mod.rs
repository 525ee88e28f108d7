//! The FAQ: visitors' search and entries, FAQs imported from elsewhere, and the searches that
//! found nothing, for moderators to turn into questions.

pub mod browse;
pub mod import;
pub mod recent_searches;
pub mod search_misses;
