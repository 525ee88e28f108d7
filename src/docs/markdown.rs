//! A folder of Markdown (a git checkout of an mdBook, MkDocs, Docusaurus site, a GitHub wiki, or
//! a plain tree of `.md` files) read into sections at its headings, with the address each file is
//! served at under the site's base URL. Code blocks stay code, and a `#` inside one is not a
//! heading: the file is parsed with pulldown-cmark, not matched line by line.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::progress::{report, ProgressSender};

use super::section::{
    heading_anchor, heading_path, passages, plain_heading, Anchors, ReadSection, Refused,
    MAX_PAGE_BYTES,
};

/// More files than any documentation has: a folder past it is not documentation.
pub const MAX_FILES: usize = 20_000;

/// How the site turns a file's path into its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlStyle {
    /// mdBook: `guide/setup.md` is `guide/setup.html`, `README.md` is `index.html`.
    Html,
    /// MkDocs: `guide/setup.md` is `guide/setup/`, `index.md` is the folder.
    Folder,
    /// Docusaurus, GitHub wikis and plain trees: `guide/setup.md` is `guide/setup`.
    Plain,
}

impl UrlStyle {
    /// What the folder's own files say it is built with.
    pub fn of(dir: &Path) -> Self {
        if dir.join("SUMMARY.md").is_file() || dir.join("src/SUMMARY.md").is_file() {
            UrlStyle::Html
        } else if dir.join("mkdocs.yml").is_file() || dir.join("../mkdocs.yml").is_file() {
            UrlStyle::Folder
        } else {
            UrlStyle::Plain
        }
    }

    fn address(self, base_url: &str, relative: &str) -> String {
        let base = base_url.trim_end_matches('/');
        let stem = relative.strip_suffix(".md").unwrap_or(relative);
        let (folder, name) = match stem.rsplit_once('/') {
            Some((folder, name)) => (format!("{folder}/"), name),
            None => (String::new(), stem),
        };
        let index = matches!(name, "README" | "index" | "_index");
        match (self, index) {
            (UrlStyle::Html, true) => format!("{base}/{folder}index.html"),
            (UrlStyle::Html, false) => format!("{base}/{folder}{name}.html"),
            (UrlStyle::Folder | UrlStyle::Plain, true) => format!("{base}/{folder}"),
            (UrlStyle::Folder, false) => format!("{base}/{folder}{name}/"),
            (UrlStyle::Plain, false) => format!("{base}/{folder}{name}"),
        }
    }
}

/// Every section of every `.md` file under `dir`, and a refusal for each file that is not
/// Markdown text.
pub fn read(
    dir: &Path,
    base_url: &str,
    progress: &ProgressSender,
) -> Result<(Vec<ReadSection>, Vec<Refused>), String> {
    let style = UrlStyle::of(dir);
    let mut files = Vec::new();
    collect(dir, dir, &mut files)?;
    files.sort();
    let mut sections = Vec::new();
    let mut refused = Vec::new();
    let mut anchors = Anchors::default();
    let total = files.len();
    for (done, relative) in files.into_iter().enumerate() {
        report(progress, done, total);
        let place = relative.clone();
        match page_text(&dir.join(&relative)) {
            Ok(text) => {
                let url = style.address(base_url, &relative);
                sections.extend(sections_of(&text, &url, &relative, &mut anchors));
            }
            Err(reason) => refused.push(Refused { place, reason }),
        }
    }
    report(progress, total, total);
    Ok((sections, refused))
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<String>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|error| format!("cannot read the folder {}: {error}", dir.display()))?;
    for entry in entries.flatten() {
        let path: PathBuf = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Hidden folders (.git), dependencies and build output are not the documentation.
        if name.starts_with('.') || matches!(name.as_ref(), "node_modules" | "target" | "book") {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect(root, &path, files)?;
        } else if kind.is_file() && name.ends_with(".md") && name != "SUMMARY.md" {
            if files.len() >= MAX_FILES {
                return Err(format!(
                    "more than {MAX_FILES} Markdown files: is this the documentation's folder?"
                ));
            }
            if let Ok(relative) = path.strip_prefix(root) {
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(())
}

fn page_text(path: &Path) -> Result<String, String> {
    let size = std::fs::metadata(path)
        .map_err(|error| format!("cannot read it: {error}"))?
        .len();
    if size > MAX_PAGE_BYTES as u64 {
        return Err(format!(
            "{} MB is more than a documentation page can be ({} MB)",
            size / (1024 * 1024),
            MAX_PAGE_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|error| format!("cannot read it: {error}"))?;
    let text = String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_owned())?;
    if text.chars().any(|c| c == '\0') {
        return Err("binary data, not text".to_owned());
    }
    Ok(text)
}

/// A heading found in the page: its level, words, anchor, and where its section's text starts.
struct Heading {
    level: usize,
    words: String,
    anchor: String,
    start: usize,
    body_start: usize,
}

fn sections_of(text: &str, url: &str, relative: &str, anchors: &mut Anchors) -> Vec<ReadSection> {
    let (front_title, text) = front_matter(text);
    let headings = headings(text);
    let page_title = front_title
        .or_else(|| {
            headings
                .first()
                .filter(|heading| heading.level == 1)
                .map(|heading| heading.words.clone())
        })
        .unwrap_or_else(|| title_from_path(relative));
    let mut sections = Vec::new();
    let mut push = |path: String, anchor: String, body: &str| {
        let body = body.trim();
        if body.is_empty() {
            return;
        }
        let anchor = anchors.unique(url, anchor);
        for (passage, piece) in passages(body).into_iter().enumerate() {
            sections.push(ReadSection {
                url: url.to_owned(),
                anchor: anchor.clone(),
                passage: i32::try_from(passage).unwrap_or(i32::MAX),
                heading_path: path.clone(),
                body: piece,
            });
        }
    };
    let first_start = headings.first().map_or(text.len(), |heading| heading.start);
    push(page_title.clone(), String::new(), &text[..first_start]);
    // The path of headings above the current one, by level.
    let mut trail: Vec<(usize, String)> = Vec::new();
    for (index, heading) in headings.iter().enumerate() {
        let end = headings
            .get(index + 1)
            .map_or(text.len(), |next| next.start);
        let body = text.get(heading.body_start..end).unwrap_or_default();
        trail.retain(|(level, _)| *level < heading.level);
        trail.push((heading.level, heading.words.clone()));
        let path = heading_path(&page_title, trail.iter().map(|(_, words)| words.as_str()));
        let anchor = if heading.level == 1 && heading.words == page_title && index == 0 {
            String::new()
        } else {
            heading.anchor.clone()
        };
        push(path, anchor, body);
    }
    sections
}

fn headings(text: &str) -> Vec<Heading> {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    options.insert(Options::ENABLE_TABLES);
    let mut found = Vec::new();
    let mut current: Option<(usize, usize, Option<String>, String)> = None;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                current = Some((
                    depth(level),
                    range.start,
                    id.map(|id| id.to_string()),
                    String::new(),
                ));
            }
            Event::Text(words) | Event::Code(words) => {
                if let Some((_, _, _, text)) = current.as_mut() {
                    text.push_str(&words);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, id, words)) = current.take() {
                    let words = plain_heading(&words);
                    let anchor = id.unwrap_or_else(|| heading_anchor(&words));
                    found.push(Heading {
                        level,
                        words,
                        anchor,
                        start,
                        body_start: range.end,
                    });
                }
            }
            _ => {}
        }
    }
    found
}

fn depth(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// YAML front matter (Docusaurus, MkDocs, Hugo): its `title`, and the text after it.
fn front_matter(text: &str) -> (Option<String>, &str) {
    let Some(rest) = text.strip_prefix("---\n") else {
        return (None, text);
    };
    let Some(end) = rest.find("\n---") else {
        return (None, text);
    };
    let title = rest[..end].lines().find_map(|line| {
        line.strip_prefix("title:")
            .map(|title| plain_heading(title.trim().trim_matches(['"', '\''])))
    });
    let after = rest[end + 4..].trim_start_matches(['-', '\n', '\r']);
    (title.filter(|title| !title.is_empty()), after)
}

/// `guide/getting-started.md` is "getting started" when the page has no title of its own.
fn title_from_path(relative: &str) -> String {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    plain_heading(&stem.replace(['-', '_'], " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_page(text: &str) -> Vec<ReadSection> {
        sections_of(
            text,
            "https://docs.example/guide.html",
            "guide.md",
            &mut Anchors::default(),
        )
    }

    #[test]
    fn headings_make_a_path_and_code_stays_code() {
        let sections = read_page(
            "# Guide\n\nIntro.\n\n## Install\n\nRun it:\n\n```sh\n# not a heading\nopam install mirage\n```\n\n### On ARM {#arm}\n\nBoards.\n\n## Install\n\nAgain.\n",
        );
        let paths: Vec<(&str, &str)> = sections
            .iter()
            .map(|s| (s.heading_path.as_str(), s.anchor.as_str()))
            .collect();
        assert_eq!(
            paths,
            [
                ("Guide", ""),
                ("Guide › Install", "install"),
                ("Guide › Install › On ARM", "arm"),
                ("Guide › Install", "install-1"),
            ]
        );
        assert!(sections[1].body.contains("```sh\n# not a heading"));
    }

    #[test]
    fn front_matter_names_the_page_and_files_name_the_rest() {
        let sections =
            read_page("---\ntitle: \"Getting started\"\n---\nWelcome.\n\n## Next\n\nMore.\n");
        assert_eq!(sections[0].heading_path, "Getting started");
        assert_eq!(sections[1].heading_path, "Getting started › Next");
        let untitled = read_page("Just text.");
        assert_eq!(untitled[0].heading_path, "guide");
    }

    #[test]
    fn each_generator_serves_files_where_it_does() {
        let base = "https://docs.example/";
        assert_eq!(
            UrlStyle::Html.address(base, "a/b.md"),
            "https://docs.example/a/b.html"
        );
        assert_eq!(
            UrlStyle::Html.address(base, "README.md"),
            "https://docs.example/index.html"
        );
        assert_eq!(
            UrlStyle::Folder.address(base, "a/b.md"),
            "https://docs.example/a/b/"
        );
        assert_eq!(
            UrlStyle::Folder.address(base, "a/index.md"),
            "https://docs.example/a/"
        );
        assert_eq!(
            UrlStyle::Plain.address(base, "Home.md"),
            "https://docs.example/Home"
        );
    }
}
