//! What people did with a suggested documentation section, one row per act: what the docs
//! report and each event's figures count.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::doc_section_uses;
use crate::error::{AppError, QueryContext};

/// The acts, as stored.
pub const SHOWN: &str = "shown";
pub const OPENED: &str = "opened";
/// The asker said the section answers their question.
pub const ANSWERED: &str = "answered";
pub const ASKED_ANYWAY: &str = "asked_anyway";
/// A moderator answered a question with it.
pub const ANSWERED_WITH: &str = "answered_with";

pub const ALL: [&str; 5] = [SHOWN, OPENED, ANSWERED, ASKED_ANYWAY, ANSWERED_WITH];

pub struct NewUse {
    pub section_id: i64,
    pub event_id: Option<i64>,
    pub question_id: Option<i64>,
    pub what: &'static str,
    pub at: NaiveDateTime,
}

pub fn record(conn: &mut DbConnection, uses: &[NewUse]) -> Result<(), AppError> {
    // One by one: batch inserts are not available across both backends.
    for one in uses {
        diesel::insert_into(doc_section_uses::table)
            .values((
                doc_section_uses::section_id.eq(one.section_id),
                doc_section_uses::event_id.eq(one.event_id),
                doc_section_uses::question_id.eq(one.question_id),
                doc_section_uses::what.eq(one.what),
                doc_section_uses::at.eq(one.at),
            ))
            .execute(conn)
            .context("counting what was done with a documentation section")?;
    }
    Ok(())
}

/// Per section, how many of each act (only sections with any).
pub fn counts_by_section(
    conn: &mut DbConnection,
) -> Result<HashMap<i64, HashMap<String, i64>>, AppError> {
    let rows: Vec<(i64, String, i64)> = doc_section_uses::table
        .group_by((doc_section_uses::section_id, doc_section_uses::what))
        .select((
            doc_section_uses::section_id,
            doc_section_uses::what,
            diesel::dsl::count_star(),
        ))
        .load(conn)
        .context("counting documentation sections' uses")?;
    let mut counts: HashMap<i64, HashMap<String, i64>> = HashMap::new();
    for (section, what, count) in rows {
        counts.entry(section).or_default().insert(what, count);
    }
    Ok(counts)
}

/// An event's acts, by kind.
pub fn counts_in_event(
    conn: &mut DbConnection,
    event_id: i64,
) -> Result<HashMap<String, i64>, AppError> {
    let rows: Vec<(String, i64)> = doc_section_uses::table
        .filter(doc_section_uses::event_id.eq(event_id))
        .group_by(doc_section_uses::what)
        .select((doc_section_uses::what, diesel::dsl::count_star()))
        .load(conn)
        .context("counting an event's documentation uses")?;
    Ok(rows.into_iter().collect())
}

/// The questions of an event that a moderator answered with a section.
pub fn answered_with_in_event(
    conn: &mut DbConnection,
    event_id: i64,
) -> Result<Vec<(i64, i64)>, AppError> {
    doc_section_uses::table
        .filter(doc_section_uses::event_id.eq(event_id))
        .filter(doc_section_uses::what.eq(ANSWERED_WITH))
        .filter(doc_section_uses::question_id.is_not_null())
        .select((
            doc_section_uses::question_id.assume_not_null(),
            doc_section_uses::section_id,
        ))
        .load(conn)
        .context("reading questions answered with documentation")
}

/// Every question a moderator answered with a section, in any event.
pub fn questions_answered_with(
    conn: &mut DbConnection,
) -> Result<std::collections::HashSet<i64>, AppError> {
    let ids: Vec<i64> = doc_section_uses::table
        .filter(doc_section_uses::what.eq(ANSWERED_WITH))
        .filter(doc_section_uses::question_id.is_not_null())
        .select(doc_section_uses::question_id.assume_not_null())
        .load(conn)
        .context("reading questions answered with documentation")?;
    Ok(ids.into_iter().collect())
}
