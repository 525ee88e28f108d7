use super::invalid::Invalid;

/// A moment in the recording, from `1:23:45`, `83:10` or plain seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordingOffset(u32);

impl RecordingOffset {
    /// Recordings longer than a day are not a thing.
    const MAX_SECONDS: u32 = 24 * 3600;

    pub fn parse_optional(raw: &str) -> Result<Option<Self>, Invalid> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let invalid = || {
            Invalid::new(
                "recording_offset",
                "Give the moment in the recording as 1:23:45, 83:10 or seconds.",
            )
        };
        let parts: Vec<&str> = raw.split(':').collect();
        if parts.len() > 3
            || parts.iter().any(|part| {
                part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) || part.len() > 5
            })
        {
            return Err(invalid());
        }
        let numbers: Vec<u32> = parts
            .iter()
            .map(|part| part.parse().unwrap_or(u32::MAX))
            .collect();
        // Minutes and seconds after the first field are below 60, as on a clock.
        if numbers.iter().skip(1).any(|&n| n >= 60) {
            return Err(invalid());
        }
        let seconds = numbers
            .iter()
            .try_fold(0u32, |total, &n| total.checked_mul(60)?.checked_add(n))
            .ok_or_else(invalid)?;
        if seconds > Self::MAX_SECONDS {
            return Err(invalid());
        }
        Ok(Some(Self(seconds)))
    }

    pub fn from_seconds(seconds: i32) -> Option<Self> {
        u32::try_from(seconds).ok().map(Self)
    }

    pub fn seconds(self) -> u32 {
        self.0
    }

    /// `1:02:03` or `2:03`, as people write it.
    pub fn display(self) -> String {
        let (h, m, s) = (self.0 / 3600, self.0 / 60 % 60, self.0 % 60);
        if h > 0 {
            format!("{h}:{m:02}:{s:02}")
        } else {
            format!("{m}:{s:02}")
        }
    }

    /// A link to this moment: YouTube takes `t=` in the query, Vimeo `#t=…s`, anything else a
    /// media fragment `#t=`.
    pub fn link(self, recording_url: &str) -> Option<String> {
        let mut url = url::Url::parse(recording_url).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let host = url
            .host_str()
            .unwrap_or_default()
            .trim_start_matches("www.")
            .to_owned();
        let seconds = self.0;
        if host == "youtube.com" || host == "m.youtube.com" || host == "youtu.be" {
            let kept: Vec<(String, String)> = url
                .query_pairs()
                .filter(|(key, _)| key != "t")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            url.query_pairs_mut()
                .clear()
                .extend_pairs(kept)
                .append_pair("t", &seconds.to_string());
        } else if host == "vimeo.com" || host == "player.vimeo.com" {
            url.set_fragment(Some(&format!("t={seconds}s")));
        } else {
            url.set_fragment(Some(&format!("t={seconds}")));
        }
        Some(url.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_forms_and_seconds() {
        let parse = |s| {
            RecordingOffset::parse_optional(s)
                .unwrap()
                .map(RecordingOffset::seconds)
        };
        assert_eq!(parse("1:23:45"), Some(5025));
        assert_eq!(parse("83:10"), Some(4990));
        assert_eq!(parse("  75 "), Some(75));
        assert_eq!(parse(""), None);
        for bad in [
            "1:2:3:4", "1:60", "abc", "-5", "1::2", ":30", "99999999", "1.5", "25:00:00",
        ] {
            assert!(RecordingOffset::parse_optional(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn links_per_platform() {
        let at = RecordingOffset(83);
        assert_eq!(
            at.link("https://www.youtube.com/watch?v=abc&t=5").unwrap(),
            "https://www.youtube.com/watch?v=abc&t=83"
        );
        assert_eq!(
            at.link("https://youtu.be/abc").unwrap(),
            "https://youtu.be/abc?t=83"
        );
        assert_eq!(
            at.link("https://vimeo.com/123").unwrap(),
            "https://vimeo.com/123#t=83s"
        );
        assert_eq!(
            at.link("https://media.example/talk.mp4").unwrap(),
            "https://media.example/talk.mp4#t=83"
        );
        assert_eq!(at.link("javascript:alert(1)"), None);
        assert_eq!(at.display(), "1:23");
        assert_eq!(RecordingOffset(3723).display(), "1:02:03");
    }
}
