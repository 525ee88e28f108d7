//! Topics as a spreadsheet: a row per topic, ranked by demand, with its counts, trend, coverage
//! and most voted questions.

use crate::app::events::export_csv::inert;
use crate::app::insights::summary::TopicSummary;
use crate::error::AppError;

const HEADER: [&str; 15] = [
    "id",
    "label",
    "words",
    "demand",
    "questions",
    "votes",
    "searches",
    "poll_answers",
    "events",
    "trend",
    "coverage",
    "gap",
    "asked_again",
    "last_seen",
    "top_questions",
];

pub fn to_csv(topics: &[TopicSummary]) -> Result<String, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |error: csv::Error| AppError::internal("writing topics as CSV", error);
    out.write_record(HEADER).map_err(failed)?;
    for topic in topics {
        let events: Vec<&str> = topic
            .events
            .iter()
            .map(|event| event.slug.as_str())
            .collect();
        let questions: Vec<&str> = topic
            .top_questions
            .iter()
            .map(|question| question.body.as_str())
            .collect();
        out.write_record([
            topic.id.to_string(),
            inert(&topic.label),
            inert(&topic.words),
            topic.demand.to_string(),
            topic.questions.to_string(),
            topic.votes.to_string(),
            topic.searches.to_string(),
            topic.poll_answers.to_string(),
            events.join(" "),
            topic.trend.as_str().to_owned(),
            topic.coverage.state().to_owned(),
            topic.is_gap().to_string(),
            topic.asked_again.to_string(),
            topic
                .last_seen
                .map(|at| at.and_utc().to_rfc3339())
                .unwrap_or_default(),
            inert(&questions.join(" | ")),
        ])
        .map_err(failed)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|error| AppError::internal("writing topics as CSV", error))?;
    String::from_utf8(bytes).map_err(|error| AppError::internal("writing topics as CSV", error))
}
