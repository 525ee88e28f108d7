//! The JSON API under `/api/v1`, and its OpenAPI document.

use actix_web::{web, HttpRequest, HttpResponse};
use utoipa::OpenApi;

use crate::app::{self, asking::ballot::VoteAction};
use crate::error::AppError;
use crate::routes::api_types::*;
use crate::routes::asking::participation;
use crate::routes::asking::visitor::{follow_url, parse_sort, Visitor};
use crate::web::api_guard::check_write;
use crate::web::errors::{ApiError, ErrorBody};
use crate::web::json_object::JsonObject;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/api/openapi.json", Access::Public, web::to(openapi)),
        RouteSpec::get("/api/v1/events", Access::Public, web::to(list_events)),
        RouteSpec::get(
            "/api/v1/events/{slug}/questions",
            Access::Public,
            web::to(list_questions),
        ),
        RouteSpec::post(
            "/api/v1/events/{slug}/questions",
            Access::Public,
            web::to(ask_question),
        ),
        RouteSpec::post(
            "/api/v1/questions/{id}/vote",
            Access::Public,
            web::to(upvote),
        ),
        RouteSpec::delete(
            "/api/v1/questions/{id}/vote",
            Access::Public,
            web::to(withdraw_vote),
        ),
        RouteSpec::get("/api/v1/follow/{token}", Access::Public, web::to(follow)),
    ]
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "faqtory API",
        description = "Ask and upvote questions for community hangouts. Writes need \
            `Content-Type: application/json`; a browser's `Origin`, when sent, must be this site. \
            Voters are identified by the signed `faqtory_voter` cookie, handed out with a `GET` of \
            an event's page or of `/api/v1/events…`; a vote without one gets `403 no_voter`. \
            The moderator API takes `Authorization: Bearer <token>` (tokens from the account \
            page or `faqtory moderator token create`), or a moderator's session cookie with the \
            page's CSRF token in `X-CSRF-Token` for writes.",
        version = "1"
    ),
    paths(
        list_events,
        list_questions,
        ask_question,
        upvote,
        withdraw_vote,
        follow,
        crate::routes::moderation::modlog::list_modlog,
        crate::routes::moderation::curation_api::approve_api,
        crate::routes::moderation::curation_api::reject_api,
        crate::routes::moderation::curation_api::answer_api,
        crate::routes::moderation::curation_api::unanswer_api,
        crate::routes::moderation::curation_api::edit_api,
        crate::routes::moderation::curation_api::on_screen_api,
        crate::routes::moderation::curation_api::moderator_vote_api,
        crate::routes::moderation::curation_api::moderator_unvote_api,
        crate::routes::moderation::curation_api::discount_automated_api,
        crate::routes::moderation::curation_api::count_automated_api,
        crate::routes::recording::transcript_api::put_transcript,
        crate::routes::recording::transcript_api::get_transcript,
        crate::routes::recording::transcript_api::get_meaning_progress,
        crate::routes::recording::api::list_proposals,
        crate::routes::recording::api::set_timeline,
        crate::routes::recording::api::accept_proposal,
        crate::routes::recording::api::list_chapters,
        crate::routes::events::api::create_event_api,
        crate::routes::events::api::update_event_api,
        crate::routes::events::api::carry_over_api,
        crate::routes::events::api::export_api,
        crate::routes::faq::search::faq_api,
        crate::routes::moderation::merge::merge_api,
        crate::routes::moderation::merge::unmerge_api,
        crate::routes::live::presenter::new_link_api,
        crate::routes::asking::similar::similar_api,
        crate::routes::asking::similar::duplicates_api,
        crate::routes::outreach::webhooks_api::create_webhook,
        crate::routes::outreach::webhooks_api::list_webhooks,
        crate::routes::outreach::webhooks_api::list_deliveries,
        crate::routes::outreach::webhooks_api::delete_webhook
    ),
    components(schemas(
        EventJson,
        QuestionJson,
        AskRequest,
        AskResponse,
        VoteResponse,
        FollowResponse,
        FollowEventJson,
        ErrorBody,
        crate::routes::moderation::modlog::ModlogEntryJson,
        crate::routes::moderation::curation_api::ModeratedQuestionJson,
        crate::routes::moderation::curation_api::RejectRequest,
        crate::routes::moderation::curation_api::AnswerRequest,
        crate::routes::moderation::curation_api::EditRequest,
        crate::routes::events::api::EventDetailJson,
        crate::routes::events::api::CreateEventRequest,
        crate::routes::events::api::UpdateEventRequest,
        crate::routes::events::api::CarryOverRequest,
        crate::routes::events::api::CarryOverResponse,
        crate::app::events::export::EventExport,
        crate::app::events::export::EventRecord,
        crate::app::events::export::QuestionRecord,
        crate::app::events::export::AnswerRecord,
        crate::app::events::export::EditRecord,
        crate::app::events::export::VoteRecord,
        crate::routes::faq::search::FaqHitJson,
        crate::routes::faq::search::FaqResultsJson,
        crate::routes::moderation::merge::MergeRequest,
        crate::routes::live::presenter::PresenterLinkJson,
        crate::routes::asking::similar::SimilarJson,
        crate::routes::recording::transcript_api::TranscriptImportedJson,
        crate::routes::recording::transcript_api::TranscriptJson,
        crate::routes::recording::transcript_api::CueJson,
        crate::routes::recording::api::ProposalJson,
        crate::routes::recording::api::TimelineRequest,
        crate::routes::recording::api::SyncPoint,
        crate::routes::recording::api::TimelineJson,
        crate::routes::recording::api::AcceptRequest,
        crate::routes::outreach::webhooks_api::CreateWebhookRequest,
        crate::routes::outreach::webhooks_api::WebhookJson,
        crate::routes::outreach::webhooks_api::DeliveryJson,
        crate::domain::WebhookFormat,
        crate::domain::WebhookKind
    )),
    modifiers(&BearerSecurity, &SharedResponses)
)]
pub struct ApiDoc;

/// The answers every write, and every moderator operation, can give whatever it does: written once
/// here rather than on each operation, so that none is forgotten.
struct SharedResponses;

impl utoipa::Modify for SharedResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let writes = [
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in writes.into_iter().flatten() {
                operation
                    .responses
                    .responses
                    .entry("400".into())
                    .or_insert_with(|| {
                        error("`json_required`: writes need `Content-Type: application/json` or an `Authorization` header; or a body that is not the JSON this takes").into()
                    });
                operation
                    .responses
                    .responses
                    .entry("403".into())
                    .or_insert_with(|| {
                        error("`cross_origin`: a browser's `Origin` that is not this site; `csrf`: a session cookie without the page's token").into()
                    });
            }
            let all = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in all.into_iter().flatten() {
                let has_query = operation.parameters.iter().flatten().any(|parameter| {
                    parameter.parameter_in == utoipa::openapi::path::ParameterIn::Query
                });
                if has_query {
                    operation
                        .responses
                        .responses
                        .entry("400".into())
                        .or_insert_with(|| {
                            error(
                                "`bad_query`: a query parameter of the wrong type, or given twice",
                            )
                            .into()
                        });
                    operation
                        .responses
                        .responses
                        .entry("422".into())
                        .or_insert_with(|| {
                            error("`invalid`: a query parameter out of its range; `field` names it")
                                .into()
                        });
                }
                if operation.security.is_some() {
                    operation
                        .responses
                        .responses
                        .entry("401".into())
                        .or_insert_with(|| error("No moderator's token or session.").into());
                }
            }
        }
    }
}

/// Declares the `bearer` scheme the moderator API's operations refer to.
struct BearerSecurity;

impl utoipa::Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
    }
}

async fn openapi() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}

/// Events on air, open and upcoming, then recently closed ones.
#[utoipa::path(get, path = "/api/v1/events", responses((status = 200, body = [EventJson])))]
async fn list_events(state: Data) -> Result<HttpResponse, ApiError> {
    let events = app::events::lifecycle::list_public_events(&state.db).await?;
    let body: Vec<EventJson> = events.into_iter().map(EventJson::from).collect();
    Ok(HttpResponse::Ok().json(body))
}

/// The questions the public sees in an event.
#[utoipa::path(
    get, path = "/api/v1/events/{slug}/questions",
    params(("slug" = String, Path, description = "the event's slug"), SortQuery),
    responses(
        (status = 200, body = [QuestionJson]),
        (status = 400, body = ErrorBody, description = "unknown sort"),
        (status = 404, body = ErrorBody),
    )
)]
async fn list_questions(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
    query: web::Query<SortQuery>,
) -> Result<HttpResponse, ApiError> {
    let order = parse_sort(query.sort.as_deref()).ok_or_else(|| {
        AppError::Invalid(crate::domain::Invalid::new(
            "sort",
            "`sort` is `top` or `new`.",
        ))
    })?;
    let visitor = Visitor::voter_only(&req, &state);
    let page = app::events::page::event_questions(
        &state.db,
        &slug,
        order,
        visitor.voter_hash(),
        Vec::new(),
    )
    .await?;
    let body: Vec<QuestionJson> = page.listed.into_iter().map(QuestionJson::from).collect();
    Ok(HttpResponse::Ok().json(body))
}

/// Asks a question. Answers with the private follow link.
#[utoipa::path(
    post, path = "/api/v1/events/{slug}/questions",
    params(("slug" = String, Path, description = "the event's slug")),
    request_body = AskRequest,
    responses(
        (status = 201, body = AskResponse),
        (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the event takes no questions"),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody, description = "invalid field"),
        (status = 429, body = ErrorBody),
    )
)]
async fn ask_question(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
    body: JsonObject<AskRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let mut visitor = Visitor::from_request(&req, &state);
    let (asked, cookies) = participation::ask_question(
        &state,
        &mut visitor,
        &slug,
        &body.body,
        body.author_name.as_deref(),
        body.notify_email.as_deref(),
    )
    .await?;
    let mut response = HttpResponse::Created();
    for cookie in cookies {
        response.cookie(cookie);
    }
    Ok(response.json(AskResponse {
        id: asked.question_id,
        status: asked.status,
        follow_url: follow_url(&state, asked.follow_token.as_str()),
    }))
}

/// Upvotes a question; a second upvote by the same voter changes nothing. The voter is the
/// identity (the `faqtory_voter` cookie) handed out with a `GET` of the event's page or of its
/// part of the API; without one the vote is refused (`403 no_voter`).
#[utoipa::path(
    post, path = "/api/v1/questions/{id}/vote",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = VoteResponse), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "`no_voter`: no voter identity yet; `cross_origin`"),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "voting has ended or the question awaits moderation"),
        (status = 429, body = ErrorBody),
    )
)]
async fn upvote(
    req: HttpRequest,
    state: Data,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    cast(req, state, *id, VoteAction::Upvote).await
}

/// Withdraws this voter's vote; withdrawing a vote that is not there changes nothing.
#[utoipa::path(
    delete, path = "/api/v1/questions/{id}/vote",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = VoteResponse), (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 429, body = ErrorBody),
    )
)]
async fn withdraw_vote(
    req: HttpRequest,
    state: Data,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    cast(req, state, *id, VoteAction::Withdraw).await
}

async fn cast(
    req: HttpRequest,
    state: Data,
    question_id: i64,
    action: VoteAction,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let visitor = Visitor::voter_only(&req, &state);
    let outcome = participation::cast_vote(&state, &visitor, question_id, action).await?;
    Ok(HttpResponse::Ok().json(VoteResponse {
        id: outcome.question_id,
        vote_count: outcome.vote_count,
        voted: outcome.voted,
    }))
}

/// The question behind a private follow link, and what happened to it.
#[utoipa::path(
    get, path = "/api/v1/follow/{token}",
    params(("token" = String, Path, description = "the token of the follow link")),
    responses((status = 200, body = FollowResponse), (status = 404, body = ErrorBody))
)]
async fn follow(state: Data, token: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let followed = app::asking::follow::follow(&state.db, &token).await?;
    let question = followed.question;
    let event = followed.event;
    Ok(HttpResponse::Ok().json(FollowResponse {
        id: question.id,
        body: question.body,
        author_name: question.author_name,
        status: question.status,
        reject_reason: question.reject_reason,
        merged_into: question.merged_into,
        vote_count: question.vote_count,
        created_at: utc(question.created_at),
        event: FollowEventJson {
            slug: event.slug,
            title: event.title,
            status: event.status,
        },
    }))
}
