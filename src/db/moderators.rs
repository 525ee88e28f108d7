use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::moderators;
use crate::domain::Role;
use crate::error::{AppError, QueryContext};

#[derive(Debug, Clone)]
pub struct Moderator {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = moderators)]
struct ModeratorRow {
    id: i64,
    username: String,
    password_hash: String,
    role: String,
    disabled: bool,
    created_at: NaiveDateTime,
}

impl TryFrom<ModeratorRow> for Moderator {
    type Error = AppError;

    fn try_from(row: ModeratorRow) -> Result<Self, AppError> {
        Ok(Moderator {
            id: row.id,
            username: row.username,
            password_hash: row.password_hash,
            role: row
                .role
                .parse()
                .map_err(|error| AppError::internal("reading a moderator's role", error))?,
            disabled: row.disabled,
            created_at: row.created_at,
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = moderators)]
pub struct NewModerator<'a> {
    pub username: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, new: &NewModerator<'_>) -> Result<i64, AppError> {
    diesel::insert_into(moderators::table)
        .values(new)
        .returning(moderators::id)
        .get_result(conn)
        .context("adding a moderator")
}

pub fn find_by_username(
    conn: &mut DbConnection,
    username: &str,
) -> Result<Option<Moderator>, AppError> {
    moderators::table
        .filter(moderators::username.eq(username))
        .select(ModeratorRow::as_select())
        .get_result(conn)
        .optional()
        .context("finding a moderator")?
        .map(Moderator::try_from)
        .transpose()
}

pub fn find(conn: &mut DbConnection, id: i64) -> Result<Option<Moderator>, AppError> {
    moderators::table
        .find(id)
        .select(ModeratorRow::as_select())
        .get_result(conn)
        .optional()
        .context("finding a moderator by id")?
        .map(Moderator::try_from)
        .transpose()
}

pub fn set_password_hash(
    conn: &mut DbConnection,
    username: &str,
    password_hash: &str,
) -> Result<usize, AppError> {
    diesel::update(moderators::table.filter(moderators::username.eq(username)))
        .set(moderators::password_hash.eq(password_hash))
        .execute(conn)
        .context("changing a password")
}

pub fn set_disabled(
    conn: &mut DbConnection,
    username: &str,
    disabled: bool,
) -> Result<usize, AppError> {
    diesel::update(moderators::table.filter(moderators::username.eq(username)))
        .set(moderators::disabled.eq(disabled))
        .execute(conn)
        .context("disabling a moderator")
}

/// Everyone, admins first, then by name.
pub fn list(conn: &mut DbConnection) -> Result<Vec<Moderator>, AppError> {
    moderators::table
        .order((moderators::role.asc(), moderators::username.asc()))
        .select(ModeratorRow::as_select())
        .load(conn)
        .context("listing moderators")?
        .into_iter()
        .map(Moderator::try_from)
        .collect()
}
