//! The team's view of the topics its community keeps raising: the page and the API.

pub(crate) mod api;
pub(crate) mod json;
pub(crate) mod pages;

use crate::app::insights::faq_draft::{draft_faq_entry, Drafted};
use crate::app::insights::overview::{overview, Filter};
use crate::app::insights::sources::Sources;
use crate::error::AppError;
use crate::web::AppState;

/// What reading topics needs, from the application's state.
pub(crate) fn sources(state: &AppState) -> Sources<'_> {
    Sources {
        db: &state.db,
        meaning: &state.meaning,
        work: &state.topics,
        docs: &state.docs_index,
        docs_closest: &state.docs_closest,
    }
}

/// Drafts the topic's FAQ answer, from the documentation section covering it when no question
/// of it has an answer yet (shared by the page and the API).
pub(crate) async fn draft_for_topic(
    state: &AppState,
    actor: i64,
    topic_id: i64,
) -> Result<Drafted, AppError> {
    let filter = Filter {
        include_hidden: true,
        ..Filter::default()
    };
    let found = overview(&sources(state), &filter).await?;
    let docs_section = found
        .topics
        .iter()
        .find(|topic| topic.id == topic_id)
        .ok_or(AppError::NotFound { what: "topic" })?
        .coverage
        .docs
        .as_ref()
        .map(|docs| docs.section_id);
    draft_faq_entry(&state.db, &state.bus, actor, topic_id, docs_section).await
}
