//! One refresh of a documentation source at a time across instances: a refresh takes the
//! source's lease, renews it while it reads (saying how far it got), and gives it back at the
//! end. A lease left by an instance that stopped lapses by itself.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::doc_sources;
use crate::error::{AppError, QueryContext};

/// Takes the lease of source `id` for `holder` until `until`, unless another refresh holds it;
/// the attempt is dated `now` (what the schedule counts from).
pub fn take(
    conn: &mut DbConnection,
    id: i64,
    holder: &str,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> Result<bool, AppError> {
    // One statement: two instances cannot both see the lease free.
    let taken = diesel::update(
        doc_sources::table.find(id).filter(
            doc_sources::lease_until
                .is_null()
                .or(doc_sources::lease_until.le(now)),
        ),
    )
    .set((
        doc_sources::lease_holder.eq(holder),
        doc_sources::lease_until.eq(until),
        doc_sources::attempted_at.eq(now),
        doc_sources::refresh_done.eq(0),
        doc_sources::refresh_total.eq(None::<i32>),
    ))
    .execute(conn)
    .context("taking a documentation source's refresh lease")?;
    Ok(taken == 1)
}

/// Says how far the refresh got and keeps the lease until `until`.
pub fn renew(
    conn: &mut DbConnection,
    id: i64,
    holder: &str,
    done: i32,
    total: Option<i32>,
    until: NaiveDateTime,
) -> Result<(), AppError> {
    diesel::update(
        doc_sources::table
            .find(id)
            .filter(doc_sources::lease_holder.eq(holder)),
    )
    .set((
        doc_sources::lease_until.eq(until),
        doc_sources::refresh_done.eq(done),
        doc_sources::refresh_total.eq(total),
    ))
    .execute(conn)
    .context("renewing a documentation source's refresh lease")?;
    Ok(())
}

/// Gives the lease back (only if `holder` still has it) and clears the progress.
pub fn release(conn: &mut DbConnection, id: i64, holder: &str) -> Result<(), AppError> {
    diesel::update(
        doc_sources::table
            .find(id)
            .filter(doc_sources::lease_holder.eq(holder)),
    )
    .set((
        doc_sources::lease_holder.eq(None::<String>),
        doc_sources::lease_until.eq(None::<NaiveDateTime>),
        doc_sources::refresh_done.eq(None::<i32>),
        doc_sources::refresh_total.eq(None::<i32>),
    ))
    .execute(conn)
    .context("giving back a documentation source's refresh lease")?;
    Ok(())
}
