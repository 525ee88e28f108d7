//! Moderators draft polls ahead of the session, change a word cloud's banned words, and remove
//! polls; each in the audit log.

use chrono::NaiveDateTime;

use crate::app::polls::{announce_poll, Poll, StoredDefinition};
use crate::bus::Bus;
use crate::db::{self, modlog::NewEntry, Db, DbConnection};
use crate::domain::{fold_word, Invalid, PollDefinition, PollKind};
use crate::error::AppError;

/// Banned words a word cloud takes at most.
pub const BANNED_WORDS: usize = 200;

/// Adds a draft poll to the event.
pub async fn create(
    db: &Db,
    bus: &Bus,
    actor: Option<i64>,
    event_id: i64,
    definition: PollDefinition,
    banned_words: Vec<String>,
    at: NaiveDateTime,
) -> Result<Poll, AppError> {
    let banned = banned_words_json(definition.kind, &banned_words)?;
    let poll = db
        .write(move |conn| {
            let stored = StoredDefinition::of(&definition)?;
            let id = db::polls::insert(conn, &stored.row(&definition, event_id, &banned, at))?;
            record(
                conn,
                actor,
                "poll.create",
                event_id,
                id,
                &definition.prompt,
                at,
            )?;
            find_in(conn, id)
        })
        .await?;
    announce_poll(bus, &poll);
    Ok(poll)
}

/// Replaces the words a word cloud leaves out.
pub async fn set_banned_words(
    db: &Db,
    bus: &Bus,
    actor: Option<i64>,
    poll_id: i64,
    words: Vec<String>,
    at: NaiveDateTime,
) -> Result<Poll, AppError> {
    let poll = db
        .write(move |conn| {
            let poll = find_in(conn, poll_id)?;
            let json = banned_words_json(poll.kind(), &words)?;
            db::polls::set_banned_words(conn, poll_id, &json)?;
            record(
                conn,
                actor,
                "poll.ban_words",
                poll.event_id,
                poll_id,
                &json,
                at,
            )?;
            find_in(conn, poll_id)
        })
        .await?;
    announce_poll(bus, &poll);
    Ok(poll)
}

/// Removes a poll with its answers.
pub async fn delete(
    db: &Db,
    bus: &Bus,
    actor: Option<i64>,
    poll_id: i64,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    let poll = db
        .write(move |conn| {
            let poll = find_in(conn, poll_id)?;
            db::polls::delete(conn, poll_id)?;
            record(
                conn,
                actor,
                "poll.delete",
                poll.event_id,
                poll_id,
                &poll.definition.prompt,
                at,
            )?;
            Ok(poll)
        })
        .await?;
    announce_poll(bus, &poll);
    Ok(())
}

/// The poll, or 404.
pub(crate) fn find_in(conn: &mut DbConnection, poll_id: i64) -> Result<Poll, AppError> {
    db::polls::find(conn, poll_id)?
        .ok_or(AppError::NotFound { what: "poll" })
        .and_then(Poll::from_row)
}

/// One line of the audit log about a poll (its id in the `after` column, as polls have no
/// column of their own there).
pub(crate) fn record(
    conn: &mut DbConnection,
    actor: Option<i64>,
    action: &str,
    event_id: i64,
    poll_id: i64,
    detail: &str,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    let after = format!("poll {poll_id}: {detail}");
    db::modlog::record(
        conn,
        &NewEntry {
            moderator_id: actor,
            action,
            event_id: Some(event_id),
            after_value: Some(&after),
            created_at: at,
            ..NewEntry::default()
        },
    )
}

/// Banned words, folded as the cloud folds its words, as stored; only a word cloud has them.
fn banned_words_json(kind: PollKind, words: &[String]) -> Result<String, AppError> {
    if words.is_empty() {
        return Ok("[]".into());
    }
    if kind != PollKind::Words {
        return Err(Invalid::new("banned_words", "Only a `words` poll leaves words out.").into());
    }
    if words.len() > BANNED_WORDS {
        return Err(
            Invalid::new("banned_words", format!("Ban {BANNED_WORDS} words at most.")).into(),
        );
    }
    let mut folded: Vec<String> = words.iter().filter_map(|word| fold_word(word)).collect();
    folded.sort();
    folded.dedup();
    serde_json::to_string(&folded)
        .map_err(|error| AppError::internal("storing banned words", error))
}
