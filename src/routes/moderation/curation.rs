//! The moves on questions from the dashboard's forms (the API's are in `curation_api`), and the
//! page itself through `dashboard`.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::app::asking::automated_votes;
use crate::app::moderation::answers::{self, AnswerInput};
use crate::app::moderation::{curation, editing};
use crate::db::questions::Question;
use crate::domain::{LabelName, QuestionBody};
use crate::error::AppError;
use crate::routes::moderation::dashboard::{back_to_row, refused, Drafts};
use crate::views::moderation::dashboard_view::{AnswerDraft, EditDraft};
use crate::web::extract::current_moderator::{safe_next, CurrentModerator};
use crate::web::responses::errors::PageError;
use crate::web::responses::respond::{expired_form, see_other};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::{self, CsrfToken};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::post(
            "/mod/q/{id}/answer",
            Access::Moderator,
            web::to(answer_form),
        ),
        RouteSpec::post("/mod/q/{id}/edit", Access::Moderator, web::to(edit_form)),
        RouteSpec::post(
            "/mod/q/{id}/labels",
            Access::Moderator,
            web::to(labels_form),
        ),
        // approve, reject, restore, unanswer, on-screen, off-screen, mod-vote, mod-unvote:
        // see `Verb::from_path`
        RouteSpec::post("/mod/q/{id}/{verb}", Access::Moderator, web::to(move_form)),
    ]
}

#[derive(Deserialize)]
struct MoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    back: String,
    #[serde(default)]
    reason: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verb {
    Approve,
    Reject,
    Restore,
    Unanswer,
    OnScreen,
    OffScreen,
    ModeratorVote,
    ModeratorUnvote,
    Unmerge,
    DiscountAutomated,
    CountAutomated,
}

impl Verb {
    fn from_path(verb: &str) -> Option<Self> {
        Some(match verb {
            "approve" => Verb::Approve,
            "reject" => Verb::Reject,
            "restore" => Verb::Restore,
            "unanswer" => Verb::Unanswer,
            "on-screen" => Verb::OnScreen,
            "off-screen" => Verb::OffScreen,
            "mod-vote" => Verb::ModeratorVote,
            "mod-unvote" => Verb::ModeratorUnvote,
            "unmerge" => Verb::Unmerge,
            "discount-automated" => Verb::DiscountAutomated,
            "count-automated" => Verb::CountAutomated,
            _ => return None,
        })
    }
}

pub(crate) async fn perform(
    state: &AppState,
    me: &CurrentModerator,
    id: i64,
    verb: Verb,
    reason: &str,
) -> Result<Question, AppError> {
    match verb {
        Verb::Approve => curation::approve(&state.db, &state.bus, me.0.id, id).await,
        Verb::Reject => curation::reject(&state.db, &state.bus, me.0.id, id, reason).await,
        Verb::Restore => curation::restore(&state.db, &state.bus, me.0.id, id).await,
        Verb::Unanswer => answers::unanswer(&state.db, &state.bus, me.0.id, id).await,
        Verb::OnScreen => editing::put_on_screen(&state.db, &state.bus, me.0.id, id).await,
        Verb::OffScreen => editing::clear_screen(&state.db, &state.bus, me.0.id, id).await,
        Verb::ModeratorVote => editing::moderator_vote(&state.db, me.0.id, id, true).await,
        Verb::ModeratorUnvote => editing::moderator_vote(&state.db, me.0.id, id, false).await,
        Verb::Unmerge => {
            crate::app::moderation::merge::unmerge(&state.db, &state.bus, me.0.id, id).await
        }
        Verb::DiscountAutomated => {
            automated_votes::discount(&state.db, &state.bus, me.0.id, id).await
        }
        Verb::CountAutomated => {
            automated_votes::count_again(&state.db, &state.bus, me.0.id, id).await
        }
    }
}

/// The one-click moves of the dashboard, each a small form.
async fn move_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    path: web::Path<(i64, String)>,
    form: web::Form<MoveForm>,
) -> Result<HttpResponse, PageError> {
    let (id, verb) = path.into_inner();
    let verb = Verb::from_path(&verb).ok_or(AppError::NotFound { what: "page" })?;
    let form = form.into_inner();
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let question = perform(&state, &me, id, verb, &form.reason).await?;
    let back = safe_next(Some(&form.back));
    if verb == Verb::Reject && back.starts_with("/mod/e/") {
        // The row has left the list: the page says what happened, with its undo.
        let separator = if back.contains('?') { '&' } else { '?' };
        return Ok(see_other(&format!(
            "{back}{separator}rejected={}",
            question.id
        )));
    }
    Ok(back_to_row(&back, question.id))
}

#[derive(Deserialize)]
struct LabelsForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    back: String,
    #[serde(default)]
    labels: String,
}

async fn labels_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    csrf_token: CsrfToken,
    id: web::Path<i64>,
    form: web::Form<LabelsForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let back = safe_next(Some(&form.back));
    match LabelName::parse_list(&form.labels) {
        Ok(labels) => {
            let question = editing::set_labels(&state.db, &state.bus, me.0.id, *id, labels).await?;
            Ok(back_to_row(&back, question.id))
        }
        Err(invalid) => {
            let drafts = Drafts {
                labels: Some((*id, &form.labels, &invalid.message)),
                ..Drafts::default()
            };
            refused(&state, &me, &back, &csrf_token, drafts).await
        }
    }
}

#[derive(Deserialize)]
struct EditForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    back: String,
    #[serde(default)]
    body: String,
}

async fn edit_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    csrf_token: CsrfToken,
    id: web::Path<i64>,
    form: web::Form<EditForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let back = safe_next(Some(&form.back));
    match QuestionBody::parse(&form.body) {
        Ok(body) => {
            let question =
                editing::edit_question(&state.db, &state.bus, me.0.id, *id, body).await?;
            Ok(back_to_row(&back, question.id))
        }
        Err(invalid) => {
            let edit = EditDraft {
                question_id: *id,
                body: &form.body,
                message: &invalid.message,
            };
            let drafts = Drafts {
                edit: Some(edit),
                ..Drafts::default()
            };
            refused(&state, &me, &back, &csrf_token, drafts).await
        }
    }
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    back: String,
    #[serde(default)]
    answer_md: String,
    #[serde(default)]
    recording_offset: String,
    publish: Option<String>,
}

async fn answer_form(
    req: HttpRequest,
    state: Data,
    me: CurrentModerator,
    csrf_token: CsrfToken,
    id: web::Path<i64>,
    form: web::Form<AnswerForm>,
) -> Result<HttpResponse, PageError> {
    if !csrf::verify(&req, &state, &form.csrf) {
        return Err(expired_form().into());
    }
    let back = safe_next(Some(&form.back));
    let publish = form.publish.is_some();
    let parsed = AnswerInput::parse_off_workers(
        form.answer_md.clone(),
        form.recording_offset.clone(),
        publish,
    )
    .await;
    let outcome = match parsed {
        Ok(input) => answers::answer(&state.db, &state.bus, me.0.id, *id, input).await,
        Err(error) => Err(error),
    };
    match outcome {
        Ok(question) => Ok(back_to_row(&back, question.id)),
        Err(AppError::Invalid(invalid)) => {
            // The dashboard comes back with the answer as typed and the reason at the field.
            let draft = AnswerDraft {
                question_id: *id,
                markdown: &form.answer_md,
                offset: &form.recording_offset,
                publish,
                field: invalid.field,
                message: &invalid.message,
            };
            refused(
                &state,
                &me,
                &back,
                &csrf_token,
                Drafts {
                    answer: Some(draft),
                    ..Drafts::default()
                },
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
