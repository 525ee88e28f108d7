//! Per-instance rate limits on asking and voting, with `governor` (GCRA): per address and per
//! voter, so that a limit of 60 a minute allows a burst of 60 and then one a second.

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::config::RateLimits;
use crate::error::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Ask,
    Vote,
}

/// Past this many remembered keys, the ones whose limit has fully recovered are dropped.
const PRUNE_AFTER_KEYS: usize = 50_000;

struct Pair {
    per_ip: DefaultKeyedRateLimiter<String>,
    per_voter: DefaultKeyedRateLimiter<String>,
}

impl Pair {
    fn new(per_ip: u32, per_voter: u32) -> Self {
        let quota = |per_minute: u32| {
            Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN))
        };
        Self {
            per_ip: DefaultKeyedRateLimiter::keyed(quota(per_ip)),
            per_voter: DefaultKeyedRateLimiter::keyed(quota(per_voter)),
        }
    }

    fn prune(&self) {
        for limiter in [&self.per_ip, &self.per_voter] {
            if limiter.len() > PRUNE_AFTER_KEYS {
                limiter.retain_recent();
            }
        }
    }
}

pub struct RateLimiter {
    limits: RateLimits,
    ask: Pair,
    vote: Pair,
}

impl RateLimiter {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            ask: Pair::new(limits.ask_per_ip, limits.ask_per_voter),
            vote: Pair::new(limits.vote_per_ip, limits.vote_per_voter),
        }
    }

    pub fn limits(&self) -> RateLimits {
        self.limits
    }

    /// Counts one for the voter, when known, and for the address; refuses with the wait needed.
    /// The voter goes first: one voter over its limit costs its address nothing.
    pub fn check(&self, action: Action, ip: &str, voter: Option<&str>) -> Result<(), AppError> {
        if !self.limits.enabled {
            return Ok(());
        }
        let pair = match action {
            Action::Ask => &self.ask,
            Action::Vote => &self.vote,
        };
        pair.prune();
        let refused = |not_until: governor::NotUntil<_>| AppError::RateLimited {
            retry_after_secs: not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                .max(1),
        };
        if let Some(voter) = voter {
            pair.per_voter
                .check_key(&voter.to_owned())
                .map_err(refused)?;
        }
        pair.per_ip.check_key(&ip.to_owned()).map_err(refused)
    }
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
