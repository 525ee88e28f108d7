//! Polls as a viewer sees them: moderators see every poll with its results; anyone else sees the
//! opened ones, their own answer, and the results once the poll's setting lets them.

use std::collections::HashMap;

use std::sync::Arc;

use crate::app::polls::drafting::find_in;
use crate::app::polls::results::{self, PollResults};
use crate::app::polls::results_cache::ResultsCache;
use crate::app::polls::Poll;
use crate::bus::Bus;
use crate::db::{self, Db, DbConnection};
use crate::domain::{PollAnswer, PollState, TokenHash};
use crate::error::AppError;

/// Where polls are read from: the database, and the results counted since the last change.
#[derive(Clone)]
pub struct PollReader {
    db: Db,
    cache: ResultsCache,
}

impl PollReader {
    pub fn new(db: Db, bus: Bus) -> Self {
        Self {
            db,
            cache: ResultsCache::new(bus),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Viewer {
    Moderator,
    Public { voter: Option<TokenHash> },
}

impl Viewer {
    fn is_moderator(&self) -> bool {
        matches!(self, Viewer::Moderator)
    }
}

#[derive(Debug, Clone)]
pub struct PollView {
    pub poll: Poll,
    /// `None` while the viewer may not see them.
    pub results: Option<Arc<PollResults>>,
    /// The viewer's own answer.
    pub mine: Option<PollAnswer>,
    /// Open-text answers the viewer has up-voted.
    pub upvoted: Vec<i64>,
}

/// The event's polls the viewer may see, in the order they were drafted.
pub async fn of_event(
    reader: &PollReader,
    event_id: i64,
    viewer: Viewer,
) -> Result<Vec<PollView>, AppError> {
    let cache = reader.cache.clone();
    reader
        .db
        .read(move |conn| {
            let polls = db::polls::of_event(conn, event_id)?
                .into_iter()
                .map(Poll::from_row)
                .collect::<Result<Vec<_>, _>>()?;
            let seen: Vec<Poll> = polls
                .into_iter()
                .filter(|poll| viewer.is_moderator() || poll.state != PollState::Draft)
                .collect();
            views(conn, &cache, seen, &viewer)
        })
        .await
}

/// One poll as the viewer sees it; a draft is not found by the public.
pub async fn one(reader: &PollReader, poll_id: i64, viewer: Viewer) -> Result<PollView, AppError> {
    let cache = reader.cache.clone();
    reader
        .db
        .read(move |conn| {
            let poll = find_in(conn, poll_id)?;
            if !viewer.is_moderator() {
                let public = db::events::find_by_id(conn, poll.event_id)?
                    .is_some_and(|event| event.status != crate::domain::EventStatus::Draft);
                if poll.state == PollState::Draft || !public {
                    return Err(AppError::NotFound { what: "poll" });
                }
            }
            views(conn, &cache, vec![poll], &viewer)?
                .pop()
                .ok_or(AppError::NotFound { what: "poll" })
        })
        .await
}

fn views(
    conn: &mut DbConnection,
    cache: &ResultsCache,
    polls: Vec<Poll>,
    viewer: &Viewer,
) -> Result<Vec<PollView>, AppError> {
    let ids: Vec<i64> = polls.iter().map(|poll| poll.id).collect();
    let voter = match viewer {
        Viewer::Public { voter: Some(voter) } => Some(voter.as_str().to_owned()),
        _ => None,
    };
    let mine: HashMap<i64, PollAnswer> = match &voter {
        Some(voter) => db::poll_answers::of_voter_in(conn, &ids, voter)?
            .into_iter()
            .filter_map(|(poll_id, stored)| {
                PollAnswer::from_stored(&stored).map(|answer| (poll_id, answer))
            })
            .collect(),
        None => HashMap::new(),
    };
    let mut seen = Vec::with_capacity(polls.len());
    for poll in polls {
        let answer = mine.get(&poll.id).cloned();
        let visible = viewer.is_moderator() || poll.results_visible_to_public(answer.is_some());
        let results = if visible {
            Some(cache.results(conn, &poll, viewer.is_moderator())?)
        } else {
            None
        };
        let texts = results
            .as_deref()
            .and_then(|results| match &results.counts {
                results::Counts::Texts(texts) => Some(texts),
                _ => None,
            });
        let upvoted = match (&voter, texts) {
            (Some(voter), Some(texts)) => {
                let shown: Vec<i64> = texts.iter().map(|text| text.answer_id).collect();
                db::poll_answers::upvoted_by(conn, &shown, voter)?
            }
            _ => Vec::new(),
        };
        seen.push(PollView {
            poll,
            results,
            mine: answer,
            upvoted,
        });
    }
    Ok(seen)
}

/// A poll on the presenter screen: its results, and whether the room may see them yet (until
/// then only the number of answers shows).
#[derive(Debug, Clone)]
pub struct ScreenPoll {
    pub poll: Poll,
    pub results: Arc<PollResults>,
    pub shown: bool,
}

/// What the presenter screen shows of polls: the poll opened last while one is open (a screen
/// holds one poll readably), or else the poll closed last, once its results are revealed.
pub async fn for_screen(reader: &PollReader, event_id: i64) -> Result<Vec<ScreenPoll>, AppError> {
    let cache = reader.cache.clone();
    reader
        .db
        .read(move |conn| {
            let polls = db::polls::of_event(conn, event_id)?
                .into_iter()
                .map(Poll::from_row)
                .collect::<Result<Vec<_>, _>>()?;
            let latest_open = polls
                .iter()
                .filter(|poll| poll.state == PollState::Open)
                .max_by_key(|poll| (poll.opened_at, poll.id))
                .cloned();
            let shown: Vec<Poll> = match latest_open {
                Some(open) => vec![open],
                None => polls
                    .into_iter()
                    .filter(|poll| poll.state == PollState::Closed)
                    .max_by_key(|poll| (poll.closed_at, poll.id))
                    .filter(|poll| poll.revealed)
                    .into_iter()
                    .collect(),
            };
            shown
                .into_iter()
                .map(|poll| {
                    let results = cache.results(conn, &poll, false)?;
                    let shown = poll.results_visible_to_public(false);
                    Ok(ScreenPoll {
                        poll,
                        results,
                        shown,
                    })
                })
                .collect()
        })
        .await
}
