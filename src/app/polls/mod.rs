//! Polls: a moderator drafts them ahead, opens them before or during the session, closes them and
//! chooses when results are shown; participants answer once per voter identity and may change
//! their answer until the poll closes.

pub mod answering;
pub mod backup;
pub mod drafting;
pub mod grouping;
pub mod lifecycle;
pub mod reading;
pub mod results;
pub mod results_cache;
pub mod starter;

use chrono::NaiveDateTime;

use crate::bus::{Bus, Notice, NoticeKind};
use crate::db::polls::{NewPoll, PollRow};
use crate::domain::{PollDefinition, PollKind, PollState, ResultsShown};
use crate::error::AppError;

/// A poll as the rest of the application sees it.
#[derive(Debug, Clone)]
pub struct Poll {
    pub id: i64,
    pub event_id: i64,
    pub definition: PollDefinition,
    /// Words a word cloud leaves out.
    pub banned_words: Vec<String>,
    pub state: PollState,
    pub revealed: bool,
    pub created_at: NaiveDateTime,
    pub opened_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

impl Poll {
    /// A stored poll; its definition was checked on the way in, so a row that no longer reads
    /// (a kind from a later version, say) is an error rather than a guess.
    pub fn from_row(row: PollRow) -> Result<Self, AppError> {
        let damaged = |what: &str| {
            AppError::internal("reading a poll", format!("poll {} has {what}", row.id))
        };
        let kind = PollKind::parse(&row.kind).map_err(|_| damaged("an unknown kind"))?;
        let results =
            ResultsShown::parse(&row.results).map_err(|_| damaged("an unknown results setting"))?;
        let options: Vec<String> =
            serde_json::from_str(&row.options).map_err(|_| damaged("damaged options"))?;
        let [low_label, high_label] = row
            .scale_labels
            .as_deref()
            .and_then(|json| serde_json::from_str::<[String; 2]>(json).ok())
            .map(|labels| labels.map(|label| Some(label).filter(|label| !label.is_empty())))
            .unwrap_or_default();
        let banned_words: Vec<String> = serde_json::from_str(&row.banned_words).unwrap_or_default();
        Ok(Self {
            id: row.id,
            event_id: row.event_id,
            definition: PollDefinition {
                kind,
                prompt: row.prompt,
                options,
                multiple: row.multiple,
                other: row.other,
                scale: u8::try_from(row.scale).unwrap_or(0),
                low_label,
                high_label,
                results,
            },
            banned_words,
            state: PollState::from_stored(&row.state),
            revealed: row.revealed,
            created_at: row.created_at,
            opened_at: row.opened_at,
            closed_at: row.closed_at,
        })
    }

    pub fn kind(&self) -> PollKind {
        self.definition.kind
    }

    /// Whether someone who is not a moderator may see the results; `answered` says whether they
    /// have answered the poll themselves.
    pub fn results_visible_to_public(&self, answered: bool) -> bool {
        if self.state == PollState::Draft {
            return false;
        }
        self.revealed
            || match self.definition.results {
                ResultsShown::Live => true,
                ResultsShown::AfterAnswer => answered,
                ResultsShown::OnReveal => false,
            }
    }
}

/// A definition's parts as the `polls` row stores them: the options and the scale's end labels as
/// JSON; the other way round is [`Poll::from_row`].
pub(crate) struct StoredDefinition {
    options: String,
    scale_labels: Option<String>,
}

impl StoredDefinition {
    pub(crate) fn of(definition: &PollDefinition) -> Result<Self, AppError> {
        let options = serde_json::to_string(&definition.options)
            .map_err(|error| AppError::internal("storing a poll's options", error))?;
        let scale_labels = match (&definition.low_label, &definition.high_label) {
            (None, None) => None,
            (low, high) => Some(
                serde_json::to_string(&[
                    low.as_deref().unwrap_or_default(),
                    high.as_deref().unwrap_or_default(),
                ])
                .map_err(|error| AppError::internal("storing a scale's labels", error))?,
            ),
        };
        Ok(Self {
            options,
            scale_labels,
        })
    }

    /// The row of `definition` (which this was made of) in the event.
    pub(crate) fn row<'a>(
        &'a self,
        definition: &'a PollDefinition,
        event_id: i64,
        banned_words: &'a str,
        created_at: NaiveDateTime,
    ) -> NewPoll<'a> {
        NewPoll {
            event_id,
            kind: definition.kind.as_str(),
            prompt: &definition.prompt,
            options: &self.options,
            multiple: definition.multiple,
            other: definition.other,
            scale: i32::from(definition.scale),
            scale_labels: self.scale_labels.as_deref(),
            results: definition.results.as_str(),
            banned_words,
            created_at,
        }
    }
}

/// Tells live pages that a poll's answers changed (coalesced like votes).
fn announce_answers(bus: &Bus, poll: &Poll) {
    bus.publish(Notice::question(
        poll.event_id,
        poll.id,
        NoticeKind::PollAnswered,
    ));
}

/// Tells live pages that a poll was opened, closed, revealed or changed.
fn announce_poll(bus: &Bus, poll: &Poll) {
    bus.publish(Notice::question(
        poll.event_id,
        poll.id,
        NoticeKind::PollChanged,
    ));
}
