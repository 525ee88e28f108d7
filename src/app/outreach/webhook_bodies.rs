//! What a webhook is sent: the body in its format (our JSON, Slack's and Discord's incoming
//! webhook messages, with text from the public shown as typed and pinging no one), and the
//! signature of a generic one.

use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::app::faq::browse::entry_path;
use crate::app::outreach::digest_news::{topic_path, DigestNews, DigestTopic};
use crate::app::outreach::webhooks::Happening;
use crate::domain::{plain_text, WebhookFormat, WebhookKind};

/// Discord refuses longer messages.
const DISCORD_MAX_CHARS: usize = 2_000;

/// `HMAC-SHA256(secret, "{timestamp}.{body}")` in hex: what a receiver checks the body and its
/// time by.
pub fn sign(secret: &str, timestamp: &str, body: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The body a webhook of `format` is sent.
pub fn render(format: WebhookFormat, happening: &Happening, public_base: &str) -> String {
    if let Some(news) = &happening.digest {
        return render_digest(format, happening, news, public_base);
    }
    let event_url = format!("{public_base}/e/{}", happening.event_slug);
    let question_url = format!("{event_url}#q-{}", happening.question_id);
    let faq_url = format!(
        "{public_base}{}",
        entry_path(happening.question_id, &happening.question)
    );
    let answer = happening.answer.as_deref().map(plain_text);
    if happening.kind == WebhookKind::PollClosed {
        return render_poll(format, happening, &event_url, answer.as_deref());
    }
    let link = if happening.kind == WebhookKind::FaqPublished {
        &faq_url
    } else {
        &question_url
    };
    match format {
        WebhookFormat::Generic => json!({
            "type": happening.kind,
            "occurred_at": happening.occurred_at.and_utc().to_rfc3339(),
            "event": {
                "slug": happening.event_slug,
                "title": happening.event_title,
                "url": event_url,
            },
            "question": {
                "id": happening.question_id,
                "text": happening.question,
                "url": question_url,
            },
            "answer": answer.as_ref().map(|text| json!({ "text": text, "faq_url": faq_url })),
        })
        .to_string(),
        WebhookFormat::Slack => {
            let mut text = format!(
                "*{}* in <{}|{}>: <{}|{}>",
                happening.kind.headline(),
                event_url,
                slack_escape(&happening.event_title),
                link,
                slack_escape(&happening.question),
            );
            if let Some(answer) = &answer {
                text.push_str(&format!("\n>{}", slack_escape(answer)));
            }
            json!({ "text": text }).to_string()
        }
        WebhookFormat::Discord => {
            let mut content = format!(
                "**{}** in {}: {}\n<{}>",
                happening.kind.headline(),
                discord_escape(&happening.event_title),
                discord_escape(&happening.question),
                link
            );
            if let Some(answer) = &answer {
                content.push_str(&format!("\n> {}", discord_escape(answer)));
            }
            let content: String = content.chars().take(DISCORD_MAX_CHARS).collect();
            // Text from the public must not ping anyone (`@everyone` in a question).
            json!({ "content": content, "allowed_mentions": { "parse": [] } }).to_string()
        }
    }
}

/// A closed poll: its question, a link to its results and the counts (`question_id` and
/// `question` of a poll's happening are the poll's).
fn render_poll(
    format: WebhookFormat,
    happening: &Happening,
    event_url: &str,
    results: Option<&str>,
) -> String {
    let poll_url = format!("{event_url}/polls#poll-{}", happening.question_id);
    let results = results.unwrap_or_default();
    match format {
        WebhookFormat::Generic => json!({
            "type": happening.kind,
            "occurred_at": happening.occurred_at.and_utc().to_rfc3339(),
            "event": {
                "slug": happening.event_slug,
                "title": happening.event_title,
                "url": event_url,
            },
            "poll": {
                "id": happening.question_id,
                "prompt": happening.question,
                "url": poll_url,
                "results": results,
            },
        })
        .to_string(),
        WebhookFormat::Slack => {
            let text = format!(
                "*{}* in <{}|{}>: <{}|{}>\n>{}",
                happening.kind.headline(),
                event_url,
                slack_escape(&happening.event_title),
                poll_url,
                slack_escape(&happening.question),
                slack_escape(results),
            );
            json!({ "text": text }).to_string()
        }
        WebhookFormat::Discord => {
            let content = format!(
                "**{}** in {}: {}\n<{}>\n> {}",
                happening.kind.headline(),
                discord_escape(&happening.event_title),
                discord_escape(&happening.question),
                poll_url,
                discord_escape(results),
            );
            let content: String = content.chars().take(DISCORD_MAX_CHARS).collect();
            json!({ "content": content, "allowed_mentions": { "parse": [] } }).to_string()
        }
    }
}

/// A digest: its counts and its three lists, each topic linked to its page (for moderators).
fn render_digest(
    format: WebhookFormat,
    happening: &Happening,
    news: &DigestNews,
    public_base: &str,
) -> String {
    let page_url = format!("{public_base}{}", news.page_path());
    let topic_url = |topic: &DigestTopic| format!("{public_base}{}", topic_path(topic.id));
    match format {
        WebhookFormat::Generic => {
            let topics = |list: &[DigestTopic]| -> Vec<serde_json::Value> {
                list.iter()
                    .map(|topic| {
                        json!({
                            "id": topic.id,
                            "label": topic.label,
                            "questions": topic.questions,
                            "votes": topic.votes,
                            "searches": topic.searches,
                            "demand": topic.demand,
                            "trend": topic.trend,
                            "coverage": topic.coverage,
                            "url": topic_url(topic),
                        })
                    })
                    .collect()
            };
            json!({
                "type": happening.kind,
                "occurred_at": happening.occurred_at.and_utc().to_rfc3339(),
                "title": news.title(),
                "period": {
                    "kind": news.period,
                    "starts_on": news.starts_on.format("%Y-%m-%d").to_string(),
                    "ends_on": news.ends_on.format("%Y-%m-%d").to_string(),
                },
                "url": page_url,
                "questions": news.questions,
                "searches": news.searches,
                "poll_answers": news.poll_answers,
                "top": topics(&news.top),
                "gaps": topics(&news.gaps),
                "rising": topics(&news.rising),
            })
            .to_string()
        }
        WebhookFormat::Slack => {
            let mut text = format!(
                "*{}*: <{}|{}>",
                slack_escape(&news.title()),
                page_url,
                slack_escape(&news.headline())
            );
            for (heading, list) in news.sections() {
                text.push_str(&format!("\n*{heading}*"));
                for topic in list {
                    text.push_str(&format!(
                        "\n• <{}|{}> {}",
                        topic_url(topic),
                        slack_escape(&topic.label),
                        slack_escape(&topic.summary())
                    ));
                }
            }
            json!({ "text": text }).to_string()
        }
        WebhookFormat::Discord => {
            let mut content = format!(
                "**{}**: {}\n<{}>",
                discord_escape(&news.title()),
                discord_escape(&news.headline()),
                page_url
            );
            for (heading, list) in news.sections() {
                content.push_str(&format!("\n**{heading}**"));
                for topic in list {
                    content.push_str(&format!(
                        "\n- {} ({})",
                        discord_escape(&topic.label),
                        discord_escape(&topic.summary())
                    ));
                }
            }
            let content: String = content.chars().take(DISCORD_MAX_CHARS).collect();
            json!({ "content": content, "allowed_mentions": { "parse": [] } }).to_string()
        }
    }
}

/// Slack's message text: `&`, `<` and `>` are its markup.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Discord's markdown characters, escaped so that a question shows as typed.
fn discord_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '~' | '`' | '|' | '>' | '[' | ']' | '(' | ')' | '#' | '@' | '<'
        ) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn happening(kind: WebhookKind) -> Happening {
        Happening {
            kind,
            occurred_at: chrono::DateTime::from_timestamp(1_800_000_000, 0)
                .unwrap()
                .naive_utc(),
            event_slug: "call".into(),
            event_title: "Call <b> & co".into(),
            question_id: 7,
            question: "@everyone <script>alert(1)</script> *now*".into(),
            answer: Some("**Yes**, see [docs](https://x.org).".into()),
            digest: None,
        }
    }

    #[test]
    fn chat_formats_show_text_as_typed_and_ping_no_one() {
        let slack: serde_json::Value = serde_json::from_str(&render(
            WebhookFormat::Slack,
            &happening(WebhookKind::QuestionAnswered),
            "https://ask.example.org",
        ))
        .unwrap();
        let text = slack["text"].as_str().unwrap();
        assert!(text.contains("&lt;script&gt;"), "{text}");
        assert!(text.contains("Call &lt;b&gt; &amp; co"), "{text}");
        assert!(
            text.contains("<https://ask.example.org/e/call#q-7|"),
            "{text}"
        );
        assert!(text.contains(">Yes, see docs."), "{text}");

        let discord: serde_json::Value = serde_json::from_str(&render(
            WebhookFormat::Discord,
            &happening(WebhookKind::FaqPublished),
            "https://ask.example.org",
        ))
        .unwrap();
        assert_eq!(discord["allowed_mentions"]["parse"], json!([]));
        let content = discord["content"].as_str().unwrap();
        assert!(content.contains("\\@everyone"), "{content}");
        assert!(content.contains("\\*now\\*"), "{content}");
        assert!(
            content.contains("<https://ask.example.org/faq/7-"),
            "{content}"
        );
    }

    #[test]
    fn the_generic_body_is_signed_with_its_time() {
        let body = render(
            WebhookFormat::Generic,
            &happening(WebhookKind::QuestionAsked),
            "https://ask.example.org",
        );
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["type"], "question.asked");
        assert_eq!(
            parsed["question"]["text"],
            "@everyone <script>alert(1)</script> *now*"
        );
        let signature = sign("secret", "1800000000", &body);
        assert_eq!(signature.len(), 64);
        assert_ne!(signature, sign("secret", "1800000001", &body));
        assert_ne!(signature, sign("other", "1800000000", &body));
    }

    #[test]
    fn a_digest_in_a_chat_room_shows_labels_as_typed_and_pings_no_one() {
        let news = crate::app::outreach::digest_news::tests::news();
        let mut told = happening(WebhookKind::DigestWeekly);
        told.digest = Some(news);
        let slack: serde_json::Value = serde_json::from_str(&render(
            WebhookFormat::Slack,
            &told,
            "https://ask.example.org",
        ))
        .unwrap();
        let text = slack["text"].as_str().unwrap();
        assert!(text.contains("&lt;!channel&gt;"), "{text}");
        assert!(
            text.contains("<https://ask.example.org/mod/insights/topics/1|"),
            "{text}"
        );
        let discord: serde_json::Value = serde_json::from_str(&render(
            WebhookFormat::Discord,
            &told,
            "https://ask.example.org",
        ))
        .unwrap();
        assert_eq!(discord["allowed_mentions"]["parse"], json!([]));
        let content = discord["content"].as_str().unwrap();
        assert!(content.contains("\\@everyone \\*docker\\*"), "{content}");
        let generic: serde_json::Value = serde_json::from_str(&render(
            WebhookFormat::Generic,
            &told,
            "https://ask.example.org",
        ))
        .unwrap();
        assert_eq!(generic["type"], "digest.weekly");
        assert_eq!(generic["top"][0]["label"], "<!channel> @everyone *docker*");
        assert_eq!(generic["period"]["starts_on"], "2026-11-30");
        assert_eq!(generic["rising"].as_array().unwrap().len(), 2);
    }
}
