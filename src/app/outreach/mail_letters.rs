//! What askers and voters are told, and when: letters queued in the transaction of the change
//! they tell of (an answer, a merge, a question not taken), to the confirmed addresses that asked
//! for them, which are then forgotten once nothing more will be sent (see `mail` for the
//! addresses, `mail_delivery` for the sending).

use serde::{Deserialize, Serialize};

use crate::app::now;
use crate::db::mail::{self as stored, NewLetter, SubscriptionRow};
use crate::db::questions::Question;
use crate::db::{self, Db, DbConnection};
use crate::error::AppError;

/// What a letter tells, as queued; made into a message when it is sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Letter {
    /// "Confirm that you want these emails": for an asker (`question`) or a voter (`None`).
    Confirm {
        event: EventRef,
        question: Option<String>,
    },
    Answered {
        event: EventRef,
        question: QuestionRef,
        answer: AnswerRef,
    },
    /// The reader's question now counts for `into`, which may be answered already.
    Merged {
        event: EventRef,
        question: String,
        into: QuestionRef,
        answer: Option<AnswerRef>,
    },
    Rejected {
        event: EventRef,
        question: String,
        reason: Option<String>,
    },
    /// The insights digest a moderator asked for.
    Digest {
        news: crate::app::outreach::digest_news::DigestNews,
    },
}

impl Letter {
    pub fn kind(&self) -> &'static str {
        match self {
            Letter::Confirm { .. } => "confirm",
            Letter::Answered { .. } => "answered",
            Letter::Merged { .. } => "merged",
            Letter::Rejected { .. } => "rejected",
            Letter::Digest { .. } => crate::db::digests::DIGEST_LETTER,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EventRef {
    pub slug: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuestionRef {
    pub id: i64,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnswerRef {
    pub markdown: String,
    /// Rendered and sanitized when it was written.
    pub html: String,
    /// Its entry in the FAQ, when it was published there.
    pub faq_path: Option<String>,
}

/// A letter with the token of the subscription it went to: its links confirm and unsubscribe.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Queued {
    pub token: String,
    pub letter: Letter,
}

pub(crate) fn event_ref(conn: &mut DbConnection, event_id: i64) -> Result<EventRef, AppError> {
    let event =
        db::events::find_by_id(conn, event_id)?.ok_or(AppError::NotFound { what: "event" })?;
    Ok(EventRef {
        slug: event.slug,
        title: event.title,
    })
}

pub(crate) fn queue(
    conn: &mut DbConnection,
    to: &[SubscriptionRow],
    letter: &Letter,
) -> Result<(), AppError> {
    let at = now();
    let mut bodies = Vec::with_capacity(to.len());
    for subscription in to {
        let queued = Queued {
            token: subscription.token.clone(),
            letter: letter.clone(),
        };
        let body = serde_json::to_string(&queued)
            .map_err(|error| AppError::internal("queueing mail", error))?;
        bodies.push(body);
    }
    let letters: Vec<NewLetter<'_>> = to
        .iter()
        .zip(&bodies)
        .map(|(subscription, body)| NewLetter {
            subscription_id: Some(subscription.id),
            recipient: &subscription.email,
            kind: letter.kind(),
            body,
            attempts: 0,
            next_attempt_at: at,
            created_at: at,
        })
        .collect();
    stored::enqueue(conn, &letters)
}

/// `question` was answered (for the first time): its asker, the askers of the questions merged
/// into it, and the voters of any of them hear of it, once each; the askers' addresses are then
/// forgotten. In the answering transaction.
pub fn tell_answered(
    conn: &mut DbConnection,
    question: &Question,
    answer: AnswerRef,
) -> Result<(), AppError> {
    if !stored::any_in_event(conn, question.event_id)? {
        return Ok(());
    }
    let mut group = vec![question.id];
    group.extend(db::questions::merged_into_any(conn, &[question.id])?);
    let askers = stored::confirmed_askers(conn, &group)?;
    let voters = stored::confirmed_voters(conn, question.event_id, &group)?;
    let mut told: Vec<SubscriptionRow> = Vec::with_capacity(askers.len() + voters.len());
    for subscription in askers.into_iter().chain(voters) {
        let already = told
            .iter()
            .any(|other| other.email.eq_ignore_ascii_case(&subscription.email));
        if !already {
            told.push(subscription);
        }
    }
    if !told.is_empty() {
        let letter = Letter::Answered {
            event: event_ref(conn, question.event_id)?,
            question: QuestionRef {
                id: question.id,
                text: question.body.clone(),
            },
            answer,
        };
        queue(conn, &told, &letter)?;
    }
    stored::forget_for_questions(conn, &group)
}

/// [`tell_answered`], with the answer `question` has in the database.
pub fn tell_answered_with_stored_answer(
    conn: &mut DbConnection,
    question: &Question,
) -> Result<(), AppError> {
    match db::answers::find(conn, question.id)? {
        Some(answer) => tell_answered(conn, question, answer_ref(question, answer)),
        None => Ok(()),
    }
}

fn answer_ref(question: &Question, answer: db::answers::Answer) -> AnswerRef {
    AnswerRef {
        faq_path: answer
            .published
            .then(|| crate::app::faq::browse::entry_path(question.id, &question.body)),
        markdown: answer.body_md,
        html: answer.body_html,
    }
}

/// `source` was merged into `into`: its asker hears where it went (with the answer, when `into`
/// has one already, and then the address is forgotten). In the merging transaction.
pub fn tell_merged(
    conn: &mut DbConnection,
    source: &Question,
    into: &Question,
) -> Result<(), AppError> {
    if !stored::any_in_event(conn, source.event_id)? {
        return Ok(());
    }
    let askers = stored::confirmed_askers(conn, &[source.id])?;
    let answer = db::answers::find(conn, into.id)?.map(|answer| answer_ref(into, answer));
    if !askers.is_empty() {
        let letter = Letter::Merged {
            event: event_ref(conn, source.event_id)?,
            question: source.body.clone(),
            into: QuestionRef {
                id: into.id,
                text: into.body.clone(),
            },
            answer: answer.clone(),
        };
        queue(conn, &askers, &letter)?;
    }
    if answer.is_some() {
        stored::forget_for_questions(conn, &[source.id])?;
    }
    Ok(())
}

/// `question` was not accepted: its asker hears why, and the address is forgotten. In the
/// rejecting transaction.
pub fn tell_rejected(conn: &mut DbConnection, question: &Question) -> Result<(), AppError> {
    if !stored::any_in_event(conn, question.event_id)? {
        return Ok(());
    }
    let askers = stored::confirmed_askers(conn, &[question.id])?;
    if !askers.is_empty() {
        let letter = Letter::Rejected {
            event: event_ref(conn, question.event_id)?,
            question: question.body.clone(),
            reason: question.reject_reason.clone(),
        };
        queue(conn, &askers, &letter)?;
    }
    stored::forget_for_questions(conn, &[question.id])
}

/// An archived event's addresses are forgotten: nothing more will be sent about it.
pub fn forget_event(conn: &mut DbConnection, event_id: i64) -> Result<(), AppError> {
    stored::forget_for_event(conn, event_id)
}

/// Letters in the queue, and how many of them failed before and wait to be tried again.
pub async fn waiting(db: &Db) -> Result<(i64, i64), AppError> {
    db.read(stored::waiting).await
}
