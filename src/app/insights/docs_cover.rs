//! Which section of the documentation covers each topic: the one that answers its most voted
//! question, found as the dashboard finds a question's and kept as long as it holds.

use crate::app::docs::coverage::closest_sections;
use crate::app::insights::sources::Sources;
use crate::app::insights::summary::{DocsCover, TopicSummary};
use crate::db;
use crate::error::AppError;

/// The section of the documentation that answers each topic's most voted question, when one
/// does (found as the dashboard finds a question's, and kept as long as it holds).
pub async fn add_docs_cover(
    sources: &Sources<'_>,
    topics: &mut [TopicSummary],
) -> Result<(), AppError> {
    if sources.docs.is_empty() {
        return Ok(());
    }
    let leads: Vec<i64> = topics
        .iter()
        .filter_map(|topic| topic.top_questions.first().map(|question| question.id))
        .collect();
    let questions = sources
        .db
        .read(move |conn| db::questions::by_ids(conn, &leads))
        .await?;
    let closest = closest_sections(
        sources.docs,
        &sources.meaning,
        sources.docs_closest,
        &questions,
    )
    .await?;
    for topic in topics {
        let lead = topic.top_questions.first().map(|question| question.id);
        if let Some(found) = lead.and_then(|lead| closest.get(&lead)) {
            topic.coverage.docs = Some(DocsCover {
                section_id: found.section.id,
                title: found.section.title.clone(),
                url: found.section.url.clone(),
            });
        }
    }
    Ok(())
}
