//! The presenter view: a page for the stream, opened by a secret link per event (no sign-in, so
//! it can run in OBS). Only the link's hash is stored; making a new one retires the old.

use crate::app::now;
use crate::app::polls::reading::{self, PollReader, ScreenPoll};
use crate::db::events::Event;
use crate::db::modlog::NewEntry;
use crate::db::questions::Question;
use crate::db::{self, Db};
use crate::domain::Token;
use crate::error::AppError;

/// Questions shown after the one on screen.
const NEXT_UP: i64 = 5;

pub struct Presenter {
    pub event: Event,
    pub on_screen: Option<Question>,
    pub next: Vec<Question>,
    /// The polls on screen (see `polls::reading::for_screen`).
    pub polls: Vec<ScreenPoll>,
}

/// Makes a new presenter link for the event; the previous one stops working.
pub async fn new_link(db: &Db, actor: i64, slug: &str) -> Result<Token, AppError> {
    let token =
        Token::generate().map_err(|error| AppError::internal("making a presenter link", error))?;
    let hash = token.hash();
    let slug = slug.to_owned();
    db.write(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let at = now();
        db::events::set_presenter_token_hash(conn, event.id, hash.as_str(), at)?;
        db::modlog::record(
            conn,
            &NewEntry {
                moderator_id: Some(actor),
                action: "event.presenter_link",
                event_id: Some(event.id),
                after_value: Some("new link"),
                created_at: at,
                ..NewEntry::default()
            },
        )?;
        Ok(())
    })
    .await?;
    Ok(token)
}

pub async fn has_link(db: &Db, event_id: i64) -> Result<bool, AppError> {
    db.read(move |conn| db::events::has_presenter_token(conn, event_id))
        .await
}

/// The event a presenter link opens; anything else is "not found".
pub async fn event_of(db: &Db, token: &str) -> Result<Event, AppError> {
    let token = Token::parse(token).ok_or(AppError::NotFound { what: "page" })?;
    let hash = token.hash();
    db.read(move |conn| db::events::find_by_presenter_hash(conn, hash.as_str()))
        .await?
        .ok_or(AppError::NotFound { what: "page" })
}

pub async fn presenter(db: &Db, polls: &PollReader, token: &str) -> Result<Presenter, AppError> {
    on_screen_and_next(db, polls, event_of(db, token).await?).await
}

/// The same for the moderator running the call (their focus mode), by the event's address.
pub async fn for_moderator(db: &Db, polls: &PollReader, slug: &str) -> Result<Presenter, AppError> {
    let event = crate::app::events::listing::find_event(db, slug).await?;
    on_screen_and_next(db, polls, event).await
}

async fn on_screen_and_next(
    db: &Db,
    polls: &PollReader,
    event: Event,
) -> Result<Presenter, AppError> {
    let event_id = event.id;
    let (on_screen, next) = db
        .read(move |conn| db::questions::for_presenter(conn, event_id, NEXT_UP))
        .await?;
    let polls = reading::for_screen(polls, event_id).await?;
    Ok(Presenter {
        event,
        on_screen,
        next,
        polls,
    })
}
