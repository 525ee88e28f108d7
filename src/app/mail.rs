//! Mail to askers and voters: an address is kept once its owner asks for news of a question
//! (or of the questions they vote for in an event), confirmed by a link before anything else is
//! sent to it, and forgotten once nothing more will be: its question answered or not accepted,
//! its event archived, or its owner unsubscribed. Letters are queued in the transaction of the
//! change they tell of (see `mail_delivery` for the sending).

use serde::{Deserialize, Serialize};

use super::follow::Followed;
use super::now;
use crate::db::mail::{self as stored, NewLetter, NewSubscription, SubscriptionRow};
use crate::db::questions::Question;
use crate::db::{self, Db, DbConnection};
use crate::domain::{EmailAddress, EventSlug, Invalid, QuestionStatus, Token, TokenHash};
use crate::error::AppError;

/// Requests awaiting confirmation one address may have: past this, nobody can make faqtory mail
/// a stranger again until they confirm or the requests are gone.
pub const MAX_UNCONFIRMED: i64 = 3;

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
}

impl Letter {
    pub fn kind(&self) -> &'static str {
        match self {
            Letter::Confirm { .. } => "confirm",
            Letter::Answered { .. } => "answered",
            Letter::Merged { .. } => "merged",
            Letter::Rejected { .. } => "rejected",
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

fn event_ref(conn: &mut DbConnection, event_id: i64) -> Result<EventRef, AppError> {
    let event =
        db::events::find_by_id(conn, event_id)?.ok_or(AppError::NotFound { what: "event" })?;
    Ok(EventRef {
        slug: event.slug,
        title: event.title,
    })
}

fn queue(conn: &mut DbConnection, to: &[SubscriptionRow], letter: &Letter) -> Result<(), AppError> {
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

/// Keeps `email` for news of one question (`question`) or of a voter's votes (`voter`), and
/// queues the letter that asks to confirm it.
fn subscribe(
    conn: &mut DbConnection,
    email: &EmailAddress,
    event_id: i64,
    question: Option<(i64, &str)>,
    voter: Option<&TokenHash>,
) -> Result<(), AppError> {
    if stored::unconfirmed_count(conn, email.as_str())? >= MAX_UNCONFIRMED {
        return Err(Invalid::new(
            "notify_email",
            format!(
                "This address has {MAX_UNCONFIRMED} requests waiting to be confirmed: confirm one \
                 of them from its email first, or leave this field empty."
            ),
        )
        .into());
    }
    let token =
        Token::generate().map_err(|error| AppError::internal("making a mail link", error))?;
    let id = stored::subscribe(
        conn,
        &NewSubscription {
            email: email.as_str(),
            event_id,
            question_id: question.map(|(id, _)| id),
            voter_hash: voter.map(TokenHash::as_str),
            token: token.as_str(),
            created_at: now(),
        },
    )?;
    let subscription = SubscriptionRow {
        id,
        email: email.as_str().to_owned(),
        event_id,
        question_id: question.map(|(id, _)| id),
        voter_hash: voter.map(|hash| hash.as_str().to_owned()),
        token: token.as_str().to_owned(),
        confirmed_at: None,
        created_at: now(),
    };
    let letter = Letter::Confirm {
        event: event_ref(conn, event_id)?,
        question: question.map(|(_, text)| text.to_owned()),
    };
    queue(conn, &[subscription], &letter)
}

/// The asker of a question just asked wants news of it; in the asking transaction.
pub fn subscribe_asker(
    conn: &mut DbConnection,
    email: &EmailAddress,
    event_id: i64,
    question_id: i64,
    question: &str,
) -> Result<(), AppError> {
    subscribe(conn, email, event_id, Some((question_id, question)), None)
}

/// The asker, from their follow page, wants news of their question (replacing an address given
/// before). Refused once nothing more will happen to it.
pub async fn subscribe_follower(
    db: &Db,
    follow_token: &str,
    email: EmailAddress,
) -> Result<(), AppError> {
    let hash = Token::parse(follow_token)
        .ok_or(AppError::NotFound {
            what: "follow link",
        })?
        .hash();
    db.write(move |conn| {
        let question =
            db::questions::find_by_follow_hash(conn, hash.as_str())?.ok_or(AppError::NotFound {
                what: "follow link",
            })?;
        if !can_still_change(conn, &question)? {
            return Err(AppError::conflict(
                "settled",
                "Nothing more will happen to this question, so there is nothing to email about.",
            ));
        }
        stored::forget_for_questions(conn, &[question.id])?;
        subscribe_asker(conn, &email, question.event_id, question.id, &question.body)
    })
    .await
}

fn still_open(status: QuestionStatus) -> bool {
    matches!(status, QuestionStatus::Pending | QuestionStatus::Approved)
}

/// Whether a question can still be answered (itself, or the one it was merged into).
fn can_still_change(conn: &mut DbConnection, question: &Question) -> Result<bool, AppError> {
    Ok(match (question.status, question.merged_into) {
        (QuestionStatus::Merged, Some(into)) => {
            db::questions::find(conn, into)?.is_some_and(|canonical| still_open(canonical.status))
        }
        (status, _) => still_open(status),
    })
}

/// Whether the question behind a follow link can still be answered, so mail about it makes
/// sense.
pub fn awaits_news(followed: &Followed) -> bool {
    match &followed.merged_into {
        Some((canonical, _)) => still_open(canonical.status),
        None => still_open(followed.question.status),
    }
}

/// The asker, from their follow page, wants no more mail about their question.
pub async fn unsubscribe_follower(db: &Db, follow_token: &str) -> Result<(), AppError> {
    let hash = Token::parse(follow_token)
        .ok_or(AppError::NotFound {
            what: "follow link",
        })?
        .hash();
    db.write(move |conn| {
        let question =
            db::questions::find_by_follow_hash(conn, hash.as_str())?.ok_or(AppError::NotFound {
                what: "follow link",
            })?;
        stored::forget_for_questions(conn, &[question.id])
    })
    .await
}

/// Whether the asker behind a follow link asked for mail.
pub async fn follower_subscribed(db: &Db, question_id: i64) -> Result<bool, AppError> {
    db.read(move |conn| stored::has_asker(conn, question_id))
        .await
}

/// A voter wants to hear when questions they voted for in `slug` are answered (replacing an
/// address they gave before).
pub async fn subscribe_voter(
    db: &Db,
    slug: &str,
    voter: TokenHash,
    email: EmailAddress,
) -> Result<(), AppError> {
    let slug = EventSlug::parse(slug).map_err(|_| AppError::NotFound { what: "event" })?;
    db.write(move |conn| {
        let event = db::events::find_by_slug(conn, slug.as_str())?
            .filter(|event| event.status.is_public())
            .ok_or(AppError::NotFound { what: "event" })?;
        if !event.status.accepts_questions() {
            return Err(AppError::conflict(
                "event_closed",
                format!(
                    "“{}” is {} and takes no more votes.",
                    event.title, event.status
                ),
            ));
        }
        if let Some(earlier) = stored::of_voter(conn, event.id, voter.as_str())? {
            stored::forget(conn, earlier.id)?;
        }
        subscribe(conn, &email, event.id, None, Some(&voter))
    })
    .await
}

/// What a mail link is about, for its page.
pub struct Subscription {
    pub event: EventRef,
    /// The asker's question; `None` for a voter's votes.
    pub question: Option<String>,
    pub confirmed: bool,
}

/// The subscription behind a mail link, if it is still kept.
pub async fn by_token(db: &Db, token: String) -> Result<Option<Subscription>, AppError> {
    db.read(move |conn| {
        let Some(row) = stored::find_by_token(conn, &token)? else {
            return Ok(None);
        };
        let question = match row.question_id {
            Some(id) => db::questions::find(conn, id)?.map(|question| question.body),
            None => None,
        };
        Ok(Some(Subscription {
            event: event_ref(conn, row.event_id)?,
            question,
            confirmed: row.confirmed_at.is_some(),
        }))
    })
    .await
}

/// Confirms the address behind a mail link; whether there was one to confirm.
pub async fn confirm(db: &Db, token: String) -> Result<bool, AppError> {
    db.write(move |conn| {
        let Some(row) = stored::find_by_token(conn, &token)? else {
            return Ok(false);
        };
        if row.confirmed_at.is_none() {
            stored::confirm(conn, row.id, now())?;
        }
        Ok(true)
    })
    .await
}

/// Forgets the address behind a mail link, and its mail still waiting; whether there was one.
pub async fn unsubscribe(db: &Db, token: String) -> Result<bool, AppError> {
    db.write(move |conn| {
        let Some(row) = stored::find_by_token(conn, &token)? else {
            return Ok(false);
        };
        stored::forget(conn, row.id)?;
        Ok(true)
    })
    .await
}

/// `question` was answered (for the first time): its asker, the askers of the questions merged
/// into it, and the voters of any of them hear of it, once each; the askers' addresses are then
/// forgotten. In the answering transaction.
pub fn tell_answered(
    conn: &mut DbConnection,
    question: &Question,
    answer: AnswerRef,
) -> Result<(), AppError> {
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

/// `source` was merged into `into`: its asker hears where it went (with the answer, when `into`
/// has one already, and then the address is forgotten). In the merging transaction.
pub fn tell_merged(
    conn: &mut DbConnection,
    source: &Question,
    into: &Question,
) -> Result<(), AppError> {
    let askers = stored::confirmed_askers(conn, &[source.id])?;
    let answer = match db::answers::find(conn, into.id)? {
        Some(answer) => Some(AnswerRef {
            faq_path: answer
                .published
                .then(|| super::faq::entry_path(into.id, &into.body)),
            markdown: answer.body_md,
            html: answer.body_html,
        }),
        None => None,
    };
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
