//! Whether a topic is rising, steady, fading or new, from how often it was asked at each of the
//! last events: the recent half of those events against the earlier half.

use serde::Serialize;

/// How many of the last events a trend looks at.
pub const TREND_EVENTS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// First asked at the latest event.
    New,
    /// Asked clearly more in the recent half of the last events than in the earlier half.
    Rising,
    Steady,
    /// Asked clearly less than before.
    Fading,
}

impl Trend {
    pub fn as_str(self) -> &'static str {
        match self {
            Trend::New => "new",
            Trend::Rising => "rising",
            Trend::Steady => "steady",
            Trend::Fading => "fading",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Trend::New, Trend::Rising, Trend::Steady, Trend::Fading]
            .into_iter()
            .find(|trend| trend.as_str() == text)
    }
}

/// The trend of a topic asked `counts[i]` times at each of the last events (oldest first, the
/// latest last), that was asked before them `before` times. "Clearly" means half again as often
/// and by at least two questions, so one question more is not a trend.
pub fn trend_of(counts: &[u32], before: u32) -> Trend {
    let Some((latest, earlier)) = counts.split_last() else {
        return Trend::Steady;
    };
    if *latest > 0 && before == 0 && earlier.iter().all(|count| *count == 0) {
        return Trend::New;
    }
    let half = counts.len() / 2;
    let (old, recent) = counts.split_at(half);
    let old: u32 = old.iter().sum();
    let recent: u32 = recent.iter().sum();
    if recent * 2 > old * 3 && recent >= old + 2 {
        Trend::Rising
    } else if old * 2 > recent * 3 && old >= recent + 2 {
        Trend::Fading
    } else {
        Trend::Steady
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_first_asked_at_the_latest_event_is_new() {
        assert_eq!(trend_of(&[0, 0, 0, 0, 0, 3], 0), Trend::New);
        assert_eq!(trend_of(&[1], 0), Trend::New);
        assert_ne!(trend_of(&[0, 0, 0, 0, 0, 3], 2), Trend::New);
    }

    #[test]
    fn more_in_the_recent_half_is_rising_and_less_is_fading() {
        assert_eq!(trend_of(&[0, 1, 0, 2, 3, 4], 0), Trend::Rising);
        assert_eq!(trend_of(&[4, 3, 2, 0, 1, 0], 0), Trend::Fading);
    }

    #[test]
    fn one_question_more_or_less_is_steady() {
        assert_eq!(trend_of(&[1, 1, 1, 1, 1, 2], 0), Trend::Steady);
        assert_eq!(trend_of(&[0, 1, 0, 1, 0, 1], 0), Trend::Steady);
        assert_eq!(trend_of(&[1, 0, 0, 0, 0, 0], 0), Trend::Steady);
        assert_eq!(trend_of(&[], 0), Trend::Steady);
    }

    #[test]
    fn trends_read_back_from_their_names() {
        for trend in [Trend::New, Trend::Rising, Trend::Steady, Trend::Fading] {
            assert_eq!(Trend::parse(trend.as_str()), Some(trend));
        }
        assert_eq!(Trend::parse("up"), None);
    }
}
