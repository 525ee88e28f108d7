use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::modlog;
use super::DbConnection;
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
