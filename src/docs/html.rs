//! An HTML page read into sections at its headings: the page's main content (`main`, `article`,
//! else the body) without navigation, scripts or styles; each heading's `id` (or that of an anchor
//! inside it) as the section's anchor; code blocks kept as fenced code.

use scraper::{ElementRef, Html, Node, Selector};

use super::section::{heading_anchor, heading_path, passages, plain_heading, Anchors, ReadSection};

/// Elements whose text is not the page's content.
const SKIPPED: &[&str] = &[
    "script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg", "form",
    "button",
];
/// Blocks whose whole text is one piece of a section.
const BLOCKS: &[&str] = &[
    "p",
    "li",
    "pre",
    "blockquote",
    "td",
    "th",
    "dt",
    "dd",
    "figcaption",
];

struct Open {
    /// Where the section starts among the page's sections: they are closed innermost first.
    order: usize,
    level: usize,
    words: String,
    anchor: String,
    text: Vec<String>,
}

/// The sections of the page at `url` (without an anchor).
pub fn sections_of(page: &str, url: &str, anchors: &mut Anchors) -> Vec<ReadSection> {
    let document = Html::parse_document(page);
    let title = first_text(&document, "title")
        .or_else(|| first_text(&document, "h1"))
        .unwrap_or_else(|| url.to_owned());
    let root = ["main", "article", "[role=main]", "body"]
        .iter()
        .filter_map(|css| Selector::parse(css).ok())
        .find_map(|selector| document.select(&selector).next());
    let mut open = vec![Open {
        order: 0,
        level: 0,
        words: title.clone(),
        anchor: String::new(),
        text: Vec::new(),
    }];
    let mut done: Vec<Closed> = Vec::new();
    if let Some(root) = root {
        walk(root, &title, &mut open, &mut done);
    }
    close_all(&title, &mut open, &mut done);
    done.sort_by_key(|closed| closed.order);
    let mut sections = Vec::new();
    for Closed {
        path, anchor, body, ..
    } in done
    {
        if body.trim().is_empty() {
            continue;
        }
        let anchor = anchors.unique(url, anchor);
        for (passage, piece) in passages(&body).into_iter().enumerate() {
            sections.push(ReadSection {
                url: url.to_owned(),
                anchor: anchor.clone(),
                passage: i32::try_from(passage).unwrap_or(i32::MAX),
                heading_path: path.clone(),
                body: piece,
            });
        }
    }
    sections
}

fn first_text(document: &Html, css: &str) -> Option<String> {
    let selector = Selector::parse(css).ok()?;
    let element = document.select(&selector).next()?;
    let words = plain_heading(&element.text().collect::<String>());
    (!words.is_empty()).then_some(words)
}

/// A finished section: its place in the page, heading path, anchor and text.
struct Closed {
    order: usize,
    path: String,
    anchor: String,
    body: String,
}

fn walk(element: ElementRef<'_>, title: &str, open: &mut Vec<Open>, done: &mut Vec<Closed>) {
    for child in element.children() {
        let Some(child) = ElementRef::wrap(child) else {
            if let Node::Text(text) = child.value() {
                let words = text.trim();
                if !words.is_empty() {
                    if let Some(current) = open.last_mut() {
                        current.text.push(words.to_owned());
                    }
                }
            }
            continue;
        };
        let name = child.value().name();
        if SKIPPED.contains(&name) {
            continue;
        }
        if let Some(level) = heading_level(name) {
            let words = plain_heading(&child.text().collect::<String>());
            if words.is_empty() {
                continue;
            }
            // The page's own title as its first heading heads the page's top section.
            if level == 1 && words == title && open.len() == 1 && done.is_empty() {
                continue;
            }
            let anchor = heading_id(child).unwrap_or_else(|| heading_anchor(&words));
            // A new heading closes those at its level and below.
            while open.len() > 1 && open.last().is_some_and(|last| last.level >= level) {
                close_last(title, open, done);
            }
            let order = done.len() + open.len();
            open.push(Open {
                order,
                level,
                words,
                anchor,
                text: Vec::new(),
            });
        } else if BLOCKS.contains(&name) {
            let text = if name == "pre" {
                format!("```\n{}\n```", child.text().collect::<String>().trim_end())
            } else {
                child
                    .text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            if !text.trim().is_empty() {
                if let Some(current) = open.last_mut() {
                    current.text.push(text);
                }
            }
        } else {
            walk(child, title, open, done);
        }
    }
}

fn heading_level(name: &str) -> Option<usize> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// The heading's own `id`, or that of an anchor inside it (`<h2><a id="x">`), as sites link it.
fn heading_id(heading: ElementRef<'_>) -> Option<String> {
    heading
        .value()
        .id()
        .map(str::to_owned)
        .or_else(|| {
            heading.descendants().find_map(|node| {
                let element = ElementRef::wrap(node)?;
                element
                    .value()
                    .id()
                    .or_else(|| element.value().attr("name"))
                    .map(str::to_owned)
            })
        })
        .filter(|id| !id.trim().is_empty())
}

fn close_last(title: &str, open: &mut Vec<Open>, done: &mut Vec<Closed>) {
    let path = heading_path(title, open.iter().skip(1).map(|open| open.words.as_str()));
    if let Some(last) = open.pop() {
        let body = last.text.join("\n\n");
        // An empty section still takes its place, so that orders stay unique.
        done.push(Closed {
            order: last.order,
            path,
            anchor: last.anchor,
            body,
        });
    }
}

fn close_all(title: &str, open: &mut Vec<Open>, done: &mut Vec<Closed>) {
    while !open.is_empty() {
        close_last(title, open, done);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_split_the_main_content_and_code_stays_code() {
        let page = r#"<!doctype html><html><head><title>Install</title><script>var x = "<h2>no</h2>";</script></head>
<body><nav><h2>Menu</h2><p>Home</p></nav>
<main><h1>Install</h1><p>First   steps.</p>
<h2 id="opam">With <code>opam</code></h2><pre><code>opam install mirage
# not a heading</code></pre>
<h3><a id="arm"></a>On ARM</h3><ul><li>Use a cross compiler.</li></ul>
<h2>Uninstall &amp; clean</h2><p>Remove it.</p></main>
<footer><p>© 2024</p></footer></body></html>"#;
        let sections = sections_of(
            page,
            "https://docs.example/install",
            &mut Anchors::default(),
        );
        let found: Vec<(&str, &str)> = sections
            .iter()
            .map(|s| (s.heading_path.as_str(), s.anchor.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("Install", ""),
                ("Install › With opam", "opam"),
                ("Install › With opam › On ARM", "arm"),
                ("Install › Uninstall & clean", "uninstall--clean"),
            ]
        );
        assert_eq!(sections[0].body, "First steps.");
        assert!(sections[1]
            .body
            .starts_with("```\nopam install mirage\n# not a heading"));
        assert!(sections
            .iter()
            .all(|s| !s.body.contains("Menu") && !s.body.contains("2024")));
    }
}
