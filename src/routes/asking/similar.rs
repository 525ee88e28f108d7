//! Similar questions: `GET /api/v1/events/{slug}/similar` for the ask form, and for moderators
//! `/mod/q/{id}/duplicates` (one question's likely duplicates) and the event's groups of them
//! (`/mod/e/{slug}/duplicates`, `GET /api/v1/events/{slug}/duplicates`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::{self, asking::similar::Suggestion};
use crate::domain::QuestionStatus;
use crate::routes::docs::item_json::DocItemJson;
use crate::views::moderation::duplicates::{clusters_page, duplicates_list, duplicates_page};
use crate::web::extract::current_moderator::CurrentModerator;
use crate::web::extract::typed_text::query_value;
use crate::web::responses::errors::{ApiError, ErrorBody, PageError};
use crate::web::responses::respond::html;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::csrf::CsrfToken;
use crate::web::AppState;

type Data = web::Data<AppState>;

/// Set by the dashboard's script when it wants the list alone.
const FRAGMENT_HEADER: &str = "x-faqtory-fragment";

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get(
            "/api/v1/events/{slug}/similar",
            Access::Public,
            web::to(similar_api),
        ),
        RouteSpec::get(
            "/mod/q/{id}/duplicates",
            Access::Moderator,
            web::to(duplicates),
        ),
        RouteSpec::get(
            "/mod/e/{slug}/duplicates",
            Access::Moderator,
            web::to(clusters),
        ),
        RouteSpec::get(
            "/api/v1/events/{slug}/duplicates",
            Access::Moderator,
            web::to(duplicates_api),
        ),
    ]
}

#[derive(Serialize, ToSchema)]
pub struct SimilarJson {
    pub id: i64,
    pub body: String,
    pub status: QuestionStatus,
    pub vote_count: i32,
    pub answered: bool,
    /// Its FAQ entry when answered and published, otherwise its place on the event page.
    pub url: String,
    pub score: f32,
    /// Words of the request it shares; empty when it matched by meaning alone.
    pub shared_words: Vec<String>,
    /// Closeness of meaning (cosine, up to 1), when a sentence encoder is loaded.
    pub meaning: Option<f32>,
}

impl From<Suggestion> for SimilarJson {
    fn from(suggestion: Suggestion) -> Self {
        Self {
            id: suggestion.id,
            body: suggestion.body,
            status: suggestion.status,
            vote_count: suggestion.vote_count,
            answered: suggestion.answered,
            url: suggestion.url,
            score: suggestion.score,
            shared_words: suggestion.shared_words,
            meaning: suggestion.meaning,
        }
    }
}

/// An ask-form suggestion: a documentation section (`"kind": "doc"`) or a question.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum SimilarItemJson {
    Doc(DocItemJson),
    Question(SimilarJson),
}

/// Up to three documentation sections that answer `q` (items with `"kind": "doc"`, first), then
/// up to five questions of the event and answered FAQ entries that look like it: shown while
/// someone types a question, so they can read the answer or upvote instead.
#[utoipa::path(
    get, tag = "asking", path = "/api/v1/events/{slug}/similar",
    params(("slug" = String, Path), ("q" = String, Query, min_length = 1, description = "The question being typed; required (only its first 1,000 characters count)")),
    responses(
        (status = 200, body = [SimilarItemJson]), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`q` missing or blank (field `q`)")
    )
)]
pub async fn similar_api(
    req: HttpRequest,
    state: Data,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let event = app::events::listing::find_public_event(&state.db, &slug).await?;
    let typed =
        query_value(&req, "q", crate::domain::QuestionBody::MAX_CHARS).ok_or_else(|| {
            crate::error::AppError::from(crate::domain::Invalid::new(
                "q",
                "Give the question being typed as `q`.",
            ))
        })?;
    let found = app::asking::similar::for_asker(
        &state.db,
        &state.search,
        &state.docs_index,
        &state.meaning(),
        &event.slug,
        &typed,
    )
    .await?;
    let body: Vec<SimilarItemJson> = found
        .docs
        .into_iter()
        .map(|doc| SimilarItemJson::Doc(doc.into()))
        .chain(
            found
                .questions
                .into_iter()
                .map(|question| SimilarItemJson::Question(question.into())),
        )
        .collect();
    Ok(HttpResponse::Ok().json(body))
}

/// The page, or (asked by the dashboard's script) just the list for the question's row.
async fn duplicates(
    req: HttpRequest,
    state: Data,
    _me: CurrentModerator,
    csrf: CsrfToken,
    id: web::Path<i64>,
) -> Result<HttpResponse, PageError> {
    let (question, found) =
        app::asking::similar::duplicates_of(&state.db, &state.search, &state.meaning(), *id)
            .await?;
    let event_id = question.event_id;
    let event = state
        .db
        .read(move |conn| crate::db::events::find_by_id(conn, event_id))
        .await?
        .ok_or(crate::error::AppError::NotFound { what: "event" })?;
    if req.headers().contains_key(FRAGMENT_HEADER) {
        let back = format!("/mod/e/{}", event.slug);
        return Ok(html(
            StatusCode::OK,
            duplicates_list(&question, &found, &csrf.0, &back),
        ));
    }
    Ok(html(
        StatusCode::OK,
        duplicates_page(&event, &question, &found, &csrf.0),
    ))
}

#[derive(serde::Deserialize)]
struct ClustersQuery {
    /// Questions just merged from the page (`3,4`): it says so, with the undo.
    merged: Option<String>,
}

async fn clusters(
    state: Data,
    _me: CurrentModerator,
    csrf: CsrfToken,
    slug: web::Path<String>,
    query: web::Query<ClustersQuery>,
) -> Result<HttpResponse, PageError> {
    let event = app::events::listing::find_event(&state.db, &slug).await?;
    let clusters = app::moderation::duplicates::groups(
        &state.db,
        &state.search,
        &state.meaning(),
        &event.slug,
    )
    .await?;
    let merged = crate::routes::moderation::dashboard::merged_ids(query.merged.as_deref());
    let just_merged =
        app::moderation::curation::just_merged(&state.db, &event.slug, merged).await?;
    Ok(html(
        StatusCode::OK,
        clusters_page(&event, &clusters, just_merged.as_ref(), &csrf.0),
    ))
}

/// The event's likely duplicates, as the duplicates view groups them: each group's question
/// ids, the one a merge would keep (the most voted) first; largest groups first.
#[utoipa::path(
    get, tag = "asking", path = "/api/v1/events/{slug}/duplicates",
    params(("slug" = String, Path)),
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<Vec<i64>>, example = json!([[12, 15], [7, 9, 21]])),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)
    )
)]
pub async fn duplicates_api(
    state: Data,
    _me: CurrentModerator,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let event = app::events::listing::find_event(&state.db, &slug).await?;
    let groups = app::moderation::duplicates::groups(
        &state.db,
        &state.search,
        &state.meaning(),
        &event.slug,
    )
    .await?;
    let ids: Vec<Vec<i64>> = groups
        .iter()
        .map(|group| group.iter().map(|question| question.id).collect())
        .collect();
    Ok(HttpResponse::Ok().json(ids))
}
