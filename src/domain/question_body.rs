use unicode_normalization::UnicodeNormalization;

use super::invalid::Invalid;
use super::text_rules::has_control_chars;
use super::text_rules::normalize_whitespace;

/// The text of a question: NFC, white space collapsed, 10 to 1,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionBody(String);

impl QuestionBody {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 1_000;
    const FIELD: &'static str = "body";

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let text: String = normalize_whitespace(raw).nfc().collect();
        let length = text.chars().count();
        if length == 0 {
            return Err(Invalid::new(Self::FIELD, "Please write your question."));
        }
        if has_control_chars(&text) {
            return Err(Invalid::new(
                Self::FIELD,
                "Your question contains invisible control characters; please remove them.",
            ));
        }
        if length < Self::MIN_CHARS {
            return Err(Invalid::new(
                Self::FIELD,
                format!(
                    "Your question is too short: at least {} characters, please (it has {length}).",
                    Self::MIN_CHARS
                ),
            ));
        }
        if length > Self::MAX_CHARS {
            return Err(Invalid::new(
                Self::FIELD,
                format!(
                    "Your question is too long: at most {} characters, please (it has {length}).",
                    Self::MAX_CHARS
                ),
            ));
        }
        Ok(Self(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_white_space_and_trims() {
        let body = QuestionBody::parse("  How  do I\n\tbuild   a unikernel?  ").unwrap();
        assert_eq!(body.as_str(), "How do I build a unikernel?");
    }

    #[test]
    fn normalises_to_nfc() {
        let decomposed = "Cafe\u{301} au lait, is it a drink?";
        let body = QuestionBody::parse(decomposed).unwrap();
        assert!(body.as_str().starts_with("Caf\u{e9} "));
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert!(QuestionBody::parse("ééééééééé").is_err());
        assert!(QuestionBody::parse("éééééééééé").is_ok());
        assert!(QuestionBody::parse(&"é".repeat(1_000)).is_ok());
        assert!(QuestionBody::parse(&"é".repeat(1_001)).is_err());
    }

    #[test]
    fn refuses_empty_short_and_control_characters() {
        assert!(QuestionBody::parse(" \n\t ").is_err());
        assert!(QuestionBody::parse("why?").is_err());
        let with_nul = QuestionBody::parse("What is a \0 byte doing here?").unwrap_err();
        assert_eq!(with_nul.field, "body");
    }
}
