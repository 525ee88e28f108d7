//! What the curation dashboard shows: the event's questions by tab, and the forms that came back
//! refused with what was typed in them.

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::app::docs::finding::DocSuggestion;

use crate::app::moderation::curation::{Dashboard, JustMerged};
use crate::db::questions::Question;

/// An answer form that came back refused: what was typed, and what was wrong.
pub struct AnswerDraft<'a> {
    pub question_id: i64,
    pub markdown: &'a str,
    pub offset: &'a str,
    pub publish: bool,
    pub field: &'a str,
    pub message: &'a str,
}

/// A question edit that came back refused.
pub struct EditDraft<'a> {
    pub question_id: i64,
    pub body: &'a str,
    pub message: &'a str,
}

pub struct DashboardView<'a> {
    pub dashboard: &'a Dashboard,
    /// The documentation section that answers an open question, by question id.
    pub in_the_docs: &'a HashMap<i64, DocSuggestion>,
    /// How many of the event's questions the documentation answers, of how many; `None` without
    /// documentation.
    pub docs_figure: Option<(usize, usize)>,
    /// A question just rejected from this page, to say so with an undo.
    pub just_rejected: Option<&'a Question>,
    /// Questions just merged from this page, to say so with an undo.
    pub just_merged: Option<&'a JustMerged>,
    pub csrf: &'a str,
    pub error: Option<&'a str>,
    pub draft: Option<AnswerDraft<'a>>,
    pub edit_draft: Option<EditDraft<'a>>,
    /// Labels as typed for one question, with why they were refused.
    pub labels_draft: Option<(i64, &'a str, &'a str)>,
    /// A refused merge: the question, the target as typed, why.
    pub merge_draft: Option<(i64, &'a str, &'a str)>,
    pub now: NaiveDateTime,
}
