//! Sign-in throttling per IP address and per username: after five failures in a row, each further
//! attempt must wait, and the wait doubles with every failure (30 s, 1 min, 2 min, … 15 min).
//! A success clears the username's and the address's record. Per instance, like rate limits.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const FREE_FAILURES: u32 = 5;
const FIRST_WAIT: Duration = Duration::from_secs(30);
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);

#[derive(Clone, Copy)]
struct Record {
    failures: u32,
    blocked_until: Option<Instant>,
    last_failure: Instant,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Ip,
    Username,
}

#[derive(Default)]
pub struct SignInThrottle {
    records: Mutex<HashMap<(Key, String), Record>>,
}

impl SignInThrottle {
    /// Whether an attempt for this username from this address may be checked at all now.
    pub fn allows(&self, ip: &str, username: &str) -> bool {
        let now = Instant::now();
        let Ok(records) = self.records.lock() else {
            return false;
        };
        [(Key::Ip, ip), (Key::Username, username)]
            .iter()
            .all(|(key, value)| {
                records
                    .get(&(*key, (*value).to_owned()))
                    .and_then(|record| record.blocked_until)
                    .is_none_or(|until| until <= now)
            })
    }

    pub fn failed(&self, ip: &str, username: &str) {
        let now = Instant::now();
        let Ok(mut records) = self.records.lock() else {
            return;
        };
        records.retain(|_, record| now.duration_since(record.last_failure) < FORGET_AFTER);
        for (key, value) in [(Key::Ip, ip), (Key::Username, username)] {
            let record = records.entry((key, value.to_owned())).or_insert(Record {
                failures: 0,
                blocked_until: None,
                last_failure: now,
            });
            record.failures += 1;
            record.last_failure = now;
            if record.failures >= FREE_FAILURES {
                let doublings = (record.failures - FREE_FAILURES).min(10);
                let wait = (FIRST_WAIT * 2u32.pow(doublings)).min(LONGEST_WAIT);
                record.blocked_until = Some(now + wait);
            }
        }
    }

    pub fn succeeded(&self, ip: &str, username: &str) {
        if let Ok(mut records) = self.records.lock() {
            records.remove(&(Key::Ip, ip.to_owned()));
            records.remove(&(Key::Username, username.to_owned()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_block_the_username_from_any_address() {
        let throttle = SignInThrottle::default();
        for attempt in 0..5 {
            assert!(throttle.allows(&format!("10.0.0.{attempt}"), "ada"));
            throttle.failed(&format!("10.0.0.{attempt}"), "ada");
        }
        assert!(!throttle.allows("10.9.9.9", "ada"));
        assert!(throttle.allows("10.9.9.9", "grace"));
    }

    #[test]
    fn five_failures_block_the_address_for_every_username() {
        let throttle = SignInThrottle::default();
        for name in ["a1", "a2", "a3", "a4", "a5"] {
            throttle.failed("192.0.2.1", name);
        }
        assert!(!throttle.allows("192.0.2.1", "someone-else"));
    }

    #[test]
    fn success_clears_the_record() {
        let throttle = SignInThrottle::default();
        for _ in 0..4 {
            throttle.failed("ip", "ada");
        }
        throttle.succeeded("ip", "ada");
        for _ in 0..4 {
            throttle.failed("ip", "ada");
        }
        assert!(throttle.allows("ip", "ada"));
    }
}
