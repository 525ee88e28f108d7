//! How many changes each event has seen, counted as notices are published (in the publishing
//! request, before it answers) or arrive from another instance. A page rendered under one count
//! is still current while the count stays the same, which is what lets the rendered-page cache
//! promise that nothing stale is served once a change has committed here.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use super::notice::{Notice, NoticeKind};

/// The counts a page was rendered under; equal stamps mean nothing it shows has changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    /// Bumped when notices may have been lost: every page is old then.
    resyncs: u64,
    /// Changes to one event, or to all of them for pages that span events.
    changes: u64,
}

#[derive(Default)]
pub(super) struct Generations {
    counts: Mutex<Counts>,
}

#[derive(Default)]
struct Counts {
    resyncs: u64,
    /// Every change but a vote: what the FAQ shows.
    answers_anywhere: u64,
    by_event: HashMap<i64, u64>,
    /// Changes to each poll's answers or state: what its counted results are kept under.
    by_poll: HashMap<i64, u64>,
}

impl Generations {
    fn lock(&self) -> MutexGuard<'_, Counts> {
        // Plain counters stay usable after a panic elsewhere.
        self.counts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(super) fn count(&self, notice: &Notice) {
        let mut counts = self.lock();
        if matches!(
            notice.kind,
            NoticeKind::PollAnswered | NoticeKind::PollChanged
        ) {
            *counts.by_poll.entry(notice.question_id).or_default() += 1;
        }
        if notice.kind == NoticeKind::PollAnswered {
            // No cached page shows a poll's counts (they are kept apart, see `of_poll`).
            return;
        }
        if notice.kind != NoticeKind::Voted {
            counts.answers_anywhere += 1;
        }
        if notice.kind == NoticeKind::Resync {
            counts.resyncs += 1;
        } else {
            *counts.by_event.entry(notice.event_id).or_default() += 1;
        }
    }

    pub(super) fn of_event(&self, event_id: i64) -> Stamp {
        let counts = self.lock();
        Stamp {
            resyncs: counts.resyncs,
            changes: counts.by_event.get(&event_id).copied().unwrap_or(0),
        }
    }

    pub(super) fn of_poll(&self, poll_id: i64) -> Stamp {
        let counts = self.lock();
        Stamp {
            resyncs: counts.resyncs,
            changes: counts.by_poll.get(&poll_id).copied().unwrap_or(0),
        }
    }

    pub(super) fn of_faq(&self) -> Stamp {
        let counts = self.lock();
        Stamp {
            resyncs: counts.resyncs,
            changes: counts.answers_anywhere,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_to_one_event_leaves_the_others_current() {
        let generations = Generations::default();
        let before = (generations.of_event(1), generations.of_event(2));
        generations.count(&Notice::question(1, 5, NoticeKind::Voted));
        assert_ne!(generations.of_event(1), before.0);
        assert_eq!(generations.of_event(2), before.1);
    }

    #[test]
    fn the_faq_changes_with_anything_but_votes() {
        let generations = Generations::default();
        let before = generations.of_faq();
        generations.count(&Notice::question(1, 5, NoticeKind::Voted));
        assert_eq!(generations.of_faq(), before);
        generations.count(&Notice::question(1, 5, NoticeKind::Changed));
        assert_ne!(generations.of_faq(), before);
    }

    #[test]
    fn a_poll_answer_ages_its_poll_only() {
        let generations = Generations::default();
        let before = (
            generations.of_poll(3),
            generations.of_poll(4),
            generations.of_event(1),
        );
        generations.count(&Notice::question(1, 3, NoticeKind::PollAnswered));
        assert_ne!(generations.of_poll(3), before.0);
        assert_eq!(generations.of_poll(4), before.1);
        assert_eq!(
            generations.of_event(1),
            before.2,
            "no page shows the counts"
        );
    }

    #[test]
    fn a_resync_makes_every_page_old() {
        let generations = Generations::default();
        let before = (generations.of_event(1), generations.of_faq());
        generations.count(&Notice::resync());
        assert_ne!(generations.of_event(1), before.0);
        assert_ne!(generations.of_faq(), before.1);
    }
}
