//! One function per use case, shared by the HTML and the JSON front, in one folder per
//! capability (the same names as in `routes`). Each write is one database transaction.

pub mod accounts;
pub mod asking;
pub mod clock;
pub mod docs;
pub mod events;
pub mod faq;
pub mod insights;
pub mod live;
pub mod moderation;
pub mod operations;
pub mod outreach;
pub mod polls;
pub mod recording;

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
