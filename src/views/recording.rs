//! `/mod/e/{slug}/recording`: after the call, the transcript in, the recording lined up, and one
//! row per question with its proposed moment and draft answer to accept, correct or skip.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::layout::{wide_page, PageMeta};
use super::time::time_ago;
use crate::app::recording::{Proposal, Source};
use crate::app::recording_review::{Review, ReviewRow};
use crate::domain::{QuestionStatus, RecordingOffset};
use crate::transcript::Cue;

/// What a refused form held, shown again with its message where it was typed.
#[derive(Default)]
pub struct Refused {
    pub transcript: Option<String>,
    pub timeline: Option<TimelineValues>,
    pub row: Option<RowValues>,
}

pub struct TimelineValues {
    pub started_at: String,
    pub question_id: String,
    pub at: String,
    pub message: String,
}

pub struct RowValues {
    pub question_id: i64,
    pub at: String,
    pub answer_md: String,
    /// Why the form was refused; none when the row is only shown again (a moved moment).
    pub message: Option<String>,
}

pub struct RecordingView<'a> {
    pub review: &'a Review,
    pub csrf: &'a str,
    pub now: NaiveDateTime,
    pub public_base: &'a str,
    /// Said once after a move: "Imported 412 cues", "Accepted 7 answers".
    pub notice: Option<String>,
    pub refused: Refused,
}

pub fn recording_page(view: &RecordingView<'_>) -> Markup {
    let event = &view.review.event;
    let title = format!("Recording: {}", event.title);
    wide_page(
        &PageMeta {
            title: &title,
            description: "Turn the call's recording into written answers.",
            url: view.public_base,
        },
        html! {
            p { a href={ "/mod/e/" (event.slug) } { "← Dashboard" } }
            h1 { (title) }
            @if let Some(notice) = &view.notice {
                p.notice.success role="status" { (notice) }
            }
            div.recording-setup {
                (transcript_section(view))
                (timeline_section(view))
            }
            (rows_section(view))
        },
    )
}

fn transcript_section(view: &RecordingView<'_>) -> Markup {
    let slug = &view.review.event.slug;
    let error = view.refused.transcript.as_deref();
    html! {
        section.notice #transcript {
            h2 { "Transcript" }
            @match &view.review.transcript {
                Some(transcript) => p {
                    (transcript.cue_count) " cues, " (duration(transcript.duration_ms)) " long ("
                    @match transcript.format.as_str() { "srt" => "SRT", "text" => "text with time stamps", _ => "WebVTT" }
                    "), brought in " (time_ago(transcript.imported_at, view.now)) "."
                },
                None => p { "None yet. Upload the captions of the recording (WebVTT, as YouTube, Jitsi or Zoom export them, or SRT), or a text with a time stamp like [00:12:34] before each turn." },
            }
            @if let (Some(_), Some((done, total))) = (&view.review.transcript, view.review.read_by_meaning) {
                @if done < total {
                    p #meaning-progress data-progress-url={ "/api/v1/events/" (slug) "/transcript/meaning" } {
                        label for="meaning-bar" { "Reading it by meaning: " }
                        progress #meaning-bar value=(done) max=(total) {}
                        " " span.progress-count { (done) " of " (total) " cues" } ". "
                        "Until it is done, the proposals below match by words. "
                        span.progress-next hidden {
                            "Done: " a href={ "/mod/e/" (slug) "/recording" } { "reload for proposals by meaning" } "."
                        }
                    }
                } @else {
                    p.meta { "Proposals match by words and by meaning." }
                }
            }
            form method="post" enctype="multipart/form-data" action={ "/mod/e/" (slug) "/recording/transcript" } {
                input type="hidden" name="csrf" value=(view.csrf);
                label for="transcript-file" { "Captions file (.vtt, .srt or .txt)" }
                input #transcript-file type="file" name="file" accept=".vtt,.srt,.txt,text/vtt,text/plain" required
                    aria-describedby=[error.map(|_| "transcript-error")];
                @if let Some(message) = error {
                    p.field-error #transcript-error role="alert" { (message) }
                }
                button.primary type="submit" {
                    @if view.review.transcript.is_some() { "Replace the transcript" } @else { "Bring in the transcript" }
                }
            }
        }
    }
}

fn timeline_section(view: &RecordingView<'_>) -> Markup {
    let review = view.review;
    let refused = view.refused.timeline.as_ref();
    let started = review
        .event
        .recording_started_at
        .map(|at| at.format("%Y-%m-%dT%H:%M:%S").to_string())
        .unwrap_or_default();
    html! {
        section.notice #timeline {
            h2 { "Timeline" }
            @match review.event.recording_started_at {
                Some(at) => p { "The recording started at " (at.format("%Y-%m-%d %H:%M:%S")) " UTC: questions put on screen get their exact moment." },
                None => p { "Unknown: say when the recording started, or when one question came on screen in it, and the questions put on screen during the call get their exact moment." },
            }
            form method="post" action={ "/mod/e/" (review.event.slug) "/recording/timeline" } {
                input type="hidden" name="csrf" value=(view.csrf);
                label for="started-at" { "The recording started at (UTC)" }
                input #started-at type="datetime-local" step="1" name="started_at"
                    value=(refused.map_or(started.as_str(), |values| values.started_at.as_str()));
                @if !review.shown.is_empty() {
                    p.meta { "or" }
                    label for="sync-question" { "Question" }
                    select #sync-question name="question_id" {
                        option value="" { "—" }
                        @for (id, text) in &review.shown {
                            option value=(id) selected[refused.is_some_and(|values| values.question_id == id.to_string())] {
                                "#" (id) " " (shortened(text))
                            }
                        }
                    }
                    label for="sync-at" { "came on screen at (in the recording)" }
                    input #sync-at type="text" name="at" placeholder="34:10" inputmode="numeric"
                        value=(refused.map_or("", |values| values.at.as_str()));
                }
                @if let Some(values) = refused {
                    p.field-error role="alert" { (values.message) }
                }
                button.secondary type="submit" { "Line the recording up" }
            }
        }
    }
}

fn rows_section(view: &RecordingView<'_>) -> Markup {
    let review = view.review;
    let waiting = review
        .rows
        .iter()
        .filter(|row| row.proposal.is_some() && row.answer.is_none())
        .count();
    html! {
        section #questions {
            h2 { "Questions (" (review.rows.len()) ")" }
            @if review.rows.is_empty() {
                p { "No approved or answered question yet." }
            } @else if waiting > 0 {
                form.inline.accept-all method="post" action={ "/mod/e/" (review.event.slug) "/recording/accept-all" } {
                    input type="hidden" name="csrf" value=(view.csrf);
                    label for="min-confidence" { "Accept all unanswered proposals at least" }
                    select #min-confidence name="min_confidence" {
                        option value="90" { "90% sure" }
                        option value="70" selected { "70% sure" }
                        option value="50" { "50% sure" }
                        option value="30" { "30% sure" }
                    }
                    button.secondary type="submit" { "Accept them" }
                }
            }
            ol.recording-review {
                @for (position, row) in review.rows.iter().enumerate() {
                    (review_row(view, row, review.rows.get(position + 1).map(|next| next.question.id)))
                }
            }
        }
    }
}

fn review_row(view: &RecordingView<'_>, row: &ReviewRow, next: Option<i64>) -> Markup {
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
        secs.map(|secs| {
            RecordingOffset::from_seconds(secs as i32)
                .map_or_else(String::new, RecordingOffset::display)
        })
        .unwrap_or_default()
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

/// `1:02:03` or `11:30`, as people write a length.
fn duration(millis: i64) -> String {
    RecordingOffset::from_seconds(i32::try_from(millis / 1000).unwrap_or(i32::MAX))
        .map_or_else(String::new, RecordingOffset::display)
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

fn shortened(text: &str) -> String {
    const AT_MOST: usize = 60;
    if text.chars().count() <= AT_MOST {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(AT_MOST - 1).collect();
    short.push('…');
    short
}
