//! The public API of polls: an event's polls, a poll's results, answering, and up-voting
//! open-text answers. A participant is the voter identity votes use, within the same limits.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::app::events::listing;
use crate::app::polls::answering;
use crate::app::polls::reading::{self, Viewer};
use crate::error::AppError;
use crate::routes::asking::participation::ballot_of;
use crate::routes::asking::visitor::Visitor;
use crate::routes::polls::json::{
    answer_json, AnsweredJson, PollAnswerRequest, PollJson, PollResultsJson, UpvotedJson,
};
use crate::web::extract::json_object::JsonObject;
use crate::web::extract::maybe_moderator::MaybeModerator;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get(
            "/api/v1/events/{slug}/polls",
            Access::Public,
            web::to(list_polls),
        ),
        RouteSpec::get(
            "/api/v1/polls/{id}/results",
            Access::Public,
            web::to(poll_results),
        ),
        RouteSpec::post(
            "/api/v1/polls/{id}/answer",
            Access::Public,
            web::to(answer_poll),
        ),
        RouteSpec::post(
            "/api/v1/polls/{id}/answers/{answer_id}/upvote",
            Access::Public,
            web::to(upvote_answer),
        ),
    ]
}

/// Who is looking: a moderator sees every poll and every result.
pub(crate) fn viewer_of(req: &HttpRequest, state: &AppState, me: &MaybeModerator) -> Viewer {
    if me.is_moderator() {
        Viewer::Moderator
    } else {
        Viewer::Public {
            voter: Visitor::voter_only(req, state).voter_hash(),
        }
    }
}

/// The event's polls: to the public the opened and closed ones, with the caller's own answer and
/// the results while they may be seen; to moderators the drafts and every result too.
#[utoipa::path(
    get, tag = "polls", path = "/api/v1/events/{slug}/polls",
    params(("slug" = String, Path, description = "the event's slug")),
    responses((status = 200, body = Vec<PollJson>), (status = 404, body = ErrorBody))
)]
pub(crate) async fn list_polls(
    req: HttpRequest,
    state: Data,
    me: MaybeModerator,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let viewer = viewer_of(&req, &state, &me);
    let event = match viewer {
        Viewer::Moderator => listing::find_event(&state.db, &slug).await?,
        Viewer::Public { .. } => listing::find_public_event(&state.db, &slug).await?,
    };
    let views = reading::of_event(&state.polls, event.id, viewer).await?;
    let polls: Vec<PollJson> = views.iter().map(PollJson::new).collect();
    Ok(HttpResponse::Ok().json(polls))
}

/// A poll's results. Refused (`403 results_hidden`) to the public while the poll's setting hides
/// them: until revealed, or until the caller has answered.
#[utoipa::path(
    get, tag = "polls", path = "/api/v1/polls/{id}/results",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = PollResultsJson),
        (status = 403, body = ErrorBody, description = "`results_hidden`"),
        (status = 404, body = ErrorBody),
    )
)]
pub(crate) async fn poll_results(
    req: HttpRequest,
    state: Data,
    me: MaybeModerator,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let viewer = viewer_of(&req, &state, &me);
    let view = reading::one(&state.polls, *id, viewer).await?;
    let results = view.results.as_ref().ok_or_else(|| AppError::Forbidden {
        code: "results_hidden",
        message: match view.poll.definition.results {
            crate::domain::ResultsShown::AfterAnswer => {
                "This poll's results are shown once you have answered it.".into()
            }
            _ => "This poll's results are shown once the moderators reveal them.".into(),
        },
    })?;
    Ok(HttpResponse::Ok().json(PollResultsJson::new(&view.poll, results, &view.upvoted)))
}

/// Answers an open poll; answering again replaces the answer until the poll closes.
#[utoipa::path(
    post, tag = "polls", path = "/api/v1/polls/{id}/answer",
    params(("id" = i64, Path)),
    request_body = PollAnswerRequest,
    responses(
        (status = 200, body = AnsweredJson), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "`no_voter`: no voter identity yet; `cross_origin`"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "`poll_closed`"),
        (status = 422, body = ErrorBody, description = "the answer does not fit the poll"),
        (status = 429, body = ErrorBody),
    )
)]
pub(crate) async fn answer_poll(
    req: HttpRequest,
    state: Data,
    id: web::Path<i64>,
    body: JsonObject<PollAnswerRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let visitor = Visitor::voter_only(&req, &state);
    let ballot = ballot_of(&state, &visitor, "answer")?;
    let answered = answering::answer(
        &state.db,
        &state.bus,
        *id,
        ballot,
        body.into_inner().into_input(),
        state.burst_rule,
    )
    .await?;
    state.metrics.poll_answers.inc();
    Ok(HttpResponse::Ok().json(AnsweredJson {
        poll_id: answered.poll.id,
        answer: answer_json(&answered.answer),
        held: answered.held,
        replaced: answered.replaced,
    }))
}

/// Up-votes a shown open-text answer; a second up-vote by the same voter changes nothing.
#[utoipa::path(
    post, tag = "polls", path = "/api/v1/polls/{id}/answers/{answer_id}/upvote",
    params(("id" = i64, Path), ("answer_id" = i64, Path)),
    responses(
        (status = 200, body = UpvotedJson), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 429, body = ErrorBody),
    )
)]
pub(crate) async fn upvote_answer(
    req: HttpRequest,
    state: Data,
    ids: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let (poll_id, answer_id) = ids.into_inner();
    let visitor = Visitor::voter_only(&req, &state);
    let ballot = ballot_of(&state, &visitor, "vote")?;
    let votes = answering::upvote_text(&state.db, &state.bus, poll_id, answer_id, ballot).await?;
    Ok(HttpResponse::Ok().json(UpvotedJson {
        id: answer_id,
        votes,
    }))
}
