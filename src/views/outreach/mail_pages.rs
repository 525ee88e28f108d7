//! The pages behind the links in mail (confirm, unsubscribe) and the form where a voter leaves
//! an address. The links' pages only offer a button: mail scanners open links, and a visit alone
//! must not confirm or unsubscribe anyone.

use maud::{html, Markup};

use crate::app::outreach::mail::{Subscription, MAX_UNCONFIRMED};
use crate::views::components::csrf_field;
use crate::views::layout::{page, PageMeta};

fn mail_page(title: &str, body: Markup) -> Markup {
    page(
        &PageMeta {
            title,
            description: "Email about questions you asked or voted for.",
            url: None,
        },
        html! { article.mail-link { (body) } },
    )
}

fn what_is_sent(subscription: &Subscription) -> Markup {
    html! {
        @match &subscription.question {
            Some(question) => {
                p { "An email when this question to " a href={ "/e/" (subscription.event.slug) } { (subscription.event.title) } " is answered, merged with another, or not taken:" }
                blockquote.question-body { (question) }
            }
            None => p { "An email when questions you voted for at " a href={ "/e/" (subscription.event.slug) } { (subscription.event.title) } " are answered." },
        }
    }
}

/// A link that is no longer kept: answered, unsubscribed, or its event archived.
pub fn link_gone(title: &str) -> Markup {
    mail_page(
        title,
        html! {
            h1 { (title) }
            p { "This link is no longer in use: the question was answered or settled, the event archived, or the address removed. Nothing more is sent from it." }
            p { a href="/" { "Back to the start page" } }
        },
    )
}

pub fn confirm_page(subscription: &Subscription, token: &str) -> Markup {
    if subscription.confirmed {
        return confirmed_page(subscription);
    }
    mail_page(
        "Confirm your email",
        html! {
            h1 { "Confirm your email" }
            (what_is_sent(subscription))
            form method="post" action={ "/mail/confirm/" (token) } {
                button.primary type="submit" { "Yes, email me" }
            }
            p.hint { "If you did not ask for this, close this page: nothing is sent unless you confirm." }
        },
    )
}

pub fn confirmed_page(subscription: &Subscription) -> Markup {
    mail_page(
        "Email confirmed",
        html! {
            h1 { "Email confirmed" }
            p { "You will get:" }
            (what_is_sent(subscription))
            p.hint { "Every email has a link to stop them." }
        },
    )
}

pub fn unsubscribe_page(subscription: &Subscription, token: &str) -> Markup {
    mail_page(
        "Stop these emails",
        html! {
            h1 { "Stop these emails?" }
            p { "You asked for:" }
            (what_is_sent(subscription))
            form method="post" action={ "/mail/unsubscribe/" (token) } {
                button.primary type="submit" { "Stop emailing me" }
            }
        },
    )
}

pub fn unsubscribed_page() -> Markup {
    mail_page(
        "No more emails",
        html! {
            h1 { "No more emails" }
            p { "Your address is forgotten: nothing more is sent to it from this link." }
            p { a href="/" { "Back to the start page" } }
        },
    )
}

/// What the voter's form shows: the address as typed and what was wrong, or that it went.
#[derive(Default)]
pub struct VoterMailForm {
    pub email: String,
    pub error: Option<String>,
    pub sent: bool,
}

pub fn voter_mail_page(slug: &str, event_title: &str, form: &VoterMailForm, csrf: &str) -> Markup {
    let title = "Hear when your questions are answered";
    mail_page(
        title,
        html! {
            p.eyebrow { a href={ "/e/" (slug) } { (event_title) } }
            h1 { (title) }
            @if form.sent {
                p role="status" { "Check your inbox: we sent a link to confirm " strong { (form.email) } ". Nothing else is sent until you confirm." }
                p { a href={ "/e/" (slug) } { "Back to the questions" } }
            } @else {
                p { "Leave your address and get an email when a question you voted for (here, in this browser) is answered." }
                form method="post" action={ "/e/" (slug) "/notify" } novalidate {
                    (csrf_field(csrf))
                    div.field {
                        label for="notify-email" { "Your email" }
                        input #notify-email type="email" name="notify_email" value=(form.email) required
                            autocomplete="email" inputmode="email" maxlength="254"
                            aria-invalid=(if form.error.is_some() { "true" } else { "false" })
                            aria-describedby="notify-email-help";
                        @if let Some(message) = &form.error {
                            p.field-error #notify-email-help role="alert" { (message) }
                        } @else {
                            p.help #notify-email-help { "We send a link to confirm it first (at most " (MAX_UNCONFIRMED) " unconfirmed requests per address), never show it to anyone, and forget it when the event is archived." }
                        }
                    }
                    button.primary type="submit" { "Email me" }
                }
            }
        },
    )
}
