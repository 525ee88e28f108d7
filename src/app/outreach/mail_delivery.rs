//! Sends queued mail over SMTP: each due letter is claimed (so that no other instance sends it
//! too), made into a message, and sent; a failure is tried again later, twice as long after each,
//! until it is given up after [`MAX_ATTEMPTS`] or refused for good by the server. A letter leaves
//! the queue, address and all, once sent or given up; the queue is in the database, so a restart
//! picks up where the last run stopped.

use std::time::Duration;

use anyhow::Context;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::app::now;
use crate::app::outreach::mail_letters::Queued;
use crate::app::outreach::retry::{backoff, send_until_stopped};
use tokio::sync::watch;

use crate::bus::Bus;
use crate::config::MailSettings;
use crate::db::mail::{self as stored, LetterRow};
use crate::db::Db;
use crate::views::outreach::mail::compose;

/// Attempts before a letter is given up.
pub const MAX_ATTEMPTS: i32 = 8;
/// How long a claimed letter is left to its instance before another may take it: longer than a
/// batch may take.
const LEASE: chrono::Duration = chrono::Duration::seconds(60);
/// The SMTP server's time to answer each command.
const TIMEOUT: Duration = Duration::from_secs(20);
/// A whole attempt's time, connecting included: well within the lease.
const ATTEMPT_LIMIT: Duration = Duration::from_secs(40);
/// Letters claimed, and sent together (over the transport's pool of connections), at once.
const BATCH: i64 = 32;

pub struct MailSender {
    db: Db,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_base: String,
    retry_base: chrono::Duration,
}

impl MailSender {
    /// A sender for the configured server; connects only when there is mail to send.
    pub fn new(db: Db, settings: &MailSettings, public_base: String) -> anyhow::Result<Self> {
        let url = with_password(&settings.smtp_url, settings.smtp_password.as_deref())?;
        let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url).context(
            "reading FAQTORY_SMTP_URL (smtps://user@host:port, or smtp://host:port?tls=required)",
        )?;
        let from: Mailbox = settings.from.parse().with_context(|| {
            format!(
                "reading FAQTORY_MAIL_FROM `{}` (name@example.org or Name <name@example.org>)",
                settings.from
            )
        })?;
        Ok(Self {
            db,
            transport: builder.timeout(Some(TIMEOUT)).build(),
            from,
            public_base,
            retry_base: settings.retry_base,
        })
    }

    /// Sends letters as they fall due until `stop` says so (see `retry::send_until_stopped`).
    pub async fn run(self, bus: Bus, stop: watch::Receiver<bool>) {
        send_until_stopped("mail", bus, stop, || self.send_due()).await;
    }

    /// Sends what is due now; returns how many were tried.
    async fn send_due(&self) -> Result<usize, crate::error::AppError> {
        let at = now();
        // A read first: claiming takes the writer, which an idle queue should not.
        let next = self.db.read(stored::next_due).await?;
        if next.is_none_or(|due| due > at) {
            return Ok(0);
        }
        let claimed = self
            .db
            .write(move |conn| stored::claim_due(conn, at, at + LEASE, BATCH))
            .await?;
        let tried = claimed.len();
        let outcomes: Vec<(i64, i32, Outcome)> =
            futures_util::future::join_all(claimed.iter().map(|letter| async move {
                let outcome = tokio::time::timeout(ATTEMPT_LIMIT, self.attempt(letter))
                    .await
                    .unwrap_or_else(|_| Outcome::Failed("the attempt took too long".into()));
                (letter.id, letter.attempts + 1, outcome)
            }))
            .await;
        let retry_base = self.retry_base;
        self.db
            .write(move |conn| {
                let mut done = Vec::new();
                for (id, attempts, outcome) in &outcomes {
                    match outcome {
                        Outcome::Sent => done.push(*id),
                        Outcome::Refused(error) => {
                            tracing::warn!(letter = id, %error, "mail given up");
                            done.push(*id);
                        }
                        Outcome::Failed(error) if *attempts >= MAX_ATTEMPTS => {
                            tracing::warn!(letter = id, attempts, %error, "mail given up");
                            done.push(*id);
                        }
                        Outcome::Failed(error) => {
                            tracing::info!(letter = id, attempts, %error, "mail to be tried again");
                            let next = now() + backoff(retry_base, *attempts);
                            stored::retry_later(conn, *id, *attempts, next, error)?;
                        }
                    }
                }
                stored::remove(conn, &done)
            })
            .await?;
        Ok(tried)
    }

    async fn attempt(&self, letter: &LetterRow) -> Outcome {
        let message = match self.message(letter) {
            Ok(message) => message,
            Err(error) => return Outcome::Refused(error),
        };
        match self.transport.send(message).await {
            Ok(_) => Outcome::Sent,
            Err(error) if error.is_permanent() => {
                Outcome::Refused(format!("the mail server refused it: {error}"))
            }
            Err(error) => Outcome::Failed(format!("could not send: {error}")),
        }
    }

    fn message(&self, letter: &LetterRow) -> Result<Message, String> {
        let queued: Queued = serde_json::from_str(&letter.body)
            .map_err(|error| format!("the queued letter could not be read: {error}"))?;
        let to: Mailbox = letter
            .recipient
            .parse()
            .map_err(|error| format!("the address cannot be mailed: {error}"))?;
        let composed = compose(&queued, &self.public_base);
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(composed.subject)
            // One click in the mail program unsubscribes (RFC 8058), without opening a page.
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{}>", composed.unsubscribe_url),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".into(),
            ))
            // No out-of-office replies to a machine.
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Auto-Submitted"),
                "auto-generated".into(),
            ))
            .multipart(MultiPart::alternative_plain_html(
                composed.text,
                composed.html,
            ))
            .map_err(|error| format!("the message could not be made: {error}"))
    }
}

/// The server's URL with the password kept apart from it (`FAQTORY_SMTP_PASSWORD`) put in.
fn with_password(smtp_url: &str, password: Option<&str>) -> anyhow::Result<String> {
    let Some(password) = password else {
        return Ok(smtp_url.to_owned());
    };
    let mut url = url::Url::parse(smtp_url).context("reading FAQTORY_SMTP_URL")?;
    url.set_password(Some(password))
        .map_err(|()| anyhow::anyhow!("FAQTORY_SMTP_URL has no host to sign in to"))?;
    Ok(url.into())
}

enum Outcome {
    Sent,
    /// Worth trying again.
    Failed(String),
    /// Never worth trying again.
    Refused(String),
}
