//! Counting what people do with a suggested section: opened it, said it answers their question,
//! asked anyway after seeing it. Nothing is sent to anyone; these are figures for the team.

use crate::app::now;
use crate::db::doc_uses::{self, NewUse};
use crate::db::{self, Db};
use crate::docs::section::address;
use crate::error::AppError;

/// At most this many sections count as shown with one question (the ask form shows three).
const MAX_SHOWN: usize = 10;

/// This site's address of a section: it sends the reader to the section, counting the visit.
pub fn open_path(section_id: i64) -> String {
    format!("/d/{section_id}")
}

/// The ids in a form's `docs_shown` field (`12,15`); anything else in it is ignored.
pub fn parse_shown(field: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = field
        .split(',')
        .filter_map(|id| id.trim().parse::<i64>().ok())
        .filter(|id| *id > 0)
        .take(MAX_SHOWN)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

async fn event_id_of(db: &Db, slug: Option<&str>) -> Result<Option<i64>, AppError> {
    let Some(slug) = slug.map(str::to_owned) else {
        return Ok(None);
    };
    Ok(db
        .read(move |conn| db::events::find_by_slug(conn, &slug))
        .await?
        .map(|event| event.id))
}

/// The asker saw these sections and sent their question anyway. Sections that no longer exist
/// are not counted.
pub async fn asked_anyway(db: &Db, question_id: i64, shown: Vec<i64>) -> Result<(), AppError> {
    if shown.is_empty() {
        return Ok(());
    }
    let at = now();
    db.write(move |conn| {
        let Some(question) = db::questions::find(conn, question_id)? else {
            return Ok(());
        };
        let event_id = question.event_id;
        let existing = db::docs::live_sections_by_ids(conn, &shown)?;
        let uses: Vec<NewUse> = existing
            .iter()
            .flat_map(|section| {
                [doc_uses::SHOWN, doc_uses::ASKED_ANYWAY].map(|what| NewUse {
                    section_id: section.id,
                    event_id: Some(event_id),
                    question_id: Some(question_id),
                    what,
                    at,
                })
            })
            .collect();
        doc_uses::record(conn, &uses)
    })
    .await
}

/// The asker said the section answers their question; how many have said so of it.
pub async fn answered_mine(
    db: &Db,
    section_id: i64,
    event_slug: Option<&str>,
) -> Result<i64, AppError> {
    let event_id = event_id_of(db, event_slug).await?;
    let at = now();
    db.write(move |conn| {
        if db::docs::live_sections_by_ids(conn, &[section_id])?.is_empty() {
            return Err(AppError::NotFound {
                what: "documentation section",
            });
        }
        let uses = [doc_uses::SHOWN, doc_uses::ANSWERED].map(|what| NewUse {
            section_id,
            event_id,
            question_id: None,
            what,
            at,
        });
        doc_uses::record(conn, &uses)?;
        Ok(doc_uses::counts_by_section(conn)?
            .get(&section_id)
            .and_then(|counts| counts.get(doc_uses::ANSWERED))
            .copied()
            .unwrap_or_default())
    })
    .await
}

/// Where a reader of the section goes, counting the visit: the section, or for a tombstone the
/// section its content moved to, or its old page.
pub async fn open(db: &Db, section_id: i64, event_slug: Option<&str>) -> Result<String, AppError> {
    let event_id = event_id_of(db, event_slug).await?;
    let at = now();
    db.write(move |conn| {
        let section = db::docs::section_by_id(conn, section_id)?.ok_or(AppError::NotFound {
            what: "documentation section",
        })?;
        let target = match section.replaced_by {
            Some(moved) => db::docs::section_by_id(conn, moved)?.unwrap_or(section),
            None => section,
        };
        doc_uses::record(
            conn,
            &[NewUse {
                section_id,
                event_id,
                question_id: None,
                what: doc_uses::OPENED,
                at,
            }],
        )?;
        // A section whose page went entirely still leads to the page it was on.
        Ok(address(&target.url, &target.anchor))
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::parse_shown;

    #[test]
    fn shown_ids_are_read_leniently_and_capped() {
        assert_eq!(parse_shown("3, 1,3,x,-2,0"), [1, 3]);
        assert!(parse_shown("").is_empty());
        let many = (1..50).map(|n| n.to_string()).collect::<Vec<_>>().join(",");
        assert_eq!(parse_shown(&many).len(), 10);
    }
}
