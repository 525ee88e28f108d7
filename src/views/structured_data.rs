//! What search engines read about a page: schema.org JSON-LD. An FAQ entry is a question with
//! its accepted answer (`QAPage`); an event is an online `Event` with its dates.

use chrono::{NaiveDateTime, SecondsFormat};
use maud::{html, Markup, PreEscaped};
use serde_json::{json, Value};

use super::outreach::calendar::ASSUMED_LENGTH;
use crate::db::events::Event;
use crate::db::faq::FaqEntry;

/// The `<script type="application/ld+json">` carrying `data`. JSON puts `<`, `>` and `&` only
/// inside strings, where the `\u` escapes mean the same: no text can close the script element.
pub fn script(data: &Value) -> Markup {
    let json = data
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    html! { script type="application/ld+json" { (PreEscaped(json)) } }
}

fn timestamp(at: NaiveDateTime) -> String {
    at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An FAQ entry: the question, its votes, and the answer accepted for it.
pub fn faq_entry(entry: &FaqEntry, url: &str) -> Value {
    let answer_text = crate::domain::plain_text(&entry.answer_md);
    json!({
        "@context": "https://schema.org",
        "@type": "QAPage",
        "url": url,
        "mainEntity": {
            "@type": "Question",
            "name": entry.question,
            "text": entry.question,
            "answerCount": 1,
            "upvoteCount": entry.vote_count,
            "acceptedAnswer": {
                "@type": "Answer",
                "text": answer_text,
                "url": url,
                "dateCreated": timestamp(entry.answered_at),
                "dateModified": timestamp(entry.updated_at),
            },
        },
    })
}

/// A hangout as an online event at its page; `None` without a start time, which an `Event` needs.
pub fn event(event: &Event, page_url: &str, description: &str) -> Option<Value> {
    let starts_at = event.starts_at?;
    Some(json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": description,
        "url": page_url,
        "startDate": timestamp(starts_at),
        "endDate": timestamp(starts_at + ASSUMED_LENGTH),
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": { "@type": "VirtualLocation", "url": page_url },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_cannot_close_the_script_element() {
        let markup =
            script(&json!({ "name": "</script><script>alert(1)</script> & <!--" })).into_string();
        assert_eq!(markup.matches("</script>").count(), 1, "{markup}");
        assert!(!markup.contains("<!--"), "{markup}");
        let inner = markup
            .trim_start_matches(r#"<script type="application/ld+json">"#)
            .trim_end_matches("</script>");
        let parsed: Value = serde_json::from_str(inner).unwrap();
        assert_eq!(parsed["name"], "</script><script>alert(1)</script> & <!--");
    }
}
