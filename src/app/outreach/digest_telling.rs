//! The digest's telling: by mail to each moderator who asked for it, and to the site-wide webhooks
//! that hear of its period, in the transaction that records the digest (so it is told once).

use crate::app::now;
use crate::app::outreach::digest_news::DigestNews;
use crate::app::outreach::mail_letters::{Letter, Queued};
use crate::app::outreach::webhooks::Happening;
use crate::db::digests::{DigestSubscriptionRow, DIGEST_LETTER};
use crate::db::mail::{self as mail_queue, NewLetter};
use crate::db::webhooks::{self as stored_webhooks, NewDelivery};
use crate::db::DbConnection;
use crate::error::AppError;

/// Mails the digest to `readers` and queues it for every site-wide webhook that hears of its
/// period, in the caller's transaction.
pub fn tell_digest(
    conn: &mut DbConnection,
    news: &DigestNews,
    readers: &[DigestSubscriptionRow],
) -> Result<(), AppError> {
    let at = now();
    let mut bodies = Vec::with_capacity(readers.len());
    for reader in readers {
        let queued = Queued {
            token: reader.token.clone(),
            letter: Letter::Digest { news: news.clone() },
        };
        bodies.push(
            serde_json::to_string(&queued)
                .map_err(|error| AppError::internal("queueing a digest", error))?,
        );
    }
    // No subscription of `mail_subscriptions`: a digest's address is the moderator's own.
    let letters: Vec<NewLetter<'_>> = readers
        .iter()
        .zip(&bodies)
        .map(|(reader, body)| NewLetter {
            subscription_id: None,
            recipient: &reader.email,
            kind: DIGEST_LETTER,
            body,
            attempts: 0,
            next_attempt_at: at,
            created_at: at,
        })
        .collect();
    mail_queue::enqueue(conn, &letters)?;

    let kind = news.period.webhook_kind();
    let listening: Vec<i64> = stored_webhooks::site_wide(conn)?
        .into_iter()
        .filter(|hook| hook.kinds.split(',').any(|heard| heard == kind.as_str()))
        .map(|hook| hook.id)
        .collect();
    if listening.is_empty() {
        return Ok(());
    }
    let happening = Happening {
        kind,
        occurred_at: at,
        event_slug: String::new(),
        event_title: String::new(),
        question_id: 0,
        question: news.title(),
        answer: None,
        digest: Some(news.clone()),
    };
    let body = serde_json::to_string(&happening)
        .map_err(|error| AppError::internal("queueing a digest's webhook", error))?;
    let deliveries: Vec<NewDelivery<'_>> = listening
        .iter()
        .map(|webhook_id| NewDelivery {
            webhook_id: *webhook_id,
            kind: kind.as_str(),
            body: &body,
            state: stored_webhooks::PENDING,
            attempts: 0,
            next_attempt_at: at,
            created_at: at,
        })
        .collect();
    stored_webhooks::enqueue(conn, &deliveries)
}
