use super::invalid::Invalid;

/// An answer as moderators write it (Markdown) and as everyone reads it (sanitized HTML, rendered
/// once when written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerText {
    markdown: String,
    html: String,
}

impl AnswerText {
    pub const MAX_CHARS: usize = 20_000;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let markdown = raw.trim().replace("\r\n", "\n");
        if markdown.is_empty() {
            return Err(Invalid::new("answer_md", "Write the answer first."));
        }
        if markdown.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(
                "answer_md",
                format!("Answers can be at most {} characters.", Self::MAX_CHARS),
            ));
        }
        if markdown.contains('\0') {
            return Err(Invalid::new(
                "answer_md",
                "The answer contains a NUL character.",
            ));
        }
        check_shape(&markdown)?;
        let html = render(&markdown);
        Ok(Self { markdown, html })
    }

    pub fn markdown(&self) -> &str {
        &self.markdown
    }

    pub fn html(&self) -> &str {
        &self.html
    }
}

/// The words of a Markdown answer without its markup: what search indexes and shows snippets of.
/// Raw HTML in the Markdown is dropped, as the sanitizer drops it from the page.
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut text = String::with_capacity(markdown.len());
    // The sanitizer drops scripts and styles with their content; so do we.
    let mut hidden = false;
    for event in Parser::new(markdown) {
        match event {
            Event::InlineHtml(tag) | Event::Html(tag) => {
                let tag = tag.to_ascii_lowercase();
                if tag.starts_with("<script") || tag.starts_with("<style") {
                    hidden = true;
                } else if tag.starts_with("</script") || tag.starts_with("</style") {
                    hidden = false;
                }
                text.push(' ');
            }
            Event::Text(_) | Event::Code(_) if hidden => {}
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            ) => text.push(' '),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How far an answer may nest and grow. Rendering and sanitizing cost grows with depth much faster
/// than with length (20,000 characters of `- - - …` are 10,000 nested lists), and no real answer
/// comes near these.
pub struct ShapeLimits;

impl ShapeLimits {
    /// Lists and block quotes inside each other.
    pub const NESTING: usize = 16;
    /// Emphasis, strong, strike-through and links inside each other.
    pub const INLINE_NESTING: usize = 16;
    /// List items in the whole answer.
    pub const LIST_ITEMS: usize = 1_000;
    /// Cells in one table, and its columns.
    pub const TABLE_CELLS: usize = 2_000;
    pub const TABLE_COLUMNS: usize = 40;
}

/// Refuses answers shaped beyond [`ShapeLimits`], stopping at the first excess so that even the
/// check stays cheap.
fn check_shape(markdown: &str) -> Result<(), Invalid> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let refuse = |message: String| Err(Invalid::new("answer_md", message));
    let (mut nesting, mut inline, mut items, mut cells) = (0usize, 0usize, 0usize, 0usize);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::List(_) | Tag::BlockQuote(_)) => {
                nesting += 1;
                if nesting > ShapeLimits::NESTING {
                    return refuse(format!(
                        "Lists and quotes can sit inside each other at most {} deep.",
                        ShapeLimits::NESTING
                    ));
                }
            }
            Event::End(TagEnd::List(_) | TagEnd::BlockQuote(_)) => nesting -= 1,
            Event::Start(Tag::Item) => {
                items += 1;
                if items > ShapeLimits::LIST_ITEMS {
                    return refuse(format!(
                        "An answer can have at most {} list items.",
                        ShapeLimits::LIST_ITEMS
                    ));
                }
            }
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Link { .. }) => {
                inline += 1;
                if inline > ShapeLimits::INLINE_NESTING {
                    return refuse(format!(
                        "Emphasis and links can sit inside each other at most {} deep.",
                        ShapeLimits::INLINE_NESTING
                    ));
                }
            }
            Event::End(
                TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link,
            ) => inline = inline.saturating_sub(1),
            Event::Start(Tag::Table(columns)) => {
                if columns.len() > ShapeLimits::TABLE_COLUMNS {
                    return refuse(format!(
                        "A table can have at most {} columns.",
                        ShapeLimits::TABLE_COLUMNS
                    ));
                }
                cells = 0;
            }
            Event::Start(Tag::TableCell) => {
                cells += 1;
                if cells > ShapeLimits::TABLE_CELLS {
                    return refuse(format!(
                        "A table can have at most {} cells.",
                        ShapeLimits::TABLE_CELLS
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn render(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(&unsafe_html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_the_words_and_drops_markup_and_html() {
        assert_eq!(
            plain_text("**Yes.** See [the docs](https://x.org).\n\n- one\n- `two`<script>alert(1)</script><kbd>Ctrl</kbd>"),
            "Yes. See the docs. one two Ctrl"
        );
    }

    #[test]
    fn markdown_renders_and_scripts_do_not() {
        let answer = AnswerText::parse("**Yes** — see [the docs](https://mirage.io).").unwrap();
        assert!(answer.html().contains("<strong>Yes</strong>"));
        assert!(answer.html().contains("href=\"https://mirage.io\""));
        for payload in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
        ] {
            let html = AnswerText::parse(payload).unwrap().html().to_owned();
            assert!(!html.contains("<script"), "{payload} -> {html}");
            assert!(!html.contains("onerror"), "{payload} -> {html}");
            assert!(!html.contains("javascript:"), "{payload} -> {html}");
            assert!(!html.contains("<iframe"), "{payload} -> {html}");
        }
    }

    /// The shapes that made rendering slow, each refused at its limit with a message for the
    /// field; answers just inside the limits still render.
    #[test]
    fn pathological_shapes_are_refused_at_their_limits() {
        let deep_list = "- ".repeat(5_000) + "x";
        let deep_quote = "> ".repeat(5_000) + "x";
        let many_items = "- item\n".repeat(ShapeLimits::LIST_ITEMS + 1);
        let markers: Vec<&str> = (0..2_000)
            .map(|i| if i % 2 == 0 { "*" } else { "_" })
            .collect();
        let emphasis_run = format!(
            "{} z {}",
            markers
                .iter()
                .map(|m| format!("{m}a"))
                .collect::<Vec<_>>()
                .join(" "),
            markers
                .iter()
                .rev()
                .map(|m| format!("a{m}"))
                .collect::<Vec<_>>()
                .join(" ")
        );
        let wide_table = format!(
            "{}\n{}\n",
            "|a".repeat(ShapeLimits::TABLE_COLUMNS + 1) + "|",
            "|-".repeat(ShapeLimits::TABLE_COLUMNS + 1) + "|"
        );
        let long_table = format!(
            "|a|b|\n|-|-|\n{}",
            "|1|2|\n".repeat(ShapeLimits::TABLE_CELLS)
        );
        for (what, markdown, words) in [
            ("deep list", deep_list, "16 deep"),
            ("deep quote", deep_quote, "16 deep"),
            ("many items", many_items, "list items"),
            ("emphasis run", emphasis_run, "Emphasis"),
            ("wide table", wide_table, "columns"),
            ("long table", long_table, "cells"),
        ] {
            assert!(
                markdown.chars().count() <= AnswerText::MAX_CHARS * 3,
                "{what}"
            );
            let Err(refused) = AnswerText::parse(&markdown) else {
                panic!("{what} was accepted");
            };
            assert_eq!(refused.field, "answer_md");
            assert!(
                refused.message.contains(words),
                "{what}: {}",
                refused.message
            );
        }
        let nested_just_enough = (0..ShapeLimits::NESTING)
            .map(|depth| format!("{}- level {depth}\n", "  ".repeat(depth)))
            .collect::<String>();
        assert!(AnswerText::parse(&nested_just_enough).is_ok());
        let items_just_enough = "- item\n".repeat(ShapeLimits::LIST_ITEMS);
        assert!(AnswerText::parse(&items_just_enough).is_ok());
    }

    #[test]
    fn empty_and_huge_answers_are_refused() {
        assert!(AnswerText::parse("  \n ").is_err());
        assert!(AnswerText::parse(&"a".repeat(20_001)).is_err());
    }
}
