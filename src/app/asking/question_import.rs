//! Importing questions collected before the event (a form, a mailing list): each becomes a
//! question of the event, with its votes as anonymous voters so counts stay distinct-voter
//! counts.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDateTime};

use crate::app::now;
use crate::db::{self, Db};
use crate::domain::{DisplayName, QuestionBody, QuestionStatus, Token};
use crate::error::AppError;

/// More votes than this on one imported question is a typo, not a tally.
pub const MAX_VOTES: u32 = 100_000;

pub struct ImportedQuestion {
    body: QuestionBody,
    author_name: Option<DisplayName>,
    created_at: Option<NaiveDateTime>,
    votes: u32,
}

/// Checks one record's fields, or says what is wrong.
pub fn parse_record(
    body: &str,
    author_name: Option<&str>,
    created_at: Option<&str>,
    votes: Option<&str>,
) -> Result<ImportedQuestion, String> {
    let body = QuestionBody::parse(body).map_err(|invalid| format!("body: {}", invalid.message))?;
    let author_name =
        DisplayName::parse_optional(author_name.filter(|name| !name.trim().is_empty()))
            .map_err(|invalid| format!("author_name: {}", invalid.message))?;
    let created_at = created_at
        .map(str::trim)
        .filter(|at| !at.is_empty())
        .map(|at| {
            DateTime::parse_from_rfc3339(at)
                .map(|at| at.naive_utc())
                .map_err(|_| {
                    format!("created_at: `{at}` is not an RFC 3339 time like 2026-11-01T12:00:00Z")
                })
        })
        .transpose()?;
    let votes = match votes.map(str::trim).filter(|votes| !votes.is_empty()) {
        None => 0,
        Some(votes) => votes
            .parse::<u32>()
            .ok()
            .filter(|votes| *votes <= MAX_VOTES)
            .ok_or_else(|| format!("votes: `{votes}` is not a count from 0 to {MAX_VOTES}"))?,
    };
    Ok(ImportedQuestion {
        body,
        author_name,
        created_at,
        votes,
    })
}

pub struct BatchOutcome {
    pub imported: usize,
    /// Questions the event has already (a file imported twice).
    pub already_there: usize,
}

/// Writes a batch in one transaction, in the event's first status (pending when it is
/// pre-moderated).
pub async fn import_batch(
    db: &Db,
    slug: &str,
    questions: Vec<ImportedQuestion>,
) -> Result<BatchOutcome, AppError> {
    let mut tokens = Vec::with_capacity(questions.len());
    for question in &questions {
        let follow =
            Token::generate().map_err(|error| AppError::internal("making a token", error))?;
        let mut voters = Vec::with_capacity(question.votes as usize);
        for _ in 0..question.votes {
            voters.push(
                Token::generate()
                    .map_err(|error| AppError::internal("making a voter", error))?
                    .hash(),
            );
        }
        tokens.push((follow.hash(), voters));
    }
    let slug = slug.to_owned();
    db.write(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let bodies: Vec<&str> = questions.iter().map(|q| q.body.as_str()).collect();
        let existing: HashSet<String> =
            db::questions::bodies_in_event(conn, event.id, &bodies, None)?
                .into_iter()
                .collect();
        let status = QuestionStatus::initial(event.premoderation);
        let at = now();
        let mut outcome = BatchOutcome {
            imported: 0,
            already_there: 0,
        };
        for (question, (follow, voters)) in questions.iter().zip(&tokens) {
            if existing.contains(question.body.as_str()) {
                outcome.already_there += 1;
                continue;
            }
            let asked_at = question.created_at.unwrap_or(at);
            let id = db::questions::insert(
                conn,
                &db::questions::NewQuestion {
                    event_id: event.id,
                    body: question.body.as_str(),
                    author_name: question.author_name.as_ref().map(DisplayName::as_str),
                    status: status.as_str(),
                    follow_token_hash: follow.as_str(),
                    created_at: asked_at,
                    updated_at: at,
                },
            )?;
            for voter in voters {
                db::votes::insert(conn, id, voter.as_str(), None, asked_at)?;
            }
            if !voters.is_empty() {
                db::questions::add_to_vote_count(conn, id, voters.len() as i32)?;
            }
            db::changes::record(conn, id, at)?;
            outcome.imported += 1;
        }
        Ok(outcome)
    })
    .await
}
