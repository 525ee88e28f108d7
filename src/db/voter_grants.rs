//! Voter identities handed out per address prefix, kept only as long as the limit looks back.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::voter_grants;
use crate::error::{AppError, QueryContext};

pub fn count_since(
    conn: &mut DbConnection,
    prefix: &str,
    since: NaiveDateTime,
) -> Result<i64, AppError> {
    voter_grants::table
        .filter(voter_grants::prefix.eq(prefix))
        .filter(voter_grants::granted_at.ge(since))
        .count()
        .get_result(conn)
        .context("counting new voters")
}

pub fn record(conn: &mut DbConnection, prefix: &str, at: NaiveDateTime) -> Result<(), AppError> {
    diesel::insert_into(voter_grants::table)
        .values((
            voter_grants::prefix.eq(prefix),
            voter_grants::granted_at.eq(at),
        ))
        .execute(conn)
        .context("recording a new voter")?;
    Ok(())
}

pub fn forget_before(conn: &mut DbConnection, before: NaiveDateTime) -> Result<(), AppError> {
    diesel::delete(voter_grants::table.filter(voter_grants::granted_at.lt(before)))
        .execute(conn)
        .context("forgetting old voter grants")?;
    Ok(())
}
