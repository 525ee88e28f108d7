//! What reading topics stands on, gathered once by the caller.

use crate::app::docs::closest_cache::ClosestCache;
use crate::app::insights::TopicWork;
use crate::db::Db;
use crate::meaning::Meaning;
use crate::search::DocsIndex;

/// What the services of reading topics need.
pub struct Sources<'a> {
    pub db: &'a Db,
    /// Taken once for the whole reading (see `AppState::meaning`).
    pub meaning: Meaning,
    pub work: &'a TopicWork,
    pub docs: &'a DocsIndex,
    pub docs_closest: &'a ClosestCache,
}
