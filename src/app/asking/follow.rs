use crate::db::{self, answers::Answer, events::Event, questions::Question, Db};
use crate::domain::Token;
use crate::error::AppError;

pub struct Followed {
    pub question: Question,
    pub event: Event,
    pub answer: Option<Answer>,
    /// Where a merged question went: the question it now counts for, and that one's answer.
    pub merged_into: Option<(Question, Option<Answer>)>,
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
        let merged_into = match question.merged_into {
            Some(canonical) => match db::questions::find(conn, canonical)? {
                Some(canonical) => {
                    let answer = db::answers::find(conn, canonical.id)?;
                    Some((canonical, answer))
                }
                None => None,
            },
            None => None,
        };
        Ok(Followed {
            question,
            event,
            answer,
            merged_into,
        })
    })
    .await
}
