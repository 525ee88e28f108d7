//! The curation dashboard of one event: tabs by status with counts, and per question the moves
//! its status allows. Plain forms, so it all works without JavaScript.

use chrono::NaiveDateTime;
use maud::{html, Markup, PreEscaped};

use super::components::{author, event_heading, label_badges};
use super::layout::{page, PageMeta};
use super::merge::{bulk_merge_form, merge_form, merge_targets, merged_list};
use super::time::time_ago;
use crate::app::curation::{Dashboard, TABS};
use crate::db::questions::Question;
use crate::domain::{QuestionStatus, RecordingOffset};

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
    pub csrf: &'a str,
    pub error: Option<&'a str>,
    pub draft: Option<AnswerDraft<'a>>,
    pub edit_draft: Option<EditDraft<'a>>,
    /// Labels as typed for one question, with why they were refused.
    pub labels_draft: Option<(i64, &'a str, &'a str)>,
    /// A refused merge: the question, the target as typed, why.
    pub merge_draft: Option<(i64, &'a str, &'a str)>,
    pub now: NaiveDateTime,
    pub public_base: &'a str,
}

pub fn dashboard_page(view: &DashboardView<'_>) -> Markup {
    let dashboard = view.dashboard;
    let event = &dashboard.event;
    let back = format!(
        "/mod/e/{}?tab={}&sort={}",
        event.slug, dashboard.tab, dashboard.sort
    );
    page(
        &PageMeta {
            title: &format!("Moderate: {}", event.title),
            description: "Curate the questions of this event.",
            url: view.public_base,
        },
        html! {
            p { a href="/mod" { "← Moderation" } " · " a href={ "/e/" (event.slug) } { "public page" } " · " a href={ "/mod/e/" (event.slug) "/settings" } { "settings" } " · " a href={ "/mod/e/" (event.slug) "/duplicates" } { "duplicates" } }
            (event_heading(event, view.now))
            @if let Some(message) = view.error {
                p.form-error role="alert" { (message) }
            }
            nav.tabs #tabs data-live-part aria-label="Questions by status" {
                @for (name, status) in TABS {
                    @let count = dashboard.counts.get(&status).copied().unwrap_or(0);
                    a href={ "/mod/e/" (event.slug) "?tab=" (name) }
                        aria-current=[(dashboard.tab == name).then_some("page")] {
                        (tab_label(name)) " " span.count { (count) }
                    }
                }
            }
            @if dashboard.tab == "live" || dashboard.tab == "pending" {
                nav.sort aria-label="Sort" {
                    @for (key, label) in [("votes", "Public votes"), ("moderators", "Moderator votes")] {
                        a href={ "/mod/e/" (event.slug) "?tab=" (dashboard.tab) "&sort=" (key) }
                            aria-current=[(dashboard.sort == key).then_some("page")] { (label) }
                    }
                }
            }
            p.empty #no-questions data-live-part hidden[!dashboard.questions.is_empty()] { (empty_message(dashboard.tab)) }
            @if !dashboard.questions.is_empty() && dashboard.tab != "rejected" {
                (bulk_merge_form(view, &back)) (merge_targets(view))
            }
            // Always there, so that live updates have a list to add the first question to.
            ol.questions.moderation #questions data-live-list
                data-live={ "/mod/live/e/" (event.slug) } {
                @for question in &dashboard.questions {
                    (question_row(question, view, &back))
                }
            }
        },
    )
}

fn tab_label(name: &str) -> &'static str {
    match name {
        "pending" => "Pending",
        "live" => "Live",
        "answered" => "Answered",
        _ => "Rejected",
    }
}

fn empty_message(tab: &str) -> &'static str {
    match tab {
        "pending" => "Nothing waits for approval.",
        "live" => "No approved questions yet.",
        "answered" => "Nothing answered yet.",
        _ => "Nothing rejected.",
    }
}

fn action_form(
    question: &Question,
    verb: &str,
    label: &str,
    view: &DashboardView<'_>,
    back: &str,
) -> Markup {
    html! {
        form.inline method="post" action={ "/mod/q/" (question.id) "/" (verb) } {
            input type="hidden" name="csrf" value=(view.csrf);
            input type="hidden" name="back" value=(back);
            button.secondary type="submit" { (label) }
        }
    }
}

fn answer_form(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
    let existing = view.dashboard.answers.get(&question.id);
    let draft = view
        .draft
        .as_ref()
        .filter(|draft| draft.question_id == question.id);
    let markdown = draft
        .map(|draft| draft.markdown.to_owned())
        .or_else(|| existing.map(|answer| answer.body_md.clone()))
        .unwrap_or_default();
    let offset = draft
        .map(|draft| draft.offset.to_owned())
        .unwrap_or_else(|| {
            existing
                .and_then(|answer| answer.recording_offset_secs)
                .and_then(RecordingOffset::from_seconds)
                .map(RecordingOffset::display)
                .unwrap_or_default()
        });
    let publish = draft
        .map(|draft| draft.publish)
        .or_else(|| existing.map(|answer| answer.published))
        .unwrap_or(true);
    let error_for = |field: &str| {
        draft
            .filter(|draft| draft.field == field)
            .map(|draft| draft.message)
    };
    let id = question.id;
    html! {
        details.answer-form open[draft.is_some()] {
            summary { @if existing.is_some() { "Edit the answer" } @else { "Answer" } }
            form method="post" action={ "/mod/q/" (id) "/answer" } {
                input type="hidden" name="csrf" value=(view.csrf);
                input type="hidden" name="back" value=(back);
                div.field {
                    label for={ "answer-" (id) } { "Answer (Markdown)" }
                    textarea id={ "answer-" (id) } name="answer_md" rows="4"
                        aria-invalid=(if error_for("answer_md").is_some() { "true" } else { "false" }) { (markdown) }
                    @if let Some(message) = error_for("answer_md") { p.field-error role="alert" { (message) } }
                }
                div.field {
                    label for={ "offset-" (id) } { "Moment in the recording " span.optional { "(1:23:45, 83:10 or seconds)" } }
                    input id={ "offset-" (id) } type="text" name="recording_offset" value=(offset) inputmode="numeric"
                        aria-invalid=(if error_for("recording_offset").is_some() { "true" } else { "false" });
                    @if let Some(message) = error_for("recording_offset") { p.field-error role="alert" { (message) } }
                }
                div.field {
                    label { input type="checkbox" name="publish" value="on" checked[publish]; " Publish to the FAQ" }
                }
                button.primary type="submit" { "Save answer" }
            }
        }
    }
}

fn edit_form(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
    let draft = view
        .edit_draft
        .as_ref()
        .filter(|draft| draft.question_id == question.id);
    let body = draft.map_or(question.body.as_str(), |draft| draft.body);
    html! {
        details.answer-form open[draft.is_some()] {
            summary { "Edit the text" }
            form method="post" action={ "/mod/q/" (question.id) "/edit" } {
                input type="hidden" name="csrf" value=(view.csrf);
                input type="hidden" name="back" value=(back);
                div.field {
                    label for={ "edit-" (question.id) } { "Question (the original is kept)" }
                    textarea id={ "edit-" (question.id) } name="body" rows="3"
                        aria-invalid=(if draft.is_some() { "true" } else { "false" }) { (body) }
                    @if let Some(draft) = draft { p.field-error role="alert" { (draft.message) } }
                }
                button.secondary type="submit" { "Save the text" }
            }
        }
    }
}

fn labels_form(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
    let draft = view.labels_draft.filter(|(id, _, _)| *id == question.id);
    let current = match draft {
        Some((_, typed, _)) => typed.to_owned(),
        None => view
            .dashboard
            .labels
            .get(&question.id)
            .map(|labels| labels.join(", "))
            .unwrap_or_default(),
    };
    html! {
        @if let Some((_, _, message)) = draft { p.field-error role="alert" { (message) } }
        form.inline.labels method="post" action={ "/mod/q/" (question.id) "/labels" } {
            input type="hidden" name="csrf" value=(view.csrf);
            input type="hidden" name="back" value=(back);
            label.visually-hidden for={ "labels-" (question.id) } { "Labels of #" (question.id) }
            input id={ "labels-" (question.id) } type="text" name="labels" value=(current)
                placeholder="labels, comma-separated" aria-invalid=(if draft.is_some() { "true" } else { "false" });
            button.secondary type="submit" { "Set labels" }
        }
    }
}

fn question_row(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
    html! {
        li.question #{ "q-" (question.id) } {
            @if question.status != QuestionStatus::Rejected {
                label.tick {
                    input type="checkbox" name="ids" value=(question.id) form="bulk-merge";
                    span.visually-hidden { "Tick #" (question.id) " to merge it" }
                }
            }
            @let mod_votes = view.dashboard.moderator_votes.get(&question.id).copied().unwrap_or_default();
            div.votes-static {
                span.count data-live-votes { (question.vote_count) }
                span.unit { "votes" }
                span.count.moderator { (mod_votes.count) }
                span.unit { "mod" }
            }
            div.question-main {
                p.question-body {
                    @if question.on_screen { span.badge.on-screen { "on screen now" } " " }
                    (question.body)
                }
                @if let Some(earlier) = view.dashboard.edits.get(&question.id) {
                    details.earlier {
                        summary { "Edited · earlier texts" }
                        ul { @for (body, at) in earlier { li { (body) " " span.meta { "(replaced " (time_ago(*at, view.now)) ")" } } } }
                    }
                }
                p.meta {
                    (label_badges(view.dashboard.labels.get(&question.id))) " "
                    "#" (question.id) " · " (author(question.author_name.as_deref())) " · " (time_ago(question.created_at, view.now))
                    @if let Some(reason) = &question.reject_reason {
                        @if question.status == QuestionStatus::Rejected { " · reason: " (reason) }
                    }
                }
                @if let Some(answer) = view.dashboard.answers.get(&question.id) {
                    div.answer {
                        (PreEscaped(&answer.body_html))
                        p.meta {
                            @if answer.published { "published to the FAQ" } @else { "not published" }
                            @if let Some(at) = answer.recording_offset_secs.and_then(RecordingOffset::from_seconds) {
                                " · at " (at.display()) " in the recording"
                            }
                        }
                    }
                }
                @if matches!(question.status, QuestionStatus::Pending | QuestionStatus::Approved | QuestionStatus::Answered) {
                    (answer_form(question, view, back))
                }
                (edit_form(question, view, back))
                (labels_form(question, view, back))
                (merged_list(question, view, back))
                @if matches!(question.status, QuestionStatus::Pending | QuestionStatus::Approved) {
                    // Loaded when opened (by the script); without it, the link opens the page.
                    details.duplicates data-load={ "/mod/q/" (question.id) "/duplicates" } {
                        summary { "Likely duplicates" }
                        div.loaded { a href={ "/mod/q/" (question.id) "/duplicates" } { "See the likely duplicates of #" (question.id) } }
                    }
                }
                @if matches!(question.status, QuestionStatus::Pending | QuestionStatus::Approved | QuestionStatus::Answered) {
                    (merge_form(question, view, back))
                }
                div.moves {
                    @if question.status.can_approve() && question.status != QuestionStatus::Rejected {
                        (action_form(question, "approve", "Approve", view, back))
                    }
                    @if question.status == QuestionStatus::Rejected {
                        (action_form(question, "restore", "Undo rejection", view, back))
                    }
                    @if question.status == QuestionStatus::Answered {
                        (action_form(question, "unanswer", "Take back the answer", view, back))
                    }
                    @if matches!(question.status, QuestionStatus::Pending | QuestionStatus::Approved) {
                        @if mod_votes.mine {
                            (action_form(question, "mod-unvote", "Withdraw my moderator vote", view, back))
                        } @else {
                            (action_form(question, "mod-vote", "Moderator vote", view, back))
                        }
                    }
                    @if question.status.is_listed() {
                        @if question.on_screen {
                            (action_form(question, "off-screen", "Take off screen", view, back))
                        } @else {
                            (action_form(question, "on-screen", "Put on screen", view, back))
                        }
                    }
                    @if question.status.can_reject() {
                        form.inline method="post" action={ "/mod/q/" (question.id) "/reject" } {
                            input type="hidden" name="csrf" value=(view.csrf);
                            input type="hidden" name="back" value=(back);
                            label.visually-hidden for={ "reason-" (question.id) } { "Reason for rejecting #" (question.id) }
                            input id={ "reason-" (question.id) } type="text" name="reason" placeholder="reason (shown to the asker)";
                            button.secondary type="submit" { "Reject" }
                        }
                    }
                }
            }
        }
    }
}
