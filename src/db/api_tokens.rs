use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::api_tokens;
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: i64,
    pub moderator_id: i64,
    pub label: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = api_tokens)]
pub struct NewApiToken<'a> {
    pub moderator_id: i64,
    pub label: &'a str,
    pub token_hash: &'a str,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewApiToken<'_>) -> Result<i64, AppError> {
    diesel::insert_into(api_tokens::table)
        .values(new)
        .returning(api_tokens::id)
        .get_result(conn)
        .context("creating an API token")
}

pub fn of_moderator(conn: &mut DbConnection, moderator_id: i64) -> Result<Vec<ApiToken>, AppError> {
    api_tokens::table
        .filter(api_tokens::moderator_id.eq(moderator_id))
        .order(api_tokens::id.desc())
        .select(ApiToken::as_select())
        .load(conn)
        .context("listing API tokens")
}

/// The live (not revoked) token with this hash.
pub fn find_live(conn: &mut DbConnection, token_hash: &str) -> Result<Option<ApiToken>, AppError> {
    api_tokens::table
        .filter(api_tokens::token_hash.eq(token_hash))
        .filter(api_tokens::revoked_at.is_null())
        .select(ApiToken::as_select())
        .get_result(conn)
        .optional()
        .context("checking an API token")
}

pub fn touch(conn: &mut DbConnection, id: i64, at: NaiveDateTime) -> Result<(), AppError> {
    diesel::update(api_tokens::table.find(id))
        .set(api_tokens::last_used_at.eq(at))
        .execute(conn)
        .context("recording an API token's use")?;
    Ok(())
}

/// Revokes one of the moderator's own tokens; returns whether there was one to revoke.
pub fn revoke(
    conn: &mut DbConnection,
    moderator_id: i64,
    id: i64,
    at: NaiveDateTime,
) -> Result<bool, AppError> {
    let changed = diesel::update(
        api_tokens::table
            .find(id)
            .filter(api_tokens::moderator_id.eq(moderator_id))
            .filter(api_tokens::revoked_at.is_null()),
    )
    .set(api_tokens::revoked_at.eq(at))
    .execute(conn)
    .context("revoking an API token")?;
    Ok(changed > 0)
}
