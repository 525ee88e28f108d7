//! The event page rendered once for everyone, in parts, and one reader's own pieces to put in.

use maud::Markup;

use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::app::events::page::{EventQuestions, ListedQuestion};
use crate::domain::QuestionStatus;
use crate::views::asking::ask_form::AskForm;
use crate::views::events::event::{
    event_page, on_screen_now, question_item, shown_questions, EventPageView, ListTab, Personal,
    PERSONAL_SLOT, ROWS_SLOT,
};

/// The page rendered once for everyone, in pieces: a reader's own part (their questions awaiting
/// moderation) goes between `top` and `middle`, the rows between `middle` and `bottom`, each
/// row as everyone sees it unless the reader voted for it or asked it.
pub struct EventPageParts {
    pub top: String,
    pub middle: String,
    pub rows: Vec<(i64, String)>,
    pub bottom: String,
}

impl EventPageParts {
    /// The page of a reader without votes or questions here.
    pub fn everyones_page(&self) -> String {
        let mut page = String::with_capacity(
            self.top.len()
                + self.middle.len()
                + self.bottom.len()
                + self.rows.iter().map(|(_, row)| row.len()).sum::<usize>(),
        );
        page.push_str(&self.top);
        page.push_str(&self.middle);
        for (_, row) in &self.rows {
            page.push_str(row);
        }
        page.push_str(&self.bottom);
        page
    }
}

/// Renders the page with slots and the shown rows apart; `None` only if the layout lost a slot,
/// which would be a bug here, not bad input.
pub fn event_page_parts(view: &EventPageView<'_>) -> Option<EventPageParts> {
    debug_assert_eq!(view.personal, Personal::Slots);
    let page = event_page(view).into_string();
    let (top, rest) = page.split_once(PERSONAL_SLOT)?;
    let (middle, bottom) = rest.split_once(ROWS_SLOT)?;
    let rows = shown_questions(view)
        .into_iter()
        .map(|listed| {
            (
                listed.question.id,
                question_item(view, listed).into_string(),
            )
        })
        .collect();
    Some(EventPageParts {
        top: top.to_owned(),
        middle: middle.to_owned(),
        rows,
        bottom: bottom.to_owned(),
    })
}

/// One reader's row of a question they voted for or asked.
pub fn personal_row(view: &EventPageView<'_>, listed: &ListedQuestion) -> Markup {
    question_item(view, listed)
}

/// What a live page puts in for a question that changed, rendered once for every subscriber.
pub struct LiveFragments {
    /// Its row as everyone sees it, for the tab it belongs on (Top for open questions: a page on
    /// the New tab sets its own tab in the row's links).
    pub row: String,
    /// The "on screen now" part, when this question is on screen.
    pub on_screen: Option<String>,
}

/// `changed` holds the changed questions as its `listed`; `listed` is one of them.
pub fn live_fragments(
    changed: &EventQuestions,
    listed: &ListedQuestion,
    now: NaiveDateTime,
) -> LiveFragments {
    let tab = if listed.question.status == QuestionStatus::Answered {
        ListTab::Answered
    } else {
        ListTab::Top
    };
    let no_follow_urls = HashMap::new();
    let form = AskForm::default();
    let view = EventPageView {
        data: changed,
        tab,
        label: None,
        csrf: "",
        form: &form,
        just_asked: None,
        my_follow_urls: &no_follow_urls,
        now,
        page_url: "",
        personal: Personal::Slots,
        // Rows only: no ask form in them.
        offers_mail: false,
    };
    LiveFragments {
        row: question_item(&view, listed).into_string(),
        on_screen: listed
            .question
            .on_screen
            .then(|| on_screen_now(&view).into_string()),
    }
}
