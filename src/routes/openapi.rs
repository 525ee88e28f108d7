//! The OpenAPI document of the JSON API under `/api/v1`: every capability's operations, gathered.

use actix_web::{web, HttpResponse};
use utoipa::OpenApi;

use crate::routes::api_types::*;
use crate::web::responses::errors::ErrorBody;
use crate::web::route_spec::{Access, RouteSpec};

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![RouteSpec::get(
        "/api/openapi.json",
        Access::Public,
        web::to(openapi),
    )]
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
        crate::routes::events::public_api::list_events,
        crate::routes::events::public_api::list_questions,
        crate::routes::asking::api::ask_question,
        crate::routes::asking::api::upvote,
        crate::routes::asking::api::withdraw_vote,
        crate::routes::asking::api::follow,
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
        crate::routes::recording::audio_api::post_audio,
        crate::routes::recording::audio_api::get_audio,
        crate::routes::recording::audio_api::delete_audio,
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
        crate::routes::docs::public::answered_api,
        crate::routes::docs::answering::answer_api,
        crate::routes::docs::coverage_api::coverage_api,
        crate::routes::asking::similar::duplicates_api,
        crate::routes::outreach::webhooks_api::create_webhook,
        crate::routes::outreach::webhooks_api::list_webhooks,
        crate::routes::outreach::webhooks_api::list_deliveries,
        crate::routes::outreach::webhooks_api::delete_webhook,
        crate::routes::docs::api::list_sources,
        crate::routes::docs::api::add_source,
        crate::routes::docs::api::refresh,
        crate::routes::docs::api::remove_source,
        crate::routes::docs::api::list_sections,
        crate::routes::docs::schedule_api::set_schedule,
        crate::routes::docs::report_api::report_api,
        crate::routes::insights::api::list_topics,
        crate::routes::insights::api::change_topic,
        crate::routes::insights::api::merge_topic,
        crate::routes::insights::api::split_topic,
        crate::routes::insights::api::carry_topic,
        crate::routes::insights::api::draft_answer,
        crate::routes::insights::api::start_regrouping,
        crate::routes::insights::api::regrouping,
        crate::routes::insights::digest_api::my_digest,
        crate::routes::insights::digest_api::ask_for_digest,
        crate::routes::insights::digest_api::stop_digest,
        crate::routes::insights::digest_api::list_digests,
        crate::routes::polls::api::create_poll,
        crate::routes::polls::api::open_poll,
        crate::routes::polls::api::close_poll,
        crate::routes::polls::api::reveal_poll,
        crate::routes::polls::api::conceal_poll,
        crate::routes::polls::api::delete_poll,
        crate::routes::polls::api::set_banned_words,
        crate::routes::polls::api::show_answer,
        crate::routes::polls::api::hide_answer,
        crate::routes::polls::api::discount_automated,
        crate::routes::polls::participation_api::list_polls,
        crate::routes::polls::participation_api::poll_results,
        crate::routes::polls::participation_api::answer_poll,
        crate::routes::polls::participation_api::upvote_answer
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
        crate::routes::asking::similar::SimilarItemJson,
        crate::routes::docs::item_json::DocItemJson,
        crate::routes::docs::item_json::DocKind,
        crate::routes::faq::search::FaqItemJson,
        crate::routes::docs::public::AnsweredRequest,
        crate::routes::docs::answering::AnswerWithDocRequest,
        crate::routes::docs::coverage_api::DocsCoverageJson,
        crate::routes::docs::coverage_api::CoveredQuestionJson,
        crate::routes::docs::coverage_api::UncoveredQuestionJson,
        crate::routes::docs::coverage_api::CoveringSectionJson,
        crate::routes::docs::public::AnsweredResponse,
        crate::routes::recording::transcript_api::TranscriptImportedJson,
        crate::routes::recording::transcript_api::TranscriptJson,
        crate::routes::recording::transcript_api::CueJson,
        crate::app::recording::transcription::TranscriptionState,
        crate::routes::recording::api::ProposalJson,
        crate::routes::recording::api::TimelineRequest,
        crate::routes::recording::api::SyncPoint,
        crate::routes::recording::api::TimelineJson,
        crate::routes::recording::api::AcceptRequest,
        crate::routes::outreach::webhooks_api::CreateWebhookRequest,
        crate::routes::outreach::webhooks_api::WebhookJson,
        crate::routes::outreach::webhooks_api::DeliveryJson,
        crate::domain::WebhookFormat,
        crate::routes::docs::api::DocSourceJson,
        crate::routes::docs::api::AddSourceRequest,
        crate::routes::docs::api::RefreshJson,
        crate::routes::docs::api::DocSectionJson,
        crate::routes::docs::api::RefreshingJson,
        crate::routes::docs::schedule_api::ScheduleRequest,
        crate::routes::docs::report_api::DocsReportJson,
        crate::routes::polls::json::CreatePollRequest,
        crate::routes::polls::json::PollAnswerRequest,
        crate::routes::polls::json::BannedWordsRequest,
        crate::routes::polls::json::DiscountRequest,
        crate::routes::polls::json::PollJson,
        crate::routes::polls::json::PollResultsJson,
        crate::routes::polls::json::OptionResultJson,
        crate::routes::polls::json::WordCountJson,
        crate::routes::polls::json::TextAnswerJson,
        crate::routes::polls::json::AnsweredJson,
        crate::routes::polls::json::UpvotedJson,
        crate::app::polls::backup::PollRecord,
        crate::app::polls::backup::TallyLine,
        crate::app::polls::backup::PollAnswerRecord,
        crate::routes::docs::report_api::SectionUsesJson,
        crate::routes::docs::report_api::GapJson,
        crate::routes::docs::report_api::EventFigureJson,
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
