use crate::db::{self, answers::Answer, events::Event, questions::Question, Db};
use crate::domain::Token;
use crate::error::AppError;

pub struct Followed {
    pub question: Question,
    pub event: Event,
    pub answer: Option<Answer>,
}

/// What the private follow link shows: the question, its status, and its event.
pub async fn follow(db: &Db, token: &str) -> Result<Followed, AppError> {
    let token = Token::parse(token).ok_or(AppError::NotFound {
        what: "follow link",
    })?;
    let hash = token.hash();
    db.read(move |conn| {
        let question =
            db::questions::find_by_follow_hash(conn, hash.as_str())?.ok_or(AppError::NotFound {
                what: "follow link",
            })?;
        let event = db::events::find_by_id(conn, question.event_id)?
            .ok_or(AppError::NotFound { what: "event" })?;
        let answer = db::answers::find(conn, question.id)?;
        Ok(Followed {
            question,
            event,
            answer,
        })
    })
    .await
}
