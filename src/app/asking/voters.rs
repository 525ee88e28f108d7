//! Voter identities: the server hands one to a browser when it looks at an event (its page or its
//! API), and only a vote that carries one counts. New identities are limited per network (an IPv4
//! address, or an IPv6 /64) across every instance sharing the database, so that a script minting
//! a fresh voter per request gets a few votes, not thousands.

use chrono::{Duration, NaiveDateTime};

use crate::db::{self, Db};
use crate::error::AppError;

/// How far back the limit looks; grants older than this are forgotten.
pub const WINDOW: Duration = Duration::minutes(10);

/// Whether one more identity may go to this network now; records it when so.
pub async fn may_issue(
    db: &Db,
    prefix: String,
    limit: u32,
    now: NaiveDateTime,
) -> Result<bool, AppError> {
    db.write(move |conn| {
        let recent = db::voter_grants::count_since(conn, &prefix, now - WINDOW)?;
        if recent >= i64::from(limit) {
            return Ok(false);
        }
        db::voter_grants::record(conn, &prefix, now)?;
        Ok(true)
    })
    .await
}

/// Forgets the networks behind voter grants, votes and poll answers once nothing needs them (the grants' window,
/// a burst's span); run every minute (see `startup`).
pub async fn forget_networks(db: &Db, now: NaiveDateTime) -> Result<(), AppError> {
    db.write(move |conn| {
        db::voter_grants::forget_before(conn, now - WINDOW)?;
        let burst_judged = now - crate::app::asking::automated_votes::BURST_SPAN;
        db::votes::forget_origins_before(conn, burst_judged)?;
        db::poll_answers::forget_origins_before(conn, burst_judged)?;
        Ok(())
    })
    .await
}
