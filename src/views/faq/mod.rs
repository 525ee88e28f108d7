//! The FAQ for visitors (search, entries, topics), its Markdown export and Atom feed, and the
//! searches that found nothing.

pub mod doc_results;
pub mod faq_export;
pub mod feed;
pub mod pages;
pub mod search_markdown;
pub mod search_misses;
