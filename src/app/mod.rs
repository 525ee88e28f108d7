//! One function per use case, shared by the HTML and the JSON front. Each write is one database
//! transaction.

pub mod answers;
pub mod api_tokens;
pub mod ask;
pub mod automated_votes;
pub mod carry_over;
pub mod clock;
pub mod curation;
pub mod duplicates;
pub mod editing;
pub mod event_page;
pub mod events;
pub mod export;
pub mod export_csv;
pub mod faq;
pub mod faq_import;
pub mod follow;
pub mod import;
pub mod mail;
pub mod mail_delivery;
pub mod mail_letters;
pub mod merge;
pub mod moderators;
pub mod modlog;
pub mod presenter;
pub mod question_import;
pub mod recording;
pub mod recording_accept;
pub mod recording_review;
pub mod recording_timeline;
pub mod retry;
pub mod search_misses;
pub mod sessions;
pub mod similar;
pub mod transcripts;
pub mod vote;
pub mod vote_batch;
pub mod voters;
pub mod webhook_bodies;
pub mod webhook_delivery;
pub mod webhooks;

use chrono::{NaiveDateTime, SubsecRound, Utc};

use crate::bus::{Bus, Notice, NoticeKind};
use crate::db::questions::Question;

/// Tells live pages that a question changed; called once its transaction has committed.
fn announce_change(bus: &Bus, question: &Question) {
    bus.publish(Notice::question(
        question.event_id,
        question.id,
        NoticeKind::Changed,
    ));
}

/// The current time as stored: UTC, without a zone, to the microsecond (what PostgreSQL keeps,
/// so both backends answer alike).
pub fn now() -> NaiveDateTime {
    Utc::now().naive_utc().trunc_subsecs(6)
}
