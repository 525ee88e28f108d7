//! One section of a documentation page as a reader found it: where it is (the page's address and
//! the anchor the site uses), its heading path, and its text; and the rules every reader shares:
//! anchors from headings, long sections cut into passages, and the hash a refresh compares.

use sha2::{Digest, Sha256};

/// What joins the headings of a path: `Page › Section › Subsection`.
pub const HEADING_SEPARATOR: &str = " › ";

/// A section longer than this is cut into passages, at paragraph breaks where it can be, so that
/// a match points at the part that answers rather than at a whole chapter.
pub const PASSAGE_CHARS: usize = 4_000;

/// A page larger than this is refused rather than read: no documentation page is, and reading
/// one would hold a refresh for nothing.
pub const MAX_PAGE_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadSection {
    /// The page's address, without an anchor.
    pub url: String,
    /// The anchor the site gives the heading (`""` for the top of the page).
    pub anchor: String,
    /// Numbered from 0 when a long section is cut into passages.
    pub passage: i32,
    pub heading_path: String,
    pub body: String,
}

impl ReadSection {
    /// Compared by a refresh: a section is changed when its heading path or its text is.
    pub fn content_hash(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.heading_path.as_bytes());
        hasher.update([0]);
        hasher.update(self.body.as_bytes());
        hex::encode(hasher.finalize())
    }

    /// The address of the section itself, with its anchor.
    pub fn address(&self) -> String {
        address(&self.url, &self.anchor)
    }
}

/// A page's address with a section's anchor (none for the page's top).
pub fn address(url: &str, anchor: &str) -> String {
    if anchor.is_empty() {
        url.to_owned()
    } else {
        format!("{url}#{anchor}")
    }
}

/// `Page › Section › Subsection`: the page's title once, then the headings above a section, a
/// heading that repeats the title left out.
pub fn heading_path<'a>(title: &'a str, headings: impl IntoIterator<Item = &'a str>) -> String {
    let mut path = vec![title];
    path.extend(headings.into_iter().filter(|words| *words != title));
    path.join(HEADING_SEPARATOR)
}

/// Why a page (or a line of a file) was not read: shown in the refresh report, the rest is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The page's address, or `line N` of a file.
    pub place: String,
    pub reason: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.reason)
    }
}

/// Gives a heading that repeats on a page the anchor generators give it (`setup`, `setup-1`, …),
/// so that every section has a place of its own.
#[derive(Default)]
pub struct Anchors {
    seen: std::collections::HashMap<(String, String), u32>,
}

impl Anchors {
    pub fn unique(&mut self, url: &str, anchor: String) -> String {
        let count = self
            .seen
            .entry((url.to_owned(), anchor.clone()))
            .or_insert(0);
        let unique = if *count == 0 {
            anchor
        } else {
            format!("{anchor}-{count}")
        };
        *count += 1;
        unique
    }
}

/// A heading as words: tags (`<b>`) and Markdown's emphasis and code marks dropped, white space
/// collapsed, as a generator shows it.
pub fn plain_heading(heading: &str) -> String {
    let mut plain = String::with_capacity(heading.len());
    let mut in_tag = false;
    for c in heading.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            '`' | '*' => {}
            _ if !in_tag => plain.push(c),
            _ => {}
        }
    }
    plain.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The anchor GitHub, mdBook and most generators give a heading: lower case, spaces to
/// hyphens, punctuation dropped.
pub fn heading_anchor(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c.to_lowercase().collect::<String>())
            } else if c.is_whitespace() {
                Some("-".to_owned())
            } else {
                None
            }
        })
        .collect()
}

/// Cuts `body` into passages of at most [`PASSAGE_CHARS`] characters, at paragraph breaks where
/// there are some, else at a space; code blocks are kept whole when they fit.
pub fn passages(body: &str) -> Vec<String> {
    if body.chars().count() <= PASSAGE_CHARS {
        return vec![body.to_owned()];
    }
    let mut passages = Vec::new();
    let mut current = String::new();
    for paragraph in paragraphs(body) {
        let joined = current.chars().count() + paragraph.chars().count() + 2;
        if !current.is_empty() && joined > PASSAGE_CHARS {
            passages.push(std::mem::take(&mut current));
        }
        if paragraph.chars().count() > PASSAGE_CHARS {
            passages.extend(cut_at_spaces(&paragraph));
            continue;
        }
        if !current.is_empty() {
            current.push_str("\n\n");
        }
        current.push_str(&paragraph);
    }
    if !current.is_empty() {
        passages.push(current);
    }
    passages
}

/// Paragraphs split at blank lines, except inside a fenced code block.
fn paragraphs(body: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut in_code = false;
    for line in body.lines() {
        if line.trim_start().starts_with("```") || line.trim_start().starts_with("~~~") {
            in_code = !in_code;
        }
        if line.trim().is_empty() && !in_code {
            if !current.is_empty() {
                paragraphs.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current.join("\n"));
    }
    paragraphs
}

fn cut_at_spaces(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        if !current.is_empty() && current.chars().count() + word.chars().count() + 1 > PASSAGE_CHARS
        {
            pieces.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        // A single word longer than a passage (a base64 blob) is cut where it must be.
        if word.chars().count() > PASSAGE_CHARS {
            let chars: Vec<char> = word.chars().collect();
            for chunk in chars.chunks(PASSAGE_CHARS) {
                if !current.is_empty() {
                    pieces.push(std::mem::take(&mut current));
                }
                current = chunk.iter().collect();
            }
        } else {
            current.push_str(word);
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_the_generators() {
        assert_eq!(heading_anchor("SD Card"), "sd-card");
        assert_eq!(
            heading_anchor("What's `mirage configure`?"),
            "whats-mirage-configure"
        );
        assert_eq!(heading_anchor("Über uns"), "über-uns");
        assert_eq!(
            plain_heading("Building <b>everything</b> with `dune`"),
            "Building everything with dune"
        );
    }

    #[test]
    fn long_sections_become_passages_that_keep_every_word() {
        let paragraph = "word ".repeat(300);
        let body = [paragraph.trim(); 10].join("\n\n");
        let cut = passages(&body);
        assert!(cut.len() > 1);
        assert!(cut.iter().all(|p| p.chars().count() <= PASSAGE_CHARS));
        let words: usize = cut.iter().map(|p| p.split_whitespace().count()).sum();
        assert_eq!(words, 3000);
        let blob = "x".repeat(PASSAGE_CHARS * 2 + 5);
        let cut = passages(&blob);
        assert_eq!(cut.concat(), blob);
    }

    #[test]
    fn a_short_section_is_one_passage() {
        assert_eq!(passages("short"), vec!["short".to_owned()]);
    }
}
