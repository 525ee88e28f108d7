//! Moderator accounts: adding, changing passwords, disabling, and signing in.

use super::now;
use crate::auth::passwords;
use crate::db::{self, moderators::Moderator, Db};
use crate::domain::{Password, Role, Username};
use crate::error::AppError;

pub async fn add_moderator(
    db: &Db,
    username: Username,
    password: &Password,
    role: Role,
) -> Result<Moderator, AppError> {
    let password_hash = passwords::hash(password).await?;
    db.write(move |conn| {
        if db::moderators::find_by_username(conn, username.as_str())?.is_some() {
            return Err(AppError::conflict(
                "username_taken",
                format!("A moderator named `{username}` exists already."),
            ));
        }
        let id = db::moderators::insert(
            conn,
            &db::moderators::NewModerator {
                username: username.as_str(),
                password_hash: &password_hash,
                role: role.as_str(),
                disabled: false,
                created_at: now(),
            },
        )?;
        db::moderators::find(conn, id)?.ok_or(AppError::NotFound { what: "moderator" })
    })
    .await
}

pub async fn set_password(
    db: &Db,
    username: Username,
    password: &Password,
) -> Result<(), AppError> {
    let password_hash = passwords::hash(password).await?;
    let changed = db
        .write(move |conn| {
            db::moderators::set_password_hash(conn, username.as_str(), &password_hash)
        })
        .await?;
    if changed == 0 {
        return Err(AppError::NotFound { what: "moderator" });
    }
    Ok(())
}

pub async fn disable(db: &Db, username: Username) -> Result<(), AppError> {
    let changed = db
        .write(move |conn| db::moderators::set_disabled(conn, username.as_str(), true))
        .await?;
    if changed == 0 {
        return Err(AppError::NotFound { what: "moderator" });
    }
    Ok(())
}

/// The moderator these credentials belong to, or `None` for any kind of failure (unknown name,
/// wrong password, disabled account): the caller shows one message for all. An unknown name costs
/// one verification against a dummy hash, so timing tells nothing either.
pub async fn authenticate(
    db: &Db,
    username: &str,
    password: String,
) -> Result<Option<Moderator>, AppError> {
    let found = match Username::parse(username) {
        Ok(username) => {
            db.read(move |conn| db::moderators::find_by_username(conn, username.as_str()))
                .await?
        }
        Err(_) => None,
    };
    let stored = found
        .as_ref()
        .map(|moderator| moderator.password_hash.clone());
    let matches = passwords::verify(stored, password).await?;
    Ok(found.filter(|moderator| matches && !moderator.disabled))
}

/// The moderator a session names, while the account is still enabled.
pub async fn active_moderator(db: &Db, id: i64) -> Result<Option<Moderator>, AppError> {
    Ok(db
        .read(move |conn| db::moderators::find(conn, id))
        .await?
        .filter(|moderator| !moderator.disabled))
}
