//! The ready-made start of an event: ask the audience what they want from the session — a choice
//! of format (with room for their own idea) and an open question — both open at once, so answers
//! come in beside the questions before the call.

use chrono::NaiveDateTime;

use crate::app::polls::lifecycle::{self, Move};
use crate::app::polls::{drafting, Poll};
use crate::bus::Bus;
use crate::db::Db;
use crate::domain::{DraftPoll, PollDefinition};
use crate::error::AppError;

pub const FORMAT_PROMPT: &str = "What would you like this session to be?";
pub const FORMATS: [&str; 3] = [
    "A walk through the docs",
    "Q&A with the developers",
    "A wider discussion of where the project is going",
];
pub const WISHES_PROMPT: &str = "What do you want to get out of this session?";

fn definitions() -> Result<[PollDefinition; 2], AppError> {
    let formats: Vec<String> = FORMATS.iter().map(|format| (*format).to_owned()).collect();
    Ok([
        PollDefinition::parse(&DraftPoll {
            kind: "choice",
            prompt: FORMAT_PROMPT,
            options: &formats,
            other: true,
            results: "live",
            ..DraftPoll::default()
        })?,
        PollDefinition::parse(&DraftPoll {
            kind: "text",
            prompt: WISHES_PROMPT,
            results: "live",
            ..DraftPoll::default()
        })?,
    ])
}

/// Adds the two polls to the event, open.
pub async fn start_asking_around(
    db: &Db,
    bus: &Bus,
    actor: Option<i64>,
    event_id: i64,
    at: NaiveDateTime,
) -> Result<Vec<Poll>, AppError> {
    let mut opened = Vec::with_capacity(2);
    for definition in definitions()? {
        let poll = drafting::create(db, bus, actor, event_id, definition, Vec::new(), at).await?;
        let (poll, _) = lifecycle::apply(db, bus, actor, poll.id, Move::Open, at).await?;
        opened.push(poll);
    }
    Ok(opened)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_ready_made_polls_are_valid() {
        assert!(super::definitions().is_ok());
    }
}
