//! The admin's moderators page and everyone's own account page.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::db::api_tokens::ApiToken;
use crate::db::moderators::Moderator;
use crate::db::sessions::Session;
use crate::domain::Password;
use crate::views::accounts::sessions::sessions_section;
use crate::views::layout::{page, PageMeta};
use crate::views::time::time_ago;

/// A refusal to show at one field of a form.
pub type FieldError<'a> = Option<(&'a str, &'a str)>;

fn field_error(error: FieldError<'_>, field: &str) -> Option<String> {
    error
        .filter(|(name, _)| *name == field)
        .map(|(_, message)| message.to_owned())
}

fn password_field(
    id: &str,
    name: &str,
    label: &str,
    autocomplete: &str,
    error: FieldError<'_>,
) -> Markup {
    let message = field_error(error, name);
    html! {
        div.field {
            label for=(id) { (label) }
            input id=(id) type="password" name=(name) autocomplete=(autocomplete) required
                aria-invalid=(if message.is_some() { "true" } else { "false" });
            @if let Some(message) = message {
                p.field-error role="alert" { (message) }
            }
        }
    }
}

pub struct AccountView<'a> {
    pub moderator: &'a Moderator,
    pub csrf: &'a str,
    pub error: FieldError<'a>,
    pub changed: bool,
    pub tokens: &'a [ApiToken],
    pub sessions: &'a [Session],
    /// The session this page was asked for in.
    pub current_session: Option<i64>,
    /// A token just created: shown this once.
    pub new_token: Option<&'a str>,
    pub now: NaiveDateTime,
}

pub fn account_page(view: &AccountView<'_>) -> Markup {
    page(
        &PageMeta {
            title: "Your account",
            description: "Change your password.",
            url: None,
        },
        html! {
            p { a href="/mod" { "← Moderation" } }
            section.ask.narrow aria-labelledby="account-heading" {
                h1 #account-heading { "Your account" }
                p.meta { "Signed in as " strong { (view.moderator.username) } }
                @if view.changed {
                    p.notice.success role="status" { "Your password was changed. Other sessions were signed out." }
                }
                h2 { "Change your password" }
                form method="post" action="/mod/account/password" {
                    input type="hidden" name="csrf" value=(view.csrf);
                    (password_field("current-password", "current_password", "Current password", "current-password", view.error))
                    (password_field("new-password", "new_password", "New password", "new-password", view.error))
                    (password_field("repeat-password", "repeat_password", "New password again", "new-password", view.error))
                    p.help { "At least " (Password::MIN_CHARS) " characters; a few words you will remember work well." }
                    button.primary type="submit" { "Change password" }
                }
            }
            (sessions_section(view.sessions, view.current_session, view.csrf, view.now))
            (api_tokens(view))
        },
    )
}

fn api_tokens(view: &AccountView<'_>) -> Markup {
    let label_error = field_error(view.error, "label");
    html! {
        section.ask aria-labelledby="tokens-heading" {
            h2 #tokens-heading { "API tokens" }
            p.help { "For scripts that use the moderator API: send " code { "Authorization: Bearer <token>" } "." }
            @if let Some(token) = view.new_token {
                div.notice.success role="status" {
                    p { strong { "Your new token — copy it now, it will not be shown again:" } }
                    p { code.token { (token) } }
                }
            }
            @if view.tokens.is_empty() {
                p.empty { "No tokens yet." }
            } @else {
                table.moderators.stacked {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Created" } th scope="col" { "Last used" } th scope="col" { span.visually-hidden { "Revoke" } } } }
                    tbody {
                        @for token in view.tokens {
                            tr .disabled[token.revoked_at.is_some()] {
                                td data-label="Name" { (token.label) }
                                td.when data-label="Created" { (time_ago(token.created_at, view.now)) }
                                td.when data-label="Last used" { @match token.last_used_at { Some(at) => (time_ago(at, view.now)), None => "never" } }
                                td.actions {
                                    @if token.revoked_at.is_some() {
                                        span.badge.status-rejected { "revoked" }
                                    } @else {
                                        form method="post" action={ "/mod/account/tokens/" (token.id) "/revoke" } {
                                            input type="hidden" name="csrf" value=(view.csrf);
                                            button.link-button type="submit" { "revoke" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            form method="post" action="/mod/account/tokens" {
                input type="hidden" name="csrf" value=(view.csrf);
                div.field {
                    label for="token-label" { "What is it for?" }
                    input #token-label type="text" name="label" placeholder="CI exporter" required
                        aria-invalid=(if label_error.is_some() { "true" } else { "false" });
                    @if let Some(message) = &label_error { p.field-error role="alert" { (message) } }
                }
                button.primary type="submit" { "Create token" }
            }
        }
    }
}

pub struct ModeratorsView<'a> {
    pub moderators: &'a [Moderator],
    pub me: &'a Moderator,
    pub csrf: &'a str,
    /// What the add form keeps after a refusal.
    pub new_username: &'a str,
    pub error: FieldError<'a>,
    pub now: NaiveDateTime,
    pub matching: &'a MatchingStatus,
}

/// How the site matches questions, for administrators.
pub struct MatchingStatus {
    /// One sentence: the model, or why there is none and how to get it.
    pub summary: String,
    pub ready: bool,
    /// Questions waiting for a vector on this instance (`None` when another instance embeds).
    pub pending: Option<i64>,
    /// Vectors this instance holds in memory.
    pub vectors: usize,
}

fn matching_section(matching: &MatchingStatus) -> Markup {
    html! {
        section.narrow #matching aria-labelledby="matching-heading" {
            h2 #matching-heading { "Matching by meaning" }
            p { (matching.summary) }
            @if matching.ready {
                p {
                    (matching.vectors) " questions have a vector. "
                    @match matching.pending {
                        Some(0) => { "Every question is embedded." }
                        Some(waiting) => { (waiting) " are waiting; until then they are matched by words." }
                        None => { "Another instance embeds new questions." }
                    }
                }
            } @else {
                p { code { "faqtory model fetch" } " downloads the model (about 90 MB); restart the server afterwards." }
            }
        }
    }
}

pub fn moderators_page(view: &ModeratorsView<'_>) -> Markup {
    let name_error = field_error(view.error, "username");
    page(
        &PageMeta {
            title: "Moderators",
            description: "Add, disable and reset moderators.",
            url: None,
        },
        html! {
            p { a href="/mod" { "← Moderation" } }
            h1 { "Moderators" }
            @if let Some((field, message)) = view.error {
                @if field == "form" { p.form-error role="alert" { (message) } }
            }
            table.moderators.stacked {
                thead { tr { th scope="col" { "Name" } th scope="col" { "Role" } th scope="col" { "Since" } th scope="col" { "Actions" } } }
                tbody {
                    @for moderator in view.moderators {
                        tr .disabled[moderator.disabled] {
                            td data-label="Name" { (moderator.username) @if moderator.disabled { " " span.badge.status-rejected { "disabled" } } }
                            td data-label="Role" { (moderator.role.as_str()) }
                            td.when data-label="Since" { (time_ago(moderator.created_at, view.now)) }
                            td.actions {
                                @if moderator.id != view.me.id {
                                    @let action = if moderator.disabled { "enable" } else { "disable" };
                                    form method="post" action={ "/mod/admin/moderators/" (moderator.username) "/" (action) } {
                                        input type="hidden" name="csrf" value=(view.csrf);
                                        button.link-button type="submit" { (action) }
                                    }
                                    form method="post" action={ "/mod/admin/moderators/" (moderator.username) "/sessions/end" } {
                                        input type="hidden" name="csrf" value=(view.csrf);
                                        button.link-button type="submit" { "sign out everywhere" }
                                    }
                                    form.inline method="post" action={ "/mod/admin/moderators/" (moderator.username) "/password" } {
                                        input type="hidden" name="csrf" value=(view.csrf);
                                        label.visually-hidden for={ "reset-" (moderator.id) } { "New password for " (moderator.username) }
                                        input id={ "reset-" (moderator.id) } type="password" name="password" autocomplete="new-password" placeholder="new password" required;
                                        button.link-button type="submit" { "reset password" }
                                    }
                                } @else {
                                    a href="/mod/account" { "your account" }
                                }
                            }
                        }
                    }
                }
            }
            (matching_section(view.matching))
            section.ask.narrow aria-labelledby="add-heading" {
                h2 #add-heading { "Add a moderator" }
                form method="post" action="/mod/admin/moderators" {
                    input type="hidden" name="csrf" value=(view.csrf);
                    div.field {
                        label for="new-username" { "Username" }
                        input #new-username type="text" name="username" value=(view.new_username)
                            autocomplete="off" autocapitalize="none" required
                            aria-invalid=(if name_error.is_some() { "true" } else { "false" });
                        @if let Some(message) = &name_error { p.field-error role="alert" { (message) } }
                    }
                    (password_field("new-moderator-password", "password", "Password", "new-password", view.error))
                    div.field {
                        label { input type="checkbox" name="admin" value="on"; " Administrator (manages moderators)" }
                    }
                    button.primary type="submit" { "Add moderator" }
                }
            }
        },
    )
}
