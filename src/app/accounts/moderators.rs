//! Moderator accounts: adding, changing passwords, disabling, and signing in. Every change is
//! written to the audit log with who made it (nobody, when it came from the command line).

use crate::app::now;
use crate::auth::passwords;
use crate::db::{self, moderators::Moderator, modlog::NewEntry, Db};
use crate::domain::{Password, Role, Username};
use crate::error::AppError;

/// Who acts: a signed-in moderator's id, or `None` for the command line.
pub type Actor = Option<i64>;

fn log_account_change(
    conn: &mut db::DbConnection,
    actor: Actor,
    action: &str,
    username: &str,
) -> Result<(), AppError> {
    db::modlog::record(
        conn,
        &NewEntry {
            moderator_id: actor,
            action,
            after_value: Some(username),
            created_at: now(),
            ..NewEntry::default()
        },
    )
}

pub async fn add_moderator(
    db: &Db,
    actor: Actor,
    username: Username,
    password: &Password,
    role: Role,
) -> Result<Moderator, AppError> {
    let password_hash = passwords::hash(password).await?;
    db.write(move |conn| {
        if db::moderators::find_by_username(conn, username.as_str())?.is_some() {
            return Err(crate::domain::Invalid::new(
                "username",
                format!("A moderator named `{username}` exists already."),
            )
            .into());
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
        log_account_change(conn, actor, "moderator.add", username.as_str())?;
        db::moderators::find(conn, id)?.ok_or(AppError::NotFound { what: "moderator" })
    })
    .await
}

pub async fn set_password(
    db: &Db,
    actor: Actor,
    username: Username,
    password: &Password,
) -> Result<(), AppError> {
    let password_hash = passwords::hash(password).await?;
    db.write(move |conn| {
        let changed = db::moderators::set_password_hash(conn, username.as_str(), &password_hash)?;
        if changed == 0 {
            return Err(AppError::NotFound { what: "moderator" });
        }
        // Whoever knew the old password is signed out everywhere.
        db::sessions::end_all_of(conn, username.as_str())?;
        log_account_change(conn, actor, "moderator.password", username.as_str())
    })
    .await
}

/// A moderator changes their own password, proving they know the current one.
pub async fn change_own_password(
    db: &Db,
    moderator: &Moderator,
    current: String,
    new: &Password,
) -> Result<(), AppError> {
    let known = passwords::verify(Some(moderator.password_hash.clone()), current).await?;
    if !known {
        return Err(crate::domain::Invalid::new(
            "current_password",
            "That is not your current password.",
        )
        .into());
    }
    let username = Username::parse(&moderator.username)?;
    set_password(db, Some(moderator.id), username, new).await
}

pub async fn set_disabled(
    db: &Db,
    actor: Actor,
    username: Username,
    disabled: bool,
) -> Result<(), AppError> {
    if actor.is_some() {
        let name = username.clone();
        let target = db
            .read(move |conn| db::moderators::find_by_username(conn, name.as_str()))
            .await?;
        if target.is_some_and(|target| Some(target.id) == actor) {
            return Err(AppError::conflict(
                "cannot_disable_self",
                "You cannot disable your own account.",
            ));
        }
    }
    db.write(move |conn| {
        let changed = db::moderators::set_disabled(conn, username.as_str(), disabled)?;
        if changed == 0 {
            return Err(AppError::NotFound { what: "moderator" });
        }
        if disabled {
            db::sessions::end_all_of(conn, username.as_str())?;
        }
        let action = if disabled {
            "moderator.disable"
        } else {
            "moderator.enable"
        };
        log_account_change(conn, actor, action, username.as_str())
    })
    .await
}

pub async fn find(db: &Db, username: Username) -> Result<Option<Moderator>, AppError> {
    db.read(move |conn| db::moderators::find_by_username(conn, username.as_str()))
        .await
}

pub async fn list(db: &Db) -> Result<Vec<Moderator>, AppError> {
    db.read(db::moderators::list).await
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
