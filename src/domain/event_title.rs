use unicode_normalization::UnicodeNormalization;

use super::invalid::Invalid;
use super::text_rules::has_control_chars;
use super::text_rules::normalize_whitespace;

/// An event's title: 1 to 120 characters of visible text on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTitle(String);

impl EventTitle {
    pub const MAX_CHARS: usize = 120;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let title: String = normalize_whitespace(raw).nfc().collect();
        if title.is_empty() {
            return Err(Invalid::new("title", "An event needs a title."));
        }
        if has_control_chars(&title) {
            return Err(Invalid::new(
                "title",
                "Titles cannot contain control characters.",
            ));
        }
        let length = title.chars().count();
        if length > Self::MAX_CHARS {
            return Err(Invalid::new(
                "title",
                format!(
                    "Titles can be at most {} characters (this one has {length}).",
                    Self::MAX_CHARS
                ),
            ));
        }
        Ok(Self(title))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_rules() {
        assert_eq!(
            EventTitle::parse(" Mirage\nhangout ").unwrap().as_str(),
            "Mirage hangout"
        );
        assert!(EventTitle::parse("  ").is_err());
        assert!(EventTitle::parse("a\0b").is_err());
        assert!(EventTitle::parse(&"t".repeat(121)).is_err());
    }
}
