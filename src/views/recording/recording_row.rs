//! One question's row on the recording's review page: its proposed moment (movable), what was
//! said there with the part the draft is made from highlighted, and the answer to accept.

use maud::{html, Markup};

use crate::app::recording::proposals::{Proposal, Source};
use crate::app::recording::review::ReviewRow;
use crate::domain::{QuestionStatus, RecordingOffset};
use crate::transcript::Cue;
use crate::views::recording::recording_view::{duration, RecordingView};

pub(super) fn review_row(view: &RecordingView<'_>, row: &ReviewRow, next: Option<i64>) -> Markup {
    let question = &row.question;
    let refused = view
        .refused
        .row
        .as_ref()
        .filter(|values| values.question_id == question.id);
    let proposed_at = row
        .proposal
        .as_ref()
        .map(|proposal| (proposal.at_ms / 1000) as u32);
    let answered_at = row
        .answer
        .as_ref()
        .and_then(|answer| answer.recording_offset_secs)
        .and_then(|secs| u32::try_from(secs).ok());
    let moved = row
        .proposal
        .as_ref()
        .is_some_and(|proposal| proposal.source == Source::Chosen);
    let at = refused.map(|values| values.at.clone()).unwrap_or_else(|| {
        let secs = if moved {
            proposed_at
        } else {
            answered_at.or(proposed_at)
        };
        secs.map(clock).unwrap_or_default()
    });
    let draft_md = row
        .proposal
        .as_ref()
        .map(|proposal| proposal.draft.markdown())
        .unwrap_or_default();
    let answer_md = refused
        .map(|values| values.answer_md.clone())
        .unwrap_or_else(|| {
            row.answer
                .as_ref()
                .map(|answer| answer.body_md.clone())
                .unwrap_or_else(|| draft_md.clone())
        });
    let recording_url = view.review.event.recording_url.as_deref();
    let form_id = format!("accept-{}", question.id);
    let move_action = format!("/mod/q/{}/recording/moment#q-{}", question.id, question.id);
    html! {
        li.review-row #{ "q-" (question.id) } {
            h3.question-body { (question.body) }
            p.meta {
                "#" (question.id)
                @if question.status == QuestionStatus::Answered { " · answered" }
                @match &row.proposal {
                    Some(proposal) => {
                        @if moved { " · moved to " } @else { " · proposed at " }
                        (moment_link(proposal.at_ms, recording_url))
                        " · "
                        @match proposal.source {
                            Source::OnScreen => "on screen then",
                            Source::Transcript => "found in the transcript",
                            Source::Chosen => "not saved until you accept",
                        }
                        @if !moved {
                            " · " (format!("{:.0}", proposal.confidence * 100.0)) "% sure"
                        }
                    }
                    None => " · no moment found: give one",
                }
            }
            @if let (Some(saved), Some(proposed)) = (answered_at, proposed_at) {
                @if saved != proposed && !moved {
                    p.moment-note {
                        "The answer links to " strong { (clock(saved)) } ", the moment saved with it: that one counts. "
                        "The transcript suggests " (clock(proposed)) "; to use it, put it in the field and save."
                    }
                }
            }
            @if let Some(proposal) = &row.proposal {
                (said_section(view, proposal, &form_id, &move_action, moved))
            }
            form.accept #(form_id) method="post" action={ "/mod/q/" (question.id) "/recording/accept" } {
                input type="hidden" name="csrf" value=(view.csrf);
                input type="hidden" name="draft_was" value=(draft_md);
                // Enter in the moment field accepts, as it always did: the form's first submit
                // button is its default, and the nudges come before the visible Accept.
                button.visually-hidden type="submit" tabindex="-1" aria-hidden="true" { "Accept" }
                div.moment-field {
                    label for={ "at-" (question.id) } { "Moment" }
                    div.nudges {
                        button.secondary.nudge type="submit" formaction=(move_action) name="move" value="-10"
                            title="Move the moment 10 seconds earlier" { "−10 s" }
                        input id={ "at-" (question.id) } type="text" name="at" value=(at) placeholder="12:34" inputmode="numeric";
                        button.secondary.nudge type="submit" formaction=(move_action) name="move" value="+10"
                            title="Move the moment 10 seconds later" { "+10 s" }
                    }
                }
                @if let Some(speakers) = several_speakers(row) {
                    p.notice.draft-speakers {
                        "This draft holds what " (speakers) " people said: read it through before you publish, and keep only the answer."
                    }
                }
                label for={ "answer-" (question.id) } { "Answer (Markdown)" }
                textarea id={ "answer-" (question.id) } name="answer_md" rows="5" { (answer_md) }
                @if let Some(message) = refused.and_then(|values| values.message.as_deref()) {
                    p.field-error role="alert" { (message) }
                }
                div.moves {
                    @if row.answer.is_some() {
                        button.secondary type="submit" { "Save" }
                    } @else {
                        button.primary type="submit" { "Accept" }
                    }
                    @if let Some(next) = next {
                        a.skip-link href={ "#q-" (next) } { "Skip" }
                    }
                }
            }
            @if question.status == QuestionStatus::Answered {
                form.inline.take-back method="post" action={ "/mod/q/" (question.id) "/unanswer" } {
                    input type="hidden" name="csrf" value=(view.csrf);
                    input type="hidden" name="back" value={ "/mod/e/" (view.review.event.slug) "/recording" };
                    button.secondary type="submit" { "Take the answer back" }
                }
            }
        }
    }
}

/// How many people the draft quotes, when that is more than one and the draft is what the
/// answer field holds.
fn several_speakers(row: &ReviewRow) -> Option<usize> {
    let speakers = row.proposal.as_ref()?.draft.speaker_count();
    (speakers > 1 && row.answer.is_none()).then_some(speakers)
}

fn clock(secs: u32) -> String {
    RecordingOffset::from_seconds(i32::try_from(secs).unwrap_or(i32::MAX))
        .map_or_else(String::new, RecordingOffset::display)
}

/// Cues shown before a passage, so that a moment proposed a little late can be moved back.
const CUES_BEFORE: usize = 2;
/// At most this many cues of a passage are listed.
const CUES_SHOWN: usize = 40;

/// What was said around the moment: each cue with its time (a button that starts the answer
/// there), the cues the draft was read from highlighted.
fn said_section(
    view: &RecordingView<'_>,
    proposal: &Proposal,
    form_id: &str,
    move_action: &str,
    open: bool,
) -> Markup {
    let cues = &view.review.cues;
    let used = &proposal.draft.cues;
    let first = used.start.saturating_sub(CUES_BEFORE);
    let shown: Vec<(usize, &Cue)> = cues
        .iter()
        .enumerate()
        .skip(first)
        .take_while(|(position, cue)| *position < used.end || cue.start_ms < proposal.end_ms)
        .take(CUES_SHOWN)
        .collect();
    html! {
        @if !shown.is_empty() {
            details.said open[open] {
                summary { "What was said (" (duration(proposal.at_ms)) " – " (duration(proposal.end_ms)) ")" }
                p.meta { "Highlighted: what the draft is made from. Press a time to start the answer there." }
                ol.cues {
                    @for (position, cue) in shown {
                        li.used[used.contains(&position)] {
                            button.cue-time type="submit" form=(form_id) formaction=(move_action)
                                name="start" value=(cue.start_ms)
                                aria-label={ "Start the answer at " (duration(cue.start_ms)) } {
                                (duration(cue.start_ms))
                            }
                            " "
                            @if let Some(speaker) = &cue.speaker { strong { (speaker) ": " } }
                            @if used.contains(&position) { mark { (cue.text) } } @else { (cue.text) }
                        }
                    }
                }
            }
        }
    }
}

/// `12:34`, as a link into the recording when there is one.
fn moment_link(at_ms: i64, recording_url: Option<&str>) -> Markup {
    let Some(offset) = RecordingOffset::from_seconds((at_ms / 1000) as i32) else {
        return html! {};
    };
    match recording_url.and_then(|url| offset.link(url)) {
        Some(link) => html! { a href=(link) rel="noopener" target="_blank" { (offset.display()) } },
        None => html! { (offset.display()) },
    }
}
