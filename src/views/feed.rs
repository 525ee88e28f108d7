//! The FAQ's Atom feed (RFC 4287): newly answered entries, written as XML by hand (maud writes
//! HTML, whose empty elements are not XML).

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::app::faq::browse::entry_path;
use crate::db::faq::FaqEntry;

fn xml_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            // XML 1.0 has no place for other control characters.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {}
            c => escaped.push(c),
        }
    }
    escaped
}

fn rfc3339(at: NaiveDateTime) -> String {
    DateTime::<Utc>::from_naive_utc_and_offset(at, Utc).to_rfc3339()
}

pub fn atom_feed(entries: &[FaqEntry], public_base: &str, now: NaiveDateTime) -> String {
    let updated = entries
        .iter()
        .map(|entry| entry.answered_at)
        .max()
        .unwrap_or(now);
    let base = xml_escape(public_base);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <id>{base}/faq</id>\n\
         <title>New answers</title>\n\
         <subtitle>Questions from the community, answered in the open.</subtitle>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}/faq/feed.atom\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}/faq\"/>\n\
         <updated>{}</updated>\n\
         <author><name>faqtory</name></author>\n",
        rfc3339(updated)
    );
    for entry in entries {
        let link = xml_escape(&format!(
            "{public_base}{}",
            entry_path(entry.id, &entry.question)
        ));
        xml.push_str(&format!(
            "<entry>\n\
             <id>{link}</id>\n\
             <title>{}</title>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n\
             <published>{answered}</published>\n\
             <updated>{answered}</updated>\n\
             <category term=\"{}\"/>\n\
             <content type=\"html\">{}</content>\n\
             </entry>\n",
            xml_escape(&entry.question),
            xml_escape(&entry.event_slug),
            // The sanitized answer, escaped once more as the text of an html content element.
            xml_escape(&entry.answer_html),
            answered = rfc3339(entry.answered_at),
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::xml_escape;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            xml_escape("<b>\"Tom\" & 'Jerry'</b>\u{1}"),
            "&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt;"
        );
    }
}
