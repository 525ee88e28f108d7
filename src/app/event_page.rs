use std::collections::{HashMap, HashSet};

use crate::db::{self, answers::Answer, events::Event, questions::Order, questions::Question, Db};
use crate::domain::{QuestionStatus, TokenHash};
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
}

/// An event's public list for one reader: their votes and their own questions marked.
pub async fn event_questions(
    db: &Db,
    slug: &str,
    order: Order,
    voter: Option<TokenHash>,
    mine: Vec<i64>,
) -> Result<EventQuestions, AppError> {
    let event = super::events::find_public_event(db, slug).await?;
    db.read(move |conn| {
        let questions = db::questions::listed_in_event(conn, event.id, order)?;
        let voted: HashSet<i64> = match &voter {
            Some(voter) => db::votes::voted_in_event(conn, event.id, voter.as_str())?
                .into_iter()
                .collect(),
            None => HashSet::new(),
        };
        let mine_set: HashSet<i64> = mine.iter().copied().collect();
        let my_unlisted = if mine.is_empty() {
            Vec::new()
        } else {
            db::questions::in_event_by_ids(conn, event.id, &mine)?
                .into_iter()
                .filter(|question| !question.status.is_listed())
                .collect()
        };
        let listed: Vec<ListedQuestion> = questions
            .into_iter()
            .map(|question| ListedQuestion {
                voted: voted.contains(&question.id),
                mine: mine_set.contains(&question.id),
                question,
            })
            .collect();
        let counts = db::curation::status_counts(conn, event.id)?;
        let count_of = |wanted: QuestionStatus| {
            counts
                .iter()
                .find(|(status, _)| *status == wanted)
                .map_or(0, |(_, count)| *count)
        };
        let answered: Vec<i64> = listed
            .iter()
            .filter(|listed| listed.question.status == QuestionStatus::Answered)
            .map(|listed| listed.question.id)
            .collect();
        let answers = db::answers::of_questions(conn, &answered)?
            .into_iter()
            .map(|answer| (answer.question_id, answer))
            .collect();
        let listed_ids: Vec<i64> = listed.iter().map(|listed| listed.question.id).collect();
        let labels = super::curation::labels_by_question(conn, &listed_ids)?;
        Ok(EventQuestions {
            labels,
            answers,
            awaiting_moderation: count_of(QuestionStatus::Pending),
            event,
            listed,
            my_unlisted,
        })
    })
    .await
}
