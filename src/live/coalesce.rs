//! Which questions of one event to tell subscribers about, and when: a change goes out at the
//! next flush; a vote count at most every [`VOTE_INTERVAL`] per question, however fast votes
//! arrive (the last count always goes out).

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
    pub event_changed: bool,
    pub resync: bool,
}

impl Due {
    pub fn is_empty(&self) -> bool {
        self.questions.is_empty() && !self.event_changed && !self.resync
    }
}

#[derive(Debug, Default)]
pub struct Coalescer {
    dirty: HashMap<i64, Dirty>,
    votes_sent_at: HashMap<i64, Instant>,
    event_changed: bool,
    resync: bool,
}

impl Coalescer {
    pub fn mark(&mut self, notice: Notice) {
        let dirty = match notice.kind {
            NoticeKind::Resync => {
                self.resync = true;
                return;
            }
            NoticeKind::EventChanged => {
                self.event_changed = true;
                return;
            }
            NoticeKind::Voted => Dirty::Voted,
            NoticeKind::Changed => Dirty::Changed,
            NoticeKind::Asked => Dirty::Asked,
        };
        let entry = self.dirty.entry(notice.question_id).or_insert(dirty);
        *entry = (*entry).max(dirty);
    }

    fn vote_due_at(&self, question_id: i64) -> Option<Instant> {
        self.votes_sent_at
            .get(&question_id)
            .map(|sent| *sent + VOTE_INTERVAL)
    }

    /// When something waiting becomes due; `None` when nothing waits.
    pub fn next_due(&self, now: Instant) -> Option<Instant> {
        if self.event_changed || self.resync {
            return Some(now);
        }
        self.dirty
            .iter()
            .map(|(id, dirty)| match dirty {
                Dirty::Voted => self.vote_due_at(*id).map_or(now, |at| at.max(now)),
                _ => now,
            })
            .min()
    }

    pub fn take_due(&mut self, now: Instant) -> Due {
        let mut due = Due {
            event_changed: std::mem::take(&mut self.event_changed),
            resync: std::mem::take(&mut self.resync),
            questions: Vec::new(),
        };
        let ready: Vec<(i64, Dirty)> = self
            .dirty
            .iter()
            .filter(|(id, dirty)| {
                **dirty != Dirty::Voted || self.vote_due_at(**id).is_none_or(|at| at <= now)
            })
            .map(|(id, dirty)| (*id, *dirty))
            .collect();
        for (id, _) in &ready {
            self.dirty.remove(id);
            self.votes_sent_at.insert(*id, now);
        }
        // Only recent sends hold anything back.
        self.votes_sent_at
            .retain(|_, sent| now.duration_since(*sent) < VOTE_INTERVAL);
        due.questions = ready;
        due.questions.sort_unstable();
        due
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
