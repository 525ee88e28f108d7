//! One function per use case, shared by the HTML and the JSON front. Each write is one database
//! transaction.

pub mod answers;
pub mod api_tokens;
pub mod ask;
pub mod carry_over;
pub mod curation;
pub mod editing;
pub mod event_page;
pub mod events;
pub mod export;
pub mod export_csv;
pub mod faq;
pub mod faq_import;
pub mod follow;
pub mod import;
pub mod merge;
pub mod moderators;
pub mod modlog;
pub mod question_import;
pub mod search_misses;
pub mod similar;
pub mod vote;

use chrono::{NaiveDateTime, SubsecRound, Utc};

/// The current time as stored: UTC, without a zone, to the microsecond (what PostgreSQL keeps,
/// so both backends answer alike).
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}
