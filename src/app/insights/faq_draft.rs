//! "Answer in the FAQ" from a topic: the best answer it has so far (the answer to its most voted
//! answered question, or the documentation section that covers it) becomes a draft answer to its
//! most voted open question, unpublished until a moderator has read it and publishes it.

use crate::app::docs::answering::answer_markdown;
use crate::app::insights::overview::{overview, Filter};
use crate::app::insights::sources::Sources;
use crate::app::moderation::answers::{self, AnswerInput};
use crate::bus::Bus;
use crate::db::{self, Db};
use crate::docs::section::address;
use crate::domain::{Invalid, QuestionStatus};
use crate::error::AppError;

pub struct Drafted {
    pub question_id: i64,
    pub event_slug: String,
}

/// Drafts the topic's answer, from the documentation section covering it when no question of it
/// has an answer yet.
pub async fn draft_from_topic(
    sources: &Sources<'_>,
    bus: &Bus,
    actor: i64,
    topic_id: i64,
) -> Result<Drafted, AppError> {
    let filter = Filter {
        include_hidden: true,
        ..Filter::default()
    };
    let found = overview(sources, &filter).await?;
    let docs_section = found
        .topics
        .iter()
        .find(|topic| topic.id == topic_id)
        .ok_or(AppError::NotFound { what: "topic" })?
        .coverage
        .docs
        .as_ref()
        .map(|docs| docs.section_id);
    draft_faq_entry(sources.db, bus, actor, topic_id, docs_section).await
}

/// Drafts the answer; `docs_section` is the section that covers the topic, when one does.
async fn draft_faq_entry(
    db: &Db,
    bus: &Bus,
    actor: i64,
    topic_id: i64,
    docs_section: Option<i64>,
) -> Result<Drafted, AppError> {
    let (target, best, section) = db
        .read(move |conn| {
            let rows: Vec<_> = db::topic_members::question_rows_of(conn, topic_id)?
                .into_iter()
                .filter(|row| row.merged_into.is_none())
                .collect();
            let ids: Vec<i64> = rows.iter().map(|row| row.question_id).collect();
            let answers = db::answers::of_questions(conn, &ids)?;
            let target = rows
                .iter()
                .find(|row| row.status == QuestionStatus::Approved.as_str())
                .map(|row| (row.question_id, row.event_id));
            // Rows are most voted first: the first answered one, published answers before drafts.
            let best = rows
                .iter()
                .filter_map(|row| {
                    answers
                        .iter()
                        .find(|answer| answer.question_id == row.question_id)
                })
                .min_by_key(|answer| !answer.published)
                .map(|answer| answer.body_md.clone());
            let section = match docs_section {
                Some(id) => db::docs::section_by_id(conn, id)?
                    .filter(|section| section.removed_at.is_none()),
                None => None,
            };
            let event_slug = match target {
                Some((_, event_id)) => {
                    db::events::find_by_id(conn, event_id)?.map(|event| event.slug)
                }
                None => None,
            };
            Ok((
                target.map(|(question, _)| (question, event_slug.unwrap_or_default())),
                best,
                section,
            ))
        })
        .await?;
    let (question_id, event_slug) = target.ok_or_else(|| {
        Invalid::new(
            "topic",
            "Every question of this topic has an answer already: nothing is left to draft one for.",
        )
    })?;
    let markdown = match (best, section) {
        (Some(best), _) => best,
        (None, Some(section)) => answer_markdown(
            &section.heading_path,
            &address(&section.url, &section.anchor),
            &section.body,
        ),
        (None, None) => {
            return Err(Invalid::new(
                "topic",
                "Nothing to draft from yet: no question of this topic has an answer, and no \
                 section of the documentation covers it.",
            )
            .into())
        }
    };
    let input = AnswerInput::parse_off_workers(markdown, String::new(), false).await?;
    answers::answer(db, bus, actor, question_id, input).await?;
    Ok(Drafted {
        question_id,
        event_slug,
    })
}
