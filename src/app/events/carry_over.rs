//! When an event closes, the questions it did not get to move to another event with their votes,
//! so nothing asked is forgotten.

use crate::app::now;
use crate::bus::{Bus, Notice};
use crate::db::{self, events::Event, Db, DbConnection};
use crate::domain::QuestionStatus;
use crate::error::AppError;

pub struct CarriedOver {
    /// Approved, unanswered questions moved (the ones merged into them travel along, uncounted).
    pub questions: usize,
    pub to_slug: String,
}

/// How many questions `carry_over` would move from this event.
pub async fn pending_carry_over(db: &Db, event_id: i64) -> Result<usize, AppError> {
    db.read(move |conn| {
        Ok(db::questions::in_event_with_status(conn, event_id, QuestionStatus::Approved)?.len())
    })
    .await
}

/// Moves the approved, unanswered questions of `from` (and those merged into them) to `to`.
pub async fn carry_over(
    db: &Db,
    bus: &Bus,
    actor: i64,
    from: &str,
    to: &str,
) -> Result<CarriedOver, AppError> {
    let (from, to) = (from.to_owned(), to.to_owned());
    let (carried, events) = db
        .write(move |conn| {
            let source = db::events::find_by_slug(conn, &from)?
                .ok_or(AppError::NotFound { what: "event" })?;
            let target = db::events::find_by_slug(conn, &to)?.ok_or_else(|| {
                crate::domain::Invalid::new(
                    "to",
                    format!("There is no event `{to}` to carry over to."),
                )
            })?;
            if target.id == source.id {
                return Err(crate::domain::Invalid::new(
                    "to",
                    "Pick another event: questions cannot be carried over to the same event.",
                )
                .into());
            }
            if !target.status.accepts_carry_over() {
                return Err(crate::domain::Invalid::new(
                    "to",
                    format!(
                        "`{}` is {}: carry questions over to an event that is still to come.",
                        target.slug,
                        target.status.as_str()
                    ),
                )
                .into());
            }
            let carried: Vec<i64> =
                db::questions::in_event_with_status(conn, source.id, QuestionStatus::Approved)?
                    .iter()
                    .map(|question| question.id)
                    .collect();
            if carried.is_empty() {
                return Ok((
                    CarriedOver {
                        questions: 0,
                        to_slug: target.slug,
                    },
                    None,
                ));
            }
            let from: Vec<(i64, &str)> = carried
                .iter()
                .map(|id| (*id, source.slug.as_str()))
                .collect();
            move_questions(conn, actor, &from, &target)?;
            let at = now();
            let summary = format!("{} questions to {}", carried.len(), target.slug);
            db::modlog::record(
                conn,
                &db::modlog::NewEntry {
                    moderator_id: Some(actor),
                    action: "event.carry_over",
                    event_id: Some(source.id),
                    after_value: Some(&summary),
                    created_at: at,
                    ..db::modlog::NewEntry::default()
                },
            )?;
            Ok((
                CarriedOver {
                    questions: carried.len(),
                    to_slug: target.slug,
                },
                Some([source.id, target.id]),
            ))
        })
        .await?;
    // Both events' lists changed.
    bus.publish_all(events.into_iter().flatten().map(Notice::event));
    Ok(carried)
}

/// Moves questions (each with the slug of the event it leaves) and those merged into them to
/// `target`, labels along, each move in the audit log; the caller's transaction holds it all.
pub(crate) fn move_questions(
    conn: &mut DbConnection,
    actor: i64,
    carried: &[(i64, &str)],
    target: &Event,
) -> Result<(), AppError> {
    let ids: Vec<i64> = carried.iter().map(|(id, _)| *id).collect();
    let mut moving = ids.clone();
    moving.extend(db::questions::merged_into_any(conn, &ids)?);
    let at = now();
    db::questions::move_to_event(conn, &moving, target.id, at)?;
    db::labels::carry_to_event(conn, &moving, target.id)?;
    for question_id in &moving {
        db::changes::record(conn, *question_id, at)?;
    }
    for (question_id, from) in carried {
        db::modlog::record(
            conn,
            &db::modlog::NewEntry {
                moderator_id: Some(actor),
                action: "question.carry_over",
                event_id: Some(target.id),
                question_id: Some(*question_id),
                before_value: Some(from),
                after_value: Some(&target.slug),
                created_at: at,
                ..db::modlog::NewEntry::default()
            },
        )?;
    }
    Ok(())
}
