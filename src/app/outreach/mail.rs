//! Addresses for mail to askers and voters: one is kept once its owner asks for news of a
//! question (or of the questions they vote for in an event), confirmed by a link before anything
//! else is sent to it, and forgotten once nothing more will be: its question answered or not
//! accepted, its event archived, its owner unsubscribed, or a week unconfirmed (see
//! `mail_letters` for what is told, `mail_delivery` for the sending).

use crate::app::asking::follow::Followed;
use crate::app::now;
use crate::app::outreach::mail_letters::{event_ref, queue, EventRef, Letter};
use crate::db::mail::{self as stored, NewSubscription, SubscriptionRow};
use crate::db::questions::Question;
use crate::db::{self, Db, DbConnection};
use crate::domain::{EmailAddress, EventSlug, Invalid, QuestionStatus, Token, TokenHash};
use crate::error::AppError;

/// Requests awaiting confirmation one address may have: past this, nobody can make faqtory mail
/// a stranger again until they confirm or the requests are gone.
pub const MAX_UNCONFIRMED: i64 = 3;
/// How long an address waits for its confirmation before it is forgotten.
const UNCONFIRMED_KEPT: chrono::Duration = chrono::Duration::days(7);

/// Keeps `email` for news of one question (`question`) or of a voter's votes (`voter`), and
/// queues the letter that asks to confirm it.
fn subscribe(
    conn: &mut DbConnection,
    email: &EmailAddress,
    event_id: i64,
    question: Option<(i64, &str)>,
    voter: Option<&TokenHash>,
) -> Result<(), AppError> {
    stored::forget_unconfirmed_before(conn, now() - UNCONFIRMED_KEPT)?;
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
    let hash = follow_hash(follow_token)?;
    db.write(move |conn| {
        let question = followed_question(conn, &hash)?;
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

fn follow_hash(follow_token: &str) -> Result<TokenHash, AppError> {
    Token::parse(follow_token)
        .map(|token| token.hash())
        .ok_or(AppError::NotFound {
            what: "follow link",
        })
}

fn followed_question(conn: &mut DbConnection, hash: &TokenHash) -> Result<Question, AppError> {
    db::questions::find_by_follow_hash(conn, hash.as_str())?.ok_or(AppError::NotFound {
        what: "follow link",
    })
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
    let hash = follow_hash(follow_token)?;
    db.write(move |conn| {
        let question = followed_question(conn, &hash)?;
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
        let event = crate::app::events::taking_questions::event_taking_questions(conn, &slug)?;
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
