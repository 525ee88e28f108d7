//! Each visitor's last settled search, for a minute: a search the same visitor then typed on
//! ("dock" and then "docker compose") was a step on the way, not something they looked for, so a
//! miss it counted is taken back. Visitors are told apart by a hash of their address and browser,
//! kept in memory only.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{Duration, NaiveDateTime};

/// How soon the next search must follow for the first to count as a step on the way.
pub const TYPED_ON_WITHIN: Duration = Duration::seconds(60);
/// Visitors remembered at most before the stale ones are forgotten.
const MOST_KEPT: usize = 10_000;

#[derive(Default)]
pub struct RecentSearches {
    by_visitor: Mutex<HashMap<u64, Recent>>,
}

struct Recent {
    text: String,
    at: NaiveDateTime,
    missed: bool,
}

/// A settled search by one visitor.
#[derive(Clone, Copy)]
pub struct Searcher<'a> {
    pub recent: &'a RecentSearches,
    pub visitor: u64,
    pub at: NaiveDateTime,
}

impl RecentSearches {
    /// Notes the visitor's search (`text` normalised); answers their previous search when it was
    /// a miss that this one continues, to be taken back.
    pub fn note(&self, searcher: &Searcher<'_>, text: &str, missed: bool) -> Option<String> {
        let Ok(mut by_visitor) = self.by_visitor.lock() else {
            return None;
        };
        if by_visitor.len() >= MOST_KEPT {
            by_visitor.retain(|_, recent| searcher.at - recent.at <= TYPED_ON_WITHIN);
        }
        let previous = by_visitor.insert(
            searcher.visitor,
            Recent {
                text: text.to_owned(),
                at: searcher.at,
                missed,
            },
        )?;
        let typed_on = previous.missed
            && searcher.at - previous.at <= TYPED_ON_WITHIN
            && text != previous.text
            && text.starts_with(&previous.text);
        typed_on.then_some(previous.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000 + seconds, 0)
            .unwrap()
            .naive_utc()
    }

    #[test]
    fn a_miss_typed_on_within_a_minute_is_taken_back() {
        let recent = RecentSearches::default();
        let searcher = |visitor, seconds| Searcher {
            recent: &recent,
            visitor,
            at: at(seconds),
        };
        assert_eq!(recent.note(&searcher(1, 0), "dock", true), None);
        assert_eq!(
            recent.note(&searcher(1, 20), "docker compose", true),
            Some("dock".to_owned())
        );
        // Another visitor's search, or one that does not continue, takes nothing back.
        assert_eq!(
            recent.note(&searcher(2, 21), "docker compose file", true),
            None
        );
        assert_eq!(recent.note(&searcher(1, 30), "licence", true), None);
        // Too late: a minute and more is a search of its own.
        assert_eq!(recent.note(&searcher(1, 120), "licence terms", true), None);
        // A search that found something is not taken back.
        assert_eq!(recent.note(&searcher(3, 0), "faq", false), None);
        assert_eq!(recent.note(&searcher(3, 5), "faqtory", true), None);
        // The same search again is not a step on the way.
        assert_eq!(recent.note(&searcher(4, 0), "saml", true), None);
        assert_eq!(recent.note(&searcher(4, 5), "saml", true), None);
    }
}
