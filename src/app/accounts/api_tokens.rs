//! Moderators' personal API tokens: shown once at creation, kept only as a hash, revocable, listed
//! with their last use.

use chrono::Duration;

use crate::app::now;
use crate::db::{self, api_tokens::ApiToken, moderators::Moderator, modlog::NewEntry, Db};
use crate::domain::{Invalid, Token};
use crate::error::AppError;

/// Tokens look like `fqt_` and 32 hex digits, so they are easy to spot in a leaked config.
const PREFIX: &str = "fqt_";
pub const LABEL_MAX_CHARS: usize = 60;

fn parse_label(raw: &str) -> Result<String, Invalid> {
    let label = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if label.is_empty()
        || label.chars().count() > LABEL_MAX_CHARS
        || label.chars().any(char::is_control)
    {
        return Err(Invalid::new(
            "label",
            format!(
                "Give the token a name of 1 to {LABEL_MAX_CHARS} characters, like “CI exporter”."
            ),
        ));
    }
    Ok(label)
}

/// Creates a token; the returned text is the only time anyone sees it.
pub async fn create(
    db: &Db,
    moderator_id: i64,
    label: &str,
) -> Result<(ApiToken, String), AppError> {
    let label = parse_label(label)?;
    let token =
        Token::generate().map_err(|error| AppError::internal("making an API token", error))?;
    let hash = token.hash();
    let created = db
        .write(move |conn| {
            let at = now();
            let id = db::api_tokens::insert(
                conn,
                &db::api_tokens::NewApiToken {
                    moderator_id,
                    label: &label,
                    token_hash: hash.as_str(),
                    created_at: at,
                },
            )?;
            db::modlog::record(
                conn,
                &NewEntry {
                    moderator_id: Some(moderator_id),
                    action: "token.create",
                    after_value: Some(&label),
                    created_at: at,
                    ..NewEntry::default()
                },
            )?;
            db::api_tokens::of_moderator(conn, moderator_id)?
                .into_iter()
                .find(|token| token.id == id)
                .ok_or(AppError::NotFound { what: "API token" })
        })
        .await?;
    Ok((created, format!("{PREFIX}{}", token.as_str())))
}

pub async fn list(db: &Db, moderator_id: i64) -> Result<Vec<ApiToken>, AppError> {
    db.read(move |conn| db::api_tokens::of_moderator(conn, moderator_id))
        .await
}

pub async fn revoke(db: &Db, moderator_id: i64, token_id: i64) -> Result<(), AppError> {
    db.write(move |conn| {
        let at = now();
        if !db::api_tokens::revoke(conn, moderator_id, token_id, at)? {
            return Err(AppError::NotFound { what: "API token" });
        }
        db::modlog::record(
            conn,
            &NewEntry {
                moderator_id: Some(moderator_id),
                action: "token.revoke",
                after_value: Some(&token_id.to_string()),
                created_at: at,
                ..NewEntry::default()
            },
        )
    })
    .await
}

/// The enabled moderator a bearer token belongs to, if it is live. Its last use is recorded at
/// most once a minute, so a busy script does not write on every call.
pub async fn authenticate(db: &Db, bearer: &str) -> Result<Option<Moderator>, AppError> {
    let Some(token) = bearer.strip_prefix(PREFIX).and_then(Token::parse) else {
        return Ok(None);
    };
    let hash = token.hash();
    let found = db
        .read(move |conn| {
            let Some(token) = db::api_tokens::find_live(conn, hash.as_str())? else {
                return Ok(None);
            };
            let moderator = db::moderators::find(conn, token.moderator_id)?;
            Ok(moderator.map(|moderator| (token, moderator)))
        })
        .await?;
    let Some((token, moderator)) = found else {
        return Ok(None);
    };
    if moderator.disabled {
        return Ok(None);
    }
    let at = now();
    if token
        .last_used_at
        .is_none_or(|last| at - last > Duration::minutes(1))
    {
        db.write(move |conn| db::api_tokens::touch(conn, token.id, at))
            .await?;
    }
    Ok(Some(moderator))
}
