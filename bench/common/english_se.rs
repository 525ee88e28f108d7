//! English Stack Exchange's 1,000 labelled question pairs (500 closed as duplicates), read as
//! faqtory reads a question: the title as its first sentence, then the body without the notice
//! Stack Exchange put on closed questions, cut to what a question may hold.

use faqtory::domain::QuestionBody;

use super::BoxError;

#[derive(serde::Deserialize)]
pub struct Pair {
    pub q1_title: String,
    pub q1_body: String,
    pub q1_id: String,
    pub q2_title: String,
    pub q2_body: String,
    pub q2_id: String,
    pub duplicate_label: String,
}

impl Pair {
    pub fn is_duplicate(&self) -> bool {
        self.duplicate_label == "1"
    }
}

pub fn pairs() -> Result<Vec<Pair>, BoxError> {
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/english-se-duplicates/pairs_1000.csv"
    );
    Ok(csv::Reader::from_path(file)?
        .deserialize()
        .collect::<Result<_, _>>()?)
}

/// Drops the notice Stack Exchange put on closed questions ("Possible Duplicate:" or "Possible
/// Duplicates:", then the other questions' titles up to a blank line), wherever it stands: it
/// names the other question, which no asker would.
fn without_notice(body: &str) -> String {
    // The file's lines end in CRLF; a blank line is looked for as two line feeds.
    let body = body.replace("\r\n", "\n");
    let Some(start) = body.find("Possible Duplicate") else {
        return body;
    };
    let notice = &body[start..];
    let after = notice.split_once("\n\n").map_or("", |(_, after)| after);
    format!("{}{}", &body[..start], after)
}

/// The title as the question's first sentence, then the body, as someone would write it in one
/// box.
pub fn question_text(title: &str, body: &str) -> String {
    let title = title.trim();
    let stop = if title.ends_with(['?', '.', '!']) {
        ""
    } else {
        "."
    };
    format!("{title}{stop} {}", without_notice(body).trim())
        .chars()
        .take(QuestionBody::MAX_CHARS)
        .collect()
}

/// Every question of the pairs once: (Stack Exchange id, text), in the file's order.
pub fn distinct_texts(pairs: &[Pair]) -> Vec<(String, String)> {
    let mut texts: Vec<(String, String)> = Vec::new();
    for pair in pairs {
        for (id, title, body) in [
            (&pair.q1_id, &pair.q1_title, &pair.q1_body),
            (&pair.q2_id, &pair.q2_title, &pair.q2_body),
        ] {
            if !texts.iter().any(|(known, _)| known == id) {
                texts.push((id.clone(), question_text(title, body)));
            }
        }
    }
    texts
}
