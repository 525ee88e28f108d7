//! Opening, closing and revealing polls. Several polls of an event may be open at once (one
//! beside the ask form before the session, another live); a closed poll may be opened again.

use chrono::NaiveDateTime;

use crate::app::outreach::webhooks::{self, Told};
use crate::app::polls::backup::tally_lines;
use crate::app::polls::drafting::{find_in, record};
use crate::app::polls::results;
use crate::app::polls::{announce_poll, Poll};
use crate::bus::Bus;
use crate::db::{self, Db, DbConnection};
use crate::domain::PollState;
use crate::domain::WebhookKind;
use crate::error::AppError;

/// What a moderator does to a poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Open,
    Close,
    /// Shows the results to everyone, whatever the poll's setting.
    Reveal,
    /// Takes revealed results back out of sight.
    Conceal,
}

impl Move {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "open" => Some(Move::Open),
            "close" => Some(Move::Close),
            "reveal" => Some(Move::Reveal),
            "conceal" => Some(Move::Conceal),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Move::Open => "open",
            Move::Close => "close",
            Move::Reveal => "reveal",
            Move::Conceal => "conceal",
        }
    }
}

/// Applies `step` to the poll; doing what is already done changes nothing. Returns the poll as
/// it now is, and whether it has just closed (what `poll.closed` webhooks are sent for).
pub async fn apply(
    db: &Db,
    bus: &Bus,
    actor: Option<i64>,
    poll_id: i64,
    step: Move,
    at: NaiveDateTime,
) -> Result<(Poll, bool), AppError> {
    let (poll, changed) = db
        .write(move |conn| {
            let poll = find_in(conn, poll_id)?;
            let changed = match step {
                Move::Open if poll.state != PollState::Open => {
                    db::polls::set_state(conn, poll_id, PollState::Open.as_str(), at)?;
                    true
                }
                Move::Close if poll.state == PollState::Open => {
                    db::polls::set_state(conn, poll_id, PollState::Closed.as_str(), at)?;
                    true
                }
                Move::Close if poll.state == PollState::Draft => {
                    return Err(AppError::conflict(
                        "poll_not_open",
                        "This poll has not been opened yet: there is nothing to close.",
                    ));
                }
                Move::Reveal | Move::Conceal if poll.state == PollState::Draft => {
                    return Err(AppError::conflict(
                        "poll_not_open",
                        "Open this poll first: a draft has no results to show.",
                    ));
                }
                Move::Reveal if !poll.revealed => {
                    db::polls::set_revealed(conn, poll_id, true)?;
                    true
                }
                Move::Conceal if poll.revealed => {
                    db::polls::set_revealed(conn, poll_id, false)?;
                    true
                }
                _ => false,
            };
            if changed && step == Move::Close {
                tell_closed(conn, &poll)?;
            }
            if changed {
                let action = format!("poll.{}", step.as_str());
                record(
                    conn,
                    actor,
                    &action,
                    poll.event_id,
                    poll_id,
                    &poll.definition.prompt,
                    at,
                )?;
            }
            Ok((find_in(conn, poll_id)?, changed))
        })
        .await?;
    if changed {
        announce_poll(bus, &poll);
    }
    Ok((poll, changed && step == Move::Close))
}

/// Counts shown in a `poll.closed` webhook at most.
const TOLD_LINES: usize = 10;

/// Queues `poll.closed` for the event's webhooks, with the counts, in the close's transaction.
fn tell_closed(conn: &mut DbConnection, poll: &Poll) -> Result<(), AppError> {
    let rows = db::poll_answers::of_poll(conn, poll.id)?;
    let counted = results::count(poll, &rows, false);
    let mut summary = match counted.answers {
        1 => "1 answer".to_owned(),
        n => format!("{n} answers"),
    };
    for line in tally_lines(poll, &counted).iter().take(TOLD_LINES) {
        summary.push_str(&format!(" · {}: {}", line.label, line.value_text()));
    }
    webhooks::tell(
        conn,
        WebhookKind::PollClosed,
        Told {
            event_id: poll.event_id,
            id: poll.id,
            text: &poll.definition.prompt,
        },
        Some(&summary),
    )
}
