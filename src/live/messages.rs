//! What live pages receive, as Server-Sent Events frames, rendered once and shared by every
//! subscriber of an event. The public never learns of pending questions, and of a rejected one
//! only its number (so that a page showing it can take it away); a listed question's frame carries
//! its row, rendered once for everyone, which the page puts in place.

use std::sync::Arc;

use serde::Serialize;

use crate::db::questions::Question;
use crate::domain::QuestionStatus;
use crate::views::events::event_parts::LiveFragments;

/// Who is listening: moderators see every question, the public only what is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Public,
    Moderators,
    /// The presenter screen: what the public is told, and every new count of a poll's answers.
    Presenter,
}

/// One frame for each audience; `None` where that audience is not told.
#[derive(Debug, Clone, Default)]
pub struct LiveMessage {
    pub public: Option<Arc<str>>,
    pub moderators: Option<Arc<str>>,
    /// For the presenter screen when it is told more than the public.
    pub presenter: Option<Arc<str>>,
}

impl LiveMessage {
    pub fn for_audience(&self, audience: Audience) -> Option<&Arc<str>> {
        match audience {
            Audience::Public => self.public.as_ref(),
            Audience::Moderators => self.moderators.as_ref(),
            Audience::Presenter => self.presenter.as_ref().or(self.public.as_ref()),
        }
    }

    fn everyone(frame: String) -> Self {
        let frame: Arc<str> = frame.into();
        Self {
            public: Some(frame.clone()),
            moderators: Some(frame),
            presenter: None,
        }
    }
}

/// Sent first on every connection: how long a browser waits before reconnecting.
pub const OPENING: &str = "retry: 3000\n: live\n\n";
/// Keeps proxies from closing an idle connection.
pub const HEARTBEAT: &str = ": heartbeat\n\n";
/// The subscriber fell behind, or the relay lost notices: re-read everything.
pub const RESYNC: &str = "event: resync\ndata: {}\n\n";

fn frame(event: &str, data: &impl Serialize) -> String {
    // Serialising plain structs of numbers and fixed words cannot fail; an empty object is
    // still a message the pages understand (re-read).
    let data = serde_json::to_string(data).unwrap_or_else(|_| "{}".into());
    format!("event: {event}\ndata: {data}\n\n")
}

#[derive(Serialize)]
struct VoteCount {
    id: i64,
    votes: i32,
}

/// New counts of several questions in one frame.
pub fn votes(questions: &[&Question]) -> LiveMessage {
    let public: Vec<VoteCount> = questions
        .iter()
        .filter(|question| question.status.is_listed())
        .map(|question| VoteCount {
            id: question.id,
            votes: question.vote_count,
        })
        .collect();
    let moderators: Vec<VoteCount> = questions
        .iter()
        .map(|question| VoteCount {
            id: question.id,
            votes: question.vote_count,
        })
        .collect();
    LiveMessage {
        public: (!public.is_empty()).then(|| frame("votes", &public).into()),
        moderators: (!moderators.is_empty()).then(|| frame("votes", &moderators).into()),
        presenter: None,
    }
}

#[derive(Serialize)]
struct QuestionState {
    id: i64,
    status: QuestionStatus,
    votes: i32,
    merged_into: Option<i64>,
    on_screen: bool,
    /// Asked just now (rather than changed).
    new: bool,
}

/// What the public page needs beside a changed question to update itself without re-reading.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ListCounts {
    /// Answered questions in the event (the Answered tab's count).
    pub answered: i64,
    /// Questions awaiting moderation.
    pub awaiting: i64,
}

/// The public's frame: the state, the row to put in (listed questions only), the counts.
#[derive(Serialize)]
struct PublicQuestion<'a> {
    id: i64,
    status: QuestionStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    votes: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    merged_into: Option<i64>,
    on_screen: bool,
    new: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    row: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    on_screen_html: Option<&'a str>,
    #[serde(flatten)]
    counts: ListCounts,
}

/// A question that is new or whose status, answer, text or place on screen changed. Moderators
/// are told its state (their pages re-read themselves); the public, when `public` holds what is
/// rendered for them, gets the row itself. A rejected question's frame tells the public only its
/// number, so that a page showing it can take it away; a pending one tells them nothing.
pub fn question(
    question: &Question,
    new: bool,
    public: Option<(&LiveFragments, ListCounts)>,
) -> LiveMessage {
    let state = QuestionState {
        id: question.id,
        status: question.status,
        votes: question.vote_count,
        merged_into: question.merged_into,
        on_screen: question.on_screen,
        new,
    };
    let moderators = Some(frame("question", &state).into());
    let public = match (question.status, public) {
        (QuestionStatus::Pending, _) | (_, None) => None,
        (status, Some((fragments, counts))) => {
            let listed = status.is_listed();
            let told = PublicQuestion {
                id: question.id,
                status,
                votes: (status != QuestionStatus::Rejected).then_some(question.vote_count),
                merged_into: question.merged_into,
                on_screen: listed && question.on_screen,
                new,
                row: listed.then_some(fragments.row.as_str()),
                on_screen_html: fragments.on_screen.as_deref().filter(|_| listed),
                counts,
            };
            Some(frame("question", &told).into())
        }
    };
    LiveMessage {
        public,
        moderators,
        presenter: None,
    }
}

#[derive(Serialize)]
struct PollFrame {
    id: i64,
    /// Only its answers changed (rather than its state).
    answers: bool,
}

/// A poll changed: opened, closed or revealed (everyone is told), or its answers (moderators and
/// the presenter screen only: a crowd's pages do not re-read on every answer).
pub fn poll(poll_id: i64, answers_only: bool) -> LiveMessage {
    let told: Arc<str> = frame(
        "poll",
        &PollFrame {
            id: poll_id,
            answers: answers_only,
        },
    )
    .into();
    LiveMessage {
        public: (!answers_only).then(|| told.clone()),
        moderators: Some(told.clone()),
        presenter: Some(told),
    }
}

/// The event's own settings or status changed.
pub fn event_changed() -> LiveMessage {
    LiveMessage::everyone("event: event\ndata: {}\n\n".into())
}

pub fn resync() -> LiveMessage {
    LiveMessage::everyone(RESYNC.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn question_with(id: i64, status: QuestionStatus, votes: i32) -> Question {
        Question {
            id,
            event_id: 1,
            body: "<script>secret</script>".into(),
            author_name: Some("Ada".into()),
            status,
            reject_reason: Some("private reason".into()),
            merged_into: None,
            vote_count: votes,
            on_screen: false,
            created_at: NaiveDateTime::default(),
        }
    }

    fn rendered_row() -> LiveFragments {
        LiveFragments {
            row: "<li id=\"q-5\">&lt;script&gt;secret&lt;/script&gt;</li>".into(),
            on_screen: None,
        }
    }

    const COUNTS: ListCounts = ListCounts {
        answered: 1,
        awaiting: 2,
    };

    #[test]
    fn pending_questions_reach_moderators_only() {
        let row = rendered_row();
        let message = question(
            &question_with(5, QuestionStatus::Pending, 0),
            true,
            Some((&row, COUNTS)),
        );
        assert!(message.public.is_none());
        let frame = message.moderators.unwrap();
        assert!(frame.starts_with("event: question\ndata: {"));
        assert!(frame.contains("\"status\":\"pending\""));
        assert!(frame.ends_with("\n\n"));
    }

    #[test]
    fn only_listed_questions_carry_their_row_and_moderators_get_no_text() {
        let row = rendered_row();
        for status in QuestionStatus::ALL {
            let message = question(&question_with(5, status, 3), false, Some((&row, COUNTS)));
            let moderators = message.moderators.unwrap();
            assert!(!moderators.contains("secret") && !moderators.contains("Ada"));
            if let Some(public) = message.public {
                assert!(!public.contains("private"), "{public}");
                assert!(!public.contains("<script>"), "{public}");
                assert_eq!(public.contains("secret"), status.is_listed(), "{public}");
                assert!(public.contains("\"answered\":1,\"awaiting\":2"), "{public}");
            }
        }
    }

    #[test]
    fn rejected_questions_tell_the_public_only_to_remove_them() {
        let row = rendered_row();
        let message = question(
            &question_with(9, QuestionStatus::Rejected, 2),
            false,
            Some((&row, COUNTS)),
        );
        assert_eq!(
            &*message.public.unwrap(),
            "event: question\ndata: {\"id\":9,\"status\":\"rejected\",\"on_screen\":false,\"new\":false,\"answered\":1,\"awaiting\":2}\n\n"
        );
    }

    #[test]
    fn a_crowd_hears_of_polls_opening_not_of_every_answer() {
        let answered = poll(4, true);
        assert!(answered.for_audience(Audience::Public).is_none());
        assert!(answered.for_audience(Audience::Presenter).is_some());
        assert!(answered.for_audience(Audience::Moderators).is_some());
        let opened = poll(4, false);
        assert_eq!(
            &**opened.for_audience(Audience::Public).unwrap(),
            "event: poll\ndata: {\"id\":4,\"answers\":false}\n\n"
        );
        // The presenter hears what the public hears otherwise.
        assert!(resync().for_audience(Audience::Presenter).is_some());
    }

    #[test]
    fn vote_frames_leave_out_what_the_public_does_not_see() {
        let listed = question_with(1, QuestionStatus::Approved, 4);
        let pending = question_with(2, QuestionStatus::Pending, 0);
        let message = votes(&[&listed, &pending]);
        assert_eq!(
            &*message.public.unwrap(),
            "event: votes\ndata: [{\"id\":1,\"votes\":4}]\n\n"
        );
        assert!(message.moderators.unwrap().contains("\"id\":2"));
        assert!(votes(&[&pending]).public.is_none());
    }
}
