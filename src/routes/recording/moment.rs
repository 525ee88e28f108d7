//! Moving a question's moment on the review page before accepting it: ten seconds either way,
//! or a cue of the transcript picked. The page comes back with the passage and draft from there;
//! what the moderator wrote in the answer stays, unless it was the draft untouched.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::recording::review;
use crate::domain::RecordingOffset;
use crate::error::AppError;
use crate::routes::recording::page::render;
use crate::views::recording::recording_view::{Refused, RowValues};
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::expired_form;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf;
use crate::web::AppState;

/// How far one nudge moves a moment.
const NUDGE_MS: i64 = 10_000;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![RouteSpec::post(
        "/mod/q/{id}/recording/moment",
        Access::Moderator,
        web::to(move_moment),
    )]
}

#[derive(Deserialize)]
struct MomentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    at: String,
    #[serde(default)]
    answer_md: String,
    /// The draft the answer box was filled with, to tell whether the moderator changed it.
    #[serde(default)]
    draft_was: String,
    /// `-10` or `+10`: a nudge.
    #[serde(default, rename = "move")]
    nudge: String,
    /// A cue's start (milliseconds): the moment picked.
    #[serde(default)]
    start: String,
}

impl MomentForm {
    /// Where the moment goes from `current_ms`.
    fn target(&self, current_ms: i64) -> i64 {
        if let Ok(start) = self.start.trim().parse::<i64>() {
            return start;
        }
        match self.nudge.trim() {
            "-10" => current_ms - NUDGE_MS,
            "+10" => current_ms + NUDGE_MS,
            _ => current_ms,
        }
    }

    fn answer_untouched(&self) -> bool {
        let tidy = |text: &str| text.replace("\r\n", "\n").trim().to_owned();
        self.answer_md.trim().is_empty() || tidy(&self.answer_md) == tidy(&self.draft_was)
    }
}

async fn move_moment(
    req: HttpRequest,
    state: web::Data<AppState>,
    _me: CurrentModerator,
    id: web::Path<i64>,
    form: web::Form<MomentForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let question_id = *id;
    let slug = crate::app::events::listing::slug_of_question(&state.db, question_id).await?;
    let mut review = review::review(&state.db, &state.meaning(), &slug).await?;
    let row = review
        .rows
        .iter()
        .find(|row| row.question.id == question_id)
        .ok_or(AppError::NotFound { what: "question" })?;
    let proposed_ms = row.proposal.as_ref().map_or(0, |proposal| proposal.at_ms);
    let current_ms = match RecordingOffset::parse_optional(&form.at) {
        // The proposal's own moment to the millisecond while the field still shows it.
        Ok(Some(at)) if i64::from(at.seconds()) == proposed_ms / 1000 => proposed_ms,
        Ok(Some(at)) => i64::from(at.seconds()) * 1000,
        Ok(None) => proposed_ms,
        Err(invalid) => {
            let refused = Refused {
                row: Some(RowValues {
                    question_id,
                    at: form.at,
                    answer_md: form.answer_md,
                    message: Some(invalid.message),
                }),
                ..Refused::default()
            };
            return Ok(render(
                &state,
                &review,
                &form.csrf,
                None,
                refused,
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    let untouched = form.answer_untouched();
    let target = form.target(current_ms);
    let Some(moved) = review.move_moment(question_id, target) else {
        return Err(AppError::NotFound { what: "question" }.into());
    };
    let at = RecordingOffset::from_seconds(i32::try_from(moved.at_ms / 1000).unwrap_or(0))
        .map_or_else(String::new, RecordingOffset::display);
    let answer_md = if untouched {
        moved.draft.markdown()
    } else {
        form.answer_md
    };
    let refused = Refused {
        row: Some(RowValues {
            question_id,
            at,
            answer_md,
            message: None,
        }),
        ..Refused::default()
    };
    Ok(render(
        &state,
        &review,
        &form.csrf,
        None,
        refused,
        StatusCode::OK,
    ))
}
