//! The FAQ for visitors (search, entries, topics) and the searches that found nothing, for moderators.

pub(crate) mod pages;
pub(crate) mod search;
pub(crate) mod search_misses;
