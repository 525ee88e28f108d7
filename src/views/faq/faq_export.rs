//! The published FAQ as files for a documentation site: Markdown (mdBook, Hugo, MkDocs) or plain
//! HTML, an index and one page per label, each entry under a stable anchor `faq-{id}` with its
//! answer, where it was asked, and its moment in the recording. `/faq.md` is the same Markdown as
//! one document.

use std::collections::HashSet;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::app::faq::browse::entry_path;
use crate::db::faq::FaqEntry;
use crate::domain::{escape_inline, portable_markdown, url_slug, RecordingOffset};
use crate::views::faq::pages::by_label;

/// Where unlabelled entries go, after the labelled ones.
const UNLABELLED: &str = "More answers";

/// A file of the exported site: its name in the output directory and what it holds.
pub struct SiteFile {
    pub name: String,
    pub contents: String,
}

/// One label's page of the site.
struct Section<'a> {
    title: &'a str,
    /// The file name without its extension.
    stem: String,
    entries: Vec<&'a FaqEntry>,
}

/// The entries grouped as `/faq` groups them, each group with a file name of its own: the
/// label's words, made unique, never `index` or `summary`.
fn sections<'a>(entries: &'a [FaqEntry], labels: &'a [(String, i64)]) -> Vec<Section<'a>> {
    let mut taken: HashSet<String> = ["index", "summary"].map(str::to_owned).into();
    by_label(entries, labels)
        .into_iter()
        .map(|(label, entries)| {
            let title = label.unwrap_or(UNLABELLED);
            let base = match url_slug(title) {
                slug if slug.is_empty() => "label".to_owned(),
                slug => slug,
            };
            let stem = (1..)
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    }
                })
                .find(|stem| !taken.contains(stem))
                .unwrap_or_default();
            taken.insert(stem.clone());
            Section {
                title,
                stem,
                entries,
            }
        })
        .collect()
}

fn anchor(entry: &FaqEntry) -> String {
    format!("faq-{}", entry.id)
}

fn recording_moment(entry: &FaqEntry) -> Option<(RecordingOffset, String)> {
    let at = RecordingOffset::from_seconds(entry.recording_offset_secs?)?;
    Some((at, at.link(entry.recording_url.as_deref()?)?))
}

/// An entry in Markdown under a heading of `level` (`##` on a label's page).
fn markdown_entry(entry: &FaqEntry, level: usize, public_base: &str) -> String {
    let mut meta = vec![format!(
        "Asked at [{}](<{public_base}/e/{}>), answered {}",
        escape_inline(&entry.event_title),
        entry.event_slug,
        entry.answered_at.format("%Y-%m-%d")
    )];
    if let Some((at, link)) = recording_moment(entry) {
        meta.push(format!("[▶ the answer at {}](<{link}>)", at.display()));
    }
    meta.push(format!(
        "[permanent link](<{public_base}{}>)",
        entry_path(entry.id, &entry.question)
    ));
    format!(
        "{} {} {{#{}}}\n\n{}\n\n*{}*\n",
        "#".repeat(level),
        escape_inline(&entry.question),
        anchor(entry),
        portable_markdown(&entry.answer_md).trim_end(),
        meta.join(" · ")
    )
}

/// The site as Markdown: `index.md` (the labels and their questions), one page per label, and
/// `SUMMARY.md`, the table of contents mdBook reads.
pub fn markdown_site(
    entries: &[FaqEntry],
    labels: &[(String, i64)],
    public_base: &str,
) -> Vec<SiteFile> {
    let sections = sections(entries, labels);
    let mut index = String::from("# Frequently asked questions\n");
    let mut summary = String::from("# Summary\n\n[Frequently asked questions](index.md)\n\n");
    let mut files = Vec::with_capacity(sections.len() + 2);
    for section in &sections {
        let file = format!("{}.md", section.stem);
        let title = escape_inline(section.title);
        index.push_str(&format!("\n## [{title}]({file})\n\n"));
        summary.push_str(&format!("- [{title}]({file})\n"));
        let mut page = format!("# {title}\n");
        for entry in &section.entries {
            index.push_str(&format!(
                "- [{}]({file}#{})\n",
                escape_inline(&entry.question),
                anchor(entry)
            ));
            page.push('\n');
            page.push_str(&markdown_entry(entry, 2, public_base));
        }
        files.push(SiteFile {
            name: file,
            contents: page,
        });
    }
    files.push(SiteFile {
        name: "index.md".into(),
        contents: index,
    });
    files.push(SiteFile {
        name: "SUMMARY.md".into(),
        contents: summary,
    });
    files
}

/// Every entry in one Markdown document, by label: `GET /faq.md`.
pub fn markdown_document(
    entries: &[FaqEntry],
    labels: &[(String, i64)],
    public_base: &str,
) -> String {
    let mut document = String::from("# Frequently asked questions\n");
    for section in sections(entries, labels) {
        document.push_str(&format!("\n## {}\n", escape_inline(section.title)));
        for entry in &section.entries {
            document.push('\n');
            document.push_str(&markdown_entry(entry, 3, public_base));
        }
    }
    document
}

fn html_document(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { main { (body) } }
        }
    }
    .into_string()
}

const STYLE: &str = "body{font:1rem/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;\
                     padding:0 1rem}.meta{color:#555;font-size:.9rem}\
                     pre{overflow-x:auto}table{border-collapse:collapse}\
                     td,th{border:1px solid #ccc;padding:.2rem .4rem}";

fn html_entry(entry: &FaqEntry, public_base: &str) -> Markup {
    html! {
        section id=(anchor(entry)) {
            h2 { (entry.question) }
            // Sanitized with ammonia when it was written.
            div.answer { (PreEscaped(&entry.answer_html)) }
            p.meta {
                "Asked at " a href={ (public_base) "/e/" (entry.event_slug) } { (entry.event_title) }
                ", answered " (entry.answered_at.format("%Y-%m-%d"))
                @if let Some((at, link)) = recording_moment(entry) {
                    " · " a href=(link) { "▶ the answer at " (at.display()) }
                }
                " · " a href={ (public_base) (entry_path(entry.id, &entry.question)) } { "permanent link" }
            }
        }
    }
}

/// The site as HTML pages: `index.html` and one page per label.
pub fn html_site(
    entries: &[FaqEntry],
    labels: &[(String, i64)],
    public_base: &str,
) -> Vec<SiteFile> {
    let sections = sections(entries, labels);
    let mut files: Vec<SiteFile> = sections
        .iter()
        .map(|section| SiteFile {
            name: format!("{}.html", section.stem),
            contents: html_document(
                section.title,
                html! {
                    p { a href="index.html" { "← Frequently asked questions" } }
                    h1 { (section.title) }
                    @for entry in &section.entries { (html_entry(entry, public_base)) }
                },
            ),
        })
        .collect();
    files.push(SiteFile {
        name: "index.html".into(),
        contents: html_document(
            "Frequently asked questions",
            html! {
                h1 { "Frequently asked questions" }
                @for section in &sections {
                    h2 { a href={ (section.stem) ".html" } { (section.title) } }
                    ul {
                        @for entry in &section.entries {
                            li { a href={ (section.stem) ".html#" (anchor(entry)) } { (entry.question) } }
                        }
                    }
                }
            },
        ),
    });
    files
}
