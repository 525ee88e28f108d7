//! A topic into the next event in one step: its most voted open questions (approved, not yet
//! answered, asked at other events) move to the event taking questions next, with their votes,
//! labels and the questions merged into them, as carrying over a closed event's questions does.

use chrono::NaiveDateTime;

use crate::app::events::carry_over::move_questions;
use crate::app::events::listing::next_taking_questions;
use crate::bus::{Bus, Notice};
use crate::db::{self, Db};
use crate::domain::{Invalid, QuestionStatus};
use crate::error::AppError;

/// The most questions of a topic carried at once.
pub const CARRIED: usize = 5;

pub struct Carried {
    pub questions: usize,
    pub to_slug: String,
}

pub async fn carry_to_next_event(
    db: &Db,
    bus: &Bus,
    actor: i64,
    topic_id: i64,
    now: NaiveDateTime,
) -> Result<Carried, AppError> {
    let target = next_taking_questions(db, now).await?.ok_or_else(|| {
        Invalid::new(
            "event",
            "No event is taking questions: open the next one, then carry the topic into it.",
        )
    })?;
    let (carried, events) = db
        .write(move |conn| {
            db::topics::find(conn, topic_id)?
                .filter(|topic| topic.merged_into.is_none())
                .ok_or(AppError::NotFound { what: "topic" })?;
            let events = db::topic_members::events_in_order(conn)?;
            let open: Vec<_> = db::topic_members::question_rows_of(conn, topic_id)?
                .into_iter()
                .filter(|row| row.status == QuestionStatus::Approved.as_str())
                .filter(|row| row.event_id != target.id)
                .take(CARRIED)
                .collect();
            if open.is_empty() {
                return Err(Invalid::new(
                    "topic",
                    format!(
                        "Nothing to carry: every question of this topic is answered or already in {}.",
                        target.title
                    ),
                )
                .into());
            }
            let slug_of = |event_id: i64| {
                events
                    .iter()
                    .find(|(id, ..)| *id == event_id)
                    .map_or("", |(_, slug, ..)| slug.as_str())
            };
            let from: Vec<(i64, &str)> = open
                .iter()
                .map(|row| (row.question_id, slug_of(row.event_id)))
                .collect();
            move_questions(conn, actor, &from, &target)?;
            let mut touched: Vec<i64> = open.iter().map(|row| row.event_id).collect();
            touched.push(target.id);
            touched.sort_unstable();
            touched.dedup();
            Ok((
                Carried {
                    questions: open.len(),
                    to_slug: target.slug.clone(),
                },
                touched,
            ))
        })
        .await?;
    bus.publish_all(events.into_iter().map(Notice::event));
    Ok(carried)
}
