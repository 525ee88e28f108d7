//! How often the insights digest comes: weekly (Monday to Monday, UTC) or monthly (first day to
//! first day). A digest tells of the last period that has ended.

use std::str::FromStr;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::invalid::Invalid;
use super::webhook::WebhookKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DigestPeriod {
    Week,
    Month,
}

impl DigestPeriod {
    pub const ALL: [DigestPeriod; 2] = [DigestPeriod::Week, DigestPeriod::Month];

    pub fn as_str(self) -> &'static str {
        match self {
            DigestPeriod::Week => "week",
            DigestPeriod::Month => "month",
        }
    }

    /// "weekly", "monthly": how the period reads before a noun.
    pub fn adjective(self) -> &'static str {
        match self {
            DigestPeriod::Week => "weekly",
            DigestPeriod::Month => "monthly",
        }
    }

    /// What a webhook listens for to hear this period's digest.
    pub fn webhook_kind(self) -> WebhookKind {
        match self {
            DigestPeriod::Week => WebhookKind::DigestWeekly,
            DigestPeriod::Month => WebhookKind::DigestMonthly,
        }
    }

    /// The last whole period before `now`: its first day and the day after its last.
    pub fn last_ended(self, now: NaiveDateTime) -> (NaiveDate, NaiveDate) {
        let today = now.date();
        match self {
            DigestPeriod::Week => {
                let ends =
                    today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
                (ends - Duration::days(7), ends)
            }
            DigestPeriod::Month => {
                let ends = today.with_day(1).unwrap_or(today);
                let starts = ends
                    .pred_opt()
                    .and_then(|last_day| last_day.with_day(1))
                    .unwrap_or(ends);
                (starts, ends)
            }
        }
    }
}

impl FromStr for DigestPeriod {
    type Err = Invalid;

    fn from_str(text: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|period| period.as_str() == text.trim())
            .ok_or_else(|| {
                Invalid::new(
                    "period",
                    "Choose how often the digest comes: `week` or `month`.",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_week_runs_monday_to_monday_and_ends_before_now() {
        // 2026-12-07 is a Monday.
        assert_eq!(
            DigestPeriod::Week.last_ended(at("2026-12-07 00:00")),
            (day("2026-11-30"), day("2026-12-07"))
        );
        assert_eq!(
            DigestPeriod::Week.last_ended(at("2026-12-13 23:59")),
            (day("2026-11-30"), day("2026-12-07"))
        );
        assert_eq!(
            DigestPeriod::Week.last_ended(at("2026-12-14 00:01")),
            (day("2026-12-07"), day("2026-12-14"))
        );
    }

    #[test]
    fn a_month_runs_from_its_first_day_across_years() {
        assert_eq!(
            DigestPeriod::Month.last_ended(at("2026-12-07 10:00")),
            (day("2026-11-01"), day("2026-12-01"))
        );
        assert_eq!(
            DigestPeriod::Month.last_ended(at("2027-01-01 00:00")),
            (day("2026-12-01"), day("2027-01-01"))
        );
        assert_eq!(
            DigestPeriod::Month.last_ended(at("2026-03-31 10:00")),
            (day("2026-02-01"), day("2026-03-01"))
        );
    }

    #[test]
    fn periods_read_back_and_anything_else_is_refused_in_words() {
        for period in DigestPeriod::ALL {
            assert_eq!(period.as_str().parse::<DigestPeriod>().unwrap(), period);
        }
        let refused = "daily".parse::<DigestPeriod>().unwrap_err();
        assert_eq!(refused.field, "period");
    }
}
