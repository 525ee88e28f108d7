//! Sign-in throttling that an attacker cannot turn against the moderator:
//!
//! - per (username, address): five failures free, then each further attempt waits, doubling
//!   (30 s, 1 min, … 15 min) — guessing one account from one place;
//! - per address: twenty failures free over any usernames, then the same waits — one place trying
//!   many accounts;
//! - per username, from everywhere: once a name has collected ten failures in the last quarter of
//!   an hour (a distributed attack), addresses it was never signed in from get one attempt for it
//!   every few seconds between them. Nothing is locked: the moderator, from an address they signed
//!   in from before, is not slowed at all, and from a new one waits seconds, not minutes.
//!
//! A success clears the pair's and the address's failures. Records are forgotten an hour after
//! their last failure and every table is capped, so an attack cannot grow memory without bound.
//! Per instance, like the other rate limits.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const PAIR_FREE_FAILURES: u32 = 5;
const ADDRESS_FREE_FAILURES: u32 = 20;
const FIRST_WAIT: Duration = Duration::from_secs(30);
const LONGEST_WAIT: Duration = Duration::from_secs(15 * 60);
const FORGET_AFTER: Duration = Duration::from_secs(60 * 60);
/// A name with this many failures within [`ATTACK_WINDOW`] is under attack.
const ATTACK_FAILURES: u32 = 10;
const ATTACK_WINDOW: Duration = Duration::from_secs(15 * 60);
/// Under attack, unknown addresses share one attempt per this long for the name.
const ATTACK_GAP: Duration = Duration::from_secs(3);
/// How long an address stays "usual" for a name after a successful sign-in from it.
const USUAL_FOR: Duration = Duration::from_secs(90 * 24 * 60 * 60);
/// At most this many records in each table; the oldest go first.
const MOST_RECORDS: usize = 50_000;

#[derive(Clone, Copy)]
struct Strikes {
    failures: u32,
    blocked_until: Option<Instant>,
    last_failure: Instant,
}

impl Strikes {
    fn new(now: Instant) -> Self {
        Self {
            failures: 0,
            blocked_until: None,
            last_failure: now,
        }
    }

    fn strike(&mut self, now: Instant, free: u32) {
        self.failures += 1;
        self.last_failure = now;
        if self.failures >= free {
            let doublings = (self.failures - free).min(10);
            self.blocked_until = Some(now + (FIRST_WAIT * 2u32.pow(doublings)).min(LONGEST_WAIT));
        }
    }

    fn blocks(&self, now: Instant) -> bool {
        self.blocked_until.is_some_and(|until| until > now)
    }
}

/// Failures for one name from everywhere, in the current attack window.
#[derive(Clone, Copy)]
struct NameWatch {
    window_start: Instant,
    failures: u32,
    /// Under attack: when the next attempt from an unknown address may be checked.
    next_unknown_attempt: Instant,
    last_failure: Instant,
}

#[derive(Default)]
struct Records {
    pairs: HashMap<(String, String), Strikes>,
    addresses: HashMap<String, Strikes>,
    names: HashMap<String, NameWatch>,
    /// (username, address) → when a sign-in from there last succeeded.
    usual: HashMap<(String, String), Instant>,
    /// Failures since stale records were last dropped: pruning is a pass over every record, so it
    /// runs every [`PRUNE_EVERY`] failures, not on each.
    since_prune: usize,
}

const PRUNE_EVERY: usize = 1_000;

impl Records {
    fn prune(&mut self, now: Instant) {
        self.since_prune = 0;
        self.pairs
            .retain(|_, s| now.duration_since(s.last_failure) < FORGET_AFTER);
        self.addresses
            .retain(|_, s| now.duration_since(s.last_failure) < FORGET_AFTER);
        self.names
            .retain(|_, w| now.duration_since(w.last_failure) < FORGET_AFTER);
        capped(&mut self.pairs, |s| s.last_failure);
        capped(&mut self.addresses, |s| s.last_failure);
        capped(&mut self.names, |w| w.last_failure);
    }
}

#[derive(Default)]
pub struct SignInThrottle {
    records: Mutex<Records>,
}

fn capped<K: Clone + Eq + std::hash::Hash, V>(
    map: &mut HashMap<K, V>,
    age: impl Fn(&V) -> Instant,
) {
    if map.len() < MOST_RECORDS {
        return;
    }
    // Drop the oldest tenth at once, so that this runs rarely.
    let mut ages: Vec<(Instant, K)> = map.iter().map(|(k, v)| (age(v), k.clone())).collect();
    ages.sort_by_key(|(at, _)| *at);
    for (_, key) in ages.into_iter().take(MOST_RECORDS / 10) {
        map.remove(&key);
    }
}

impl SignInThrottle {
    /// Whether an attempt for this username from this address may be checked now.
    pub fn allows(&self, ip: &str, username: &str) -> bool {
        self.allows_at(Instant::now(), ip, username)
    }

    pub fn failed(&self, ip: &str, username: &str) {
        self.failed_at(Instant::now(), ip, username);
    }

    pub fn succeeded(&self, ip: &str, username: &str) {
        self.succeeded_at(Instant::now(), ip, username);
    }

    fn allows_at(&self, now: Instant, ip: &str, username: &str) -> bool {
        let Ok(mut records) = self.records.lock() else {
            return false;
        };
        let pair = (username.to_owned(), ip.to_owned());
        if records.pairs.get(&pair).is_some_and(|s| s.blocks(now))
            || records.addresses.get(ip).is_some_and(|s| s.blocks(now))
        {
            return false;
        }
        let usual = records
            .usual
            .get(&pair)
            .is_some_and(|at| now.duration_since(*at) < USUAL_FOR);
        if usual {
            return true;
        }
        match records.names.get_mut(username) {
            Some(watch)
                if watch.failures >= ATTACK_FAILURES
                    && now.duration_since(watch.window_start) < ATTACK_WINDOW =>
            {
                if now < watch.next_unknown_attempt {
                    return false;
                }
                watch.next_unknown_attempt = now + ATTACK_GAP;
                true
            }
            _ => true,
        }
    }

    fn failed_at(&self, now: Instant, ip: &str, username: &str) {
        let Ok(mut records) = self.records.lock() else {
            return;
        };
        let records = &mut *records;
        records.since_prune += 1;
        if records.since_prune >= PRUNE_EVERY || records.pairs.len() >= MOST_RECORDS {
            records.prune(now);
        }

        records
            .pairs
            .entry((username.to_owned(), ip.to_owned()))
            .or_insert_with(|| Strikes::new(now))
            .strike(now, PAIR_FREE_FAILURES);
        records
            .addresses
            .entry(ip.to_owned())
            .or_insert_with(|| Strikes::new(now))
            .strike(now, ADDRESS_FREE_FAILURES);
        let watch = records
            .names
            .entry(username.to_owned())
            .or_insert(NameWatch {
                window_start: now,
                failures: 0,
                next_unknown_attempt: now,
                last_failure: now,
            });
        if now.duration_since(watch.window_start) >= ATTACK_WINDOW {
            watch.window_start = now;
            watch.failures = 0;
        }
        watch.failures += 1;
        watch.last_failure = now;
    }

    fn succeeded_at(&self, now: Instant, ip: &str, username: &str) {
        let Ok(mut records) = self.records.lock() else {
            return;
        };
        let pair = (username.to_owned(), ip.to_owned());
        records.pairs.remove(&pair);
        records.addresses.remove(ip);
        if records.usual.len() >= MOST_RECORDS {
            records
                .usual
                .retain(|_, at| now.duration_since(*at) < USUAL_FOR);
            capped(&mut records.usual, |at| *at);
        }
        records.usual.insert(pair, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_for_a_name_from_one_address_make_that_pair_wait() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for _ in 0..5 {
            assert!(throttle.allows_at(now, "10.0.0.1", "ada"));
            throttle.failed_at(now, "10.0.0.1", "ada");
        }
        assert!(!throttle.allows_at(now, "10.0.0.1", "ada"));
        assert!(throttle.allows_at(now, "10.0.0.1", "grace"), "other names");
        assert!(
            throttle.allows_at(now + FIRST_WAIT, "10.0.0.1", "ada"),
            "then again"
        );
    }

    #[test]
    fn twenty_failures_from_one_address_make_it_wait_for_every_name() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for n in 0..20 {
            throttle.failed_at(now, "192.0.2.1", &format!("user{n}"));
        }
        assert!(!throttle.allows_at(now, "192.0.2.1", "someone-else"));
        assert!(throttle.allows_at(now, "192.0.2.2", "someone-else"));
    }

    #[test]
    fn a_distributed_attack_slows_unknown_addresses_but_never_locks_the_usual_one() {
        let throttle = SignInThrottle::default();
        let start = Instant::now();
        throttle.succeeded_at(start, "203.0.113.7", "ada");
        for n in 0..100 {
            let attacker = format!("198.51.100.{n}");
            if throttle.allows_at(start, &attacker, "ada") {
                throttle.failed_at(start, &attacker, "ada");
            }
        }
        assert!(
            throttle.allows_at(start, "203.0.113.7", "ada"),
            "usual address"
        );
        // Unknown addresses share one attempt every few seconds: slowed, not locked.
        let later = start + ATTACK_GAP;
        assert!(throttle.allows_at(later, "198.51.100.200", "ada"));
        assert!(!throttle.allows_at(later, "198.51.100.201", "ada"));
        assert!(throttle.allows_at(later + ATTACK_GAP, "198.51.100.201", "ada"));
        // And the attack window passes.
        let calm = start + ATTACK_WINDOW + Duration::from_secs(1);
        assert!(throttle.allows_at(calm, "198.51.100.202", "ada"));
        assert!(throttle.allows_at(calm, "198.51.100.203", "ada"));
    }

    #[test]
    fn success_clears_the_pair_and_the_address() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for _ in 0..4 {
            throttle.failed_at(now, "ip", "ada");
        }
        throttle.succeeded_at(now, "ip", "ada");
        for _ in 0..4 {
            throttle.failed_at(now, "ip", "ada");
        }
        assert!(throttle.allows_at(now, "ip", "ada"));
    }

    #[test]
    fn tables_stay_bounded_under_a_flood_of_names() {
        let throttle = SignInThrottle::default();
        let now = Instant::now();
        for n in 0..(MOST_RECORDS + 10) {
            throttle.failed_at(now, "10.1.1.1", &format!("name{n}"));
        }
        let records = throttle.records.lock().unwrap();
        assert!(records.pairs.len() <= MOST_RECORDS);
        assert!(records.names.len() <= MOST_RECORDS);
    }
}
