use unicode_normalization::UnicodeNormalization;

use super::invalid::Invalid;
use super::text_rules::has_control_chars;
use super::text_rules::normalize_whitespace;

/// The optional name an asker shows: at most 60 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 60;
    const FIELD: &'static str = "author_name";

    /// An empty or blank name means "anonymous", which is `None`.
    pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, Invalid> {
        let Some(raw) = raw else { return Ok(None) };
        // Tabs and line breaks are only white space to fold; other control characters are refused,
        // and so are bidirectional overrides, which can make a name read as someone else's.
        let folded = normalize_whitespace(raw);
        if has_control_chars(&folded) || folded.chars().any(is_bidi_control) {
            return Err(Invalid::new(
                Self::FIELD,
                "Names cannot contain invisible control or text-direction characters.",
            ));
        }
        let name: String = folded.nfc().collect();
        if name.is_empty() {
            return Ok(None);
        }
        let length = name.chars().count();
        if length > Self::MAX_CHARS {
            return Err(Invalid::new(
                Self::FIELD,
                format!(
                    "Names can be at most {} characters (this one has {length}).",
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

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_is_anonymous() {
        assert_eq!(DisplayName::parse_optional(None).unwrap(), None);
        assert_eq!(DisplayName::parse_optional(Some("   ")).unwrap(), None);
    }

    #[test]
    fn keeps_a_normal_name() {
        let name = DisplayName::parse_optional(Some(" Ada  Lovelace "))
            .unwrap()
            .unwrap();
        assert_eq!(name.as_str(), "Ada Lovelace");
    }

    #[test]
    fn refuses_control_characters_and_long_names() {
        assert!(DisplayName::parse_optional(Some("Ada\0")).is_err());
        assert!(DisplayName::parse_optional(Some("Ada\u{1b}[31m")).is_err());
        assert!(DisplayName::parse_optional(Some("\u{202E}nimda")).is_err());
        assert!(DisplayName::parse_optional(Some(&"x".repeat(61))).is_err());
        assert!(DisplayName::parse_optional(Some(&"x".repeat(60))).is_ok());
    }
}
