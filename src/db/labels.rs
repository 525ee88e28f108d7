use diesel::prelude::*;

use super::connection::DbConnection;
use super::schema::{labels, question_labels};
use crate::error::{AppError, QueryContext};

/// The id of the event's label with this name, creating it the first time it is used.
pub fn find_or_create(conn: &mut DbConnection, event_id: i64, name: &str) -> Result<i64, AppError> {
    let existing = labels::table
        .filter(labels::event_id.eq(event_id))
        .filter(labels::name.eq(name))
        .select(labels::id)
        .get_result(conn)
        .optional()
        .context("finding a label")?;
    match existing {
        Some(id) => Ok(id),
        None => diesel::insert_into(labels::table)
            .values((labels::event_id.eq(event_id), labels::name.eq(name)))
            .returning(labels::id)
            .get_result(conn)
            .context("adding a label"),
    }
}

/// Replaces a question's labels.
pub fn set_for_question(
    conn: &mut DbConnection,
    question_id: i64,
    label_ids: &[i64],
) -> Result<(), AppError> {
    diesel::delete(question_labels::table.filter(question_labels::question_id.eq(question_id)))
        .execute(conn)
        .context("clearing a question's labels")?;
    for label_id in label_ids {
        diesel::insert_into(question_labels::table)
            .values((
                question_labels::question_id.eq(question_id),
                question_labels::label_id.eq(label_id),
            ))
            .execute(conn)
            .context("labelling a question")?;
    }
    Ok(())
}

/// The labels of these questions as (question id, label name), by name.
pub fn of_questions(
    conn: &mut DbConnection,
    question_ids: &[i64],
) -> Result<Vec<(i64, String)>, AppError> {
    question_labels::table
        .inner_join(labels::table)
        .filter(question_labels::question_id.eq_any(question_ids))
        .order(labels::name.asc())
        .select((question_labels::question_id, labels::name))
        .load(conn)
        .context("reading labels")
}

/// An event's labels as (id, name), by name.
pub fn of_event(conn: &mut DbConnection, event_id: i64) -> Result<Vec<(i64, String)>, AppError> {
    labels::table
        .filter(labels::event_id.eq(event_id))
        .order(labels::name.asc())
        .select((labels::id, labels::name))
        .load(conn)
        .context("reading an event's labels")
}

/// Removes labels (and so takes them off every question that had them).
pub fn delete(conn: &mut DbConnection, label_ids: &[i64]) -> Result<(), AppError> {
    diesel::delete(question_labels::table.filter(question_labels::label_id.eq_any(label_ids)))
        .execute(conn)
        .context("taking removed labels off questions")?;
    diesel::delete(labels::table.filter(labels::id.eq_any(label_ids)))
        .execute(conn)
        .context("removing labels")?;
    Ok(())
}

/// Gives moved questions the same-named labels of their new event.
pub fn carry_to_event(
    conn: &mut DbConnection,
    question_ids: &[i64],
    event_id: i64,
) -> Result<(), AppError> {
    let mut names_by_question: std::collections::BTreeMap<i64, Vec<String>> =
        std::collections::BTreeMap::new();
    for (question_id, name) in of_questions(conn, question_ids)? {
        names_by_question.entry(question_id).or_default().push(name);
    }
    for (question_id, names) in names_by_question {
        let mut ids = Vec::with_capacity(names.len());
        for name in &names {
            ids.push(find_or_create(conn, event_id, name)?);
        }
        set_for_question(conn, question_id, &ids)?;
    }
    Ok(())
}
