//! Answers as Markdown for other sites: a static site generator renders raw HTML and any link it
//! is given, without the sanitizer our pages use. So the answer is parsed and written out again
//! with raw HTML turned into visible text and links and images kept only for safe addresses.

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
    let events = Parser::new_ext(markdown, OPTIONS).filter_map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => Some(Event::Text(html)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => kept(&mut refused_links, &dest_url).then(|| {
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
        }) => kept(&mut refused_links, &dest_url).then(|| {
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
    });
    let mut written = String::with_capacity(markdown.len() + 16);
    match pulldown_cmark_to_cmark::cmark(events, &mut written) {
        Ok(_) => written,
        // Writing into a String does not fail; should the writer refuse a shape, the words
        // alone are still the answer.
        Err(_) => escape_inline(&super::plain_text(markdown)),
    }
}

/// Whether a link or image to `url` is kept; notes the refusal for its end.
fn kept(refused_links: &mut Vec<bool>, url: &str) -> bool {
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
            html.contains("&lt;script&gt;alert(1)"),
            "shown as text: {html}"
        );
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
    fn escaped_text_is_shown_as_typed() {
        let question = "Does *this* work with <b>C++</b> & [links](x) {#id}?\nNext line";
        let html = rendered(&format!("## {}", escape_inline(question)));
        assert_eq!(
            html,
            "<h2>Does *this* work with &lt;b&gt;C++&lt;/b&gt; &amp; [links](x) {#id}? Next line</h2>\n"
        );
    }
}
