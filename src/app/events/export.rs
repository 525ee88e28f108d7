//! An event's questions as one document: for the organisers' records (JSON or CSV) and as a
//! backup that `import` restores. The JSON keeps everything a restore needs (ids, vote hashes,
//! follow-link hashes), so askers' links and voters' votes still work afterwards.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::polls::backup::PollRecord;
use crate::db::{self, backup::EventRows, Db};
use crate::domain::{EventStatus, QuestionStatus, RecordingOffset};
use crate::error::AppError;

pub const FORMAT: &str = "faqtory.event";
pub const VERSION: u32 = 1;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EventExport {
    /// Always `faqtory.event`.
    pub format: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub event: EventRecord,
    pub questions: Vec<QuestionRecord>,
    /// The recording's transcript, when one was brought in.
    #[serde(default)]
    pub transcript: Option<TranscriptRecord>,
    /// The event's polls with their answers and counts.
    #[serde(default)]
    pub polls: Vec<PollRecord>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TranscriptRecord {
    /// `webvtt`, `srt` or `text`: what the file was.
    pub format: String,
    pub imported_at: DateTime<Utc>,
    pub cues: Vec<CueRecord>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CueRecord {
    pub start_ms: i64,
    pub end_ms: i64,
    pub speaker: Option<String>,
    pub text: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EventRecord {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub status: EventStatus,
    pub starts_at: Option<DateTime<Utc>>,
    pub premoderation: bool,
    pub recording_url: Option<String>,
    pub labels: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// When the recording started, which lines it up with the call.
    #[serde(default)]
    pub recording_started_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct QuestionRecord {
    pub id: i64,
    pub body: String,
    pub author_name: Option<String>,
    pub status: QuestionStatus,
    pub reject_reason: Option<String>,
    pub merged_into: Option<i64>,
    pub priority: i32,
    pub on_screen: bool,
    /// Distinct voters over the question and those merged into it.
    pub vote_count: i32,
    pub labels: Vec<String>,
    pub answer: Option<AnswerRecord>,
    /// Usernames of the moderators who gave it their own vote.
    pub moderator_votes: Vec<String>,
    /// Earlier wordings, oldest first.
    pub edits: Vec<EditRecord>,
    pub votes: Vec<VoteRecord>,
    /// Every time it was put on screen during the call, and taken off.
    #[serde(default)]
    pub screen_times: Vec<ScreenTimeRecord>,
    /// The hash of the asker's private follow link (the link itself is never stored).
    pub follow_token_hash: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AnswerRecord {
    pub answer_md: String,
    /// Rendered from `answer_md`; an import renders it again rather than trusting a file.
    #[serde(default)]
    pub answer_html: String,
    pub recording_offset_secs: Option<i32>,
    /// The link into the recording at that moment, when the event has a recording.
    #[serde(default)]
    pub recording_link: Option<String>,
    pub published: bool,
    pub answered_by: Option<String>,
    pub answered_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub reviewed_at: Option<DateTime<Utc>>,
    /// What was said in the recording where it was discussed, when it was accepted from there.
    #[serde(default)]
    pub transcript_excerpt: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ScreenTimeRecord {
    pub shown_at: DateTime<Utc>,
    /// Still on screen when none.
    pub hidden_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EditRecord {
    pub previous_body: String,
    pub edited_by: Option<String>,
    pub edited_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct VoteRecord {
    /// The hash of the voter's cookie token, as stored.
    pub voter: String,
    pub at: DateTime<Utc>,
}

fn utc(at: NaiveDateTime) -> DateTime<Utc> {
    at.and_utc()
}

/// Reads the whole event in one snapshot.
pub async fn export_event(db: &Db, slug: &str) -> Result<EventExport, AppError> {
    let slug = slug.to_owned();
    db.read(move |conn| {
        let event =
            db::events::find_by_slug(conn, &slug)?.ok_or(AppError::NotFound { what: "event" })?;
        let event_labels = db::labels::of_event(conn, event.id)?;
        let rows = db::backup::read_event(conn, event.id)?;
        let ids: Vec<i64> = rows.questions.iter().map(|row| row.id).collect();
        let mut labels: HashMap<i64, Vec<String>> = HashMap::new();
        for chunk in ids.chunks(1_000) {
            for (question_id, name) in db::labels::of_questions(conn, chunk)? {
                labels.entry(question_id).or_default().push(name);
            }
        }
        let usernames: HashMap<i64, String> = db::moderators::list(conn)?
            .into_iter()
            .map(|moderator| (moderator.id, moderator.username))
            .collect();
        let mut questions =
            question_records(rows, labels, &usernames, event.recording_url.as_deref())?;
        let mut screen_times: HashMap<i64, Vec<ScreenTimeRecord>> = HashMap::new();
        for time in db::screen_times::of_event(conn, event.id)? {
            screen_times
                .entry(time.question_id)
                .or_default()
                .push(ScreenTimeRecord {
                    shown_at: utc(time.shown_at),
                    hidden_at: time.hidden_at.map(utc),
                });
        }
        for question in &mut questions {
            question.screen_times = screen_times.remove(&question.id).unwrap_or_default();
        }
        let transcript = match db::transcripts::summary(conn, event.id)? {
            Some(summary) => Some(TranscriptRecord {
                format: summary.format,
                imported_at: utc(summary.imported_at),
                cues: db::transcripts::cues(conn, event.id)?
                    .into_iter()
                    .map(|cue| CueRecord {
                        start_ms: cue.start_ms,
                        end_ms: cue.end_ms,
                        speaker: cue.speaker,
                        text: cue.text,
                    })
                    .collect(),
            }),
            None => None,
        };
        let polls = crate::app::polls::backup::records(conn, event.id)?;
        Ok(EventExport {
            format: FORMAT.to_owned(),
            version: VERSION,
            exported_at: Utc::now(),
            event: EventRecord {
                slug: event.slug,
                title: event.title,
                description: event.description,
                status: event.status,
                starts_at: event.starts_at.map(utc),
                premoderation: event.premoderation,
                recording_url: event.recording_url,
                labels: event_labels.into_iter().map(|(_, name)| name).collect(),
                created_at: utc(event.created_at),
                recording_started_at: event.recording_started_at.map(utc),
            },
            questions,
            transcript,
            polls,
        })
    })
    .await
}

fn question_records(
    rows: EventRows,
    mut labels: HashMap<i64, Vec<String>>,
    usernames: &HashMap<i64, String>,
    recording_url: Option<&str>,
) -> Result<Vec<QuestionRecord>, AppError> {
    let name_of = |id: Option<i64>| id.and_then(|id| usernames.get(&id).cloned());
    let mut answers: HashMap<i64, AnswerRecord> = rows
        .answers
        .into_iter()
        .map(|answer| {
            let recording_link = answer
                .recording_offset_secs
                .and_then(RecordingOffset::from_seconds)
                .zip(recording_url)
                .and_then(|(offset, url)| offset.link(url));
            let record = AnswerRecord {
                answer_md: answer.body_md,
                answer_html: answer.body_html,
                recording_offset_secs: answer.recording_offset_secs,
                recording_link,
                published: answer.published,
                answered_by: name_of(answer.answered_by),
                answered_at: utc(answer.answered_at),
                updated_at: utc(answer.updated_at),
                reviewed_at: answer.reviewed_at.map(utc),
                transcript_excerpt: answer.transcript_excerpt,
            };
            (answer.question_id, record)
        })
        .collect();
    let mut votes: HashMap<i64, Vec<VoteRecord>> = HashMap::new();
    for vote in rows.votes {
        votes.entry(vote.question_id).or_default().push(VoteRecord {
            voter: vote.voter_hash,
            at: utc(vote.created_at),
        });
    }
    let mut edits: HashMap<i64, Vec<EditRecord>> = HashMap::new();
    for edit in rows.edits {
        edits.entry(edit.question_id).or_default().push(EditRecord {
            previous_body: edit.previous_body,
            edited_by: name_of(edit.moderator_id),
            edited_at: utc(edit.edited_at),
        });
    }
    let mut moderator_votes: HashMap<i64, Vec<String>> = HashMap::new();
    for vote in rows.moderator_votes {
        if let Some(name) = name_of(Some(vote.moderator_id)) {
            moderator_votes
                .entry(vote.question_id)
                .or_default()
                .push(name);
        }
    }
    rows.questions
        .into_iter()
        .map(|row| {
            let status = row
                .status
                .parse()
                .map_err(|error| AppError::internal("reading a question's status", error))?;
            Ok(QuestionRecord {
                id: row.id,
                body: row.body,
                author_name: row.author_name,
                status,
                reject_reason: row.reject_reason,
                merged_into: row.merged_into,
                priority: row.priority,
                on_screen: row.on_screen,
                vote_count: row.vote_count,
                labels: labels.remove(&row.id).unwrap_or_default(),
                answer: answers.remove(&row.id),
                moderator_votes: moderator_votes.remove(&row.id).unwrap_or_default(),
                edits: edits.remove(&row.id).unwrap_or_default(),
                votes: votes.remove(&row.id).unwrap_or_default(),
                screen_times: Vec::new(),
                follow_token_hash: row.follow_token_hash,
                created_at: utc(row.created_at),
                updated_at: utc(row.updated_at),
            })
        })
        .collect()
}
