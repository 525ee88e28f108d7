//! Searches that found nothing: the normalised text, how often, when last. Nothing about who.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::search_misses;
use crate::error::{AppError, QueryContext};

/// Kept at most; the ones not seen for longest go first.
const MAX_ROWS: i64 = 10_000;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = search_misses)]
pub struct Miss {
    pub id: i64,
    pub query: String,
    pub count: i32,
    pub last_seen: NaiveDateTime,
}

pub fn record(conn: &mut DbConnection, query: &str, at: NaiveDateTime) -> Result<(), AppError> {
    let counted = diesel::update(search_misses::table.filter(search_misses::query.eq(query)))
        .set((
            search_misses::count.eq(search_misses::count + 1),
            search_misses::last_seen.eq(at),
        ))
        .execute(conn)
        .context("counting a search that found nothing")?;
    if counted > 0 {
        return Ok(());
    }
    let id: i64 = diesel::insert_into(search_misses::table)
        .values((
            search_misses::query.eq(query),
            search_misses::count.eq(1),
            search_misses::last_seen.eq(at),
        ))
        .returning(search_misses::id)
        .get_result(conn)
        .context("noting a search that found nothing")?;
    if id % 100 == 0 {
        prune(conn)?;
    }
    Ok(())
}

/// Takes back one count of a search (a step on the way to the visitor's next one); a search
/// left at no count is forgotten.
pub fn take_back(conn: &mut DbConnection, query: &str) -> Result<(), AppError> {
    diesel::update(search_misses::table.filter(search_misses::query.eq(query)))
        .set(search_misses::count.eq(search_misses::count - 1))
        .execute(conn)
        .context("taking back a search that found nothing")?;
    diesel::delete(
        search_misses::table
            .filter(search_misses::query.eq(query))
            .filter(search_misses::count.le(0)),
    )
    .execute(conn)
    .context("forgetting a search taken back")?;
    Ok(())
}

fn prune(conn: &mut DbConnection) -> Result<(), AppError> {
    let cutoff: Option<NaiveDateTime> = search_misses::table
        .order(search_misses::last_seen.desc())
        .offset(MAX_ROWS)
        .select(search_misses::last_seen)
        .first(conn)
        .optional()
        .context("finding old search misses")?;
    if let Some(cutoff) = cutoff {
        diesel::delete(search_misses::table.filter(search_misses::last_seen.le(cutoff)))
            .execute(conn)
            .context("forgetting old search misses")?;
    }
    Ok(())
}

/// Most frequent first, then most recent.
pub fn list(conn: &mut DbConnection, limit: i64) -> Result<Vec<Miss>, AppError> {
    search_misses::table
        .order((search_misses::count.desc(), search_misses::last_seen.desc()))
        .limit(limit)
        .select(Miss::as_select())
        .load(conn)
        .context("listing search misses")
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<Miss>, AppError> {
    search_misses::table
        .find(id)
        .select(Miss::as_select())
        .get_result(conn)
        .optional()
        .context("finding a search miss")
}

pub fn delete(conn: &mut DbConnection, id: i64) -> Result<(), AppError> {
    diesel::delete(search_misses::table.find(id))
        .execute(conn)
        .context("removing a search miss")?;
    Ok(())
}
