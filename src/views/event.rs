use std::collections::HashMap;

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::components::{
    answer_block, author, event_heading, label_badges, question_status_badge, vote_control,
    VoteControl,
};
use super::layout::{page, PageMeta};
use super::time::time_ago;
use crate::app::event_page::{EventQuestions, ListedQuestion};
use crate::app::similar::Suggestion;
use crate::domain::{DisplayName, QuestionBody, QuestionStatus};

/// What the ask form shows: the text as the asker typed it, and what was wrong with it.
#[derive(Debug, Default, Clone)]
pub struct AskForm {
    pub body: String,
    pub author_name: String,
    /// A message for one field (`body` or `author_name`).
    pub field_error: Option<(&'static str, String)>,
    /// A message for the whole form (expired form, rate limit, closed event).
    pub form_error: Option<String>,
    /// Questions like this one, shown before it is sent (without JavaScript, on submit).
    pub similar: Vec<Suggestion>,
}

impl AskForm {
    fn error_for(&self, field: &str) -> Option<&str> {
        match &self.field_error {
            Some((name, message)) if *name == field => Some(message),
            _ => None,
        }
    }
}

/// Shown once, right after asking.
pub struct JustAsked {
    pub status: QuestionStatus,
    pub follow_url: String,
}

pub struct EventPageView<'a> {
    pub data: &'a EventQuestions,
    pub sort: &'a str,
    pub csrf: &'a str,
    pub form: &'a AskForm,
    pub just_asked: Option<JustAsked>,
    /// Follow links of this browser's own questions, by question id.
    pub my_follow_urls: &'a HashMap<i64, String>,
    pub now: NaiveDateTime,
    pub page_url: &'a str,
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
            url: view.page_url,
        },
        html! {
            (event_heading(event, view.now))
            @if let Some(asked) = &view.just_asked { (just_asked_notice(asked)) }
            @if event.status.accepts_questions() {
                (ask_form(view))
            } @else {
                section.notice {
                    p { "This event is " (event.status) " and no longer takes questions or votes." }
                    @if !view.form.body.is_empty() {
                        p { "Your question was not sent. Here is your text, so you can keep it:" }
                        blockquote.kept-text { (view.form.body) }
                    }
                }
            }
            @if !view.data.my_unlisted.is_empty() { (my_unlisted(view)) }
            (question_list(view))
        },
    )
}

fn just_asked_notice(asked: &JustAsked) -> Markup {
    html! {
        section.notice.success role="status" {
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

fn ask_form(view: &EventPageView<'_>) -> Markup {
    let form = view.form;
    let slug = &view.data.event.slug;
    let body_error = form.error_for("body");
    let name_error = form.error_for("author_name");
    html! {
        section.ask aria-labelledby="ask-heading" {
            h2 #ask-heading { "Ask a question" }
            @if let Some(message) = &form.form_error {
                p.form-error role="alert" { (message) }
            }
            form method="post" action={ "/e/" (slug) "/ask" } novalidate {
                input type="hidden" name="csrf" value=(view.csrf);
                div.field {
                    label for="ask-body" { "Your question" }
                    textarea #ask-body name="body" rows="3" required
                        aria-invalid=(if body_error.is_some() { "true" } else { "false" })
                        aria-describedby="ask-body-help"
                        placeholder="What would you like to ask?" { (form.body) }
                    @if let Some(message) = body_error {
                        p.field-error #ask-body-help role="alert" { (message) }
                    } @else {
                        p.help #ask-body-help { (QuestionBody::MIN_CHARS) " to " (QuestionBody::MAX_CHARS) " characters." }
                    }
                }
                div.field {
                    label for="ask-name" { "Your name " span.optional { "(optional)" } }
                    input #ask-name type="text" name="author_name" value=(form.author_name)
                        autocomplete="nickname"
                        aria-invalid=(if name_error.is_some() { "true" } else { "false" })
                        aria-describedby="ask-name-help";
                    @if let Some(message) = name_error {
                        p.field-error #ask-name-help role="alert" { (message) }
                    } @else {
                        p.help #ask-name-help { "Leave empty to ask anonymously. At most " (DisplayName::MAX_CHARS) " characters." }
                    }
                }
                // A field people never see; bots that fill every field give themselves away.
                div.honeypot aria-hidden="true" {
                    label for="ask-website" { "Website" }
                    input #ask-website type="text" name="website" tabindex="-1" autocomplete="off";
                }
                @if form.similar.is_empty() {
                    div #similar-live aria-live="polite" {}
                    button.primary type="submit" { "Ask" }
                } @else {
                    (similar_box(&form.similar))
                    input type="hidden" name="anyway" value="1";
                    button.primary type="submit" { "Submit mine anyway" }
                }
            }
            (similar_upvote_forms(slug, &form.similar, view.csrf))
        }
    }
}

/// "These look similar": upvote one instead, or read its answer. Each upvote is its own form,
/// outside the ask form (forms do not nest), tied to it by the `form` attribute.
fn similar_box(similar: &[Suggestion]) -> Markup {
    html! {
        div.similar role="region" aria-labelledby="similar-heading" {
            p #similar-heading { strong { "These look similar" } " — upvote one, or submit yours anyway." }
            ul {
                @for other in similar {
                    li {
                        span.question-body { (other.body) }
                        " " span.meta { (other.vote_count) @if other.vote_count == 1 { " vote" } @else { " votes" } }
                        " "
                        @if other.answered {
                            a href=(other.url) { "Read the answer" }
                        } @else {
                            button.secondary type="submit" form={ "upvote-" (other.id) } { "Upvote this one" }
                        }
                    }
                }
            }
        }
    }
}

/// The forms the "Upvote this one" buttons submit, placed after the ask form.
fn similar_upvote_forms(slug: &str, similar: &[Suggestion], csrf: &str) -> Markup {
    html! {
        @for other in similar.iter().filter(|other| !other.answered) {
            form #{ "upvote-" (other.id) } method="post" action={ "/e/" (slug) "/q/" (other.id) "/vote" } hidden {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="action" value="up";
            }
        }
    }
}

fn my_unlisted(view: &EventPageView<'_>) -> Markup {
    html! {
        section.mine aria-labelledby="mine-heading" {
            h2 #mine-heading { "Your questions not in the list" }
            ul.questions {
                @for question in &view.data.my_unlisted {
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
                        }
                    }
                }
            }
        }
    }
}

fn question_list(view: &EventPageView<'_>) -> Markup {
    let slug = &view.data.event.slug;
    let count = view.data.listed.len();
    html! {
        section.list aria-labelledby="list-heading" data-live={ "/live/e/" (slug) } {
            div.list-header {
                h2 #list-heading data-live-part { (count) @if count == 1 { " question" } @else { " questions" } }
                nav.sort aria-label="Sort questions" {
                    @for (key, label) in [("top", "Top"), ("new", "New")] {
                        a href={ "/e/" (slug) "?sort=" (key) }
                            aria-current=[(view.sort == key).then_some("page")] { (label) }
                    }
                }
            }
            p.meta.moderation-summary #moderation-summary data-live-part
                hidden[view.data.awaiting_moderation == 0 && view.data.rejected == 0] {
                (view.data.awaiting_moderation) " awaiting moderation · "
                (view.data.rejected) " not accepted"
            }
            p.empty #no-questions data-live-part hidden[!view.data.listed.is_empty()] {
                "No questions yet — be the first to ask."
            }
            // Always there, so that live updates have a list to add the first question to.
            ol.questions #questions data-live-list data-event=(slug) {
                @for listed in &view.data.listed { (question_item(view, listed)) }
            }
        }
    }
}

fn question_item(view: &EventPageView<'_>, listed: &ListedQuestion) -> Markup {
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
                sort: view.sort,
            }))
            div.question-main {
                p.question-body {
                    @if question.on_screen { span.badge.on-screen { "on screen now" } " " }
                    (question.body)
                }
                p.meta {
                    (author(question.author_name.as_deref())) " · " (time_ago(question.created_at, view.now))
                    @if question.status == QuestionStatus::Answered { " · " (question_status_badge(question.status)) }
                    (label_badges(view.data.labels.get(&question.id)))
                    @if listed.mine {
                        " · " span.badge.yours { "your question" }
                        @if let Some(url) = view.my_follow_urls.get(&question.id) {
                            " · " a href=(url) { "follow" }
                        }
                    }
                }
                @if let Some(answer) = view.data.answers.get(&question.id) {
                    (answer_block(answer, view.data.event.recording_url.as_deref()))
                }
            }
        }
    }
}
