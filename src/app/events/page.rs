use std::collections::{HashMap, HashSet};

use crate::db::{
    self, answers::Answer, events::Event, questions::Order, questions::Question, Db, DbConnection,
};
use crate::domain::{PollState, QuestionStatus, TokenHash};
use crate::error::AppError;

/// A question as one reader sees it in a list.
#[derive(Debug, Clone)]
pub struct ListedQuestion {
    pub question: Question,
    pub voted: bool,
    pub mine: bool,
}

pub struct EventQuestions {
    pub event: Event,
    pub listed: Vec<ListedQuestion>,
    /// The reader's own questions that the public does not see yet (awaiting moderation, or not
    /// accepted), so they know where those stand.
    pub my_unlisted: Vec<Question>,
    /// How many questions wait for a moderator: the public sees that moderation is going on.
    pub awaiting_moderation: i64,
    /// Answers of the listed questions that have one, by question id.
    pub answers: HashMap<i64, Answer>,
    /// Label names of the listed questions, by question id.
    pub labels: HashMap<i64, Vec<String>>,
    /// The event's polls the public may open: those taking answers, and closed ones whose
    /// results were revealed.
    pub polls: Vec<PollTeaser>,
    /// Whether the recording has a transcript, and so captions to download.
    pub has_transcript: bool,
}

/// A poll as the event page mentions it, pointing to the polls page.
#[derive(Debug, Clone)]
pub struct PollTeaser {
    pub id: i64,
    pub prompt: String,
    pub open: bool,
}

/// An event's public list for one reader: their votes and their own questions marked.
pub async fn event_questions(
    db: &Db,
    slug: &str,
    order: Order,
    voter: Option<TokenHash>,
    mine: Vec<i64>,
) -> Result<EventQuestions, AppError> {
    let everyones = everyones_questions(db, slug, order).await?;
    let marks = reader_marks(db, everyones.event.id, voter, mine).await?;
    Ok(everyones.marked_for(marks))
}

/// An event's public list as everyone sees it: nobody's votes or questions marked.
pub async fn everyones_questions(
    db: &Db,
    slug: &str,
    order: Order,
) -> Result<EventQuestions, AppError> {
    let event = crate::app::events::listing::find_public_event(db, slug).await?;
    db.read(move |conn| {
        let listed = db::questions::listed_in_event(conn, event.id, order)?;
        let polls = poll_teasers(conn, event.id)?;
        let has_transcript = crate::app::recording::captions::has_transcript(conn, event.id)?;
        let mut questions = surrounded(conn, event, listed)?.questions;
        questions.polls = polls;
        questions.has_transcript = has_transcript;
        Ok(questions)
    })
    .await
}

/// The polls the event page mentions (its live frames about questions need none).
fn poll_teasers(conn: &mut DbConnection, event_id: i64) -> Result<Vec<PollTeaser>, AppError> {
    Ok(db::polls::of_event(conn, event_id)?
        .into_iter()
        .filter(|poll| {
            poll.state == PollState::Open.as_str()
                || (poll.state == PollState::Closed.as_str() && poll.revealed)
        })
        .map(|poll| PollTeaser {
            open: poll.state == PollState::Open.as_str(),
            id: poll.id,
            prompt: poll.prompt,
        })
        .collect())
}

/// Questions that just changed, as everyone sees them, with what live pages need around them.
pub struct ChangedQuestions {
    /// The event, the changed questions (as `listed`), their answers and labels.
    pub questions: EventQuestions,
    /// How many of the event's questions are answered now.
    pub answered: i64,
}

/// `questions` are of `event_id`.
pub async fn changed_questions(
    db: &Db,
    event_id: i64,
    questions: Vec<Question>,
) -> Result<ChangedQuestions, AppError> {
    db.read(move |conn| {
        let event =
            db::events::find_by_id(conn, event_id)?.ok_or(AppError::NotFound { what: "event" })?;
        surrounded(conn, event, questions)
    })
    .await
}

/// `questions` of `event` as everyone sees them, with their answers and labels and the event's
/// counts: what the page and the live frames show around a list.
fn surrounded(
    conn: &mut DbConnection,
    event: Event,
    questions: Vec<Question>,
) -> Result<ChangedQuestions, AppError> {
    let ids: Vec<i64> = questions.iter().map(|question| question.id).collect();
    let answered: Vec<i64> = questions
        .iter()
        .filter(|question| question.status == QuestionStatus::Answered)
        .map(|question| question.id)
        .collect();
    let answers = db::answers::of_questions(conn, &answered)?
        .into_iter()
        .map(|answer| (answer.question_id, answer))
        .collect();
    let labels = crate::app::moderation::curation::labels_by_question(conn, &ids)?;
    let counts = db::curation::status_counts(conn, event.id)?;
    let count_of = |wanted: QuestionStatus| {
        counts
            .iter()
            .find(|(status, _)| *status == wanted)
            .map_or(0, |(_, count)| *count)
    };
    Ok(ChangedQuestions {
        answered: count_of(QuestionStatus::Answered),
        questions: EventQuestions {
            awaiting_moderation: count_of(QuestionStatus::Pending),
            event,
            listed: questions
                .into_iter()
                .map(|question| ListedQuestion {
                    question,
                    voted: false,
                    mine: false,
                })
                .collect(),
            my_unlisted: Vec::new(),
            answers,
            labels,
            polls: Vec::new(),
            has_transcript: false,
        },
    })
}

/// What one reader did in an event: the questions they voted for and the ones they asked.
#[derive(Debug, Default)]
pub struct ReaderMarks {
    pub voted: HashSet<i64>,
    /// Their questions in this event, listed or not.
    pub mine: HashSet<i64>,
    /// Those of their questions that the public does not see.
    pub my_unlisted: Vec<Question>,
}

impl ReaderMarks {
    /// Nothing to mark: the reader sees the page everyone sees.
    pub fn is_empty(&self) -> bool {
        self.voted.is_empty() && self.mine.is_empty()
    }
}

/// `mine` holds every question this browser asked, in any event; reads nothing when the browser
/// has neither votes nor questions.
pub async fn reader_marks(
    db: &Db,
    event_id: i64,
    voter: Option<TokenHash>,
    mine: Vec<i64>,
) -> Result<ReaderMarks, AppError> {
    if voter.is_none() && mine.is_empty() {
        return Ok(ReaderMarks::default());
    }
    db.read(move |conn| {
        let voted = match &voter {
            Some(voter) => db::votes::voted_in_event(conn, event_id, voter.as_str())?
                .into_iter()
                .collect(),
            None => HashSet::new(),
        };
        let my_questions = if mine.is_empty() {
            Vec::new()
        } else {
            db::questions::in_event_by_ids(conn, event_id, &mine)?
        };
        Ok(ReaderMarks {
            voted,
            mine: my_questions.iter().map(|question| question.id).collect(),
            my_unlisted: my_questions
                .into_iter()
                .filter(|question| !question.status.is_listed())
                .collect(),
        })
    })
    .await
}

impl EventQuestions {
    /// This list as the reader with `marks` sees it.
    pub fn marked_for(mut self, marks: ReaderMarks) -> Self {
        for listed in &mut self.listed {
            listed.voted = marks.voted.contains(&listed.question.id);
            listed.mine = marks.mine.contains(&listed.question.id);
        }
        self.my_unlisted = marks.my_unlisted;
        self
    }
}
