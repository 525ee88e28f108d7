//! The rules of faqtory and nothing else: values that can only be built valid, and the life
//! cycles of events and questions. Pure code, unit-tested next to it.

mod answer;
mod display_name;
mod email_address;
mod event_slug;
mod event_status;
mod event_title;
mod label;
mod password;
mod portable_markdown;
mod question_body;
mod question_status;
mod recording;
mod slug;
mod token;
mod username;
mod webhook;

pub use answer::{plain_text, AnswerText, ShapeLimits};
pub use display_name::DisplayName;
pub use email_address::EmailAddress;
pub use event_slug::EventSlug;
pub use event_status::EventStatus;
pub use event_title::EventTitle;
pub use label::LabelName;
pub use password::{Password, Role};
pub use portable_markdown::{escape_inline, portable_markdown};
pub use question_body::QuestionBody;
pub use question_status::QuestionStatus;
pub use recording::RecordingOffset;
pub use slug::url_slug;
pub use token::{Token, TokenHash};
pub use username::Username;
pub use webhook::{is_private, WebhookFormat, WebhookKind, WebhookUrl};

/// Why a value a user typed was refused, in words fit to show next to the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for Invalid {}

/// Collapses every run of white space to one space and trims the ends.
pub(crate) fn normalize_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Control characters that survive whitespace normalisation (NUL, escape, bidi overrides
/// are not in Cc but are handled by escaping on output) have no business in shown text.
pub(crate) fn has_control_chars(text: &str) -> bool {
    text.chars().any(char::is_control)
}
