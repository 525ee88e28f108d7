//! The forms inside a dashboard row: one move (approve, reject, on screen…), the answer, the
//! text, the labels. Each comes back open with what was typed when it was refused.

use maud::{html, Markup};

use crate::db::questions::Question;
use crate::domain::RecordingOffset;
use crate::views::moderation::dashboard_view::DashboardView;

/// How a move's button looks: the one or two moves that matter in a tab stand out.
#[derive(Clone, Copy)]
pub enum Emphasis {
    Primary,
    Danger,
    Plain,
}

impl Emphasis {
    fn class(self) -> &'static str {
        match self {
            Emphasis::Primary => "primary",
            Emphasis::Danger => "danger",
            Emphasis::Plain => "secondary",
        }
    }
}

pub fn action_form(
    question: &Question,
    verb: &str,
    label: &str,
    emphasis: Emphasis,
    view: &DashboardView<'_>,
    back: &str,
) -> Markup {
    html! {
        form.inline method="post" action={ "/mod/q/" (question.id) "/" (verb) } {
            input type="hidden" name="csrf" value=(view.csrf);
            input type="hidden" name="back" value=(back);
            button class=(emphasis.class()) type="submit" { (label) }
        }
    }
}

/// Rejecting with a reason the asker is shown.
pub fn reject_with_reason_form(
    question: &Question,
    view: &DashboardView<'_>,
    back: &str,
) -> Markup {
    html! {
        form.inline method="post" action={ "/mod/q/" (question.id) "/reject" } {
            input type="hidden" name="csrf" value=(view.csrf);
            input type="hidden" name="back" value=(back);
            label.visually-hidden for={ "reason-" (question.id) } { "Reason for rejecting #" (question.id) }
            input id={ "reason-" (question.id) } type="text" name="reason" placeholder="reason (shown to the asker)";
            button.secondary type="submit" { "Reject with this reason" }
        }
    }
}

pub fn answer_form(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
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
        details.answer-form.action open[draft.is_some()] {
            summary { @if existing.is_some() { "Edit answer" } @else { "Answer" } }
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

pub fn edit_form(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
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

pub fn labels_form(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
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
