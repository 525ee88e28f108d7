//! A documentation section as the public API lists it among other results (ask-form
//! suggestions, FAQ search): `"kind": "doc"` tells it from the items beside it.

use serde::Serialize;
use utoipa::ToSchema;

use crate::app::docs::finding::DocSuggestion;
use crate::app::docs::uses::open_path;

#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum DocKind {
    Doc,
}

#[derive(Serialize, ToSchema)]
pub struct DocItemJson {
    /// Always `doc`.
    pub kind: DocKind,
    /// The section's id.
    pub id: i64,
    /// Its heading path: `Page › Section › Subsection`.
    pub title: String,
    /// The section on its own site, with its anchor.
    pub url: String,
    /// The same place through this site, which counts that it was opened.
    pub open_url: String,
    /// A passage around the words looked for, in `<mark>`; escaped HTML.
    pub snippet_html: String,
    /// The documentation source it comes from.
    pub source: String,
    pub score: f32,
    /// Closeness of meaning (cosine, up to 1), when a sentence encoder is loaded.
    pub meaning: Option<f32>,
}

impl From<DocSuggestion> for DocItemJson {
    fn from(found: DocSuggestion) -> Self {
        Self {
            kind: DocKind::Doc,
            id: found.section.id,
            open_url: open_path(found.section.id),
            title: found.section.title,
            url: found.section.url,
            snippet_html: found.section.snippet_html,
            source: found.section.source,
            score: found.score,
            meaning: found.meaning,
        }
    }
}
