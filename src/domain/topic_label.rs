use unicode_normalization::UnicodeNormalization;

use super::invalid::Invalid;
use super::text_rules::{has_control_chars, normalize_whitespace};

/// A moderator's name for a topic: 1 to 80 characters on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicLabel(String);

impl TopicLabel {
    pub const MAX_CHARS: usize = 80;

    /// `None` for a blank name (the topic goes back to its own words).
    pub fn parse(raw: &str) -> Result<Option<Self>, Invalid> {
        let name: String = normalize_whitespace(raw).nfc().collect();
        if name.is_empty() {
            return Ok(None);
        }
        if name.chars().count() > Self::MAX_CHARS || has_control_chars(&name) {
            return Err(Invalid::new(
                "label",
                format!(
                    "A topic's name is at most {} characters on one line.",
                    Self::MAX_CHARS
                ),
            ));
        }
        Ok(Some(Self(name)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_a_blank_one_clears() {
        assert_eq!(
            TopicLabel::parse("  Running   in Docker ")
                .unwrap()
                .unwrap()
                .as_str(),
            "Running in Docker"
        );
        assert_eq!(TopicLabel::parse("   ").unwrap(), None);
    }

    #[test]
    fn long_names_and_control_characters_are_refused() {
        assert!(TopicLabel::parse(&"x".repeat(81)).is_err());
        assert!(TopicLabel::parse("bell\u{7}").is_err());
    }
}
