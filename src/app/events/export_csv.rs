//! The export as a spreadsheet: one row per question, for the organisers' records.

use crate::app::events::export::EventExport;

const HEADER: [&str; 15] = [
    "id",
    "status",
    "question",
    "author",
    "votes",
    "moderator_votes",
    "labels",
    "reject_reason",
    "merged_into",
    "answer",
    "recording_offset_secs",
    "recording_link",
    "published",
    "asked_at",
    "answered_at",
];

const POLLS_HEADER: [&str; 7] = [
    "poll", "kind", "prompt", "state", "answers", "label", "value",
];

/// The event's polls as a spreadsheet: a row per count (an option, a rating, a word, a ranked
/// option's score, a shown open-text answer's up-votes), inert as the questions' sheet is.
pub fn polls_to_csv(export: &EventExport) -> String {
    let mut out = String::new();
    push_row(&mut out, POLLS_HEADER.iter().map(|name| (*name).to_owned()));
    for (at, poll) in export.polls.iter().enumerate() {
        let answers = poll
            .answers
            .iter()
            .filter(|answer| !answer.discounted)
            .count();
        for line in &poll.tally {
            push_row(
                &mut out,
                [
                    (at + 1).to_string(),
                    poll.kind.clone(),
                    inert(&poll.prompt),
                    poll.state.clone(),
                    answers.to_string(),
                    inert(&line.label),
                    line.value_text(),
                ]
                .into_iter(),
            );
        }
    }
    out
}

/// RFC 4180 CSV. Text typed by the public is written so that a spreadsheet shows it rather than
/// running it: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
/// apostrophe (the OWASP advice against formula injection).
pub fn to_csv(export: &EventExport) -> String {
    let mut out = String::new();
    push_row(&mut out, HEADER.iter().map(|name| (*name).to_owned()));
    for question in &export.questions {
        let answer = question.answer.as_ref();
        push_row(
            &mut out,
            [
                question.id.to_string(),
                question.status.as_str().to_owned(),
                inert(&question.body),
                inert(question.author_name.as_deref().unwrap_or_default()),
                question.vote_count.to_string(),
                question.moderator_votes.len().to_string(),
                inert(&question.labels.join(", ")),
                inert(question.reject_reason.as_deref().unwrap_or_default()),
                question
                    .merged_into
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
                inert(answer.map(|a| a.answer_md.as_str()).unwrap_or_default()),
                answer
                    .and_then(|a| a.recording_offset_secs)
                    .map(|secs| secs.to_string())
                    .unwrap_or_default(),
                answer
                    .and_then(|a| a.recording_link.clone())
                    .unwrap_or_default(),
                answer.map(|a| a.published.to_string()).unwrap_or_default(),
                question.created_at.to_rfc3339(),
                answer
                    .map(|a| a.answered_at.to_rfc3339())
                    .unwrap_or_default(),
            ]
            .into_iter(),
        );
    }
    out
}

/// Text a spreadsheet shows rather than runs (see [`to_csv`]).
pub fn inert(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    for (index, cell) in cells.enumerate() {
        if index > 0 {
            out.push(',');
        }
        if cell.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::{inert, push_row};

    #[test]
    fn cells_are_quoted_and_formulas_made_inert() {
        let mut out = String::new();
        push_row(
            &mut out,
            [
                "plain".to_owned(),
                "a, \"quoted\"\nline".to_owned(),
                inert("=HYPERLINK(\"x\")"),
                inert("-1"),
            ]
            .into_iter(),
        );
        assert_eq!(
            out,
            "plain,\"a, \"\"quoted\"\"\nline\",\"'=HYPERLINK(\"\"x\"\")\",'-1\r\n"
        );
    }
}
