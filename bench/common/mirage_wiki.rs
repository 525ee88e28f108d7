//! The MirageOS wiki (the shared data's 182 sections) in the shape a project exports its
//! documentation: `{url, title, section, text}` a line.

use std::path::Path;

use super::BoxError;

#[derive(serde::Deserialize)]
struct WikiSection {
    page: String,
    page_title: String,
    section: String,
    text: String,
}

/// Writes the wiki to `path`; answers how many sections it holds.
pub fn write_wiki_jsonl(path: &Path) -> Result<usize, BoxError> {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    let wiki: Vec<WikiSection> =
        std::fs::read_to_string(shared.join("mirageos/wiki_sections.jsonl"))?
            .lines()
            .map(serde_json::from_str)
            .collect::<Result<_, _>>()?;
    let lines: Vec<String> = wiki
        .iter()
        .map(|section| {
            serde_json::json!({
                "url": format!("https://mirage.io/wiki/{}", section.page),
                "title": section.page_title,
                "section": section.section,
                "text": section.text,
            })
            .to_string()
        })
        .collect();
    std::fs::write(path, lines.join("\n"))?;
    Ok(wiki.len())
}
