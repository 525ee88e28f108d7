//! The ask form on an event's page: compact (one line) until the asker focuses it, so that the
//! first screen of a phone shows questions; whatever was typed comes back with the message when
//! something was wrong.

use maud::{html, Markup};

use crate::app::asking::similar::Suggestion;
use crate::app::docs::finding::DocSuggestion;
use crate::domain::{DisplayName, QuestionBody};
use crate::views::asking::docs_box::{answered_forms, docs_box};
use crate::views::components::{csrf_field, votes_in_words};

/// What the ask form shows: the text as the asker typed it, and what was wrong with it.
#[derive(Debug, Default, Clone)]
pub struct AskForm {
    pub body: String,
    pub author_name: String,
    pub notify_email: String,
    /// A message for one field (`body`, `author_name` or `notify_email`).
    pub field_error: Option<(&'static str, String)>,
    /// A message for the whole form (expired form, rate limit, closed event).
    pub form_error: Option<String>,
    /// Questions like this one, shown before it is sent (without JavaScript, on submit).
    pub similar: Vec<Suggestion>,
    /// Documentation sections that answer it, shown above the similar questions.
    pub docs: Vec<DocSuggestion>,
}

impl AskForm {
    fn error_for(&self, field: &str) -> Option<&str> {
        match &self.field_error {
            Some((name, message)) if *name == field => Some(message),
            _ => None,
        }
    }

    /// Nothing typed and nothing to say: the form can wait as one line.
    fn is_untouched(&self) -> bool {
        self.body.is_empty()
            && self.author_name.is_empty()
            && self.notify_email.is_empty()
            && self.field_error.is_none()
            && self.form_error.is_none()
            && self.similar.is_empty()
            && self.docs.is_empty()
    }

    /// Something was shown for the asker to look at before sending.
    fn offers_something(&self) -> bool {
        !self.similar.is_empty() || !self.docs.is_empty()
    }
}

/// `offers_mail`: whether the asker may leave an address to hear back (the site sends mail).
pub fn ask_form(form: &AskForm, slug: &str, csrf: &str, offers_mail: bool) -> Markup {
    let body_error = form.error_for("body");
    let name_error = form.error_for("author_name");
    html! {
        section.ask.compact[form.is_untouched()] aria-labelledby="ask-heading" {
            h2 #ask-heading { label for="ask-body" { "Ask a question" } }
            @if let Some(message) = &form.form_error {
                p.form-error role="alert" { (message) }
            }
            form method="post" action={ "/e/" (slug) "/ask" } novalidate {
                (csrf_field(csrf))
                div.field {
                    textarea #ask-body name="body" rows="3" required
                        aria-invalid=(if body_error.is_some() { "true" } else { "false" })
                        aria-describedby="ask-body-help"
                        placeholder="What would you like to ask?" { (form.body) }
                    @if let Some(message) = body_error {
                        p.field-error #ask-body-help role="alert" { (message) }
                    } @else {
                        p.help.expands #ask-body-help { (QuestionBody::MIN_CHARS) " to " (QuestionBody::MAX_CHARS) " characters." }
                    }
                }
                // Right under the box, so that on a phone what is like it shows while typing.
                @if !form.offers_something() {
                    div #similar-live aria-live="polite" {}
                }
                @if !form.docs.is_empty() {
                    (docs_box(&form.docs, slug))
                }
                @if !form.similar.is_empty() {
                    (similar_box(&form.similar))
                }
                div.field.expands {
                    label for="ask-name" { "Your name " span.optional { "(optional)" } }
                    input #ask-name type="text" name="author_name" value=(form.author_name)
                        autocomplete="nickname"
                        aria-invalid=(if name_error.is_some() { "true" } else { "false" })
                        aria-describedby="ask-name-help";
                    @if let Some(message) = name_error {
                        p.field-error #ask-name-help role="alert" { (message) }
                    } @else {
                        p.help #ask-name-help { "Leave empty to ask anonymously. At most " (DisplayName::MAX_CHARS) " characters." }
                    }
                }
                @if offers_mail {
                    (email_field(form.notify_email.as_str(), form.error_for("notify_email")))
                }
                // A field people never see; bots that fill every field give themselves away.
                div.honeypot aria-hidden="true" {
                    label for="ask-website" { "Website" }
                    input #ask-website type="text" name="website" tabindex="-1" autocomplete="off";
                }
                @if !form.offers_something() {
                    button.primary.expands type="submit" { "Ask" }
                } @else {
                    input type="hidden" name="anyway" value="1";
                    button.primary type="submit" { "Submit mine anyway" }
                }
            }
            (similar_upvote_forms(slug, &form.similar, csrf))
            (answered_forms(&form.docs, slug, csrf))
        }
    }
}

fn email_field(typed: &str, error: Option<&str>) -> Markup {
    html! {
        div.field.expands {
            label for="ask-email" { "Email me when it is answered " span.optional { "(optional)" } }
            input #ask-email type="email" name="notify_email" value=(typed)
                autocomplete="email" inputmode="email" maxlength="254"
                aria-invalid=(if error.is_some() { "true" } else { "false" })
                aria-describedby="ask-email-help";
            @if let Some(message) = error {
                p.field-error #ask-email-help role="alert" { (message) }
            } @else {
                p.help #ask-email-help { "We send a link to confirm it first, never show it to anyone, and forget it once your question is answered." }
            }
        }
    }
}

/// "These look similar": upvote one instead, or read its answer. Each upvote is its own form,
/// outside the ask form (forms do not nest), tied to it by the `form` attribute.
fn similar_box(similar: &[Suggestion]) -> Markup {
    html! {
        div.similar role="region" aria-labelledby="similar-heading" {
            p #similar-heading { strong { "These look similar" } " — upvote one, or submit yours anyway." }
            ul {
                @for other in similar {
                    li {
                        span.question-body { (other.body) }
                        " " span.meta {
                            // An FAQ entry is read, not voted for.
                            @if other.answered { "answered" } @else { (votes_in_words(other.vote_count)) }
                        }
                        " "
                        @if other.answered {
                            a href=(other.url) { "Read the answer" }
                        } @else {
                            button.secondary type="submit" form={ "upvote-" (other.id) } { "Upvote this one" }
                        }
                    }
                }
            }
        }
    }
}

/// The forms the "Upvote this one" buttons submit, placed after the ask form.
fn similar_upvote_forms(slug: &str, similar: &[Suggestion], csrf: &str) -> Markup {
    html! {
        @for other in similar.iter().filter(|other| !other.answered) {
            form #{ "upvote-" (other.id) } method="post" action={ "/e/" (slug) "/q/" (other.id) "/vote" } hidden {
                (csrf_field(csrf))
                input type="hidden" name="action" value="up";
            }
        }
    }
}
