//! `/mod/log`: every moderator action, filterable, with undo where an action can be undone.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::layout::{page, PageMeta};
use super::time::time_ago;
use crate::db::modlog::{Entry, Filter};

pub struct AuditLogView<'a> {
    pub entries: &'a [Entry],
    pub filter: &'a Filter,
    pub csrf: &'a str,
    pub now: NaiveDateTime,
    pub public_base: &'a str,
}

/// The undo this kind of entry offers, as (move, label).
fn undo_for(action: &str) -> Option<(&'static str, &'static str)> {
    match action {
        "question.reject" => Some(("restore", "Undo rejection")),
        "question.answer" | "question.answer_edit" => Some(("unanswer", "Take back the answer")),
        "question.merge" => Some(("unmerge", "Unmerge")),
        _ => None,
    }
}

/// A merge keeps the details of what it did for its undo; the log shows where it went.
fn merged_into(entry: &Entry) -> Option<i64> {
    if entry.action != "question.merge" {
        return None;
    }
    let details: serde_json::Value = serde_json::from_str(entry.after_value.as_deref()?).ok()?;
    details["into"].as_i64()
}

pub fn audit_log_page(view: &AuditLogView<'_>) -> Markup {
    let filter = view.filter;
    page(
        &PageMeta {
            title: "Audit log",
            description: "Every moderator action.",
            url: view.public_base,
        },
        html! {
            p { a href="/mod" { "← Moderation" } }
            h1 { "Audit log" }
            form.filters method="get" action="/mod/log" {
                label { "Event " input type="text" name="event" value=[filter.event_slug.as_deref()] placeholder="slug"; }
                label { "Moderator " input type="text" name="moderator" value=[filter.moderator.as_deref()]; }
                label { "Action " input type="text" name="action" value=[filter.action.as_deref()] placeholder="question.reject"; }
                button.secondary type="submit" { "Filter" }
            }
            @if view.entries.is_empty() {
                p.empty { "Nothing logged yet for this filter." }
            } @else {
                table.moderators {
                    thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { "Details" } th scope="col" { "" } } }
                    tbody {
                        @for entry in view.entries {
                            tr {
                                td { (time_ago(entry.created_at, view.now)) }
                                td { (entry.moderator.as_deref().unwrap_or("command line")) }
                                td { code { (entry.action) }
                                    @if let Some(event) = &entry.event { " · " a href={ "/mod/e/" (event) } { (event) } }
                                    @if let Some(id) = entry.question_id { " · #" (id) } }
                                td {
                                    @if let Some(reason) = &entry.reason { "reason: " (reason) br; }
                                    @if let Some(into) = merged_into(entry) {
                                        span.meta { "merged into #" (into) }
                                    } @else if let (Some(before), Some(after)) = (&entry.before_value, &entry.after_value) {
                                        span.meta { (before) " → " (after) }
                                    } @else if let Some(after) = &entry.after_value {
                                        span.meta { (after) }
                                    }
                                }
                                td {
                                    @if let (Some((verb, label)), Some(id)) = (undo_for(&entry.action), entry.question_id) {
                                        form method="post" action={ "/mod/q/" (id) "/" (verb) } {
                                            input type="hidden" name="csrf" value=(view.csrf);
                                            input type="hidden" name="back" value="/mod/log";
                                            button.secondary type="submit" { (label) }
                                        }
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
