//! `/faq.md?q=…`: a search's results as Markdown, FAQ entries and documentation sections apart,
//! for tools and assistants that read the FAQ as text.

use crate::app::docs::finding::DocSuggestion;
use crate::app::faq::browse::entry_path;
use crate::domain::escape_inline;
use crate::search::SearchHit;

pub fn search_markdown(
    query: &str,
    hits: &[SearchHit],
    docs: &[DocSuggestion],
    public_base: &str,
) -> String {
    let mut document = format!("# Search: {}\n", escape_inline(query));
    if hits.is_empty() && docs.is_empty() {
        document.push_str("\nNothing in the FAQ or the documentation matches.\n");
        return document;
    }
    if !docs.is_empty() {
        document.push_str("\n## In the documentation\n\n");
        for doc in docs {
            let section = &doc.section;
            document.push_str(&format!(
                "- [{}](<{}>): {}\n",
                escape_inline(&section.title),
                link_target(&section.url),
                escape_inline(section.snippet.trim())
            ));
        }
    }
    if !hits.is_empty() {
        document.push_str("\n## In the FAQ\n\n");
        for hit in hits {
            document.push_str(&format!(
                "- [{}](<{public_base}{}>), asked at {}\n",
                escape_inline(&hit.question),
                entry_path(hit.id, &hit.question),
                escape_inline(&hit.event_title)
            ));
        }
    }
    document
}

/// An address inside `<…>`, where a `>` or a line break would end it early.
fn link_target(url: &str) -> String {
    url.replace('>', "%3E")
        .replace('<', "%3C")
        .replace(['\n', '\r'], "")
}
