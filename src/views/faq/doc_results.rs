//! Documentation sections among search results: marked as documentation, each linking to its
//! place on the project's site (through `/d/{id}`, which counts that it was opened).

use maud::{html, Markup, PreEscaped};

use crate::app::docs::finding::DocSuggestion;
use crate::app::docs::uses::open_path;

/// Where the links lead: this site's `/d/{id}` (relative on our pages, absolute inside a
/// frame on another site, which opens them in a new tab).
pub struct DocLinks<'a> {
    pub base: &'a str,
    pub new_tab: bool,
}

pub fn doc_results(docs: &[DocSuggestion], links: &DocLinks<'_>) -> Markup {
    html! {
        @if !docs.is_empty() {
            section.doc-results aria-labelledby="doc-results-heading" {
                h2 #doc-results-heading { "In the documentation" }
                ol.faq-hits {
                    @for doc in docs {
                        li.faq-hit.doc-hit {
                            h3 {
                                span.badge { "Docs" } " "
                                @if links.new_tab {
                                    a href={ (links.base) (open_path(doc.section.id)) } target="_blank" rel="noopener" { (doc.section.title) }
                                } @else {
                                    a href={ (links.base) (open_path(doc.section.id)) } { (doc.section.title) }
                                }
                            }
                            // Escaped by the index; only its <mark>s are markup.
                            p.snippet { (PreEscaped(&doc.section.snippet_html)) }
                            p.meta { "From " (doc.section.source) " · " span.doc-url { (doc.section.url) } }
                        }
                    }
                }
            }
        }
    }
}
