use chrono::NaiveDateTime;
use maud::{html, Markup};

/// "3 minutes ago", "in 2 days": how far `then` is from `now`, in words.
pub fn relative(then: NaiveDateTime, now: NaiveDateTime) -> String {
    let seconds = (now - then).num_seconds();
    let (amount, future) = if seconds < 0 {
        (-seconds, true)
    } else {
        (seconds, false)
    };
    if amount < 45 {
        return if future {
            "in a moment".into()
        } else {
            "just now".into()
        };
    }
    let (count, unit) = match amount {
        s if s < 3_600 => ((s + 30) / 60, "minute"),
        s if s < 86_400 => ((s + 1_800) / 3_600, "hour"),
        s if s < 30 * 86_400 => ((s + 43_200) / 86_400, "day"),
        s if s < 365 * 86_400 => (s / (30 * 86_400), "month"),
        s => (s / (365 * 86_400), "year"),
    };
    let count = count.max(1);
    let plural = if count == 1 { "" } else { "s" };
    if future {
        format!("in {count} {unit}{plural}")
    } else {
        format!("{count} {unit}{plural} ago")
    }
}

/// A `<time>` showing the relative time, with the exact UTC time on hover; our script keeps the
/// words current and shows the time in the reader's zone.
pub fn time_ago(then: NaiveDateTime, now: NaiveDateTime) -> Markup {
    let iso = then
        .and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let absolute = then.format("%Y-%m-%d %H:%M UTC").to_string();
    html! {
        time datetime=(iso) title=(absolute) data-relative { (relative(then, now)) }
    }
}

/// A date and time written out in full: UTC in the page, the reader's own zone once our script
/// has run.
pub fn exact_time(at: NaiveDateTime) -> Markup {
    let iso = at
        .and_utc()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    html! {
        time datetime=(iso) data-local { (at.format("%A %-d %B %Y, %H:%M UTC")) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn words_for_each_scale() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc();
        assert_eq!(relative(now - Duration::seconds(5), now), "just now");
        assert_eq!(relative(now - Duration::minutes(1), now), "1 minute ago");
        assert_eq!(relative(now - Duration::minutes(3), now), "3 minutes ago");
        assert_eq!(relative(now - Duration::hours(5), now), "5 hours ago");
        assert_eq!(relative(now - Duration::days(2), now), "2 days ago");
        assert_eq!(relative(now + Duration::days(3), now), "in 3 days");
        assert_eq!(relative(now - Duration::days(800), now), "2 years ago");
    }
}
