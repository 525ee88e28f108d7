//! `/mod/log`: every moderator action in words, with the question it was about, filterable by
//! event, moderator and action, with undo where an action can be undone.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::app::moderation::modlog::AuditLog;
use crate::db::modlog::{Entry, Filter};
use crate::views::layout::{wide_page, PageMeta};
use crate::views::time::time_ago;

pub struct AuditLogView<'a> {
    pub log: &'a AuditLog,
    pub filter: &'a Filter,
    pub csrf: &'a str,
    pub now: NaiveDateTime,
}

/// Every action the log records, and how the log says it.
const ACTIONS: [(&str, &str); 33] = [
    ("question.approve", "approved"),
    ("question.reject", "rejected"),
    ("question.restore", "undid the rejection of"),
    ("question.answer", "answered"),
    ("question.answer_edit", "edited the answer to"),
    ("question.unanswer", "took back the answer to"),
    ("question.merge", "merged"),
    ("question.unmerge", "unmerged"),
    ("question.edit", "edited the text of"),
    ("question.labels", "set the labels of"),
    ("question.on_screen", "put on screen"),
    ("question.off_screen", "took off screen"),
    ("question.moderator_vote", "gave a moderator vote to"),
    (
        "question.moderator_unvote",
        "withdrew a moderator vote from",
    ),
    ("question.carry_over", "carried over"),
    (
        "question.discount_automated",
        "discounted automated votes on",
    ),
    (
        "question.count_automated",
        "counted automated votes again on",
    ),
    ("question.from_search", "asked, from a FAQ search,"),
    ("event.create", "created the event"),
    ("event.edit", "edited the event"),
    ("event.status", "changed the status of the event"),
    ("event.labels", "changed the labels of the event"),
    ("event.import", "imported questions into the event"),
    ("event.carry_over", "carried questions over from the event"),
    ("event.transcript", "brought in a transcript for the event"),
    (
        "event.recording_timeline",
        "lined up the recording of the event",
    ),
    (
        "event.presenter_link",
        "made a presenter link for the event",
    ),
    ("moderator.add", "added a moderator"),
    ("moderator.disable", "disabled a moderator"),
    ("moderator.enable", "enabled a moderator"),
    ("moderator.password", "changed a password"),
    ("token.create", "created an API token"),
    ("token.revoke", "revoked an API token"),
];

fn in_words(action: &str) -> &str {
    ACTIONS
        .iter()
        .find(|(name, _)| *name == action)
        .map_or(action, |(_, words)| words)
}

/// The undo this kind of entry offers, as (move, label).
fn undo_for(action: &str) -> Option<(&'static str, &'static str)> {
    match action {
        "question.reject" => Some(("restore", "Undo rejection")),
        "question.answer" | "question.answer_edit" => Some(("unanswer", "Take back the answer")),
        "question.merge" => Some(("unmerge", "Unmerge")),
        "question.discount_automated" => Some(("count-automated", "Count them again")),
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

fn shortened(text: &str) -> String {
    const AT_MOST: usize = 120;
    if text.chars().count() <= AT_MOST {
        return text.to_owned();
    }
    let mut short: String = text.chars().take(AT_MOST - 1).collect();
    short.push('…');
    short
}

fn select(name: &str, label: &str, choices: &[(String, String)], chosen: Option<&str>) -> Markup {
    html! {
        label {
            (label)
            select name=(name) {
                option value="" selected[chosen.is_none()] { "all" }
                @for (value, text) in choices {
                    option value=(value) selected[chosen == Some(value.as_str())] { (text) }
                }
            }
        }
    }
}

pub fn audit_log_page(view: &AuditLogView<'_>) -> Markup {
    let filter = view.filter;
    let log = view.log;
    let pairs = |values: &[String]| -> Vec<(String, String)> {
        values
            .iter()
            .map(|value| (value.clone(), value.clone()))
            .collect()
    };
    let actions: Vec<(String, String)> = ACTIONS
        .iter()
        .map(|(name, words)| {
            (
                (*name).to_owned(),
                (*words).trim_end_matches(',').to_owned(),
            )
        })
        .collect();
    wide_page(
        &PageMeta {
            title: "Audit log",
            description: "Every moderator action.",
            url: None,
        },
        html! {
            p { a href="/mod" { "← Moderation" } }
            h1 { "Audit log" }
            form.filters method="get" action="/mod/log" {
                (select("event", "Event", &pairs(&log.events), filter.event_slug.as_deref()))
                (select("moderator", "Moderator", &pairs(&log.moderators), filter.moderator.as_deref()))
                (select("action", "Action", &actions, filter.action.as_deref()))
                button.secondary type="submit" { "Filter" }
            }
            @if log.entries.is_empty() {
                p.empty { "Nothing logged yet for this filter." }
            } @else {
                table.stacked.audit-log {
                    thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "What" } th scope="col" { span.visually-hidden { "Undo" } } } }
                    tbody {
                        @for entry in &log.entries { (entry_row(entry, view)) }
                    }
                }
            }
        },
    )
}

fn entry_row(entry: &Entry, view: &AuditLogView<'_>) -> Markup {
    html! {
        tr {
            td.when data-label="When" { (time_ago(entry.created_at, view.now)) }
            td data-label="Who" { (entry.moderator.as_deref().unwrap_or("command line")) }
            td data-label="What" {
                (in_words(&entry.action))
                @if let Some(id) = entry.question_id {
                    " " @match &entry.event {
                        Some(event) => a href={ "/mod/e/" (event) "#q-" (id) } { "#" (id) },
                        None => { "#" (id) },
                    }
                }
                @if let Some(into) = merged_into(entry) { " into #" (into) }
                @if entry.question_id.is_none() {
                    @if let Some(event) = &entry.event { " " a href={ "/mod/e/" (event) } { (event) } }
                }
                @if let Some(body) = entry.question_id.and_then(|id| view.log.questions.get(&id)) {
                    span.quoted { "“" (shortened(body)) "”" }
                }
                @if let Some(reason) = &entry.reason { span.meta.detail { "Reason: " (reason) } }
                @if merged_into(entry).is_none() {
                    @if let (Some(before), Some(after)) = (&entry.before_value, &entry.after_value) {
                        span.meta.detail { (shortened(before)) " → " (shortened(after)) }
                    } @else if let Some(after) = &entry.after_value {
                        span.meta.detail { (shortened(after)) }
                    }
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
