//! One question on the dashboard: its votes, text and labels on one compact row, the two or three
//! moves that matter in its tab as buttons, everything else behind "More".

use maud::{html, Markup};

use crate::app::docs::finding::DocSuggestion;
use crate::app::moderation::curation::ModeratorVotes;
use crate::db::questions::Question;
use crate::domain::{QuestionStatus, RecordingOffset};
use crate::views::components::{answer_html, author, label_badges};
use crate::views::moderation::dashboard_forms::{
    action_form, answer_form, edit_form, labels_form, reject_with_reason_form, Emphasis,
};
use crate::views::moderation::dashboard_view::DashboardView;
use crate::views::moderation::merge::{merge_form, merged_list};
use crate::views::time::time_ago;

pub fn question_row(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
    let mod_votes = view
        .dashboard
        .moderator_votes
        .get(&question.id)
        .copied()
        .unwrap_or_default();
    let merged_here = view.dashboard.merged.get(&question.id).map_or(0, Vec::len);
    html! {
        li.question #{ "q-" (question.id) } {
            @if question.status != QuestionStatus::Rejected {
                label.tick {
                    input type="checkbox" name="ids" value=(question.id) form="bulk-merge";
                    span.visually-hidden { "Tick #" (question.id) " to merge it" }
                }
            }
            div.votes-static title="public votes · moderator votes" {
                span.count data-live-votes { (question.vote_count) }
                span.unit { "votes" }
                @if mod_votes.count > 0 {
                    span.count.moderator { (mod_votes.count) " mod" }
                }
            }
            div.question-main {
                // A heading per question, so that screen-reader users can jump from one to the next.
                h3.question-body {
                    @if question.on_screen { span.badge.on-screen { "on screen now" } " " }
                    (question.body)
                }
                p.meta {
                    "#" (question.id) " · " (author(question.author_name.as_deref())) " · " (time_ago(question.created_at, view.now))
                    (label_badges(view.dashboard.labels.get(&question.id)))
                    @if view.dashboard.edits.contains_key(&question.id) { " · edited" }
                    @if merged_here > 0 { " · " (merged_here) " merged here" }
                    @if let Some(reason) = &question.reject_reason {
                        @if question.status == QuestionStatus::Rejected { " · reason: " (reason) }
                    }
                }
                (automated_votes_notice(question, view, back))
                @if let Some(doc) = view.in_the_docs.get(&question.id) {
                    (in_the_docs(question, doc, view, back))
                }
                @if let Some(answer) = view.dashboard.answers.get(&question.id) {
                    div.answer {
                        (answer_html(&answer.body_html))
                        p.meta {
                            @if answer.published { "published to the FAQ" } @else { "not published" }
                            @if let Some(at) = answer.recording_offset_secs.and_then(RecordingOffset::from_seconds) {
                                " · at " (at.display()) " in the recording"
                            }
                        }
                    }
                }
                div.row-actions {
                    (main_moves(question, view, back))
                    details.more open[more_has_a_refused_form(question, view)] {
                        summary { "More" span.visually-hidden { " for #" (question.id) } }
                        div.more-body { (other_moves(question, mod_votes, view, back)) }
                    }
                }
            }
        }
    }
}

/// Votes that look automated, said beside the count they are in, with the discount or its undo.
fn automated_votes_notice(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
    let Some(votes) = view.dashboard.automated_votes.get(&question.id) else {
        return html! {};
    };
    html! {
        @if votes.counted > 0 {
            // A div, not a p: a form inside a p would close it.
            div.automated-votes {
                span {
                    strong {
                        (votes.counted) @if votes.counted == 1 { " vote looks automated" } @else { " votes look automated" }
                    }
                    ": a burst from one network within a minute."
                }
                (action_form(question, "discount-automated", "Discount them", Emphasis::Plain, view, back))
            }
        }
        @if votes.discounted > 0 {
            div.automated-votes.discounted {
                span { (votes.discounted) @if votes.discounted == 1 { " automated vote discounted." } @else { " automated votes discounted." } }
                (action_form(question, "count-automated", "Count them again", Emphasis::Plain, view, back))
            }
        }
    }
}

/// What a moderator does most in each tab: Pending is approve or reject; Live is on screen,
/// answer, merge; Answered is the answer itself.
fn main_moves(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
    html! {
        @match question.status {
            QuestionStatus::Pending => {
                (action_form(question, "approve", "Approve", Emphasis::Primary, view, back))
                (action_form(question, "reject", "Reject", Emphasis::Danger, view, back))
            }
            QuestionStatus::Approved => {
                (on_screen_toggle(question, Emphasis::Primary, view, back))
                (answer_form(question, view, back))
                (merge_form(question, view, back))
            }
            QuestionStatus::Answered => {
                (answer_form(question, view, back))
                (action_form(question, "unanswer", "Take back the answer", Emphasis::Plain, view, back))
            }
            QuestionStatus::Rejected => {
                (action_form(question, "restore", "Undo rejection", Emphasis::Primary, view, back))
            }
            QuestionStatus::Merged => {}
        }
    }
}

fn on_screen_toggle(
    question: &Question,
    emphasis: Emphasis,
    view: &DashboardView<'_>,
    back: &str,
) -> Markup {
    if question.on_screen {
        action_form(
            question,
            "off-screen",
            "Take off screen",
            Emphasis::Plain,
            view,
            back,
        )
    } else {
        action_form(question, "on-screen", "Put on screen", emphasis, view, back)
    }
}

fn other_moves(
    question: &Question,
    mod_votes: ModeratorVotes,
    view: &DashboardView<'_>,
    back: &str,
) -> Markup {
    let open = matches!(
        question.status,
        QuestionStatus::Pending | QuestionStatus::Approved
    );
    html! {
        @if let Some(earlier) = view.dashboard.edits.get(&question.id) {
            details.earlier {
                summary { "Earlier texts" }
                ul { @for (body, at) in earlier { li { (body) " " span.meta { "(replaced " (time_ago(*at, view.now)) ")" } } } }
            }
        }
        div.moves {
            @if open {
                @if mod_votes.mine {
                    (action_form(question, "mod-unvote", "Withdraw my moderator vote", Emphasis::Plain, view, back))
                } @else {
                    (action_form(question, "mod-vote", "Moderator vote", Emphasis::Plain, view, back))
                }
            }
            @if question.status == QuestionStatus::Answered {
                (on_screen_toggle(question, Emphasis::Plain, view, back))
            }
        }
        @if question.status == QuestionStatus::Pending {
            (answer_form(question, view, back))
            (merge_form(question, view, back))
        }
        @if question.status == QuestionStatus::Answered {
            (merge_form(question, view, back))
        }
        (edit_form(question, view, back))
        (labels_form(question, view, back))
        (merged_list(question, view, back))
        @if open {
            // Loaded when opened (by the script); without it, the link opens the page.
            details.duplicates data-load={ "/mod/q/" (question.id) "/duplicates" } {
                summary { "Likely duplicates" }
                div.loaded { a href={ "/mod/q/" (question.id) "/duplicates" } { "See the likely duplicates of #" (question.id) } }
            }
        }
        @if question.status.can_reject() {
            (reject_with_reason_form(question, view, back))
        }
    }
}

/// "In the docs: Page › Section", with the answer it would make one press away.
fn in_the_docs(
    question: &Question,
    doc: &DocSuggestion,
    view: &DashboardView<'_>,
    back: &str,
) -> Markup {
    html! {
        div.in-the-docs {
            span.meta { "In the docs: " }
            a href=(doc.section.url) rel="noopener" target="_blank" { (doc.section.title) }
            form.inline method="post" action={ "/mod/q/" (question.id) "/answer-with-doc" } {
                input type="hidden" name="csrf" value=(view.csrf);
                input type="hidden" name="back" value=(back);
                input type="hidden" name="section" value=(doc.section.id);
                button.secondary type="submit" title="Answers with a link to the section and a short quote of it, published to the FAQ" { "Answer with this section" }
            }
        }
    }
}

/// A form behind "More" that came back refused must be seen with its message.
fn more_has_a_refused_form(question: &Question, view: &DashboardView<'_>) -> bool {
    let id = question.id;
    let refused_answer_inside = question.status == QuestionStatus::Pending
        && view
            .draft
            .as_ref()
            .is_some_and(|draft| draft.question_id == id);
    let refused_merge_inside = !matches!(question.status, QuestionStatus::Approved)
        && view
            .merge_draft
            .is_some_and(|(draft_id, _, _)| draft_id == id);
    refused_answer_inside
        || refused_merge_inside
        || view
            .edit_draft
            .as_ref()
            .is_some_and(|draft| draft.question_id == id)
        || view
            .labels_draft
            .is_some_and(|(draft_id, _, _)| draft_id == id)
}
