//! The digest's telling: by mail to each moderator who asked for it, and to the site-wide webhooks
//! that hear of its period, in the transaction that records the digest (so it is told once).

use crate::app::now;
use crate::app::outreach::digest_news::DigestNews;
use crate::app::outreach::mail_letters::{Letter, Queued};
use crate::app::outreach::webhooks::{enqueue, hears, Happening};
use crate::db::digests::{DigestSubscriptionRow, DIGEST_LETTER};
use crate::db::mail::{self as mail_queue, NewLetter};
use crate::db::webhooks as stored_webhooks;
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
    let listening: Vec<_> = stored_webhooks::site_wide(conn)?
        .into_iter()
        .filter(|hook| hears(hook, kind))
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
    enqueue(conn, &happening, &listening)
}
