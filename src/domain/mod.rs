//! The rules of faqtory and nothing else: values that can only be built valid, and the life
//! cycles of events and questions. Pure code, unit-tested next to it.

mod answer;
mod digest_period;
mod display_name;
mod email_address;
mod event_slug;
mod event_status;
mod event_title;
mod invalid;
mod label;
mod password;
mod poll;
mod poll_answer;
mod poll_tally;
mod portable_markdown;
mod question_body;
mod question_status;
mod recording;
mod slug;
mod text_rules;
mod token;
mod topic_label;
mod topic_mapping;
mod topic_trend;
mod topic_words;
mod username;
mod webhook;

pub use answer::{plain_text, AnswerText, ShapeLimits};
pub use digest_period::DigestPeriod;
pub use display_name::DisplayName;
pub use email_address::EmailAddress;
pub use event_slug::EventSlug;
pub use event_status::EventStatus;
pub use event_title::EventTitle;
pub use invalid::Invalid;
pub use label::LabelName;
pub use password::{Password, Role};
pub use poll::{
    DraftPoll, PollDefinition, PollKind, PollState, ResultsShown, OPTIONS, OPTION_CHARS, WORDS_EACH,
};
pub use poll_answer::{DraftAnswer, PollAnswer};
pub use poll_tally::{
    borda_scores, fold_word, rating_summary, tally_choices, word_counts, RatingSummary,
};
pub use portable_markdown::{escape_inline, portable_markdown};
pub use question_body::QuestionBody;
pub use question_status::QuestionStatus;
pub use recording::RecordingOffset;
pub use slug::url_slug;
pub use token::{Token, TokenHash};
pub use topic_label::TopicLabel;
pub use topic_mapping::{continued_topics, CONTINUES};
pub use topic_trend::{trend_of, Trend, TREND_EVENTS};
pub use topic_words::{distinctive_words, topic_words};
pub use username::Username;
pub use webhook::{is_private, WebhookFormat, WebhookKind, WebhookUrl};
