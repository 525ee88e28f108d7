//! The docs report as a spreadsheet: a row per section people used, then a row per question no
//! section covers, then a row per topic listed for documentation, told apart by the first column.

use crate::app::docs::report::DocsReport;
use crate::app::events::export_csv::inert;
use crate::docs::section::address;
use crate::error::AppError;

const HEADER: [&str; 11] = [
    "kind",
    "id",
    "title_or_question",
    "url",
    "source_or_event",
    "shown",
    "opened",
    "answered_my_question",
    "asked_anyway",
    "answered_with",
    "votes",
];

pub fn to_csv(report: &DocsReport) -> Result<String, AppError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let failed = |error: csv::Error| AppError::internal("writing the docs report as CSV", error);
    out.write_record(HEADER).map_err(failed)?;
    for used in &report.sections {
        let section = &used.section;
        out.write_record([
            "section".to_owned(),
            section.id.to_string(),
            inert(&section.heading_path),
            inert(&address(&section.url, &section.anchor)),
            inert(&used.source),
            used.shown.to_string(),
            used.opened.to_string(),
            used.answered.to_string(),
            used.asked_anyway.to_string(),
            used.answered_with.to_string(),
            String::new(),
        ])
        .map_err(failed)?;
    }
    for gap in &report.gaps {
        out.write_record([
            "gap".to_owned(),
            gap.question.id.to_string(),
            inert(&gap.question.body),
            String::new(),
            inert(&gap.event_slug),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            gap.question.vote_count.to_string(),
        ])
        .map_err(failed)?;
    }
    for (id, name) in &report.topics_wanted {
        let mut row = vec![String::new(); HEADER.len()];
        row[0] = "topic".to_owned();
        row[1] = id.to_string();
        row[2] = inert(name);
        out.write_record(row).map_err(failed)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|error| AppError::internal("writing the docs report as CSV", error))?;
    String::from_utf8(bytes)
        .map_err(|error| AppError::internal("writing the docs report as CSV", error))
}
