//! Per-instance rate limits on asking and voting: a token bucket per (action, key), refilled
//! continuously so a limit of 60 a minute allows a burst of 60 and then one a second.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

use crate::config::RateLimits;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Ask,
    Vote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum KeyKind {
    Ip,
    Voter,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Buckets untouched this long are full again and can be forgotten.
const PRUNE_AFTER_ENTRIES: usize = 50_000;

pub struct RateLimiter {
    limits: RateLimits,
    buckets: Mutex<HashMap<(Action, KeyKind, String), Bucket>>,
}

impl RateLimiter {
    pub fn limits(&self) -> RateLimits {
        self.limits
    }

    pub fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token for the IP and, when known, for the voter; refuses with the wait needed.
    pub fn check(&self, action: Action, ip: &str, voter: Option<&str>) -> Result<(), AppError> {
        self.consult(action, ip, voter, true)
    }

    /// Says whether `check` would let this through, taking nothing: for a step in front of the
    /// action (showing similar questions before asking) that must not cost a token itself.
    pub fn peek(&self, action: Action, ip: &str, voter: Option<&str>) -> Result<(), AppError> {
        self.consult(action, ip, voter, false)
    }

    fn consult(
        &self,
        action: Action,
        ip: &str,
        voter: Option<&str>,
        take: bool,
    ) -> Result<(), AppError> {
        if !self.limits.enabled {
            return Ok(());
        }
        let (per_ip, per_voter) = match action {
            Action::Ask => (self.limits.ask_per_ip, self.limits.ask_per_voter),
            Action::Vote => (self.limits.vote_per_ip, self.limits.vote_per_voter),
        };
        let now = Instant::now();
        let mut buckets = self
            .buckets
            .lock()
            .map_err(|_| AppError::internal("checking a rate limit", "lock poisoned"))?;
        if buckets.len() > PRUNE_AFTER_ENTRIES {
            buckets.retain(|_, bucket| now.duration_since(bucket.updated).as_secs() < 60);
        }
        let mut keys = vec![(KeyKind::Ip, ip, per_ip)];
        if let Some(voter) = voter {
            keys.push((KeyKind::Voter, voter, per_voter));
        }
        // Check every bucket before taking from any, so a refusal costs nothing.
        for &(kind, key, per_minute) in &keys {
            let bucket = buckets
                .entry((action, kind, key.to_owned()))
                .or_insert(Bucket {
                    tokens: f64::from(per_minute),
                    updated: now,
                });
            refill(bucket, per_minute, now);
            if bucket.tokens < 1.0 {
                let per_second = f64::from(per_minute.max(1)) / 60.0;
                let wait = ((1.0 - bucket.tokens) / per_second).ceil().max(1.0);
                return Err(AppError::RateLimited {
                    retry_after_secs: wait as u64,
                });
            }
        }
        if take {
            for &(kind, key, _) in &keys {
                if let Some(bucket) = buckets.get_mut(&(action, kind, key.to_owned())) {
                    bucket.tokens -= 1.0;
                }
            }
        }
        Ok(())
    }
}

fn refill(bucket: &mut Bucket, per_minute: u32, now: Instant) {
    let elapsed = now.duration_since(bucket.updated).as_secs_f64();
    let capacity = f64::from(per_minute);
    bucket.tokens = (bucket.tokens + elapsed * capacity / 60.0).min(capacity);
    bucket.updated = now;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(enabled: bool) -> RateLimits {
        RateLimits {
            enabled,
            ask_per_voter: 2,
            ask_per_ip: 3,
            vote_per_voter: 5,
            vote_per_ip: 100,
            new_voters_per_ip: 10,
        }
    }

    #[test]
    fn refuses_past_the_voter_limit_then_names_a_wait() {
        let limiter = RateLimiter::new(limits(true));
        assert!(limiter.check(Action::Ask, "1.2.3.4", Some("v")).is_ok());
        assert!(limiter.check(Action::Ask, "1.2.3.4", Some("v")).is_ok());
        match limiter.check(Action::Ask, "1.2.3.4", Some("v")) {
            Err(AppError::RateLimited { retry_after_secs }) => assert!(retry_after_secs >= 1),
            other => panic!("expected a refusal, got {other:?}"),
        }
        // Another voter behind the same address still has the IP's last token.
        assert!(limiter.check(Action::Ask, "1.2.3.4", Some("w")).is_ok());
        assert!(limiter.check(Action::Ask, "1.2.3.4", Some("x")).is_err());
    }

    #[test]
    fn actions_are_counted_apart_and_off_means_off() {
        let limiter = RateLimiter::new(limits(true));
        for _ in 0..2 {
            limiter.check(Action::Ask, "ip", Some("v")).unwrap();
        }
        assert!(limiter.check(Action::Vote, "ip", Some("v")).is_ok());
        let off = RateLimiter::new(limits(false));
        for _ in 0..100 {
            off.check(Action::Ask, "ip", Some("v")).unwrap();
        }
    }
}
