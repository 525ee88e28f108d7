//! What the bus carries.

/// What happened, as much as subscribers need to decide what to re-read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// A new question.
    Asked,
    /// Only its vote count changed.
    Voted,
    /// Its status, answer, text, labels, place on screen or group changed.
    Changed,
    /// Answers to a poll changed (`question_id` holds the poll's id).
    PollAnswered,
    /// A poll was drafted, opened, closed, revealed or removed (`question_id` holds its id).
    PollChanged,
    /// The event itself changed (title, status, settings).
    EventChanged,
    /// Notices may have been lost (the relay reconnected): everything may have changed.
    Resync,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    /// 0 with [`NoticeKind::Resync`]: every event.
    pub event_id: i64,
    /// 0 when the notice is about the event as a whole.
    pub question_id: i64,
    pub kind: NoticeKind,
}

impl Notice {
    pub fn question(event_id: i64, question_id: i64, kind: NoticeKind) -> Self {
        Self {
            event_id,
            question_id,
            kind,
        }
    }

    pub fn event(event_id: i64) -> Self {
        Self {
            event_id,
            question_id: 0,
            kind: NoticeKind::EventChanged,
        }
    }

    pub fn resync() -> Self {
        Self {
            event_id: 0,
            question_id: 0,
            kind: NoticeKind::Resync,
        }
    }
}
