use std::collections::HashMap;

use chrono::NaiveDateTime;
use maud::{html, Markup, PreEscaped};

use crate::app::events::page::{EventQuestions, ListedQuestion};
use crate::db::questions::{Order, Question};
use crate::domain::{QuestionStatus, RecordingOffset};
use crate::views::asking::ask_form::{ask_form, AskForm};
use crate::views::components::{
    answer_block, author, event_heading, question_status_badge, url_component, vote_control,
    VoteControl,
};
use crate::views::layout::{page, PageMeta};
use crate::views::polls::teaser::polls_teaser;
use crate::views::structured_data;
use crate::views::time::time_ago;

/// The event page's tabs: open questions by votes or by time, and the answered ones apart so that
/// they do not lead the list during a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListTab {
    Top,
    New,
    Answered,
}

impl ListTab {
    pub fn from_query(raw: Option<&str>) -> Option<ListTab> {
        match raw {
            None | Some("") | Some("top") => Some(ListTab::Top),
            Some("new") => Some(ListTab::New),
            Some("answered") => Some(ListTab::Answered),
            Some(_) => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            ListTab::Top => "top",
            ListTab::New => "new",
            ListTab::Answered => "answered",
        }
    }

    pub fn order(self) -> Order {
        match self {
            ListTab::New => Order::New,
            ListTab::Top | ListTab::Answered => Order::Top,
        }
    }

    fn shows(self, question: &Question) -> bool {
        (question.status == QuestionStatus::Answered) == (self == ListTab::Answered)
    }
}

/// Shown once, right after asking, beside the new question.
pub struct JustAsked {
    pub question_id: i64,
    pub status: QuestionStatus,
    pub follow_url: String,
}

/// Where the "thanks, here is your link" notice is, for the redirect after asking.
pub const JUST_ASKED_ANCHOR: &str = "just-asked";

pub struct EventPageView<'a> {
    pub data: &'a EventQuestions,
    pub tab: ListTab,
    /// Only the questions with this label, when one was picked.
    pub label: Option<&'a str>,
    pub csrf: &'a str,
    pub form: &'a AskForm,
    pub just_asked: Option<JustAsked>,
    /// Follow links of this browser's own questions, by question id.
    pub my_follow_urls: &'a HashMap<i64, String>,
    pub now: NaiveDateTime,
    pub page_url: &'a str,
    /// Whether what is personal is in the page, or left as slots (see `event_parts`).
    pub personal: Personal,
    /// Whether askers and voters may leave an address to hear back.
    pub offers_mail: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Personal {
    /// The page as one reader sees it.
    Included,
    /// The page as everyone sees it, with slots where one reader's part goes.
    Slots,
}

impl EventPageView<'_> {
    /// This page's address for another tab or label, keeping the rest.
    fn href(&self, tab: ListTab, label: Option<&str>) -> String {
        let mut href = format!("/e/{}?sort={}", self.data.event.slug, tab.key());
        if let Some(label) = label {
            href.push_str("&label=");
            href.push_str(&url_component(label));
        }
        href
    }

    fn has_label(&self, question: &Question) -> bool {
        self.label.is_none_or(|wanted| {
            self.data
                .labels
                .get(&question.id)
                .is_some_and(|labels| labels.iter().any(|label| label == wanted))
        })
    }

    fn just_asked_about(&self, question_id: i64) -> Option<&JustAsked> {
        self.just_asked
            .as_ref()
            .filter(|asked| asked.question_id == question_id)
    }

    /// The notice when its question is on none of the lists this page shows.
    fn just_asked_elsewhere(&self) -> Option<&JustAsked> {
        let asked = self.just_asked.as_ref()?;
        let shown = self
            .data
            .my_unlisted
            .iter()
            .any(|q| q.id == asked.question_id)
            || self.data.listed.iter().any(|listed| {
                listed.question.id == asked.question_id && self.tab.shows(&listed.question)
            });
        (!shown).then_some(asked)
    }
}

pub fn event_page(view: &EventPageView<'_>) -> Markup {
    let event = &view.data.event;
    let description = if event.description.is_empty() {
        format!("Ask and upvote questions for {}.", event.title)
    } else {
        event.description.clone()
    };
    page(
        &PageMeta {
            title: &event.title,
            description: &description,
            url: Some(view.page_url),
        },
        html! {
            @if let Some(data) = structured_data::event(event, view.page_url, &description) {
                (structured_data::script(&data))
            }
            (event_heading(event, view.now))
            (on_screen_now(view))
            @if event.status.accepts_questions() {
                (ask_form(view.form, &event.slug, view.csrf, view.offers_mail))
                @if view.offers_mail {
                    p.notify-votes { a href={ "/e/" (event.slug) "/notify" } { "Email me when questions I voted for are answered" } }
                }
            } @else {
                section.notice {
                    p { "This event is " (event.status) " and no longer takes questions or votes." }
                    @if !view.form.body.is_empty() {
                        p { "Your question was not sent. Here is your text, so you can keep it:" }
                        blockquote.kept-text { (view.form.body) }
                    }
                }
            }
            (polls_teaser(&view.data.polls, &view.data.event.slug))
            @if let Some(asked) = view.just_asked_elsewhere() { (just_asked_notice(asked)) }
            @match view.personal {
                Personal::Included => (personal_part(view, &view.data.my_unlisted)),
                Personal::Slots => (PreEscaped(PERSONAL_SLOT)),
            }
            @if !event.status.accepts_questions() { (recording_moments(view)) }
            (question_list(view))
        },
    )
}

/// After the call: where in the recording each answered question was discussed, in the
/// recording's order, as the video's chapters would list them.
fn recording_moments(view: &EventPageView<'_>) -> Markup {
    let mut moments: Vec<(RecordingOffset, &Question)> = view
        .data
        .listed
        .iter()
        .filter_map(|listed| {
            let answer = view.data.answers.get(&listed.question.id)?;
            let at = RecordingOffset::from_seconds(answer.recording_offset_secs?)?;
            Some((at, &listed.question))
        })
        .collect();
    if moments.is_empty() && !view.data.has_transcript {
        return html! {};
    }
    moments.sort_by_key(|(at, question)| (at.seconds(), question.id));
    let recording_url = view.data.event.recording_url.as_deref();
    let answered_tab = view.href(ListTab::Answered, None);
    html! {
        section.recording-moments aria-labelledby="moments-heading" {
            h2 #moments-heading { "In the recording" }
            @if view.data.has_transcript {
                p.captions {
                    "Captions for the recording: "
                    a href={ "/e/" (view.data.event.slug) "/captions.vtt" } download { "WebVTT" }
                    " · "
                    a href={ "/e/" (view.data.event.slug) "/captions.srt" } download { "SRT" }
                }
            }
            @if !moments.is_empty() {
                ol {
                    @for (at, question) in moments {
                        li {
                            @match recording_url.and_then(|url| at.link(url)) {
                                Some(link) => a.moment href=(link) rel="noopener" { (at.display()) },
                                None => span.moment { (at.display()) },
                            }
                            " "
                            a href={ (answered_tab) "#q-" (question.id) } { (question.body) }
                        }
                    }
                }
            }
        }
    }
}

/// The question being discussed, above everything else while the call is on. Always in the page
/// (hidden when there is none) so that live updates can fill it in.
pub(super) fn on_screen_now(view: &EventPageView<'_>) -> Markup {
    let on_screen = view
        .data
        .listed
        .iter()
        .map(|listed| &listed.question)
        .find(|question| question.on_screen);
    html! {
        section.on-screen-now #on-screen-now data-live-part aria-labelledby="on-screen-heading"
            data-question=[on_screen.map(|question| question.id)] hidden[on_screen.is_none()] {
            @if let Some(question) = on_screen {
                h2 #on-screen-heading { span.badge.on-screen { "on screen now" } }
                p.question-body { (question.body) }
                p.meta {
                    (author(question.author_name.as_deref())) " · "
                    span.count { (question.vote_count) } @if question.vote_count == 1 { " vote" } @else { " votes" }
                    " · " a href={ "?sort=" (ListTab::Top.key()) "#q-" (question.id) } { "find it in the list" }
                }
            } @else {
                h2 #on-screen-heading { "On screen now" }
            }
        }
    }
}

fn just_asked_notice(asked: &JustAsked) -> Markup {
    html! {
        div.notice.success #(JUST_ASKED_ANCHOR) role="status" tabindex="-1" {
            @if asked.status == QuestionStatus::Pending {
                p { strong { "Thanks! Your question is awaiting moderation." } " It appears in the list once a moderator approves it." }
            } @else {
                p { strong { "Thanks! Your question is in the list." } }
            }
            p { "Keep this private link to follow what happens to it: "
                a.follow-link href=(asked.follow_url) { (asked.follow_url) } }
        }
    }
}

pub(super) fn my_unlisted_section(view: &EventPageView<'_>, questions: &[Question]) -> Markup {
    html! {
        section.mine aria-labelledby="mine-heading" {
            h2 #mine-heading { "Your questions not in the list" }
            ul.questions {
                @for question in questions {
                    li.question #{ "q-" (question.id) } {
                        div.question-main {
                            p.question-body { (question.body) }
                            p.meta {
                                (question_status_badge(question.status)) " · " (time_ago(question.created_at, view.now))
                                @if let Some(into) = question.merged_into {
                                    " · merged into " a href={ "#q-" (into) } { "#" (into) }
                                }
                                @if let Some(url) = view.my_follow_urls.get(&question.id) {
                                    " · " a href=(url) { "follow" }
                                }
                            }
                            @if let Some(asked) = view.just_asked_about(question.id) { (just_asked_notice(asked)) }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn shown_questions<'a>(view: &'a EventPageView<'_>) -> Vec<&'a ListedQuestion> {
    view.data
        .listed
        .iter()
        .filter(|listed| view.tab.shows(&listed.question) && view.has_label(&listed.question))
        .collect()
}

fn question_list(view: &EventPageView<'_>) -> Markup {
    let slug = &view.data.event.slug;
    let shown = shown_questions(view);
    let answered = view
        .data
        .listed
        .iter()
        .filter(|listed| listed.question.status == QuestionStatus::Answered)
        .count();
    let count = shown.len();
    let noun = match (view.tab, count) {
        (ListTab::Answered, _) => " answered",
        (_, 1) => " open question",
        _ => " open questions",
    };
    html! {
        section.list aria-labelledby="list-heading" data-live={ "/live/e/" (slug) } {
            div.list-header {
                h2 #list-heading data-live-part { (count) (noun) }
                nav.sort aria-label="Which questions" #list-tabs data-live-part {
                    @for tab in [ListTab::Top, ListTab::New, ListTab::Answered] {
                        a href=(view.href(tab, view.label))
                            aria-current=[(view.tab == tab).then_some("page")] {
                            @match tab {
                                ListTab::Top => "Top",
                                ListTab::New => "New",
                                ListTab::Answered => { "Answered (" (answered) ")" },
                            }
                        }
                    }
                }
            }
            @if let Some(label) = view.label {
                p.label-filter { "Only questions labelled " span.badge.label { (label) } " · "
                    a href=(view.href(view.tab, None)) { "show all" } }
            }
            p.meta.moderation-summary #moderation-summary data-live-part
                hidden[view.data.awaiting_moderation == 0] {
                (view.data.awaiting_moderation) " awaiting moderation"
            }
            p.empty #no-questions data-live-part hidden[count > 0] {
                @if view.tab == ListTab::Answered { "Nothing answered yet." }
                @else if view.data.event.status.accepts_questions() { "No open questions — be the first to ask." }
                @else { "No open questions." }
            }
            // Always there, so that live updates have a list to add the first question to.
            // The public stream's frames carry rows for this list (`data-fragments`): the tab and
            // label say which belong here.
            ol.questions #questions data-live-list data-fragments data-event=(slug)
                data-tab=(view.tab.key()) data-label=[view.label] {
                @match view.personal {
                    Personal::Included => { @for listed in shown { (question_item(view, listed)) } },
                    Personal::Slots => (PreEscaped(ROWS_SLOT)),
                }
            }
        }
    }
}

pub(super) fn question_item(view: &EventPageView<'_>, listed: &ListedQuestion) -> Markup {
    let question = &listed.question;
    let slug = &view.data.event.slug;
    let action_url = format!("/e/{slug}/q/{}/vote", question.id);
    html! {
        li.question #{ "q-" (question.id) } .mine[listed.mine] {
            (vote_control(&VoteControl {
                action_url: &action_url,
                question_id: question.id,
                vote_count: question.vote_count,
                voted: listed.voted,
                enabled: view.data.event.status.accepts_questions(),
                csrf: view.csrf,
                sort: view.tab.key(),
            }))
            div.question-main {
                p.question-body {
                    @if question.on_screen { span.badge.on-screen { "on screen now" } " " }
                    (question.body)
                }
                p.meta {
                    (author(question.author_name.as_deref())) " · " (time_ago(question.created_at, view.now))
                    @if question.status == QuestionStatus::Answered { " · " (question_status_badge(question.status)) }
                    @if let Some(labels) = view.data.labels.get(&question.id) {
                        @for label in labels {
                            " " a.badge.label href=(view.href(view.tab, Some(label))) { (label) }
                        }
                    }
                    // One span, which live updates carry over into a fresh row.
                    @if listed.mine {
                        span.yours-marks {
                            " · " span.badge.yours { "your question" }
                            @if let Some(url) = view.my_follow_urls.get(&question.id) {
                                " · " a href=(url) { "follow" }
                            }
                        }
                    }
                }
                @if let Some(asked) = view.just_asked_about(question.id) { (just_asked_notice(asked)) }
                @if let Some(answer) = view.data.answers.get(&question.id) {
                    (answer_block(answer, view.data.event.recording_url.as_deref()))
                }
            }
        }
    }
}

/// Where a reader's own questions go: maud escapes `<` in every text and attribute it writes,
/// so nothing a user typed can produce these markers.
pub(super) const PERSONAL_SLOT: &str = "<!--faqtory:personal-->";
pub(super) const ROWS_SLOT: &str = "<!--faqtory:rows-->";

/// One reader's questions that the public does not see (nothing when there are none).
pub fn personal_part(view: &EventPageView<'_>, my_unlisted: &[Question]) -> Markup {
    html! {
        @if !my_unlisted.is_empty() { (my_unlisted_section(view, my_unlisted)) }
    }
}
