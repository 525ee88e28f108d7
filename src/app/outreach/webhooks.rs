//! Outgoing webhooks: an admin names a receiver (site-wide or for one event), the formats it
//! takes and what it hears of; every happening is queued for each receiver in the same
//! transaction as the change itself (see `webhook_delivery` for the sending).

use std::net::IpAddr;

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::app::now;
use crate::db::questions::Question;
use crate::db::webhooks::{self as stored, NewDelivery, NewWebhook, WebhookRow};
use crate::db::{self, Db, DbConnection};
use crate::domain::{is_private, Invalid, Token, WebhookFormat, WebhookKind, WebhookUrl};
use crate::error::AppError;

/// A webhook as admins see it (its secret is shown once, when it is made).
#[derive(Debug, Clone)]
pub struct Webhook {
    pub id: i64,
    pub url: String,
    pub format: WebhookFormat,
    pub kinds: Vec<WebhookKind>,
    /// The event it is for; `None` for the whole site.
    pub event_slug: Option<String>,
    pub created_at: NaiveDateTime,
}

pub struct NewWebhookInput {
    pub url: WebhookUrl,
    pub format: WebhookFormat,
    pub kinds: Vec<WebhookKind>,
    pub event_slug: Option<String>,
}

fn kinds_of(stored: &str) -> Vec<WebhookKind> {
    stored
        .split(',')
        .filter_map(|kind| kind.parse().ok())
        .collect()
}

fn from_row(row: WebhookRow, event_slug: Option<String>) -> Webhook {
    Webhook {
        id: row.id,
        kinds: kinds_of(&row.kinds),
        format: row.format.parse().unwrap_or(WebhookFormat::Generic),
        url: row.url,
        event_slug,
        created_at: row.created_at,
    }
}

/// Refuses receivers on this machine or a private network unless `allow_private`: a webhook
/// must not become a way to reach what only the server can. Names are checked again, resolved,
/// before each delivery.
pub fn check_receiver(url: &WebhookUrl, allow_private: bool) -> Result<(), Invalid> {
    if allow_private {
        return Ok(());
    }
    let refused = || {
        Invalid::new(
            "url",
            "This address is on this machine or a private network; receivers there need \
             FAQTORY_ALLOW_PRIVATE_WEBHOOKS=on.",
        )
    };
    match url.url().host() {
        Some(url::Host::Ipv4(v4)) if is_private(IpAddr::V4(v4)) => Err(refused()),
        Some(url::Host::Ipv6(v6)) if is_private(IpAddr::V6(v6)) => Err(refused()),
        Some(url::Host::Domain(name))
            if name.eq_ignore_ascii_case("localhost") || name.ends_with(".localhost") =>
        {
            Err(refused())
        }
        _ => Ok(()),
    }
}

/// Adds a webhook; returns it with its signing secret, which is not shown again.
pub async fn create(
    db: &Db,
    input: NewWebhookInput,
    allow_private: bool,
) -> Result<(Webhook, String), AppError> {
    check_receiver(&input.url, allow_private)?;
    if input.kinds.is_empty() {
        return Err(Invalid::new("events", "Choose at least one thing to hear of.").into());
    }
    if input.event_slug.is_some() && input.kinds.iter().any(|kind| kind.is_digest()) {
        return Err(Invalid::new(
            "events",
            "A digest tells of the whole site: choose All events for a webhook that hears of it.",
        )
        .into());
    }
    let secret = Token::generate()
        .map_err(|error| AppError::internal("making a webhook secret", error))?
        .as_str()
        .to_owned();
    let kinds: Vec<&str> = input.kinds.iter().map(|kind| kind.as_str()).collect();
    let kinds = kinds.join(",");
    let kept_secret = secret.clone();
    let created_at = now();
    let stored_url = input.url.as_str().to_owned();
    let event_slug = input.event_slug.clone();
    let format = input.format;
    let id = db
        .write(move |conn| {
            let event_id = match &event_slug {
                Some(slug) => Some(
                    db::events::find_by_slug(conn, slug)?
                        .ok_or_else(|| {
                            Invalid::new("event", format!("There is no event `{slug}`."))
                        })?
                        .id,
                ),
                None => None,
            };
            stored::insert(
                conn,
                &NewWebhook {
                    url: &stored_url,
                    format: format.as_str(),
                    kinds: &kinds,
                    event_id,
                    secret: &kept_secret,
                    created_at,
                },
            )
        })
        .await?;
    let webhook = Webhook {
        id,
        url: input.url.as_str().to_owned(),
        format: input.format,
        kinds: input.kinds,
        event_slug: input.event_slug,
        created_at,
    };
    Ok((webhook, secret))
}

pub async fn list(db: &Db) -> Result<Vec<Webhook>, AppError> {
    let rows = db.read(stored::all).await?;
    Ok(rows
        .into_iter()
        .map(|(row, slug)| from_row(row, slug))
        .collect())
}

pub async fn delete(db: &Db, id: i64) -> Result<(), AppError> {
    if db.write(move |conn| stored::delete(conn, id)).await? {
        Ok(())
    } else {
        Err(AppError::NotFound { what: "webhook" })
    }
}

/// What a delivery tells, as queued: everything a body of any format is made from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Happening {
    pub kind: WebhookKind,
    pub occurred_at: NaiveDateTime,
    pub event_slug: String,
    pub event_title: String,
    pub question_id: i64,
    pub question: String,
    /// The answer's words (Markdown), for answers and FAQ entries.
    pub answer: Option<String>,
    /// A digest's news (its title is `question`; it has no event or question of its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<crate::app::outreach::digest_news::DigestNews>,
}

/// The question a happening is about.
#[derive(Clone, Copy)]
pub struct Told<'a> {
    pub event_id: i64,
    pub id: i64,
    pub text: &'a str,
}

impl<'a> From<&'a Question> for Told<'a> {
    fn from(question: &'a Question) -> Self {
        Self {
            event_id: question.event_id,
            id: question.id,
            text: &question.body,
        }
    }
}

/// Queues word of `kind` about `question` (with its answer, for answers and FAQ entries) for
/// every webhook of its event that hears of it, in the caller's transaction: committed with the
/// change or not at all. Costs one small query when no webhook listens.
pub fn tell(
    conn: &mut DbConnection,
    kind: WebhookKind,
    question: Told<'_>,
    answer: Option<&str>,
) -> Result<(), AppError> {
    let listening: Vec<WebhookRow> = stored::for_event(conn, question.event_id)?
        .into_iter()
        .filter(|hook| hears(hook, kind))
        .collect();
    if listening.is_empty() {
        return Ok(());
    }
    let event = db::events::find_by_id(conn, question.event_id)?
        .ok_or(AppError::NotFound { what: "event" })?;
    let at = now();
    let happening = Happening {
        kind,
        occurred_at: at,
        event_slug: event.slug,
        event_title: event.title,
        question_id: question.id,
        question: question.text.to_owned(),
        answer: answer.map(str::to_owned),
        digest: None,
    };
    enqueue(conn, &happening, &listening)
}

/// Whether the webhook hears of `kind`.
pub fn hears(hook: &WebhookRow, kind: WebhookKind) -> bool {
    kinds_of(&hook.kinds).contains(&kind)
}

/// Queues `happening` for each of `listening`, in the caller's transaction.
pub fn enqueue(
    conn: &mut DbConnection,
    happening: &Happening,
    listening: &[WebhookRow],
) -> Result<(), AppError> {
    let body = serde_json::to_string(happening)
        .map_err(|error| AppError::internal("queueing a webhook delivery", error))?;
    let deliveries: Vec<NewDelivery<'_>> = listening
        .iter()
        .map(|hook| NewDelivery {
            webhook_id: hook.id,
            kind: happening.kind.as_str(),
            body: &body,
            state: stored::PENDING,
            attempts: 0,
            next_attempt_at: happening.occurred_at,
            created_at: happening.occurred_at,
        })
        .collect();
    stored::enqueue(conn, &deliveries)
}

/// A delivery as the admin page's log shows it.
pub struct DeliveryLogLine {
    pub webhook_id: i64,
    pub kind: String,
    pub question: Option<String>,
    pub state: String,
    pub attempts: i32,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    pub next_attempt_at: NaiveDateTime,
}

pub async fn delivery_log(db: &Db, limit: i64) -> Result<Vec<DeliveryLogLine>, AppError> {
    let rows = db.read(move |conn| stored::recent(conn, limit)).await?;
    Ok(rows
        .into_iter()
        .map(|row| DeliveryLogLine {
            question: serde_json::from_str::<Happening>(&row.body)
                .ok()
                .map(|happening| happening.question),
            webhook_id: row.webhook_id,
            kind: row.kind,
            state: row.state,
            attempts: row.attempts,
            last_status: row.last_status,
            last_error: row.last_error,
            created_at: row.created_at,
            delivered_at: row.delivered_at,
            next_attempt_at: row.next_attempt_at,
        })
        .collect())
}
