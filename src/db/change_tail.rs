//! Following the durable `changes` table. On PostgreSQL, sequence numbers are taken when a
//! transaction inserts and become visible when it commits, so a later number can be seen before
//! an earlier one. The tail remembers such gaps and keeps looking for them for a while; its
//! checkpoint never passes an open gap.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// How long a missing sequence number is waited for before it is taken for a rolled-back
/// transaction.
const GAP_PATIENCE: Duration = Duration::from_secs(60);
const MAX_GAPS: usize = 10_000;

/// The changes seen so far, and the ones known to be missing.
pub struct Tail {
    pub highest: i64,
    pub gaps: BTreeMap<i64, Instant>,
}

impl Tail {
    pub fn new(seq: i64) -> Self {
        Self {
            highest: seq,
            gaps: BTreeMap::new(),
        }
    }

    /// What to read next: changes after this sequence number, and these missing ones.
    pub fn wanted(&self) -> (i64, Vec<i64>) {
        (
            self.highest,
            self.gaps.keys().copied().take(1_000).collect(),
        )
    }

    pub fn saw(&mut self, seqs: &BTreeSet<i64>) {
        for &seq in seqs {
            if self.gaps.remove(&seq).is_some() {
                continue;
            }
            if seq > self.highest {
                let now = Instant::now();
                for missing in (self.highest + 1)..seq {
                    if self.gaps.len() >= MAX_GAPS {
                        break;
                    }
                    self.gaps.insert(missing, now);
                }
                self.highest = seq;
            }
        }
        self.gaps.retain(|_, since| since.elapsed() < GAP_PATIENCE);
    }

    /// Everything up to here has been applied.
    pub fn checkpoint(&self) -> i64 {
        self.gaps
            .keys()
            .next()
            .map_or(self.highest, |first_gap| first_gap - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checkpoint_never_passes_a_gap() {
        let mut tail = Tail::new(10);
        tail.saw(&[11, 14].into_iter().collect());
        assert_eq!(tail.highest, 14);
        assert_eq!(tail.checkpoint(), 11, "12 and 13 are not seen yet");
        tail.saw(&[13].into_iter().collect());
        assert_eq!(tail.checkpoint(), 11);
        tail.saw(&[12].into_iter().collect());
        assert_eq!(tail.checkpoint(), 14);
    }
}
