//! A JSONL file of sections, one per line: `{"url", "title", "section", "text"}`. `title` is the
//! page's, `section` the heading within it (left out, or the same as the title, for the top of
//! the page); the anchor is the URL's own, or the one generators give the heading.

use serde::Deserialize;

use super::section::{
    heading_anchor, passages, plain_heading, Anchors, ReadSection, Refused, HEADING_SEPARATOR,
    MAX_PAGE_BYTES,
};

#[derive(Deserialize)]
struct Line {
    url: String,
    title: String,
    #[serde(default)]
    section: Option<String>,
    text: String,
}

/// Every section the file holds, and a refusal for each line that is not one.
pub fn read(bytes: &[u8]) -> (Vec<ReadSection>, Vec<Refused>) {
    let mut sections = Vec::new();
    let mut refused = Vec::new();
    let mut anchors = Anchors::default();
    for (index, raw) in bytes.split(|&b| b == b'\n').enumerate() {
        let place = format!("line {}", index + 1);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match section_of(raw) {
            Ok(line) => sections.extend(sections_of(line, &mut anchors)),
            Err(reason) => refused.push(Refused { place, reason }),
        }
    }
    (sections, refused)
}

fn section_of(raw: &[u8]) -> Result<Line, String> {
    if raw.len() > MAX_PAGE_BYTES {
        return Err(format!(
            "{} MB is more than a documentation page can be ({} MB)",
            raw.len() / (1024 * 1024),
            MAX_PAGE_BYTES / (1024 * 1024)
        ));
    }
    let text = std::str::from_utf8(raw).map_err(|_| "not UTF-8 text".to_owned())?;
    if text.contains('\0') {
        return Err("binary data, not text".to_owned());
    }
    let line: Line = serde_json::from_str(text)
        .map_err(|error| format!("not a JSON object with `url`, `title` and `text` ({error})"))?;
    let url = url::Url::parse(line.url.trim())
        .map_err(|_| format!("`{}` is not an address (https://…)", line.url))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("`{}` is not an http(s) address", line.url));
    }
    if line.title.trim().is_empty() {
        return Err("`title` is empty".to_owned());
    }
    if line.text.trim().is_empty() {
        return Err("`text` is empty".to_owned());
    }
    let binary = |text: &str| {
        text.chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'))
    };
    if binary(&line.text) || binary(&line.title) {
        return Err("control characters: binary data, not text".to_owned());
    }
    Ok(line)
}

fn sections_of(line: Line, anchors: &mut Anchors) -> Vec<ReadSection> {
    let mut url = match url::Url::parse(line.url.trim()) {
        Ok(url) => url,
        Err(_) => return Vec::new(),
    };
    let given_anchor = url.fragment().map(str::to_owned);
    url.set_fragment(None);
    let page = url.to_string();
    let title = plain_heading(&line.title);
    let heading = line
        .section
        .as_deref()
        .map(plain_heading)
        .filter(|section| !section.is_empty() && *section != title);
    let heading_path = match &heading {
        Some(section) => format!("{title}{HEADING_SEPARATOR}{section}"),
        None => title.clone(),
    };
    let anchor = given_anchor
        .or_else(|| heading.as_deref().map(heading_anchor))
        .unwrap_or_default();
    let anchor = anchors.unique(&page, anchor);
    passages(line.text.trim())
        .into_iter()
        .enumerate()
        .map(|(passage, body)| ReadSection {
            url: page.clone(),
            anchor: anchor.clone(),
            passage: i32::try_from(passage).unwrap_or(i32::MAX),
            heading_path: heading_path.clone(),
            body,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_sections_and_bad_lines_are_refused_by_number() {
        let file = concat!(
            r#"{"url": "https://docs.example/arm64", "title": "MirageOS on ARM64", "section": "MirageOS on ARM64", "text": "Runs on arm64."}"#,
            "\n",
            r#"{"url": "https://docs.example/arm64", "title": "MirageOS on ARM64", "section": "SD Card", "text": "Two partitions."}"#,
            "\n\n",
            "not json\n",
            r#"{"url": "javascript:alert(1)", "title": "x", "text": "y"}"#,
            "\n",
            r#"{"url": "https://docs.example/arm64", "title": "MirageOS on ARM64", "section": "SD Card", "text": "Again."}"#,
            "\n",
        );
        let (sections, refused) = read(file.as_bytes());
        assert_eq!(sections.len(), 3);
        assert_eq!(sections[0].anchor, "");
        assert_eq!(sections[0].heading_path, "MirageOS on ARM64");
        assert_eq!(sections[1].address(), "https://docs.example/arm64#sd-card");
        assert_eq!(sections[1].heading_path, "MirageOS on ARM64 › SD Card");
        assert_eq!(sections[2].anchor, "sd-card-1");
        let places: Vec<&str> = refused.iter().map(|r| r.place.as_str()).collect();
        assert_eq!(places, ["line 4", "line 5"]);
    }

    #[test]
    fn binary_and_broken_text_are_refused() {
        let (sections, refused) = read(
            b"\xff\xfe\n{\"url\":\"https://a.example\",\"title\":\"t\",\"text\":\"a\\u0000b\"}\n",
        );
        assert!(sections.is_empty());
        assert_eq!(refused.len(), 2, "{refused:?}");
    }
}
