//! "Already in the documentation": the sections that answer what is being asked, shown above the
//! similar questions, each with a link to read it and a way to say it answered.

use maud::{html, Markup, PreEscaped};

use crate::app::docs::finding::DocSuggestion;
use crate::app::docs::uses::open_path;
use crate::views::components::csrf_field;

/// The box inside the ask form. Its "this answers my question" buttons submit forms placed
/// after the ask form (see `answered_forms`); `docs_shown` tells the server, when the question
/// is sent anyway, which sections were seen.
pub fn docs_box(docs: &[DocSuggestion], slug: &str) -> Markup {
    let shown: Vec<String> = docs.iter().map(|doc| doc.section.id.to_string()).collect();
    html! {
        div.similar.docs role="region" aria-labelledby="docs-heading" {
            p #docs-heading { strong { "Already in the documentation" } " — this may answer it." }
            ul {
                @for doc in docs {
                    li {
                        a.doc-title href={ (open_path(doc.section.id)) "?e=" (slug) } { (doc.section.title) }
                        // The snippet is escaped by the index; only its <mark>s are markup.
                        p.doc-snippet { (PreEscaped(&doc.section.snippet_html)) }
                        button.secondary type="submit" form={ "doc-answered-" (doc.section.id) } { "This answers my question" }
                    }
                }
            }
        }
        input type="hidden" name="docs_shown" value=(shown.join(","));
    }
}

/// The forms the "This answers my question" buttons submit, placed after the ask form.
pub fn answered_forms(docs: &[DocSuggestion], slug: &str, csrf: &str) -> Markup {
    html! {
        @for doc in docs {
            form #{ "doc-answered-" (doc.section.id) } method="post" action={ "/e/" (slug) "/docs/" (doc.section.id) "/answered" } hidden {
                (csrf_field(csrf))
            }
        }
    }
}
