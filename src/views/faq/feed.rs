//! The FAQ's Atom feed (RFC 4287): newly answered entries, written by the `atom_syndication`
//! crate.

use atom_syndication::{Category, Content, Entry, Feed, FixedDateTime, Link, Person, Text};
use chrono::NaiveDateTime;

use crate::app::faq::browse::entry_path;
use crate::db::faq::FaqEntry;
use crate::error::AppError;

/// XML 1.0 has no place for control characters other than white space, and the writer escapes
/// markup but passes these through.
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|&c| !c.is_control() || matches!(c, '\n' | '\t' | '\r'))
        .collect()
}

fn timestamp(at: NaiveDateTime) -> FixedDateTime {
    at.and_utc().fixed_offset()
}

fn link(rel: &str, mime_type: &str, href: String) -> Link {
    Link {
        href,
        rel: rel.to_owned(),
        mime_type: Some(mime_type.to_owned()),
        ..Link::default()
    }
}

fn entry(entry: &FaqEntry, public_base: &str) -> Entry {
    let address = format!("{public_base}{}", entry_path(entry.id, &entry.question));
    let answered = timestamp(entry.answered_at);
    Entry {
        id: address.clone(),
        title: Text::plain(xml_text(&entry.question)),
        links: vec![link("alternate", "text/html", address)],
        published: Some(answered),
        updated: answered,
        categories: vec![Category {
            term: xml_text(&entry.event_slug),
            ..Category::default()
        }],
        // The sanitized answer, which the writer escapes as the text of an html content element.
        content: Some(Content {
            value: Some(xml_text(&entry.answer_html)),
            content_type: Some("html".to_owned()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

pub fn atom_feed(
    entries: &[FaqEntry],
    public_base: &str,
    now: NaiveDateTime,
) -> Result<String, AppError> {
    let updated = entries
        .iter()
        .map(|entry| entry.answered_at)
        .max()
        .unwrap_or(now);
    let feed = Feed {
        id: format!("{public_base}/faq"),
        title: Text::plain("New answers"),
        subtitle: Some(Text::plain(
            "Questions from the community, answered in the open.",
        )),
        links: vec![
            link(
                "self",
                "application/atom+xml",
                format!("{public_base}/faq/feed.atom"),
            ),
            link("alternate", "text/html", format!("{public_base}/faq")),
        ],
        updated: timestamp(updated),
        authors: vec![Person {
            name: "faqtory".to_owned(),
            ..Person::default()
        }],
        entries: entries
            .iter()
            .map(|faq_entry| entry(faq_entry, public_base))
            .collect(),
        ..Feed::default()
    };
    let bytes = feed
        .write_to(Vec::new())
        .map_err(|error| AppError::internal("writing the Atom feed", error))?;
    String::from_utf8(bytes).map_err(|error| AppError::internal("writing the Atom feed", error))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_left_out_and_markup_is_escaped() {
        let at = chrono::DateTime::from_timestamp(1_700_000_000, 0)
            .unwrap()
            .naive_utc();
        let entry = FaqEntry {
            id: 7,
            question: "Tom & Jerry's <b>\u{1}question</b>".into(),
            phrasings: Vec::new(),
            answer_md: "Yes".into(),
            answer_html: "<p>Yes</p>".into(),
            recording_offset_secs: None,
            recording_url: None,
            labels: Vec::new(),
            event_slug: "hangout".into(),
            event_title: "Hangout".into(),
            vote_count: 0,
            answered_at: at,
            updated_at: at,
            reviewed_at: None,
            transcript_excerpt: None,
        };
        let xml = atom_feed(&[entry], "https://faq.example", at).unwrap();
        assert!(xml.contains("Tom &amp; Jerry"), "{xml}");
        assert!(xml.contains("&lt;b&gt;question&lt;/b&gt;"), "{xml}");
        assert!(xml.contains("&lt;p&gt;Yes&lt;/p&gt;"), "{xml}");
        assert!(!xml.contains('\u{1}'));
    }
}
