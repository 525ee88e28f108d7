use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::modlog;
use crate::error::{AppError, QueryContext};

/// One line of the audit log: who (none when done from the command line) did what, to what.
#[derive(Insertable, Default)]
#[diesel(table_name = modlog)]
pub struct NewEntry<'a> {
    pub moderator_id: Option<i64>,
    pub action: &'a str,
    pub event_id: Option<i64>,
    pub question_id: Option<i64>,
    pub reason: Option<&'a str>,
    pub before_value: Option<&'a str>,
    pub after_value: Option<&'a str>,
    pub created_at: NaiveDateTime,
}

pub fn record(conn: &mut DbConnection, entry: &NewEntry<'_>) -> Result<(), AppError> {
    diesel::insert_into(modlog::table)
        .values(entry)
        .execute(conn)
        .context("writing the audit log")?;
    Ok(())
}

/// An audit-log line as read back, with names instead of ids.
#[derive(Debug, Clone, Queryable)]
pub struct Entry {
    pub id: i64,
    pub action: String,
    pub moderator: Option<String>,
    pub event: Option<String>,
    pub question_id: Option<i64>,
    pub reason: Option<String>,
    pub before_value: Option<String>,
    pub after_value: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub event_slug: Option<String>,
    pub moderator: Option<String>,
    pub action: Option<String>,
    pub limit: i64,
}

/// Newest first, narrowed by event, moderator and action.
pub fn list(conn: &mut DbConnection, filter: &Filter) -> Result<Vec<Entry>, AppError> {
    use super::schema::{events, moderators};
    let mut query = modlog::table
        .left_join(moderators::table)
        .left_join(events::table)
        .order(modlog::id.desc())
        .limit(filter.limit)
        .select((
            modlog::id,
            modlog::action,
            moderators::username.nullable(),
            events::slug.nullable(),
            modlog::question_id,
            modlog::reason,
            modlog::before_value,
            modlog::after_value,
            modlog::created_at,
        ))
        .into_boxed();
    if let Some(slug) = &filter.event_slug {
        query = query.filter(events::slug.eq(slug.clone()));
    }
    if let Some(username) = &filter.moderator {
        query = query.filter(moderators::username.eq(username.clone()));
    }
    if let Some(action) = &filter.action {
        query = query.filter(modlog::action.eq(action.clone()));
    }
    query.load(conn).context("reading the audit log")
}

/// What the latest entry of `action` on a question recorded, for its undo: the values before
/// and after it (a rejection keeps the status before; a merge keeps its own record after).
pub struct LoggedChange {
    pub before: Option<String>,
    pub after: Option<String>,
}

pub fn latest_change(
    conn: &mut DbConnection,
    question_id: i64,
    action: &str,
) -> Result<Option<LoggedChange>, AppError> {
    Ok(modlog::table
        .filter(modlog::question_id.eq(question_id))
        .filter(modlog::action.eq(action))
        .order(modlog::id.desc())
        .select((modlog::before_value, modlog::after_value))
        .first::<(Option<String>, Option<String>)>(conn)
        .optional()
        .context("finding what to undo")?
        .map(|(before, after)| LoggedChange { before, after }))
}
