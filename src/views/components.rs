use chrono::NaiveDateTime;
use maud::{html, Markup, PreEscaped};

use super::time::{exact_time, time_ago};
use crate::db::answers::Answer;
use crate::db::events::Event;
use crate::domain::{EventStatus, QuestionStatus, RecordingOffset};

/// The vote control: a real form, so it works without JavaScript; our script turns it into an
/// instant toggle through the API.
pub struct VoteControl<'a> {
    pub action_url: &'a str,
    pub question_id: i64,
    pub vote_count: i32,
    pub voted: bool,
    pub enabled: bool,
    pub csrf: &'a str,
    pub sort: &'a str,
}

/// A form's CSRF token. Pages rendered once for everyone have none to give (browsers prove where
/// their forms come from by their headers; see `web::security::csrf`), and then the field is left out.
pub fn csrf_field(token: &str) -> Markup {
    html! {
        @if !token.is_empty() { input type="hidden" name="csrf" value=(token); }
    }
}

pub fn vote_control(vote: &VoteControl<'_>) -> Markup {
    let (action, label) = if vote.voted {
        (
            "withdraw",
            format!("{}: withdraw your vote", votes_in_words(vote.vote_count)),
        )
    } else {
        ("up", format!("{}: upvote", votes_in_words(vote.vote_count)))
    };
    html! {
        form.vote method="post" action=(vote.action_url) data-question=(vote.question_id) {
            (csrf_field(vote.csrf))
            input type="hidden" name="sort" value=(vote.sort);
            button.vote-button type="submit" name="action" value=(action)
                aria-pressed=(if vote.voted { "true" } else { "false" })
                aria-label=(label) title=(label) disabled[!vote.enabled] {
                span.arrow aria-hidden="true" { "▲" }
                span.count data-live-votes { (vote.vote_count) }
            }
        }
    }
}

/// "1 vote", "2 votes".
pub fn votes_in_words(count: i32) -> String {
    if count == 1 {
        "1 vote".to_owned()
    } else {
        format!("{count} votes")
    }
}

pub fn question_status_badge(status: QuestionStatus) -> Markup {
    html! { span class={ "badge status-" (status.as_str()) } { (status.describe()) } }
}

pub fn event_status_badge(status: EventStatus) -> Markup {
    let words = match status {
        EventStatus::Draft => "draft",
        EventStatus::Open => "taking questions",
        EventStatus::Live => "live now",
        EventStatus::Closed => "closed",
        EventStatus::Archived => "archived",
    };
    html! { span class={ "badge event-" (status.as_str()) } { (words) } }
}

pub fn author(name: Option<&str>) -> Markup {
    html! {
        @match name {
            Some(name) => span.author { (name) },
            None => span.author.anonymous { "Anonymous" },
        }
    }
}

/// Title, status and timing of an event, as a heading block.
pub fn event_heading(event: &Event, now: NaiveDateTime) -> Markup {
    html! {
        header.event-heading {
            h1 { (event.title) }
            p.meta {
                (event_status_badge(event.status))
                @if let Some(starts_at) = event.starts_at {
                    " · " (schedule(event.status, starts_at, now))
                    @if (starts_at > now && !event.status.is_over()) || event.status.accepts_questions() {
                        " · " a href={ "/e/" (event.slug) ".ics" } { "Add to calendar" }
                    }
                }
            }
            @if !event.description.is_empty() {
                p.description { (event.description) }
            }
        }
    }
}

/// When the event is, in words that agree with its status: an event on air early is "on air,
/// scheduled for …", never "live now · starts in an hour".
fn schedule(status: EventStatus, starts_at: NaiveDateTime, now: NaiveDateTime) -> Markup {
    let future = starts_at > now;
    html! {
        @match (status, future) {
            (EventStatus::Live, false) => { "started " (exact_time(starts_at)) },
            (EventStatus::Live, true) => { "scheduled for " (exact_time(starts_at)) },
            (EventStatus::Closed | EventStatus::Archived, false) => { "held " (exact_time(starts_at)) },
            // Closed before its date: it was to be held then, and takes no questions now.
            (EventStatus::Closed | EventStatus::Archived, true) => { "was planned for " (exact_time(starts_at)) },
            (_, true) => { "starts " (time_ago(starts_at, now)) ", " (exact_time(starts_at)) },
            (_, false) => { "was scheduled for " (exact_time(starts_at)) },
        }
    }
}

/// An answer's HTML, sanitized with ammonia when it was written, with each table in a box of its
/// own that scrolls sideways (focusable, so that keyboards can scroll it too). Sanitized HTML
/// writes a table as a bare `<table>`; text that looks like one is escaped.
pub fn answer_html(sanitized: &str) -> Markup {
    PreEscaped(
        sanitized
            .replace(
                "<table>",
                r#"<div class="table-scroll" tabindex="0" role="region" aria-label="Table"><table>"#,
            )
            .replace("</table>", "</table></div>"),
    )
}

/// An answer as the public reads it: the sanitized HTML and, when there is a recording, a link to
/// the moment it was given.
pub fn answer_block(answer: &Answer, recording_url: Option<&str>) -> Markup {
    let moment = answer
        .recording_offset_secs
        .and_then(RecordingOffset::from_seconds)
        .and_then(|at| Some((at, at.link(recording_url?)?)));
    html! {
        div.answer {
            // Rendered from Markdown and sanitized with ammonia when it was written.
            (answer_html(&answer.body_html))
            @if let Some((at, link)) = moment {
                p.recording { a href=(link) rel="noopener" { "▶ Watch the answer at " (at.display()) } }
            }
        }
    }
}

pub fn label_badges(labels: Option<&Vec<String>>) -> Markup {
    html! {
        @if let Some(labels) = labels {
            @for label in labels { " " span.badge.label { (label) } }
        }
    }
}

/// Labels in the FAQ, each a link to the answers with that label.
pub fn label_links(labels: &[String]) -> Markup {
    html! {
        @for label in labels {
            " " a.badge.label href={ "/faq?label=" (url_component(label)) } { (label) }
        }
    }
}

pub fn url_component(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
