//! Restores an exported event into a database that does not have it yet: the same question ids,
//! votes, answers, labels and follow links, so a backup brings the event back as it was.

use std::collections::{HashMap, HashSet};

use crate::app::events::export::{EventExport, QuestionRecord, FORMAT, VERSION};
use crate::app::now;
use crate::db::backup::{AnswerRow, EditRow, EventRows, ModeratorVoteRow, QuestionRow, VoteRow};
use crate::db::{self, Db, DbConnection};
use crate::domain::{
    AnswerText, DisplayName, EventSlug, EventTitle, LabelName, QuestionBody, QuestionStatus,
};
use crate::error::AppError;

pub struct ImportSummary {
    pub slug: String,
    pub questions: usize,
    pub votes: usize,
    pub answers: usize,
    pub polls: usize,
    /// Answers, edits and moderator votes whose moderator this database does not know: the
    /// answers and edits are kept without a name, the moderator votes dropped.
    pub unknown_moderators: Vec<String>,
}

fn refuse(message: String) -> AppError {
    AppError::BadRequest {
        code: "bad_import",
        message,
    }
}

fn is_stored_hash(text: &str) -> bool {
    text.len() == 32 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

/// What a question becomes once its file entry is checked.
struct CheckedQuestion {
    body: String,
    author_name: Option<String>,
    labels: Vec<LabelName>,
    answer: Option<AnswerText>,
}

/// Everything is checked before anything is written: a file is restored whole or not at all.
fn check(export: &EventExport) -> Result<Vec<CheckedQuestion>, AppError> {
    if export.format != FORMAT || export.version != VERSION {
        return Err(refuse(format!(
            "This is not a faqtory event export (expected format `{FORMAT}`, version {VERSION}; \
             found `{}`, version {}).",
            export.format, export.version
        )));
    }
    EventSlug::parse(&export.event.slug)?;
    EventTitle::parse(&export.event.title)?;
    LabelName::parse_event_each(export.event.labels.iter().map(String::as_str))?;
    let ids: HashSet<i64> = export.questions.iter().map(|q| q.id).collect();
    if ids.len() != export.questions.len() {
        return Err(refuse("Two questions in the file have the same id.".into()));
    }
    export
        .questions
        .iter()
        .map(|question| check_question(question, &ids))
        .collect()
}

fn check_question(
    question: &QuestionRecord,
    ids: &HashSet<i64>,
) -> Result<CheckedQuestion, AppError> {
    let at = |message: String| refuse(format!("Question {}: {message}", question.id));
    let body = QuestionBody::parse(&question.body).map_err(|invalid| at(invalid.message))?;
    let author_name = DisplayName::parse_optional(question.author_name.as_deref())
        .map_err(|invalid| at(invalid.message))?;
    let labels = LabelName::parse_each(question.labels.iter().map(String::as_str))
        .map_err(|invalid| at(invalid.message))?;
    match question.merged_into {
        Some(target) if target == question.id || !ids.contains(&target) => {
            return Err(at(format!(
                "it is merged into {target}, which is not another question of the file."
            )));
        }
        Some(_) if question.status != QuestionStatus::Merged => {
            return Err(at(
                "only merged questions name a question they were merged into.".into(),
            ));
        }
        _ => {}
    }
    if !is_stored_hash(&question.follow_token_hash)
        || !question
            .votes
            .iter()
            .all(|vote| is_stored_hash(&vote.voter))
    {
        return Err(at(
            "its follow-link or voter hashes are not 32 hex digits.".into()
        ));
    }
    let answer = question
        .answer
        .as_ref()
        .map(|answer| AnswerText::parse(&answer.answer_md))
        .transpose()
        .map_err(|invalid| at(invalid.message))?;
    Ok(CheckedQuestion {
        body: body.as_str().to_owned(),
        author_name: author_name.map(|name| name.as_str().to_owned()),
        labels,
        answer,
    })
}

pub async fn import_event(db: &Db, export: EventExport) -> Result<ImportSummary, AppError> {
    let checked = check(&export)?;
    let polls = crate::app::polls::backup::check(&export.polls).map_err(refuse)?;
    db.write(move |conn| {
        let mut summary = restore(conn, &export, &checked)?;
        let event_id = db::events::find_by_slug(conn, &export.event.slug)?
            .ok_or(AppError::NotFound { what: "event" })?
            .id;
        summary.polls = crate::app::polls::backup::restore(conn, event_id, &export.polls, &polls)?;
        Ok(summary)
    })
    .await
}

fn restore(
    conn: &mut DbConnection,
    export: &EventExport,
    checked: &[CheckedQuestion],
) -> Result<ImportSummary, AppError> {
    let event = &export.event;
    if db::events::slug_taken(conn, &event.slug)? {
        return Err(AppError::conflict(
            "slug_taken",
            format!(
                "An event with the slug `{}` exists already: import restores into a database \
                 that does not have it.",
                event.slug
            ),
        ));
    }
    let ids: Vec<i64> = export.questions.iter().map(|q| q.id).collect();
    if db::backup::taken_question_ids(conn, &ids)? > 0 {
        return Err(AppError::conflict(
            "ids_taken",
            "Questions with the file's ids exist already: import restores into an empty database.",
        ));
    }
    let at = now();
    let event_id = db::events::insert(
        conn,
        &db::events::NewEvent {
            slug: &event.slug,
            title: &event.title,
            description: &event.description,
            starts_at: event.starts_at.map(|at| at.naive_utc()),
            status: event.status.as_str(),
            premoderation: event.premoderation,
            recording_url: event.recording_url.as_deref(),
            created_at: event.created_at.naive_utc(),
            updated_at: at,
        },
    )?;
    for label in &event.labels {
        db::labels::find_or_create(conn, event_id, label)?;
    }
    let moderator_ids: HashMap<String, i64> = db::moderators::list(conn)?
        .into_iter()
        .map(|moderator| (moderator.username, moderator.id))
        .collect();
    let mut unknown_moderators: Vec<String> = Vec::new();
    let mut moderator = |name: &Option<String>| -> Option<i64> {
        let name = name.as_ref()?;
        let id = moderator_ids.get(name).copied();
        if id.is_none() && !unknown_moderators.contains(name) {
            unknown_moderators.push(name.clone());
        }
        id
    };
    let mut rows = EventRows {
        questions: Vec::with_capacity(export.questions.len()),
        answers: Vec::new(),
        votes: Vec::new(),
        edits: Vec::new(),
        moderator_votes: Vec::new(),
    };
    for (question, checked) in export.questions.iter().zip(checked) {
        rows.questions.push(QuestionRow {
            id: question.id,
            event_id,
            body: checked.body.clone(),
            author_name: checked.author_name.clone(),
            status: question.status.as_str().to_owned(),
            reject_reason: question.reject_reason.clone(),
            merged_into: question.merged_into,
            priority: question.priority,
            on_screen: question.on_screen,
            vote_count: question.vote_count,
            follow_token_hash: question.follow_token_hash.clone(),
            created_at: question.created_at.naive_utc(),
            updated_at: question.updated_at.naive_utc(),
        });
        if let (Some(answer), Some(text)) = (&question.answer, &checked.answer) {
            rows.answers.push(AnswerRow {
                question_id: question.id,
                body_md: text.markdown().to_owned(),
                body_html: text.html().to_owned(),
                recording_offset_secs: answer.recording_offset_secs,
                published: answer.published,
                answered_by: moderator(&answer.answered_by),
                answered_at: answer.answered_at.naive_utc(),
                updated_at: answer.updated_at.naive_utc(),
                reviewed_at: answer.reviewed_at.map(|at| at.naive_utc()),
                transcript_excerpt: answer.transcript_excerpt.clone(),
            });
        }
        rows.votes.extend(question.votes.iter().map(|vote| VoteRow {
            question_id: question.id,
            voter_hash: vote.voter.clone(),
            created_at: vote.at.naive_utc(),
        }));
        for edit in &question.edits {
            rows.edits.push(EditRow {
                question_id: question.id,
                moderator_id: moderator(&edit.edited_by),
                previous_body: edit.previous_body.clone(),
                edited_at: edit.edited_at.naive_utc(),
            });
        }
        for name in &question.moderator_votes {
            if let Some(moderator_id) = moderator(&Some(name.clone())) {
                rows.moderator_votes.push(ModeratorVoteRow {
                    question_id: question.id,
                    moderator_id,
                    created_at: question.updated_at.naive_utc(),
                });
            }
        }
    }
    db::backup::write_event(conn, &rows)?;
    if let Some(started) = event.recording_started_at {
        db::events::set_recording_started_at(conn, event_id, Some(started.naive_utc()), at)?;
    }
    let screen_times: Vec<db::screen_times::ScreenTime> = export
        .questions
        .iter()
        .flat_map(|question| {
            question
                .screen_times
                .iter()
                .map(|time| db::screen_times::ScreenTime {
                    question_id: question.id,
                    shown_at: time.shown_at.naive_utc(),
                    hidden_at: time.hidden_at.map(|at| at.naive_utc()),
                })
        })
        .collect();
    db::screen_times::restore(conn, event_id, &screen_times)?;
    if let Some((transcript, imported_at)) = checked_transcript(export)? {
        db::transcripts::replace(conn, event_id, &transcript, imported_at)?;
    }
    for (question, checked) in export.questions.iter().zip(checked) {
        if !checked.labels.is_empty() {
            let mut label_ids = Vec::with_capacity(checked.labels.len());
            for label in &checked.labels {
                label_ids.push(db::labels::find_or_create(conn, event_id, label.as_str())?);
            }
            db::labels::set_for_question(conn, question.id, &label_ids)?;
        }
        // The search index learns about restored questions like any other.
        db::changes::record(conn, question.id, at)?;
    }
    let summary = ImportSummary {
        slug: event.slug.clone(),
        questions: rows.questions.len(),
        votes: rows.votes.len(),
        answers: rows.answers.len(),
        polls: 0,
        unknown_moderators,
    };
    db::modlog::record(
        conn,
        &db::modlog::NewEntry {
            action: "event.import",
            event_id: Some(event_id),
            after_value: Some(&format!(
                "{} questions, {} votes, {} answers",
                summary.questions, summary.votes, summary.answers
            )),
            created_at: at,
            ..db::modlog::NewEntry::default()
        },
    )?;
    Ok(summary)
}

/// The file's transcript as the parser would have left it: cues in order, none overlapping, each
/// with text within bounds. A file is restored whole or not at all.
fn checked_transcript(
    export: &EventExport,
) -> Result<Option<(crate::transcript::Transcript, chrono::NaiveDateTime)>, AppError> {
    let Some(record) = &export.transcript else {
        return Ok(None);
    };
    let format = crate::transcript::Format::parse(&record.format).ok_or_else(|| {
        refuse(format!(
            "The transcript's format `{}` is unknown.",
            record.format
        ))
    })?;
    let mut cues = Vec::with_capacity(record.cues.len());
    let mut previous_end = 0;
    for (position, cue) in record.cues.iter().enumerate() {
        let text = cue.text.trim();
        let sound = cue.start_ms >= previous_end
            && cue.end_ms >= cue.start_ms
            && !text.is_empty()
            && text.chars().count() <= crate::transcript::MAX_CUE_CHARS
            && cue
                .speaker
                .as_ref()
                .is_none_or(|speaker| speaker.chars().count() <= 200);
        if !sound {
            return Err(refuse(format!(
                "The transcript's cue {} is out of order, overlaps the one before, or has no \
                 text.",
                position + 1
            )));
        }
        previous_end = cue.end_ms;
        cues.push(crate::transcript::Cue {
            start_ms: cue.start_ms,
            end_ms: cue.end_ms,
            speaker: cue.speaker.clone(),
            text: text.to_owned(),
        });
    }
    if cues.is_empty() {
        return Ok(None);
    }
    Ok(Some((
        crate::transcript::Transcript { format, cues },
        record.imported_at.naive_utc(),
    )))
}
