use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::changes;
use super::DbConnection;
use crate::error::{AppError, QueryContext};

/// Notes, in the same transaction as the change itself, that search must look at this question
/// again (the durable feed the search indexer tails).
pub fn record(
    conn: &mut DbConnection,
    question_id: i64,
    at: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::insert_into(changes::table)
        .values((
            changes::question_id.eq(question_id),
            changes::changed_at.eq(at),
        ))
        .execute(conn)
        .context("recording a change for search")?;
    Ok(())
}
