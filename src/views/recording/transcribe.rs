//! The recording page's "Transcribe the recording" part: the upload form, the transcription's
//! progress while it runs (followed by the page's script), and how the last one ended.

use maud::{html, Markup};

use crate::app::recording::transcription::TranscriptionState;
use crate::views::recording::recording_view::{duration, RecordingView};

/// "about 6 min left", "under a minute left".
pub fn time_left(seconds: u64) -> String {
    match seconds {
        0..=59 => "under a minute left".to_owned(),
        60..=5399 => format!("about {} min left", seconds.div_ceil(60)),
        _ => format!("about {:.1} h left", seconds as f64 / 3600.0),
    }
}

fn progress_line(job: &TranscriptionState) -> String {
    let done = duration((job.done_seconds * 1000.0) as i64);
    let total = duration((job.audio_seconds * 1000.0) as i64);
    match (job.state.as_str(), job.seconds_left) {
        ("queued", _) => format!("Waiting its turn ({total} of recording)."),
        ("preparing", _) => "Reading the upload.".to_owned(),
        (_, Some(left)) => format!("{}%: {done} of {total}, {}.", job.percent, time_left(left)),
        _ => format!("{}%: {done} of {total}.", job.percent),
    }
}

pub fn transcribe_section(view: &RecordingView<'_>) -> Markup {
    let slug = &view.review.event.slug;
    let offer = view.speech;
    let latest = view.review.transcription.as_ref();
    let error = view.refused.recording.as_deref();
    html! {
        section.notice #transcribe {
            h2 { "Transcribe the recording" }
            @match latest {
                Some(job) if job.under_way() => {
                    div #transcription-progress data-progress-url={ "/api/v1/events/" (slug) "/recording/audio" } {
                        p {
                            "Transcribing " strong { (job.source_name) } ". "
                            "When it is done, it becomes the event's transcript; moments and drafts follow."
                        }
                        p {
                            label for="transcription-bar" { "Progress: " }
                            progress #transcription-bar value=(job.percent) max="100" { (job.percent) "%" }
                            " " span.progress-count role="status" { (progress_line(job)) }
                        }
                        @if job.cancel_requested {
                            p.meta { "Stopping after the part in hand…" }
                        } @else {
                            form method="post" action={ "/mod/e/" (slug) "/recording/audio/cancel" } {
                                input type="hidden" name="csrf" value=(view.csrf);
                                button.secondary type="submit" { "Cancel the transcription" }
                            }
                        }
                    }
                }
                _ => {
                    @if let Some(job) = latest {
                        @match job.state.as_str() {
                            "failed" => p.field-error role="alert" {
                                "The transcription of " strong { (job.source_name) } " failed: " (job.message.as_deref().unwrap_or("")) " The event's transcript is as it was."
                            },
                            "cancelled" => p.meta { (job.source_name) ": " (job.message.as_deref().unwrap_or("cancelled.")) },
                            _ => p.meta { (job.message.as_deref().unwrap_or("")) },
                        }
                    }
                    @if offer.model_installed {
                        p {
                            "No captions? Upload the call's recording (MP4, M4A, MP3, WAV, FLAC, Ogg or WebM, up to "
                            (offer.max_upload_mb) " MB) and this server writes the transcript itself, with timings."
                        }
                        form method="post" enctype="multipart/form-data" action={ "/mod/e/" (slug) "/recording/audio" } {
                            input type="hidden" name="csrf" value=(view.csrf);
                            label for="recording-file" { "Recording" }
                            input #recording-file type="file" name="recording" accept="audio/*,video/*,.mkv,.webm,.ogg,.opus,.flac" required
                                aria-describedby=[error.map(|_| "recording-error")];
                            label for="recording-language" { "Language spoken (a code: en, de, fr…)" }
                            input #recording-language type="text" name="language" value=(view.refused.language.as_deref().unwrap_or("en")) size="4" maxlength="3" required;
                            @if let Some(message) = error {
                                p.field-error #recording-error role="alert" { (message) }
                            }
                            button.primary type="submit" { "Transcribe" }
                        }
                    } @else {
                        p.meta {
                            "To transcribe recordings on this server, an admin installs the speech model once: "
                            code { "faqtory model fetch --speech" } "."
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_is_said_as_people_say_it() {
        assert_eq!(time_left(12), "under a minute left");
        assert_eq!(time_left(61), "about 2 min left");
        assert_eq!(time_left(7200), "about 2.0 h left");
    }
}
