//! Whether an event takes questions and votes now: the one check asking, voting and following share.

use crate::db::events::Event;
use crate::db::{self, DbConnection};
use crate::domain::EventSlug;
use crate::error::AppError;

/// The public event `slug`, refused unless it takes questions and votes now.
pub fn event_taking_questions(
    conn: &mut DbConnection,
    slug: &EventSlug,
) -> Result<Event, AppError> {
    let event = db::events::find_by_slug(conn, slug.as_str())?
        .filter(|event| event.status.is_public())
        .ok_or(AppError::NotFound { what: "event" })?;
    if !event.status.accepts_questions() {
        return Err(AppError::conflict(
            "event_closed",
            format!(
                "“{}” is {} and no longer takes questions or votes.",
                event.title, event.status
            ),
        ));
    }
    Ok(event)
}
