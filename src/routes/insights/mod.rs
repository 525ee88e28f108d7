//! The team's view of the topics its community keeps raising: the page and the API.

pub(crate) mod api;
pub(crate) mod digest_api;
pub(crate) mod digest_pages;
pub(crate) mod json;
pub(crate) mod pages;

use crate::app::insights::sources::Sources;
use crate::web::AppState;

/// What reading topics needs, from the application's state.
pub(crate) fn sources(state: &AppState) -> Sources<'_> {
    Sources {
        db: &state.db,
        meaning: state.meaning(),
        work: &state.topics,
        docs: &state.docs_index,
        docs_closest: &state.docs_closest,
    }
}
