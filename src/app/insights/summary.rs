//! One topic as the team sees it: counts, events, trend, what covers it, its top questions.

use chrono::NaiveDateTime;

use crate::domain::Trend;

#[derive(Debug, Clone)]
pub struct EventRef {
    pub id: i64,
    pub slug: String,
    pub title: String,
}

#[derive(Debug, Clone)]
pub struct TopicQuestion {
    pub id: i64,
    pub body: String,
    pub votes: i64,
    pub event_slug: String,
    pub answered: bool,
}

#[derive(Debug, Clone)]
pub struct RecordingMoment {
    pub question_id: i64,
    pub event_slug: String,
    pub seconds: i32,
}

#[derive(Debug, Clone)]
pub struct DocsCover {
    pub section_id: i64,
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// FAQ entries (answered, published questions of the topic).
    pub faq_entries: Vec<i64>,
    pub docs: Option<DocsCover>,
    pub recording: Vec<RecordingMoment>,
}

impl Coverage {
    /// The strongest kind of cover: an FAQ entry, then the docs, then a recording, or none.
    pub fn state(&self) -> &'static str {
        if !self.faq_entries.is_empty() {
            "faq"
        } else if self.docs.is_some() {
            "docs"
        } else if !self.recording.is_empty() {
            "recording"
        } else {
            "none"
        }
    }

    pub fn is_covered(&self) -> bool {
        self.state() != "none"
    }
}

#[derive(Debug, Clone)]
pub struct TopicSummary {
    pub id: i64,
    /// A moderator's name, else the title of the FAQ entry or docs section that covers it, else
    /// its distinctive words.
    pub label: String,
    pub words: String,
    pub custom_label: Option<String>,
    pub hidden: bool,
    /// Listed in the docs report as something to write documentation for.
    pub docs_wanted: bool,
    pub questions: i64,
    pub votes: i64,
    pub searches: i64,
    /// Shown open-text answers to polls.
    pub poll_answers: i64,
    pub demand: i64,
    pub events: Vec<EventRef>,
    pub first_seen: Option<NaiveDateTime>,
    pub last_seen: Option<NaiveDateTime>,
    pub trend: Trend,
    /// Questions at each of the last events, oldest first (what the trend is read from).
    pub per_event: Vec<u32>,
    pub coverage: Coverage,
    /// Covered, yet asked (or searched for in vain) after its first answer.
    pub asked_again: bool,
    /// All its questions, most voted first.
    pub question_ids: Vec<i64>,
    pub top_questions: Vec<TopicQuestion>,
    pub top_searches: Vec<(String, i32)>,
}

impl TopicSummary {
    /// Demand with no answer anywhere.
    pub fn is_gap(&self) -> bool {
        self.demand > 0 && !self.coverage.is_covered()
    }
}
