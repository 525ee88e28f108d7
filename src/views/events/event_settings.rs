//! The form that creates an event and edits its settings, and the buttons that move its status.

use maud::{html, Markup};

use crate::db::events::Event;
use crate::domain::EventStatus;
use crate::views::components::event_status_badge;
use crate::views::layout::{page, PageMeta};

/// The form's fields as typed (or as stored), and what was wrong with one of them.
#[derive(Default)]
pub struct EventFormValues {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub starts_at: String,
    pub premoderation: bool,
    pub recording_url: String,
    /// The event's labels, comma-separated.
    pub labels: String,
    /// A new event that starts by asking what people want from the session.
    pub ask_around: bool,
    pub error: Option<(&'static str, String)>,
}

impl EventFormValues {
    pub fn of(event: &Event, labels: &[String]) -> Self {
        Self {
            slug: event.slug.clone(),
            title: event.title.clone(),
            description: event.description.clone(),
            starts_at: event
                .starts_at
                .map(|at| at.format("%Y-%m-%dT%H:%M").to_string())
                .unwrap_or_default(),
            premoderation: event.premoderation,
            recording_url: event.recording_url.clone().unwrap_or_default(),
            labels: labels.join(", "),
            ask_around: false,
            error: None,
        }
    }

    fn error_for(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
    }
}

fn text_field(
    values: &EventFormValues,
    name: &'static str,
    label: &str,
    value: &str,
    kind: &str,
    help: &str,
) -> Markup {
    let error = values.error_for(name);
    html! {
        div.field {
            label for={ "event-" (name) } { (label) }
            input id={ "event-" (name) } type=(kind) name=(name) value=(value)
                aria-invalid=(if error.is_some() { "true" } else { "false" });
            @if let Some(message) = error { p.field-error role="alert" { (message) } }
            @else if !help.is_empty() { p.help { (help) } }
        }
    }
}

/// What closing an event offers: its questions nobody got to, and where they could go.
pub struct CarryOverOffer<'a> {
    pub questions: usize,
    /// Events still to come: (slug, title).
    pub targets: Vec<(&'a str, &'a str)>,
    pub error: Option<String>,
}

fn carry_over_form(event: &Event, offer: &CarryOverOffer<'_>, csrf: &str) -> Markup {
    html! {
        section.notice #carry-over {
            h2 { "Carry over unanswered questions" }
            p {
                (offer.questions)
                @if offer.questions == 1 { " approved question was" } @else { " approved questions were" }
                " not answered. Move them, with their votes and labels, to another event so nothing asked is forgotten."
            }
            @if let Some(message) = &offer.error { p.field-error role="alert" { (message) } }
            @if offer.targets.is_empty() {
                p.help { "There is no upcoming event to take them yet: " a href="/mod/events/new" { "create one" } ", then come back." }
            } @else {
                form method="post" action={ "/mod/e/" (event.slug) "/carry-over" } {
                    input type="hidden" name="csrf" value=(csrf);
                    div.field {
                        label for="carry-over-to" { "Carry them over to" }
                        select #carry-over-to name="to" {
                            @for (slug, title) in &offer.targets {
                                option value=(slug) { (title) " (" (slug) ")" }
                            }
                        }
                    }
                    button.primary type="submit" { "Carry over " (offer.questions) }
                }
            }
        }
    }
}

/// `event` is `None` when creating; `carry_over` is offered once an event has closed;
/// `presenter` is the presenter-link section.
pub fn event_settings_page(
    event: Option<&Event>,
    values: &EventFormValues,
    carry_over: Option<&CarryOverOffer<'_>>,
    presenter: Option<Markup>,
    csrf: &str,
) -> Markup {
    let (title, action) = match event {
        Some(event) => (
            format!("Settings: {}", event.title),
            format!("/mod/e/{}/settings", event.slug),
        ),
        None => ("New event".to_owned(), "/mod/events".to_owned()),
    };
    let description_error = values.error_for("description");
    page(
        &PageMeta {
            title: &title,
            description: "Event settings.",
            url: None,
        },
        html! {
            p { a href="/mod" { "← Moderation" } @if let Some(event) = event { " · " a href={ "/mod/e/" (event.slug) } { "dashboard" } } }
            h1 { (title) }
            @if let Some(event) = event {
                section.notice {
                    p { "Status: " (event_status_badge(event.status)) }
                    div.moves {
                        @for status in EventStatus::ALL {
                            @if status != event.status {
                                form.inline method="post" action={ "/mod/e/" (event.slug) "/status" } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="status" value=(status.as_str());
                                    button.secondary type="submit" { "Make it " (status.as_str()) }
                                }
                            }
                        }
                    }
                }
                @if let Some(offer) = carry_over { (carry_over_form(event, offer, csrf)) }
                @if let Some(presenter) = presenter { (presenter) }
            }
            section.ask {
                form method="post" action=(action) {
                    input type="hidden" name="csrf" value=(csrf);
                    @if event.is_none() {
                        (text_field(values, "slug", "Short name for the address (/e/…)", &values.slug, "text", "Lower-case letters, digits and hyphens, like mirage-hangout-2026."))
                    }
                    (text_field(values, "title", "Title", &values.title, "text", ""))
                    div.field {
                        label for="event-description" { "Description " span.optional { "(optional)" } }
                        textarea #event-description name="description" rows="3"
                            aria-invalid=(if description_error.is_some() { "true" } else { "false" }) { (values.description) }
                        @if let Some(message) = description_error { p.field-error role="alert" { (message) } }
                    }
                    (text_field(values, "starts_at", "Starts at (UTC)", &values.starts_at, "datetime-local", "Leave empty when there is no date yet."))
                    (text_field(values, "recording_url", "Recording link (optional)", &values.recording_url, "url", "YouTube, Vimeo or a media file: answers link to the moment they were given."))
                    (text_field(values, "labels", "Labels (optional)", &values.labels, "text", "Topics moderators can put on questions, separated by commas, like roadmap, security. Removing one takes it off its questions."))
                    div.field {
                        label { input type="checkbox" name="premoderation" value="on" checked[values.premoderation]; " Hold new questions for approval (pre-moderation)" }
                    }
                    @if event.is_none() {
                        div.field {
                            label { input type="checkbox" name="ask_around" value="on" checked[values.ask_around]; " Start by asking what people want from the session (a choice of format and an open question, open at once beside the ask form)" }
                        }
                    }
                    button.primary type="submit" { @if event.is_some() { "Save settings" } @else { "Create event" } }
                }
            }
        },
    )
}
