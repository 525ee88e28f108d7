//! `/mod/e/{slug}/recording`: after the call, the transcript in, the recording lined up, and one
//! row per question with its proposed moment and draft answer to accept, correct or skip.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::layout::{wide_page, PageMeta};
use super::time::time_ago;
use crate::app::recording::Source;
use crate::app::recording_review::{Review, ReviewRow};
use crate::domain::{QuestionStatus, RecordingOffset};

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
    pub message: String,
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
                    @if transcript.format == "srt" { "SRT" } @else { "WebVTT" }
                    "), brought in " (time_ago(transcript.imported_at, view.now)) "."
                },
                None => p { "None yet. Upload the captions of the recording (WebVTT, as YouTube, Jitsi or Zoom export them, or SRT)." },
            }
            form method="post" enctype="multipart/form-data" action={ "/mod/e/" (slug) "/recording/transcript" } {
                input type="hidden" name="csrf" value=(view.csrf);
                label for="transcript-file" { "Captions file (.vtt or .srt)" }
                input #transcript-file type="file" name="file" accept=".vtt,.srt,text/vtt" required
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
    let at = refused.map(|values| values.at.clone()).unwrap_or_else(|| {
        answered_at
            .or(proposed_at)
            .map(|secs| {
                RecordingOffset::from_seconds(secs as i32)
                    .map_or_else(String::new, RecordingOffset::display)
            })
            .unwrap_or_default()
    });
    let answer_md = refused
        .map(|values| values.answer_md.clone())
        .unwrap_or_else(|| {
            row.answer
                .as_ref()
                .map(|answer| answer.body_md.clone())
                .or_else(|| {
                    row.proposal
                        .as_ref()
                        .map(|proposal| proposal.draft.markdown())
                })
                .unwrap_or_default()
        });
    let recording_url = view.review.event.recording_url.as_deref();
    html! {
        li.review-row #{ "q-" (question.id) } {
            h3.question-body { (question.body) }
            p.meta {
                "#" (question.id)
                @if question.status == QuestionStatus::Answered { " · answered" }
                @match &row.proposal {
                    Some(proposal) => {
                        " · proposed at "
                        (moment_link(proposal.at_ms, recording_url))
                        " · "
                        @match proposal.source {
                            Source::OnScreen => "on screen then",
                            Source::Transcript => "found in the transcript",
                        }
                        " · " (format!("{:.0}", proposal.confidence * 100.0)) "% sure"
                    }
                    None => " · no moment found: give one",
                }
            }
            @if let Some(proposal) = &row.proposal {
                @if !proposal.draft.is_empty() {
                    details.said {
                        summary { "What was said (" (duration(proposal.at_ms)) " – " (duration(proposal.end_ms)) ")" }
                        @for turn in &proposal.draft.turns {
                            p {
                                @if let Some(speaker) = &turn.speaker { strong { (speaker) ": " } }
                                mark { (turn.text) }
                            }
                        }
                    }
                }
            }
            form.accept method="post" action={ "/mod/q/" (question.id) "/recording/accept" } {
                input type="hidden" name="csrf" value=(view.csrf);
                div.moment-field {
                    label for={ "at-" (question.id) } { "Moment" }
                    input id={ "at-" (question.id) } type="text" name="at" value=(at) placeholder="12:34" inputmode="numeric";
                }
                label for={ "answer-" (question.id) } { "Answer (Markdown)" }
                textarea id={ "answer-" (question.id) } name="answer_md" rows="5" { (answer_md) }
                @if let Some(values) = refused {
                    p.field-error role="alert" { (values.message) }
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
