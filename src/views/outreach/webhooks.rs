//! `/mod/admin/webhooks`: the admin's webhooks, a form to add one, and the delivery log.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::app::outreach::webhooks::{DeliveryLogLine, Webhook};
use crate::domain::{WebhookFormat, WebhookKind};
use crate::views::layout::{wide_page, PageMeta};
use crate::views::time::time_ago;

/// What the add form had, when it comes back refused.
#[derive(Default)]
pub struct WebhookForm<'a> {
    pub url: &'a str,
    pub format: Option<WebhookFormat>,
    /// The kinds ticked; `None` before the form was sent (all are ticked then).
    pub kinds: Option<Vec<WebhookKind>>,
    pub event: &'a str,
    /// The field at fault and why.
    pub error: Option<(&'a str, &'a str)>,
}

pub struct WebhooksView<'a> {
    pub webhooks: &'a [Webhook],
    pub log: &'a [DeliveryLogLine],
    /// Slugs and titles of the events a webhook may be limited to.
    pub events: &'a [(String, String)],
    pub form: WebhookForm<'a>,
    /// The secret of the webhook just added: shown this once.
    pub new_secret: Option<&'a str>,
    pub csrf: &'a str,
    pub now: NaiveDateTime,
}

fn format_name(format: WebhookFormat) -> &'static str {
    match format {
        WebhookFormat::Generic => "Generic JSON (signed)",
        WebhookFormat::Slack => "Slack",
        WebhookFormat::Discord => "Discord",
    }
}

pub fn webhooks_page(view: &WebhooksView<'_>) -> Markup {
    let error_at = |field: &str| {
        view.form
            .error
            .filter(|(at, _)| *at == field)
            .map(|(_, message)| message)
    };
    let chosen = |kind: WebhookKind| {
        view.form
            .kinds
            .as_ref()
            .is_none_or(|kinds| kinds.contains(&kind))
    };
    wide_page(
        &PageMeta {
            title: "Webhooks",
            description: "Tell chat rooms and other services about questions and answers.",
            url: None,
        },
        html! {
            p { a href="/mod" { "← Moderation" } }
            h1 { "Webhooks" }
            p.help { "Each webhook posts to its receiver when something it hears of happens, site-wide or in one event. Deliveries are queued and tried again, twice as long apart each time, up to eight times." }
            @if let Some(secret) = view.new_secret {
                section.notice.success role="status" {
                    p { "Webhook added. Its signing secret, shown this once:" }
                    p { code.token { (secret) } }
                    p.help { "Generic deliveries carry " code { "X-Faqtory-Timestamp" } " and " code { "X-Faqtory-Signature: sha256=HMAC-SHA256(secret, timestamp + \".\" + body)" } "." }
                }
            }
            @if let Some(message) = error_at("form") { p.form-error role="alert" { (message) } }
            @if view.webhooks.is_empty() {
                p.empty { "No webhooks yet." }
            } @else {
                table.webhooks.stacked {
                    thead { tr { th scope="col" { "Receiver" } th scope="col" { "Format" } th scope="col" { "Hears of" } th scope="col" { "Event" } th scope="col" { "Added" } th scope="col" { "Actions" } } }
                    tbody {
                        @for webhook in view.webhooks {
                            tr {
                                td data-label="Receiver" { code.url { (webhook.url) } }
                                td data-label="Format" { (format_name(webhook.format)) }
                                td data-label="Hears of" {
                                    @for (n, kind) in webhook.kinds.iter().enumerate() {
                                        @if n > 0 { ", " }
                                        (kind.as_str())
                                    }
                                }
                                td data-label="Event" { @if let Some(slug) = &webhook.event_slug { (slug) } @else { "all" } }
                                td.when data-label="Added" { (time_ago(webhook.created_at, view.now)) }
                                td.actions {
                                    form method="post" action={ "/mod/admin/webhooks/" (webhook.id) "/delete" } {
                                        input type="hidden" name="csrf" value=(view.csrf);
                                        button.link-button type="submit" { "remove" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.ask.narrow aria-labelledby="add-webhook" {
                h2 #add-webhook { "Add a webhook" }
                form method="post" action="/mod/admin/webhooks" {
                    input type="hidden" name="csrf" value=(view.csrf);
                    div.field {
                        label for="webhook-url" { "Receiver's address" }
                        input #webhook-url type="url" name="url" value=(view.form.url) required
                            placeholder="https://hooks.slack.com/services/…"
                            aria-invalid=(if error_at("url").is_some() { "true" } else { "false" });
                        @if let Some(message) = error_at("url") { p.field-error role="alert" { (message) } }
                    }
                    div.field {
                        label for="webhook-format" { "Format" }
                        select #webhook-format name="format" {
                            @for format in [WebhookFormat::Generic, WebhookFormat::Slack, WebhookFormat::Discord] {
                                option value=(format.as_str()) selected[view.form.format == Some(format)] { (format_name(format)) }
                            }
                        }
                    }
                    fieldset.field {
                        legend { "Hears of" }
                        @for kind in WebhookKind::ALL {
                            label { input type="checkbox" name=(kind.as_str()) value="on" checked[chosen(kind)]; " " (kind.headline()) " (" code { (kind.as_str()) } ")" }
                        }
                        @if let Some(message) = error_at("events") { p.field-error role="alert" { (message) } }
                    }
                    div.field {
                        label for="webhook-event" { "Event" }
                        select #webhook-event name="event" {
                            option value="" { "All events" }
                            @for (slug, title) in view.events {
                                option value=(slug) selected[view.form.event == slug.as_str()] { (title) }
                            }
                        }
                        @if let Some(message) = error_at("event") { p.field-error role="alert" { (message) } }
                    }
                    button.primary type="submit" { "Add webhook" }
                }
            }
            section aria-labelledby="deliveries" {
                h2 #deliveries { "Latest deliveries" }
                @if view.log.is_empty() {
                    p.empty { "Nothing sent yet." }
                } @else {
                    table.deliveries.stacked {
                        thead { tr { th scope="col" { "When" } th scope="col" { "Webhook" } th scope="col" { "What" } th scope="col" { "State" } th scope="col" { "Attempts" } th scope="col" { "Last answer" } } }
                        tbody {
                            @for line in view.log {
                                tr {
                                    td.when data-label="When" { (time_ago(line.created_at, view.now)) }
                                    td data-label="Webhook" { "#" (line.webhook_id) }
                                    td data-label="What" {
                                        (line.kind)
                                        @if let Some(question) = &line.question { ": " span.question-body { (question) } }
                                    }
                                    td data-label="State" {
                                        span class={ "badge delivery-" (line.state) } { (line.state) }
                                        @if line.state == "pending" && line.attempts > 0 { " · next " (time_ago(line.next_attempt_at, view.now)) }
                                    }
                                    td data-label="Attempts" { (line.attempts) }
                                    td data-label="Last answer" {
                                        @if let Some(status) = line.last_status { (status) }
                                        @if let Some(error) = &line.last_error { " " span.meta { (error) } }
                                        @if let Some(at) = line.delivered_at { " · delivered " (time_ago(at, view.now)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
