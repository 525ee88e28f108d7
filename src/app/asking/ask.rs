use crate::app::events::taking_questions::event_taking_questions;
use crate::app::now;
use crate::app::outreach::mail;
use crate::app::outreach::webhooks::{self, Told};
use crate::bus::{Bus, Notice, NoticeKind};
use crate::db::{self, Db};
use crate::domain::{
    DisplayName, EmailAddress, EventSlug, QuestionBody, QuestionStatus, Token, WebhookKind,
};
use crate::error::AppError;

/// A question as submitted, already validated.
pub struct AskInput {
    pub body: QuestionBody,
    pub author_name: Option<DisplayName>,
    /// Where to tell the asker what became of it, once they confirm the address.
    pub notify_email: Option<EmailAddress>,
}

impl AskInput {
    /// Validates the fields, reporting the first problem found (the body first).
    pub fn parse(
        body: &str,
        author_name: Option<&str>,
        notify_email: Option<&str>,
    ) -> Result<Self, crate::domain::Invalid> {
        Ok(Self {
            body: QuestionBody::parse(body)?,
            author_name: DisplayName::parse_optional(author_name)?,
            notify_email: EmailAddress::parse_optional(notify_email)?,
        })
    }
}

#[derive(Debug)]
pub struct Asked {
    pub question_id: i64,
    pub status: QuestionStatus,
    /// Shown to the asker once; only its hash is stored.
    pub follow_token: Token,
}

pub async fn ask(db: &Db, bus: &Bus, slug: &str, input: AskInput) -> Result<Asked, AppError> {
    let slug = EventSlug::parse(slug).map_err(|_| AppError::NotFound { what: "event" })?;
    let follow_token =
        Token::generate().map_err(|error| AppError::internal("making a follow link", error))?;
    let follow_hash = follow_token.hash();
    let (question_id, status, event_id) = db
        .write(move |conn| {
            let event = event_taking_questions(conn, &slug)?;
            let status = QuestionStatus::initial(event.premoderation);
            let at = now();
            let id = db::questions::insert(
                conn,
                &db::questions::NewQuestion {
                    event_id: event.id,
                    body: input.body.as_str(),
                    author_name: input.author_name.as_ref().map(DisplayName::as_str),
                    status: status.as_str(),
                    follow_token_hash: follow_hash.as_str(),
                    created_at: at,
                    updated_at: at,
                },
            )?;
            if let Some(email) = &input.notify_email {
                mail::subscribe_asker(conn, email, event.id, id, input.body.as_str())?;
            }
            // Similar-question search learns of it through the same feed as the FAQ.
            db::changes::record(conn, id, at)?;
            // The team hears of what the public sees; a held question, once it is approved.
            if status.is_listed() {
                let asked = Told {
                    event_id: event.id,
                    id,
                    text: input.body.as_str(),
                };
                webhooks::tell(conn, WebhookKind::QuestionAsked, asked, None)?;
            }
            Ok((id, status, event.id))
        })
        .await?;
    bus.publish(Notice::question(event_id, question_id, NoticeKind::Asked));
    Ok(Asked {
        question_id,
        status,
        follow_token,
    })
}
