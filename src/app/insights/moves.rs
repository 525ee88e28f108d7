//! What moderators change by hand: a topic's name, hiding it, merging two topics, splitting some
//! questions off into a topic of their own. Each is one transaction with its audit-log line, and
//! each lasts through regroupings: names and hidden flags stay with the topic's id, and merged or
//! split questions are pinned where they were put.

use std::time::Duration;

use crate::app::insights::basis::Basis;
use crate::app::insights::members::{vectors_of, Item};
use crate::app::insights::placing::relabel;
use crate::app::insights::TopicWork;
use crate::app::now;
use crate::db::{self, modlog::NewEntry, Db, DbConnection};
use crate::domain::{Invalid, TopicLabel};
use crate::error::AppError;
use crate::meaning::unit_vectors::{from_bytes, to_bytes};
use crate::meaning::Meaning;

/// How long a move waits for a placement or a regrouping under way.
const WAIT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone)]
pub enum TopicMove {
    /// A name, or `None` to go back to the topic's own words.
    Rename(Option<TopicLabel>),
    Hide,
    Show,
    MergeInto(i64),
    /// These questions of the topic become a topic of their own.
    Split(Vec<i64>),
    /// Listed in the docs report as something to write documentation for (or taken off).
    WantDocs(bool),
}

impl TopicMove {
    fn action(&self) -> &'static str {
        match self {
            TopicMove::Rename(_) => "topic.rename",
            TopicMove::Hide => "topic.hide",
            TopicMove::Show => "topic.show",
            TopicMove::MergeInto(_) => "topic.merge",
            TopicMove::Split(_) => "topic.split",
            TopicMove::WantDocs(true) => "topic.docs_wanted",
            TopicMove::WantDocs(false) => "topic.docs_written",
        }
    }
}

/// Makes the move; answers the topic to look at next (the one merged into, the new one split
/// off, or the same).
pub async fn make(
    db: &Db,
    meaning: &Meaning,
    work: &TopicWork,
    actor: i64,
    topic_id: i64,
    change: TopicMove,
) -> Result<i64, AppError> {
    let busy = || AppError::Conflict {
        code: "topics_busy",
        message: "Topics are being regrouped; try again when the regrouping has finished.".into(),
    };
    let _held = tokio::time::timeout(WAIT, work.hold(db))
        .await
        .map_err(|_| busy())??
        .ok_or_else(busy)?;
    let topic = db
        .read(move |conn| db::topics::find(conn, topic_id))
        .await?
        .filter(|topic| topic.merged_into.is_none())
        .ok_or(AppError::NotFound { what: "topic" })?;
    let split_sum = match &change {
        TopicMove::Split(questions) => split_vectors(db, meaning, questions).await?,
        _ => None,
    };
    let action = change.action();
    let before = topic
        .custom_label
        .clone()
        .unwrap_or_else(|| topic.words.clone());
    let shown = db
        .write(move |conn| {
            let at = now();
            let (shown, after) = match change {
                TopicMove::Rename(label) => {
                    let label = label.map(|label| label.as_str().to_owned());
                    db::topics::rename(conn, topic_id, label.as_deref(), at)?;
                    (topic_id, label.unwrap_or_default())
                }
                TopicMove::Hide => {
                    db::topics::set_hidden(conn, topic_id, true, at)?;
                    (topic_id, "hidden".to_owned())
                }
                TopicMove::Show => {
                    db::topics::set_hidden(conn, topic_id, false, at)?;
                    (topic_id, "shown".to_owned())
                }
                TopicMove::WantDocs(wanted) => {
                    db::topics::set_docs_wanted(conn, topic_id, wanted.then_some(at))?;
                    (
                        topic_id,
                        if wanted {
                            "listed for docs"
                        } else {
                            "off the docs list"
                        }
                        .to_owned(),
                    )
                }
                TopicMove::MergeInto(into) => {
                    (merge(conn, topic_id, into)?, format!("topic {into}"))
                }
                TopicMove::Split(questions) => {
                    let new = split(conn, topic_id, &questions, split_sum)?;
                    (new, format!("topic {new}: questions {questions:?}"))
                }
            };
            db::modlog::record(
                conn,
                &NewEntry {
                    moderator_id: Some(actor),
                    action,
                    before_value: Some(&format!("topic {topic_id}: {before}")),
                    after_value: Some(&after),
                    created_at: at,
                    ..NewEntry::default()
                },
            )?;
            Ok(shown)
        })
        .await?;
    relabel(db).await?;
    Ok(shown)
}

fn merge(conn: &mut DbConnection, from: i64, into: i64) -> Result<i64, AppError> {
    if from == into {
        return Err(Invalid::new("into", "A topic cannot be merged into itself.").into());
    }
    db::topics::find(conn, into)?
        .filter(|topic| topic.merged_into.is_none())
        .ok_or_else(|| Invalid::new("into", format!("There is no topic {into} to merge into.")))?;
    let both = (
        db::topics::centroid(conn, from)?,
        db::topics::centroid(conn, into)?,
    );
    if let (Some((from_sum, from_size)), Some((into_sum, into_size))) = both {
        let sum: Vec<f32> = from_bytes(&from_sum)
            .iter()
            .zip(from_bytes(&into_sum))
            .map(|(a, b)| a + b)
            .collect();
        db::topics::set_centroid(conn, into, Some(&to_bytes(&sum)), from_size + into_size)?;
    }
    db::topic_members::move_all(conn, from, into)?;
    db::topics::mark_merged(conn, from, into, now())?;
    Ok(into)
}

/// The split-off questions' vectors' sum and count, when they can be had on the last
/// grouping's basis.
async fn split_vectors(
    db: &Db,
    meaning: &Meaning,
    questions: &[i64],
) -> Result<Option<(Vec<f32>, i32)>, AppError> {
    let wanted = questions.to_vec();
    let (members, last) = db
        .read(move |conn| {
            let members: Vec<(i64, String)> = db::questions::by_ids(conn, &wanted)?
                .into_iter()
                .map(|question| (question.id, question.body))
                .collect();
            Ok((members, db::topics::last_done(conn)?))
        })
        .await?;
    let Some(basis) = last.map(|row| Basis::parse(&row.basis)) else {
        return Ok(None);
    };
    if !basis.usable(meaning) {
        return Ok(None);
    }
    let items: Vec<Item> = Item::questions(members).collect();
    let vectors: Vec<Vec<f32>> = vectors_of(&basis, meaning, &items)
        .await
        .into_iter()
        .flatten()
        .collect();
    let Some(first) = vectors.first() else {
        return Ok(None);
    };
    let mut sum = vec![0.0; first.len()];
    for vector in &vectors {
        for (total, value) in sum.iter_mut().zip(vector) {
            *total += value;
        }
    }
    Ok(Some((
        sum,
        i32::try_from(vectors.len()).unwrap_or(i32::MAX),
    )))
}

fn split(
    conn: &mut DbConnection,
    topic_id: i64,
    questions: &[i64],
    sum: Option<(Vec<f32>, i32)>,
) -> Result<i64, AppError> {
    let members: Vec<i64> = db::topic_members::question_rows_of(conn, topic_id)?
        .into_iter()
        .map(|row| row.question_id)
        .collect();
    if questions.is_empty() {
        return Err(Invalid::new("questions", "Tick the questions to split off.").into());
    }
    if let Some(stranger) = questions.iter().find(|id| !members.contains(id)) {
        return Err(Invalid::new(
            "questions",
            format!("Question {stranger} is not in this topic."),
        )
        .into());
    }
    if questions.len() >= members.len() {
        return Err(Invalid::new(
            "questions",
            "Leave at least one question in the topic; to rename it, rename it.",
        )
        .into());
    }
    let new = db::topics::insert(conn, now())?;
    for question in questions {
        db::topic_members::place_question(conn, *question, new, true)?;
    }
    if let Some((split_sum, split_size)) = sum {
        db::topics::set_centroid(conn, new, Some(&to_bytes(&split_sum)), split_size)?;
        if let Some((old_sum, old_size)) = db::topics::centroid(conn, topic_id)? {
            let rest: Vec<f32> = from_bytes(&old_sum)
                .iter()
                .zip(&split_sum)
                .map(|(a, b)| a - b)
                .collect();
            db::topics::set_centroid(
                conn,
                topic_id,
                Some(&to_bytes(&rest)),
                (old_size - split_size).max(0),
            )?;
        }
    }
    Ok(new)
}
