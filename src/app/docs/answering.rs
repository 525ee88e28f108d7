//! "Answer with this section": a moderator answers a question with the documentation section
//! that already does, as an answer that quotes it briefly and links it. It goes through the same
//! path as any answer (the FAQ entry, the asker told, webhooks), and counts for the section.

use crate::app::moderation::answers::{self, AnswerInput};
use crate::app::now;
use crate::bus::Bus;
use crate::db::doc_uses::{self, NewUse};
use crate::db::questions::Question;
use crate::db::{self, Db};
use crate::docs::section::address;
use crate::error::AppError;

/// The quote is the section's opening, this long at most.
const QUOTE_CHARS: usize = 300;

/// The answer's Markdown: a sentence with the link, then the section's opening quoted.
pub fn answer_markdown(heading_path: &str, url: &str, body: &str) -> String {
    let mut quote: String = body.chars().take(QUOTE_CHARS).collect();
    if quote.len() < body.len() {
        if let Some(cut) = quote.rfind(char::is_whitespace) {
            quote.truncate(cut);
        }
        quote.push('…');
    }
    let quoted: Vec<String> = quote
        .lines()
        .map(|line| format!("> {}", line.trim_end()))
        .collect();
    format!(
        "The documentation answers this: [{}](<{}>)\n\n{}",
        escape_link_text(heading_path),
        url.replace(['<', '>', ' '], ""),
        quoted.join("\n")
    )
}

/// Brackets and backslashes in a heading would end the link text early.
fn escape_link_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '[' | ']' | '\\' | '*' | '_' | '`' | '<' | '>') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Answers the question with the section (published to the FAQ) and counts it.
pub async fn answer_with_section(
    db: &Db,
    bus: &Bus,
    actor: i64,
    question_id: i64,
    section_id: i64,
) -> Result<Question, AppError> {
    let section = db
        .read(move |conn| db::docs::section_by_id(conn, section_id))
        .await?
        .filter(|section| section.removed_at.is_none())
        .ok_or(AppError::NotFound {
            what: "documentation section",
        })?;
    let markdown = answer_markdown(
        &section.heading_path,
        &address(&section.url, &section.anchor),
        &section.body,
    );
    let input = AnswerInput::parse_off_workers(markdown, String::new(), true).await?;
    let answered = answers::answer(db, bus, actor, question_id, input).await?;
    let event_id = answered.event_id;
    let at = now();
    db.write(move |conn| {
        doc_uses::record(
            conn,
            &[NewUse {
                section_id,
                event_id: Some(event_id),
                question_id: Some(question_id),
                what: doc_uses::ANSWERED_WITH,
                at,
            }],
        )
    })
    .await?;
    Ok(answered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_links_the_section_and_quotes_its_opening() {
        let body = format!("First line.\nSecond [line]. {}", "word ".repeat(100));
        let markdown = answer_markdown(
            "Install › With [opam]",
            "https://docs.example/install#with-opam",
            &body,
        );
        assert!(markdown.starts_with(
            "The documentation answers this: [Install › With \\[opam\\]](<https://docs.example/install#with-opam>)"
        ));
        assert!(markdown.contains("\n\n> First line.\n> Second [line]."));
        assert!(markdown.ends_with('…'));
        assert!(markdown.chars().count() < 450);
    }
}
