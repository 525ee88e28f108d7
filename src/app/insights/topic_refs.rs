//! Topics a placement or regrouping refers to: ones that exist, and ones it starts, which get
//! their ids when written.

use std::collections::HashMap;

use crate::app::now;
use crate::db::{self, DbConnection};
use crate::error::AppError;

/// A topic that exists, or one a placement starts (by its number among the centroids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TopicRef {
    Known(i64),
    New(usize),
}

/// The ids topics started by a placement got.
pub struct NewTopicIds(HashMap<usize, i64>);

impl NewTopicIds {
    pub fn resolve(&self, topic: TopicRef) -> i64 {
        match topic {
            TopicRef::Known(id) => id,
            TopicRef::New(number) => self.0.get(&number).copied().unwrap_or_default(),
        }
    }
}

/// Inserts a topic for each distinct new reference.
pub fn start_new_topics(
    conn: &mut DbConnection,
    refs: impl Iterator<Item = TopicRef>,
) -> Result<NewTopicIds, AppError> {
    let at = now();
    let mut ids = HashMap::new();
    for topic in refs {
        if let TopicRef::New(number) = topic {
            if let std::collections::hash_map::Entry::Vacant(entry) = ids.entry(number) {
                entry.insert(db::topics::insert(conn, at)?);
            }
        }
    }
    Ok(NewTopicIds(ids))
}
