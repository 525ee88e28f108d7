//! Cue times: `hh:mm:ss.ttt` or `mm:ss.ttt` (WebVTT), `hh:mm:ss,ttt` (SRT), in milliseconds.

/// Milliseconds from a cue timestamp; either separator before the milliseconds is taken, since
/// tools mix them up. `None` when it is not a timestamp.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let (clock, fraction) = text.rsplit_once(['.', ','])?;
    if fraction.len() != 3 || !all_digits(fraction) {
        return None;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let (hours, minutes, seconds) = match parts.as_slice() {
        [minutes, seconds] => ("0", *minutes, *seconds),
        [hours, minutes, seconds] => (*hours, *minutes, *seconds),
        _ => return None,
    };
    if hours.is_empty() || hours.len() > 3 || !all_digits(hours) {
        return None;
    }
    if minutes.len() != 2 || seconds.len() != 2 || !all_digits(minutes) || !all_digits(seconds) {
        return None;
    }
    let number = |digits: &str| digits.parse::<i64>().ok();
    let (hours, minutes, seconds, millis) = (
        number(hours)?,
        number(minutes)?,
        number(seconds)?,
        number(fraction)?,
    );
    if minutes > 59 || seconds > 59 {
        return None;
    }
    Some(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
}

fn all_digits(text: &str) -> bool {
    text.bytes().all(|byte| byte.is_ascii_digit())
}

/// `01:02:03.004`, as in the files, for messages.
pub fn format_timestamp(millis: i64) -> String {
    let millis = millis.max(0);
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        millis / 3_600_000,
        millis / 60_000 % 60,
        millis / 1000 % 60,
        millis % 1000
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_separators_with_or_without_hours() {
        assert_eq!(parse_timestamp("00:01:02.003"), Some(62_003));
        assert_eq!(parse_timestamp("01:02.500"), Some(62_500));
        assert_eq!(parse_timestamp("1:00:00,000"), Some(3_600_000));
        assert_eq!(parse_timestamp("100:00:00.000"), Some(360_000_000));
    }

    #[test]
    fn refuses_what_is_not_a_timestamp() {
        for bad in [
            "",
            "00:01:02",
            "00:1:02.000",
            "00:01:60.000",
            "00:61:00.000",
            "aa:bb:cc.ddd",
            "00:01:02.0000",
            "00:01:02.00",
            "1:2:3:4.000",
            "-1:00.000",
            "1000:00:00.000",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn formats_as_the_files_do() {
        assert_eq!(format_timestamp(3_723_004), "01:02:03.004");
    }
}
