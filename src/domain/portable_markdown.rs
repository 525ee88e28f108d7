//! Answers as Markdown for other sites: a static site generator renders raw HTML and any link it
//! is given, without the sanitizer our pages use. So the answer is parsed and written out again
//! as our pages show it: raw HTML tags left out (what a `<script>` or `<style>` holds with them,
//! as the sanitizer does), the text between other tags kept, and links and images kept only for
//! safe addresses.

use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};

/// The options answers are rendered with on our pages.
const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

/// Whether a link may point there: the web, mail, or somewhere on the same site.
fn is_safe_destination(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    match lower.find(':') {
        // A colon after the first `/`, `?` or `#` is part of a path, not a scheme.
        Some(colon) if !lower[..colon].contains(['/', '?', '#']) => {
            ["http", "https", "mailto"].contains(&&lower[..colon])
        }
        _ => true,
    }
}

/// `markdown` written out again with the same meaning, minus what another site must not run.
pub fn portable_markdown(markdown: &str) -> String {
    // Links refused keep their text; the matching end is dropped with them.
    let mut refused_links: Vec<bool> = Vec::new();
    // Inside an inline `<script>`/`<style>`: its text is code, not words of the answer.
    let mut inside_code: Option<&'static str> = None;
    // The lines of an HTML block, cleaned together at its end (a `<script>` spans lines).
    let mut html_block: Option<String> = None;
    let events = Parser::new_ext(markdown, OPTIONS).flat_map(|event| {
        let kept = match event {
            Event::InlineHtml(tag) => {
                match inside_code {
                    Some(element) if closes(&tag, element) => inside_code = None,
                    Some(_) => {}
                    None => inside_code = opens_code(&tag),
                }
                None
            }
            Event::Text(_) | Event::Code(_) if inside_code.is_some() => None,
            Event::Start(Tag::HtmlBlock) => {
                html_block = Some(String::new());
                Some(Event::Start(Tag::HtmlBlock))
            }
            Event::Html(line) => {
                html_block.get_or_insert_with(String::new).push_str(&line);
                None
            }
            // A block of HTML, tags and all: its words alone, which hold no markup to run.
            Event::End(TagEnd::HtmlBlock) => {
                let block = html_block.take().unwrap_or_default();
                let words = ammonia::Builder::empty().clean(&block).to_string();
                let words = words.trim();
                let end = Event::End(TagEnd::HtmlBlock);
                return if words.is_empty() {
                    vec![end]
                } else {
                    vec![Event::Html(format!("{words}\n").into()), end]
                };
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => keep(&mut refused_links, &dest_url).then(|| {
                Event::Start(Tag::Link {
                    link_type: inline(link_type),
                    dest_url,
                    title,
                    id,
                })
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => keep(&mut refused_links, &dest_url).then(|| {
                Event::Start(Tag::Image {
                    link_type: inline(link_type),
                    dest_url,
                    title,
                    id,
                })
            }),
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
                (!refused_links.pop().unwrap_or(false)).then_some(Event::End(end))
            }
            other => Some(other),
        };
        kept.into_iter().collect::<Vec<_>>()
    });
    let mut written = String::with_capacity(markdown.len() + 16);
    match pulldown_cmark_to_cmark::cmark(events, &mut written) {
        Ok(_) => written,
        // Writing into a String does not fail; should the writer refuse a shape, the words
        // alone are still the answer.
        Err(_) => escape_inline(&super::answer::plain_text(markdown)),
    }
}

/// Elements whose content the sanitizer drops with them.
const CODE_ELEMENTS: [&str; 2] = ["script", "style"];

/// The element an inline tag opens, when it is one whose content is dropped.
fn opens_code(tag: &str) -> Option<&'static str> {
    let name = tag
        .strip_prefix('<')?
        .trim_start()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()?;
    CODE_ELEMENTS
        .into_iter()
        .find(|element| element.eq_ignore_ascii_case(name))
}

fn closes(tag: &str, element: &str) -> bool {
    tag.strip_prefix("</").is_some_and(|rest| {
        rest.trim_start()
            .get(..element.len())
            .is_some_and(|name| name.eq_ignore_ascii_case(element))
    })
}

/// Whether a link or image to `url` is kept; notes the refusal for its end.
fn keep(refused_links: &mut Vec<bool>, url: &str) -> bool {
    let safe = is_safe_destination(url);
    refused_links.push(!safe);
    safe
}

/// Written inline: a reference's definition would not be written with it.
fn inline(link_type: LinkType) -> LinkType {
    match link_type {
        LinkType::Autolink | LinkType::Email => link_type,
        _ => LinkType::Inline,
    }
}

/// Text that Markdown shows as it is: every ASCII punctuation character that could start
/// markup is backslash-escaped, and line breaks become spaces (for a heading or a list item).
pub fn escape_inline(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for word in text.split_whitespace() {
        if !escaped.is_empty() {
            escaped.push(' ');
        }
        for c in word.chars() {
            // Parentheses make a link only after a `]`, which is escaped.
            let inert = matches!(c, ',' | '\'' | '"' | '?' | '/' | ';' | ':' | '(' | ')');
            if c.is_ascii_punctuation() && !inert {
                escaped.push('\\');
            }
            escaped.push(c);
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(markdown: &str) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new_ext(markdown, OPTIONS));
        html
    }

    #[test]
    fn meaning_survives_the_round_trip() {
        let answer = "**Yes** — see [the docs][docs] and `make`.\n\n- one\n- two\n\n[docs]: https://mirage.io";
        let portable = portable_markdown(answer);
        assert_eq!(rendered(&portable), rendered(answer), "{portable}");
    }

    #[test]
    fn raw_html_and_unsafe_links_do_not_survive() {
        let portable = portable_markdown(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n\
             [click](javascript:alert(3)) [data](DATA:text/html,x) ![i](vbscript:x) \
             [fine](https://x.org/a:b) [relative](/faq/1) [mail](mailto:a@b.org)",
        );
        let html = rendered(&portable);
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            !html.contains("script") && !html.contains("alert(1)"),
            "removed as our pages remove it, not shown as text: {html}"
        );
        assert!(html.starts_with("<p>Hi"), "{html}");
        assert!(
            !html.to_ascii_lowercase().contains("javascript:alert"),
            "{html}"
        );
        assert!(!html.contains("href=\"DATA:"), "{html}");
        assert!(html.contains("click") && html.contains("data"), "{html}");
        assert!(html.contains("href=\"https://x.org/a:b\""), "{html}");
        assert!(html.contains("href=\"/faq/1\""), "{html}");
        assert!(html.contains("href=\"mailto:a@b.org\""), "{html}");
    }

    #[test]
    fn raw_html_keeps_its_words_and_loses_its_tags() {
        let inline = rendered(&portable_markdown(
            "Works with <b>C++</b> and <STYLE>p{}</STYLE>TLS.",
        ));
        assert_eq!(inline, "<p>Works with C++ and TLS.</p>\n");
        let block = rendered(&portable_markdown(
            "<div onclick=\"x()\">A <i>block</i> & more</div>\n\n<script>\nalert(1)\n</script>\n\nAfter.",
        ));
        assert_eq!(block, "<p>A block &amp; more</p>\n<p>After.</p>\n");
    }

    #[test]
    fn escaped_text_is_shown_as_typed() {
        let question = "Does *this* work with <b>C++</b> & [links](x) {#id}?\nNext line";
        let html = rendered(&format!("## {}", escape_inline(question)));
        assert_eq!(
            html,
            "<h2>Does *this* work with &lt;b&gt;C++&lt;/b&gt; &amp; [links](x) {#id}? Next line</h2>\n"
        );
    }
}
