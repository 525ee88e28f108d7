//! Each poll's counted results, kept until the poll changes: a crowd re-reading the polls page,
//! the presenter re-reading its screen and the API's results all count thousands of answers once
//! per change rather than once per read. A result is kept under the bus's stamp of its poll, taken
//! before the answers are read, so a change that commits meanwhile makes it old at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::app::polls::results::{self, PollResults};
use crate::app::polls::Poll;
use crate::bus::{Bus, Stamp};
use crate::db::{self, DbConnection};
use crate::error::AppError;

/// Results kept at most; past this the cache starts again (old polls are rarely read).
const KEPT: usize = 4_096;

/// Counted results by (poll, counted for moderators), with the stamp they were counted under.
type Kept = HashMap<(i64, bool), (Stamp, Arc<PollResults>)>;

/// Shared by the handlers; clones share it.
#[derive(Clone)]
pub struct ResultsCache {
    bus: Bus,
    kept: Arc<Mutex<Kept>>,
}

impl ResultsCache {
    pub fn new(bus: Bus) -> Self {
        Self {
            bus,
            kept: Arc::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Kept> {
        // A panic while holding the lock leaves a plain map behind, still usable.
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The poll's results as `results::count` gives them, counted again only when the poll has
    /// changed since they were last counted.
    pub fn results(
        &self,
        conn: &mut DbConnection,
        poll: &Poll,
        for_moderators: bool,
    ) -> Result<Arc<PollResults>, AppError> {
        let key = (poll.id, for_moderators);
        let stamp = self.bus.stamp_of_poll(poll.id);
        if let Some((kept_under, kept)) = self.lock().get(&key) {
            if *kept_under == stamp {
                return Ok(Arc::clone(kept));
            }
        }
        let rows = db::poll_answers::of_poll(conn, poll.id)?;
        let counted = Arc::new(results::count(poll, &rows, for_moderators));
        let mut kept = self.lock();
        if kept.len() >= KEPT {
            kept.clear();
        }
        kept.insert(key, (stamp, Arc::clone(&counted)));
        Ok(counted)
    }
}
