//! `/mod/e/{slug}/recording`: after the call, the transcript in, the recording lined up, and one
//! row per question with its proposed moment and draft answer to accept, correct or skip.

use maud::{html, Markup};

use crate::transcript::Format;
use crate::views::layout::{wide_page, PageMeta};
use crate::views::recording::recording_row::review_row;
use crate::views::recording::recording_view::{duration, RecordingView};
use crate::views::recording::transcribe::transcribe_section;
use crate::views::time::time_ago;

pub fn recording_page(view: &RecordingView<'_>) -> Markup {
    let event = &view.review.event;
    let title = format!("Recording: {}", event.title);
    wide_page(
        &PageMeta {
            title: &title,
            description: "Turn the call's recording into written answers.",
            url: None,
        },
        html! {
            p { a href={ "/mod/e/" (event.slug) } { "← Dashboard" } }
            h1 { (title) }
            @if let Some(notice) = &view.notice {
                p.notice.success role="status" { (notice) }
            }
            div.recording-setup {
                (transcript_section(view))
                (transcribe_section(view))
                (timeline_section(view))
            }
            (rows_section(view))
            (chapters_section(view))
        },
    )
}

/// What a stored transcript's format is called on the page.
fn format_shown(format: &str) -> &'static str {
    match Format::parse(format) {
        Some(Format::Srt) => "SRT",
        Some(Format::Text) => "text with time stamps",
        Some(Format::Speech) => "transcribed from the recording",
        Some(Format::WebVtt) | None => "WebVTT",
    }
}

fn transcript_section(view: &RecordingView<'_>) -> Markup {
    let slug = &view.review.event.slug;
    let error = view.refused.transcript.as_deref();
    html! {
        section.notice #transcript {
            h2 { "Transcript" }
            @match &view.review.transcript {
                Some(transcript) => p {
                    (transcript.cue_count) @if transcript.cue_count == 1 { " cue, " } @else { " cues, " } (duration(transcript.duration_ms)) " long ("
                    (format_shown(&transcript.format))
                    "), brought in " (time_ago(transcript.imported_at, view.now)) ". "
                    "Captions of two short lines to post with the video: "
                    a href={ "/e/" (slug) "/captions.vtt" } download={ (slug) ".vtt" } { "WebVTT" }
                    " · "
                    a href={ "/e/" (slug) "/captions.srt" } download={ (slug) ".srt" } { "SRT" }
                    " (the event's page links them too, once the event is public)."
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

/// The recording's chapters from the answers' moments, ready to paste into the video's
/// description, and as a WebVTT chapters file.
fn chapters_section(view: &RecordingView<'_>) -> Markup {
    let chapters = &view.review.chapters;
    let slug = &view.review.event.slug;
    html! {
        section #chapters {
            h2 { "Chapters" }
            @if chapters.is_empty() {
                p { "Once answers have moments, the recording's chapters appear here, ready for the video's description." }
            } @else {
                label for="chapters-text" { "For the video's description" }
                textarea #chapters-text readonly rows=(chapters.len().clamp(2, 12)) {
                    (crate::transcript::chapters_as_text(chapters))
                }
                p {
                    a href={ "/api/v1/events/" (slug) "/chapters?format=vtt" } download={ (slug) "-chapters.vtt" } {
                        "WebVTT chapters file"
                    }
                }
            }
        }
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
