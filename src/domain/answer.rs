use super::Invalid;

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

    #[test]
    fn empty_and_huge_answers_are_refused() {
        assert!(AnswerText::parse("  \n ").is_err());
        assert!(AnswerText::parse(&"a".repeat(20_001)).is_err());
    }
}
