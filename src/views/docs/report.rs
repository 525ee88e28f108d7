//! `/mod/docs`: what the documentation settles and what it does not, for the team.

use maud::{html, Markup};

use crate::app::docs::report::DocsReport;
use crate::app::docs::uses::open_path;
use crate::views::layout::{wide_page, PageMeta};

pub fn report_page(report: &DocsReport, is_admin: bool) -> Markup {
    wide_page(
        &PageMeta {
            title: "Documentation report",
            description: "What the documentation settles, and what it does not.",
            url: None,
        },
        html! {
            p { a href="/mod" { "← Moderation" } }
            h1 { "Documentation report" }
            p.meta {
                a href="/api/v1/docs/report?format=csv" download { "Download as CSV" }
                @if is_admin { " · " a href="/mod/admin/docs" { "documentation sources" } }
            }
            section aria-labelledby="topics-wanted" {
                h2 #topics-wanted { "Topics to write documentation for" }
                p.help { "Listed by moderators from " a href="/mod/insights" { "topics across events" } ": what the community keeps asking and the docs should say." }
                @if report.topics_wanted.is_empty() {
                    p.empty { "None listed: open a topic and press “Write docs for this”." }
                } @else {
                    ul.topics-wanted {
                        @for (id, name) in &report.topics_wanted {
                            li { a href={ "/mod/insights/topics/" (id) } { (name) } }
                        }
                    }
                }
            }
            @if report.sections_searchable == 0 {
                p.empty { "No documentation is searchable yet, so there is nothing to report. "
                    @if is_admin { "Add the project's documentation on the " a href="/mod/admin/docs" { "documentation sources" } " page." }
                    @else { "An admin adds it on the documentation sources page." }
                }
            } @else {
                section aria-labelledby="by-event" {
                    h2 #by-event { "Answered in the docs, by event" }
                    @if report.events.is_empty() {
                        p.empty { "No events yet." }
                    } @else {
                        ul.docs-figures {
                            @for figure in &report.events {
                                li {
                                    a href={ "/mod/e/" (figure.slug) } { (figure.title) } ": "
                                    strong { (figure.answered_in_docs) " of " (figure.questions) }
                                    " questions are answered in the docs"
                                }
                            }
                        }
                    }
                }
                section aria-labelledby="asked-anyway" {
                    h2 #asked-anyway { "Sections shown to askers, asked about anyway first" }
                    p.help { "Askers saw these sections under the ask form and sent their question all the same: the section did not settle it, or was not clear. Improve these first." }
                    @if report.sections.is_empty() {
                        p.empty { "No section has been shown to anyone yet." }
                    } @else {
                        table.doc-uses.stacked {
                            thead { tr {
                                th scope="col" { "Section" } th scope="col" { "Shown" } th scope="col" { "Opened" }
                                th scope="col" { "Answered my question" } th scope="col" { "Asked anyway" } th scope="col" { "Answered with" }
                            } }
                            tbody {
                                @for used in &report.sections {
                                    tr {
                                        td data-label="Section" {
                                            a href=(open_path(used.section.id)) { (used.section.heading_path) }
                                            " " span.meta { "(" (used.source) ")" }
                                            @if used.section.removed_at.is_some() { " " span.badge { "gone from the docs" } }
                                        }
                                        td data-label="Shown" { (used.shown) }
                                        td data-label="Opened" { (used.opened) }
                                        td data-label="Answered my question" { (used.answered) }
                                        td data-label="Asked anyway" { strong { (used.asked_anyway) } }
                                        td data-label="Answered with" { (used.answered_with) }
                                    }
                                }
                            }
                        }
                    }
                }
                section aria-labelledby="gaps" {
                    h2 #gaps { "Most voted questions no section covers" }
                    p.help { "No documentation section comes close to these: what to write next." }
                    @if report.gaps.is_empty() {
                        p.empty { "Every question asked so far is close to a section." }
                    } @else {
                        ol.gaps {
                            @for gap in &report.gaps {
                                li {
                                    span.question-body { (gap.question.body) }
                                    " " span.meta { (gap.question.vote_count) " votes · " a href={ "/mod/e/" (gap.event_slug) } { (gap.event_slug) } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
