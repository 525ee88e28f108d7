//! The insights digest as a moderator meets it: the form on the insights page that asks for it
//! by mail (or stops it), and the pages behind a digest's link to stop it, which only offer a
//! button (mail scanners open links; a visit alone stops nothing).

use maud::{html, Markup};

use crate::app::insights::digest_readers::DigestRequest;
use crate::domain::DigestPeriod;
use crate::views::components::csrf_field;
use crate::views::layout::{page, PageMeta};

/// The digest form: what the moderator asked for, or what they typed and why it was refused.
#[derive(Default)]
pub struct DigestForm {
    pub offers_mail: bool,
    pub current: Option<DigestRequest>,
    pub typed_email: String,
    pub typed_period: String,
    pub error: Option<String>,
}

pub fn digest_section(form: &DigestForm, csrf: &str) -> Markup {
    let chosen = if form.typed_period.is_empty() {
        form.current
            .as_ref()
            .map_or(DigestPeriod::Week.as_str(), |current| {
                current.period.as_str()
            })
    } else {
        form.typed_period.as_str()
    };
    let email = if form.typed_email.is_empty() && form.error.is_none() {
        form.current
            .as_ref()
            .map_or("", |current| current.email.as_str())
    } else {
        form.typed_email.as_str()
    };
    html! {
        section #digest aria-labelledby="digest-heading" {
            h2 #digest-heading { "Digest" }
            p.help {
                "When a week (Monday to Monday, UTC) or a month ends: its most asked topics, those answered nowhere, and those rising. "
                "Site-wide webhooks of " code { "digest.weekly" } " or " code { "digest.monthly" } " get it too."
            }
            @if !form.offers_mail {
                p.meta { "This site sends no mail (FAQTORY_SMTP_URL is not set), so the digest goes to webhooks only." }
            } @else {
                @if let Some(current) = &form.current {
                    p role="status" { "You get the " (current.period.adjective()) " digest at " strong { (current.email) } "." }
                }
                form.digest-form method="post" action="/mod/insights/digest" novalidate {
                    (csrf_field(csrf))
                    div.field {
                        label for="digest-email" { "Your email" }
                        input #digest-email type="email" name="email" value=(email) required
                            autocomplete="email" inputmode="email" maxlength="254"
                            aria-invalid=(if form.error.is_some() { "true" } else { "false" })
                            aria-describedby="digest-email-help";
                        @if let Some(message) = &form.error {
                            p.field-error #digest-email-help role="alert" { (message) }
                        } @else {
                            p.help #digest-email-help { "Every digest has a link to stop it." }
                        }
                    }
                    div.field {
                        label for="digest-period" { "How often" }
                        select #digest-period name="period" {
                            @for period in DigestPeriod::ALL {
                                option value=(period.as_str()) selected[chosen == period.as_str()] { (capitalised(period.adjective())) }
                            }
                        }
                    }
                    div.digest-actions {
                        button.primary type="submit" name="action" value="save" {
                            @if form.current.is_some() { "Save" } @else { "Email me the digest" }
                        }
                        @if form.current.is_some() {
                            button.secondary type="submit" name="action" value="stop" { "Stop my digest" }
                        }
                    }
                }
            }
        }
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn digest_page(title: &str, body: Markup) -> Markup {
    page(
        &PageMeta {
            title,
            description: "The insights digest moderators asked for.",
            url: None,
        },
        html! { article.mail-link { (body) } },
    )
}

pub fn digest_unsubscribe_page(request: &DigestRequest, token: &str) -> Markup {
    digest_page(
        "Stop the digest",
        html! {
            h1 { "Stop the digest?" }
            p { "The " (request.period.adjective()) " insights digest goes to " strong { (request.email) } "." }
            form method="post" action={ "/mail/digest/unsubscribe/" (token) } {
                button.primary type="submit" { "Stop emailing me" }
            }
        },
    )
}

pub fn digest_unsubscribed_page() -> Markup {
    digest_page(
        "No more digests",
        html! {
            h1 { "No more digests" }
            p { "Nothing more is sent to this address from this link. A moderator can ask for the digest again on the insights page." }
            p { a href="/mod/insights#digest" { "The insights page" } }
        },
    )
}
