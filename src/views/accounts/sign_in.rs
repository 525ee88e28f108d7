use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::app::events::listing::EventSummary;
use crate::db::moderators::Moderator;
use crate::domain::Role;
use crate::views::components::event_status_badge;
use crate::views::layout::{page, PageMeta};
use crate::views::time::time_ago;

/// What the sign-in form shows again after a failure: the name, never the password.
pub struct SignInForm<'a> {
    pub username: &'a str,
    pub next: &'a str,
    pub error: Option<&'a str>,
    pub csrf: &'a str,
}

pub fn sign_in_page(form: &SignInForm<'_>) -> Markup {
    page(
        &PageMeta {
            title: "Sign in",
            description: "Sign in to moderate.",
            url: None,
        },
        html! {
            section.ask.narrow aria-labelledby="sign-in-heading" {
                h1 #sign-in-heading { "Sign in to moderate" }
                @if let Some(message) = form.error {
                    p.form-error role="alert" { (message) }
                }
                form method="post" action="/sign-in" {
                    input type="hidden" name="csrf" value=(form.csrf);
                    input type="hidden" name="next" value=(form.next);
                    div.field {
                        label for="sign-in-username" { "Username" }
                        input #sign-in-username type="text" name="username" value=(form.username)
                            autocomplete="username" autocapitalize="none" required;
                    }
                    div.field {
                        label for="sign-in-password" { "Password" }
                        input #sign-in-password type="password" name="password"
                            autocomplete="current-password" required;
                    }
                    button.primary type="submit" { "Sign in" }
                }
            }
        },
    )
}

pub fn moderation_home(
    moderator: &Moderator,
    events: &[EventSummary],
    csrf: &str,
    now: NaiveDateTime,
) -> Markup {
    page(
        &PageMeta {
            title: "Moderation",
            description: "Events to moderate.",
            url: None,
        },
        html! {
            div.list-header {
                h1 { "Moderation" }
                form method="post" action="/sign-out" {
                    input type="hidden" name="csrf" value=(csrf);
                    button.link-button type="submit" { "Sign out" }
                }
            }
            p.meta {
                "Signed in as " strong { (moderator.username) } " (" (moderator.role.as_str()) ") · "
                a href="/mod/account" { "your account" } " · " a href="/mod/log" { "audit log" }
                " · " a href="/mod/searches" { "searched for, not answered" }
                " · " a href="/mod/docs" { "documentation report" }
                " · " a href="/mod/insights" { "topics across events" }
                @if moderator.role == Role::Admin {
                    " · " a href="/mod/admin/moderators" { "moderators" }
                    " · " a href="/mod/admin/webhooks" { "webhooks" }
                    " · " a href="/mod/admin/docs" { "documentation" }
                }
            }
            p { a.primary-link href="/mod/events/new" { "+ New event" } }
            @if events.is_empty() {
                p.empty { "No events yet. Create one with "
                    code { "faqtory event create --slug S --title T" } "." }
            } @else {
                ul.event-list {
                    @for summary in events {
                        @let event = &summary.event;
                        li.event-card {
                            a href={ "/mod/e/" (event.slug) } { h2 { (event.title) } }
                            p.meta {
                                (event_status_badge(event.status)) " · "
                                span.count { (summary.question_count) } " listed"
                                " · created " (time_ago(event.created_at, now))
                            }
                        }
                    }
                }
            }
        },
    )
}
