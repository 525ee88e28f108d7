//! `/mod/admin/docs`: the documentation sources, each with what its last refresh found, its
//! schedule and a refresh under way; a form to add one.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::app::docs::schedule::next_refresh;
use crate::app::docs::sources::SourceSummary;
use crate::db::docs::{DocSourceRow, JSONL, MARKDOWN, SITEMAP};
use crate::views::layout::{wide_page, PageMeta};
use crate::views::time::time_ago;

/// What the add form had, when it comes back refused.
#[derive(Default)]
pub struct SourceForm<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub location: &'a str,
    pub base_url: &'a str,
    /// The field at fault and why.
    pub error: Option<(&'a str, &'a str)>,
}

pub struct SourcesView<'a> {
    pub sources: &'a [SourceSummary],
    pub form: SourceForm<'a>,
    /// Where the API's and this page's files are read from.
    pub docs_dir: &'a str,
    /// A message about a source's schedule or refresh that could not be done.
    pub refused: Option<&'a str>,
    pub csrf: &'a str,
    pub now: NaiveDateTime,
}

/// The schedules offered, in minutes; `None`: on demand.
const SCHEDULES: [(Option<i32>, &str); 5] = [
    (None, "on demand only"),
    (Some(60), "every hour"),
    (Some(360), "every 6 hours"),
    (Some(1440), "every day"),
    (Some(10_080), "every week"),
];

fn kind_name(kind: &str) -> &'static str {
    match kind {
        JSONL => "JSONL file",
        MARKDOWN => "Markdown folder",
        SITEMAP => "site (sitemap)",
        _ => "source",
    }
}

pub fn sources_page(view: &SourcesView<'_>) -> Markup {
    let error_at = |field: &str| {
        view.form
            .error
            .filter(|(at, _)| *at == field)
            .map(|(_, message)| message)
    };
    let refreshing = view
        .sources
        .iter()
        .any(|summary| summary.source.refreshing_at(view.now));
    let kind = if view.form.kind.is_empty() {
        JSONL
    } else {
        view.form.kind
    };
    wide_page(
        &PageMeta {
            title: "Documentation",
            description: "The project's documentation, as a source of answers.",
            url: None,
        },
        html! {
            p { a href="/mod" { "← Moderation" } }
            h1 { "Documentation" }
            p.help { "Sections of the project's documentation show under the ask form when they answer what someone types, beside FAQ entries in the search, and on moderators' question rows. Each source is read into sections by heading; a refresh rewrites only what changed and keeps a tombstone for what went, so old links still say where it moved." }
            @if let Some(message) = view.refused { p.form-error role="alert" { (message) } }
            @if let Some(message) = error_at("form") { p.form-error role="alert" { (message) } }
            @if view.sources.is_empty() {
                p.empty { "No documentation sources yet." }
            } @else {
                table.doc-sources.stacked {
                    thead { tr { th scope="col" { "Source" } th scope="col" { "Sections" } th scope="col" { "Last refresh" } th scope="col" { "Schedule" } th scope="col" { "Actions" } } }
                    tbody {
                        @for summary in view.sources {
                            (source_row(view, summary))
                        }
                    }
                }
                @if refreshing {
                    // The page reloads itself while a refresh runs (app.js), to follow it.
                    p.meta data-reload-soon { "A refresh is under way: this page follows it." }
                }
            }
            section.ask.narrow aria-labelledby="add-source" {
                h2 #add-source { "Add a source" }
                form method="post" action="/mod/admin/docs" {
                    input type="hidden" name="csrf" value=(view.csrf);
                    div.field {
                        label for="source-name" { "Name" }
                        input #source-name type="text" name="name" value=(view.form.name) required maxlength="40"
                            placeholder="wiki" aria-describedby="source-name-help"
                            aria-invalid=(if error_at("name").is_some() { "true" } else { "false" });
                        p.help #source-name-help { "Lower-case letters, digits, " code { "-" } " or " code { "_" } "." }
                        @if let Some(message) = error_at("name") { p.field-error role="alert" { (message) } }
                    }
                    fieldset.field {
                        legend { "Kind" }
                        @for (value, label, help) in [
                            (JSONL, "JSONL file", "one {\"url\", \"title\", \"section\", \"text\"} object a line"),
                            (MARKDOWN, "Markdown folder", "an mdBook, MkDocs or Docusaurus checkout, a wiki clone"),
                            (SITEMAP, "Site", "its sitemap.xml; pages are fetched from its host"),
                        ] {
                            label { input type="radio" name="kind" value=(value) checked[kind == value]; " " (label) " " span.meta { "(" (help) ")" } }
                        }
                    }
                    div.field {
                        label for="source-location" { "File, folder or sitemap address" }
                        input #source-location type="text" name="location" value=(view.form.location) required
                            placeholder="wiki.jsonl  or  https://docs.example.org/sitemap.xml"
                            aria-describedby="source-location-help"
                            aria-invalid=(if error_at("location").is_some() { "true" } else { "false" });
                        p.help #source-location-help { "Files and folders are read from " code { (view.docs_dir) } " (the command line " code { "faqtory docs add" } " reads from anywhere)." }
                        @if let Some(message) = error_at("location") { p.field-error role="alert" { (message) } }
                    }
                    div.field {
                        label for="source-base-url" { "Where the folder's site is served (Markdown only)" }
                        input #source-base-url type="url" name="base_url" value=(view.form.base_url)
                            placeholder="https://docs.example.org"
                            aria-invalid=(if error_at("base_url").is_some() { "true" } else { "false" });
                        @if let Some(message) = error_at("base_url") { p.field-error role="alert" { (message) } }
                    }
                    button.primary type="submit" { "Add and read it" }
                    p.help { "Reading a site can take a minute or two." }
                }
            }
        },
    )
}

fn source_row(view: &SourcesView<'_>, summary: &SourceSummary) -> Markup {
    let source = &summary.source;
    let action = |verb: &str| format!("/mod/admin/docs/{}/{verb}", source.name);
    html! {
        tr id={ "source-" (source.name) } {
            td data-label="Source" {
                strong { (source.name) } " " span.badge { (kind_name(&source.kind)) }
                br;
                code.url { (source.location) }
            }
            td data-label="Sections" {
                (summary.sections)
                @if summary.tombstones > 0 { " " span.meta { "(" (summary.tombstones) " gone, kept as tombstones)" } }
            }
            td data-label="Last refresh" {
                @if source.refreshing_at(view.now) {
                    (progress(source))
                } @else if let Some(at) = source.refreshed_at {
                    (time_ago(at, view.now))
                } @else {
                    "never"
                }
                @if let Some(report) = &source.last_report {
                    details.refresh-report { summary { "what it found" } pre { (report) } }
                }
            }
            td data-label="Schedule" {
                form.inline method="post" action=(action("schedule")) {
                    input type="hidden" name="csrf" value=(view.csrf);
                    label.visually-hidden for={ "schedule-" (source.name) } { "Refresh " (source.name) }
                    select id={ "schedule-" (source.name) } name="every" {
                        @for (minutes, label) in SCHEDULES {
                            option value=(minutes.map(|m| m.to_string()).unwrap_or_default()) selected[source.refresh_every_minutes == minutes] { (label) }
                        }
                        @if let Some(minutes) = source.refresh_every_minutes.filter(|m| !SCHEDULES.iter().any(|(offered, _)| *offered == Some(*m))) {
                            option value=(minutes) selected { "every " (minutes) " minutes" }
                        }
                    }
                    " " button.link-button type="submit" { "save" }
                }
                @if let Some(next) = next_refresh(source) { p.meta { "next " (time_ago(next, view.now)) } }
            }
            td.actions {
                form.inline method="post" action=(action("refresh")) {
                    input type="hidden" name="csrf" value=(view.csrf);
                    button.link-button type="submit" disabled[source.refreshing_at(view.now)] { "refresh now" }
                }
                details.confirm {
                    summary { "remove…" }
                    form method="post" action=(action("delete")) {
                        input type="hidden" name="csrf" value=(view.csrf);
                        p.meta { "Its " (summary.sections) " sections leave the search and the ask form." }
                        button.danger type="submit" { "Remove " (source.name) }
                    }
                }
            }
        }
    }
}

/// A refresh under way: pages read of how many, once they are counted.
fn progress(source: &DocSourceRow) -> Markup {
    let done = source.refresh_done.unwrap_or_default();
    html! {
        span.refreshing role="status" {
            @match source.refresh_total {
                Some(total) if total > 0 => {
                    progress max=(total) value=(done) {}
                    " " (done) " of " (total) " pages read"
                }
                _ => { "refreshing: listing the pages…" }
            }
        }
    }
}
