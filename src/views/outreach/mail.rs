//! Letters to askers and voters, as plain text and as HTML: the same words, every link absolute,
//! and at the foot the way out (which the `List-Unsubscribe` header names too).

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::app::outreach::digest_news::{topic_path, DigestNews};
use crate::app::outreach::mail_letters::{AnswerRef, Letter, Queued};

pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub unsubscribe_url: String,
}

pub fn unsubscribe_url(public_base: &str, token: &str) -> String {
    format!("{public_base}/mail/unsubscribe/{token}")
}

/// A digest's way out: its address is a moderator's own, not an asker's or a voter's.
pub fn digest_unsubscribe_url(public_base: &str, token: &str) -> String {
    format!("{public_base}/mail/digest/unsubscribe/{token}")
}

pub fn confirm_url(public_base: &str, token: &str) -> String {
    format!("{public_base}/mail/confirm/{token}")
}

/// One paragraph of the letter, or a link to follow.
enum Part {
    Say(String),
    Quote(String),
    Answer(AnswerRef),
    Link { label: String, url: String },
}

pub fn compose(queued: &Queued, public_base: &str) -> Composed {
    let (subject, parts) = parts_of(&queued.letter, &queued.token, public_base);
    let unsubscribe_url = match &queued.letter {
        Letter::Digest { .. } => digest_unsubscribe_url(public_base, &queued.token),
        _ => unsubscribe_url(public_base, &queued.token),
    };
    let why = match &queued.letter {
        Letter::Digest { .. } => {
            "You get this email because you asked for the insights digest on the team's \
             insights page."
        }
        Letter::Confirm { .. } => {
            "Someone gave this address on the event's page. If it was not you, ignore this \
             email: nothing more is sent unless the address is confirmed."
        }
        _ => "You get this email because you asked for it and confirmed your address.",
    };
    Composed {
        text: as_text(&parts, why, &unsubscribe_url),
        html: as_html(&subject, &parts, why, &unsubscribe_url).into_string(),
        subject,
        unsubscribe_url,
    }
}

fn parts_of(letter: &Letter, token: &str, base: &str) -> (String, Vec<Part>) {
    let event_link = |slug: &str, title: &str| Part::Link {
        label: format!("The event: {title}"),
        url: format!("{base}/e/{slug}"),
    };
    match letter {
        Letter::Confirm { event, question } => {
            let what = match question {
                Some(_) => "when your question is answered, merged with another, or not taken",
                None => "when questions you voted for are answered",
            };
            let mut parts = vec![Part::Say(format!(
                "Please confirm that you want an email from {} {what}.",
                event.title
            ))];
            if let Some(question) = question {
                parts.push(Part::Quote(question.clone()));
            }
            parts.push(Part::Link {
                label: "Confirm my address".into(),
                url: confirm_url(base, token),
            });
            (format!("Confirm your email for {}", event.title), parts)
        }
        Letter::Answered {
            event,
            question,
            answer,
        } => {
            let mut parts = vec![
                Part::Say(format!("This question was answered at {}:", event.title)),
                Part::Quote(question.text.clone()),
                Part::Answer(answer.clone()),
            ];
            parts.push(answer_link(base, &event.slug, question.id, answer));
            (format!("Answered: {}", clipped(&question.text)), parts)
        }
        Letter::Merged {
            event,
            question,
            into,
            answer,
        } => {
            let mut parts = vec![
                Part::Say(
                    "Your question asks what another one asks, so the moderators merged them:"
                        .into(),
                ),
                Part::Quote(question.clone()),
                Part::Say("It now counts for this one:".into()),
                Part::Quote(into.text.clone()),
            ];
            match answer {
                Some(answer) => {
                    parts.push(Part::Say("Which was answered:".into()));
                    parts.push(Part::Answer(answer.clone()));
                    parts.push(answer_link(base, &event.slug, into.id, answer));
                }
                None => {
                    parts.push(Part::Say(
                        "You will get an email when it is answered.".into(),
                    ));
                    parts.push(Part::Link {
                        label: "See it on the event's page".into(),
                        url: format!("{base}/e/{}#q-{}", event.slug, into.id),
                    });
                }
            }
            (format!("Merged: {}", clipped(question)), parts)
        }
        Letter::Rejected {
            event,
            question,
            reason,
        } => {
            let mut parts = vec![
                Part::Say(format!(
                    "The moderators of {} did not take your question:",
                    event.title
                )),
                Part::Quote(question.clone()),
            ];
            if let Some(reason) = reason {
                parts.push(Part::Say(format!("Their reason: {reason}")));
            }
            parts.push(event_link(&event.slug, &event.title));
            (format!("Not taken: {}", clipped(question)), parts)
        }
        Letter::Digest { news } => digest_parts(news, base),
    }
}

fn digest_parts(news: &DigestNews, base: &str) -> (String, Vec<Part>) {
    let mut parts = vec![Part::Say(format!("{}.", news.headline()))];
    for (heading, list) in news.sections() {
        parts.push(Part::Say(format!("{heading}:")));
        for topic in list {
            parts.push(Part::Link {
                label: format!("{} ({})", topic.label, topic.summary()),
                url: format!("{base}{}", topic_path(topic.id)),
            });
        }
    }
    parts.push(Part::Link {
        label: "Every topic of the period".into(),
        url: format!("{base}{}", news.page_path()),
    });
    (format!("{}: {}", news.title(), news.headline()), parts)
}

fn answer_link(base: &str, slug: &str, question_id: i64, answer: &AnswerRef) -> Part {
    match &answer.faq_path {
        Some(path) => Part::Link {
            label: "Its entry in the FAQ".into(),
            url: format!("{base}{path}"),
        },
        None => Part::Link {
            label: "See it on the event's page".into(),
            url: format!("{base}/e/{slug}?sort=answered#q-{question_id}"),
        },
    }
}

/// A subject names the question, shortened to what a mailbox shows.
fn clipped(text: &str) -> String {
    const SHOWN: usize = 70;
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= SHOWN {
        return one_line;
    }
    let cut: String = one_line.chars().take(SHOWN - 1).collect();
    format!("{}…", cut.trim_end())
}

fn as_text(parts: &[Part], why: &str, unsubscribe_url: &str) -> String {
    let mut text = String::new();
    for part in parts {
        match part {
            Part::Say(words) => text.push_str(words),
            Part::Quote(words) => {
                for line in words.lines() {
                    text.push_str("> ");
                    text.push_str(line);
                    text.push('\n');
                }
                text.pop();
            }
            Part::Answer(answer) => text.push_str(answer.markdown.trim()),
            Part::Link { label, url } => {
                text.push_str(label);
                text.push_str(":\n");
                text.push_str(url);
            }
        }
        text.push_str("\n\n");
    }
    text.push_str("-- \n");
    text.push_str(why);
    text.push_str("\nNo more emails like this: ");
    text.push_str(unsubscribe_url);
    text.push('\n');
    text
}

fn as_html(subject: &str, parts: &[Part], why: &str, unsubscribe_url: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (subject) }
            }
            body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; max-width: 36em; margin: 0 auto; padding: 1em;" {
                @for part in parts {
                    @match part {
                        Part::Say(words) => p { (words) },
                        Part::Quote(words) => blockquote style="margin: 0 0 1em; padding-left: 1em; border-left: 4px solid #b3b3b3;" { (words) },
                        Part::Answer(answer) => div { (PreEscaped(&answer.html)) },
                        Part::Link { label, url } => p { a href=(url) style="color: #0b57d0;" { (label) } },
                    }
                }
                hr style="border: none; border-top: 1px solid #ddd; margin-top: 2em;";
                p style="font-size: 0.875em; color: #555;" {
                    (why) " "
                    a href=(unsubscribe_url) style="color: #555;" { "No more emails like this." }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::outreach::mail_letters::{EventRef, QuestionRef};

    fn answered(question: &str, answer_html: &str) -> Queued {
        Queued {
            token: "tok".into(),
            letter: Letter::Answered {
                event: EventRef {
                    slug: "call".into(),
                    title: "The <b>call</b>".into(),
                },
                question: QuestionRef {
                    id: 7,
                    text: question.into(),
                },
                answer: AnswerRef {
                    markdown: "Use **the flag**.".into(),
                    html: answer_html.into(),
                    faq_path: None,
                },
            },
        }
    }

    #[test]
    fn what_people_typed_is_escaped_and_the_sanitized_answer_kept() {
        let composed = compose(
            &answered(
                "Is <script>alert(1)</script> safe?",
                "<p>Use <strong>the flag</strong>.</p>",
            ),
            "https://qa.example.org",
        );
        assert!(!composed.html.contains("<script>"));
        assert!(composed.html.contains("&lt;script&gt;"));
        assert!(composed.html.contains("The &lt;b&gt;call&lt;/b&gt;"));
        assert!(composed.html.contains("<strong>the flag</strong>"));
        assert!(composed
            .text
            .contains("> Is <script>alert(1)</script> safe?"));
        assert!(composed
            .text
            .contains("https://qa.example.org/e/call?sort=answered#q-7"));
        assert_eq!(
            composed.unsubscribe_url,
            "https://qa.example.org/mail/unsubscribe/tok"
        );
        assert!(composed.text.contains(&composed.unsubscribe_url));
    }

    #[test]
    fn long_questions_are_clipped_in_the_subject() {
        let long = "word ".repeat(40);
        let composed = compose(&answered(&long, ""), "http://x");
        assert!(composed.subject.chars().count() <= "Answered: ".len() + 70);
        assert!(composed.subject.ends_with('…'));
        assert!(!composed.subject.contains('\n'));
    }
}
