//! Which questions of one event to tell subscribers about, and when: a change goes out at the
//! next flush; a vote count at most every [`VOTE_INTERVAL`] per question, however fast votes
//! arrive (the last count always goes out). Polls go the same way: a poll opened or closed at
//! once, its answers' counts at most every [`VOTE_INTERVAL`].

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::bus::{Notice, NoticeKind};

/// Four vote updates a second per question at most.
pub const VOTE_INTERVAL: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dirty {
    Voted,
    Changed,
    Asked,
}

/// What to tell now.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Due {
    pub questions: Vec<(i64, Dirty)>,
    /// Polls whose answers (`Voted`) or state (`Changed`) changed.
    pub polls: Vec<(i64, Dirty)>,
    pub event_changed: bool,
    pub resync: bool,
}

impl Due {
    pub fn is_empty(&self) -> bool {
        self.questions.is_empty() && self.polls.is_empty() && !self.event_changed && !self.resync
    }
}

#[derive(Debug, Default)]
pub struct Coalescer {
    questions: Track,
    polls: Track,
    event_changed: bool,
    resync: bool,
}

/// Things of one sort (questions, or polls) waiting to be told about: a change at once, a new
/// count at most every [`VOTE_INTERVAL`].
#[derive(Debug, Default)]
struct Track {
    dirty: HashMap<i64, Dirty>,
    counts_sent_at: HashMap<i64, Instant>,
}

impl Track {
    fn mark(&mut self, id: i64, dirty: Dirty) {
        let entry = self.dirty.entry(id).or_insert(dirty);
        *entry = (*entry).max(dirty);
    }

    fn count_due_at(&self, id: i64) -> Option<Instant> {
        self.counts_sent_at
            .get(&id)
            .map(|sent| *sent + VOTE_INTERVAL)
    }

    fn next_due(&self, now: Instant) -> Option<Instant> {
        self.dirty
            .iter()
            .map(|(id, dirty)| match dirty {
                Dirty::Voted => self.count_due_at(*id).map_or(now, |at| at.max(now)),
                _ => now,
            })
            .min()
    }

    fn take_due(&mut self, now: Instant) -> Vec<(i64, Dirty)> {
        let mut ready: Vec<(i64, Dirty)> = self
            .dirty
            .iter()
            .filter(|(id, dirty)| {
                **dirty != Dirty::Voted || self.count_due_at(**id).is_none_or(|at| at <= now)
            })
            .map(|(id, dirty)| (*id, *dirty))
            .collect();
        for (id, _) in &ready {
            self.dirty.remove(id);
            self.counts_sent_at.insert(*id, now);
        }
        // Only recent sends hold anything back.
        self.counts_sent_at
            .retain(|_, sent| now.duration_since(*sent) < VOTE_INTERVAL);
        ready.sort_unstable();
        ready
    }
}

impl Coalescer {
    pub fn mark(&mut self, notice: Notice) {
        let id = notice.question_id;
        match notice.kind {
            NoticeKind::Resync => self.resync = true,
            NoticeKind::EventChanged => self.event_changed = true,
            NoticeKind::Voted => self.questions.mark(id, Dirty::Voted),
            NoticeKind::Changed => self.questions.mark(id, Dirty::Changed),
            NoticeKind::Asked => self.questions.mark(id, Dirty::Asked),
            NoticeKind::PollAnswered => self.polls.mark(id, Dirty::Voted),
            NoticeKind::PollChanged => self.polls.mark(id, Dirty::Changed),
        }
    }

    /// When something waiting becomes due; `None` when nothing waits.
    pub fn next_due(&self, now: Instant) -> Option<Instant> {
        if self.event_changed || self.resync {
            return Some(now);
        }
        [self.questions.next_due(now), self.polls.next_due(now)]
            .into_iter()
            .flatten()
            .min()
    }

    pub fn take_due(&mut self, now: Instant) -> Due {
        Due {
            event_changed: std::mem::take(&mut self.event_changed),
            resync: std::mem::take(&mut self.resync),
            questions: self.questions.take_due(now),
            polls: self.polls.take_due(now),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn voted(id: i64) -> Notice {
        Notice::question(1, id, NoticeKind::Voted)
    }

    #[test]
    fn a_burst_of_votes_sends_at_most_four_a_second() {
        let start = Instant::now();
        let mut coalescer = Coalescer::default();
        let mut sent = 0;
        // 100 votes on one question over one second, flushed as often as the hub can.
        for step in 0..100u64 {
            let now = start + Duration::from_millis(step * 10);
            coalescer.mark(voted(7));
            sent += coalescer.take_due(now).questions.len();
        }
        assert!(sent <= 4, "{sent} updates in one second");
        // The last count is never lost: it is due once the interval has passed.
        let later = start + Duration::from_millis(1_500);
        assert!(coalescer.next_due(later).is_some());
        assert_eq!(coalescer.take_due(later).questions, vec![(7, Dirty::Voted)]);
        assert_eq!(coalescer.next_due(later), None);
    }

    #[test]
    fn changes_go_out_at_once_and_outrank_votes() {
        let now = Instant::now();
        let mut coalescer = Coalescer::default();
        coalescer.mark(voted(3));
        coalescer.take_due(now);
        coalescer.mark(voted(3));
        coalescer.mark(Notice::question(1, 3, NoticeKind::Changed));
        coalescer.mark(Notice::question(1, 4, NoticeKind::Asked));
        coalescer.mark(voted(4));
        assert_eq!(
            coalescer.take_due(now).questions,
            vec![(3, Dirty::Changed), (4, Dirty::Asked)]
        );
    }

    #[test]
    fn a_crowd_answering_a_poll_sends_at_most_four_counts_a_second() {
        let start = Instant::now();
        let mut coalescer = Coalescer::default();
        let mut sent = 0;
        for step in 0..100u64 {
            let now = start + Duration::from_millis(step * 10);
            coalescer.mark(Notice::question(1, 7, NoticeKind::PollAnswered));
            sent += coalescer.take_due(now).polls.len();
        }
        assert!(sent <= 4, "{sent} updates in one second");
        let later = start + Duration::from_millis(1_500);
        assert_eq!(coalescer.take_due(later).polls, vec![(7, Dirty::Voted)]);
        // A poll and a question of the same number are different things.
        coalescer.mark(Notice::question(1, 7, NoticeKind::PollChanged));
        coalescer.mark(voted(7));
        let due = coalescer.take_due(later + VOTE_INTERVAL);
        assert_eq!(due.polls, vec![(7, Dirty::Changed)]);
        assert_eq!(due.questions, vec![(7, Dirty::Voted)]);
    }

    #[test]
    fn event_changes_and_resyncs_are_due_at_once() {
        let now = Instant::now();
        let mut coalescer = Coalescer::default();
        coalescer.mark(Notice::event(1));
        coalescer.mark(Notice::resync());
        assert_eq!(coalescer.next_due(now), Some(now));
        let due = coalescer.take_due(now);
        assert!(due.event_changed && due.resync && due.questions.is_empty());
        assert!(coalescer.take_due(now).is_empty());
    }
}
