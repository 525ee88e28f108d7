//! `GET /api/v1/events/{slug}/docs-coverage`: how many of an event's questions the project's
//! documentation already answers, which sections answer them, and the most voted questions no
//! section comes close to.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app;
use crate::app::docs::coverage::Coverage;
use crate::app::docs::uses::open_path;
use crate::db::doc_uses;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![RouteSpec::get(
        "/api/v1/events/{slug}/docs-coverage",
        Access::Public,
        web::to(coverage_api),
    )]
}

#[derive(Serialize, ToSchema)]
pub struct CoveringSectionJson {
    pub id: i64,
    /// Page › Section › Subsection
    pub title: String,
    pub url: String,
    pub open_url: String,
}

#[derive(Serialize, ToSchema)]
pub struct CoveredQuestionJson {
    pub question_id: i64,
    pub body: String,
    pub vote_count: i32,
    /// The closest section that answers it, if one does.
    pub section: Option<CoveringSectionJson>,
    /// The section a moderator answered it with, if any.
    pub answered_with: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct UncoveredQuestionJson {
    pub question_id: i64,
    pub body: String,
    pub vote_count: i32,
}

#[derive(Serialize, ToSchema)]
pub struct DocsCoverageJson {
    /// The event's questions: waiting, approved and answered (not rejected or merged).
    pub questions: usize,
    /// How many of them a documentation section answers, or a moderator answered with one.
    pub answered_in_docs: usize,
    /// How many a moderator answered with a section.
    pub answered_with_docs: usize,
    /// Askers who said a section shown to them answers their question.
    pub askers_answered: i64,
    /// Askers who sent their question after seeing sections (counted per section).
    pub asked_anyway: i64,
    /// Sections opened from this event's pages.
    pub opened: i64,
    /// The questions the public sees that the documentation answers.
    pub covered: Vec<CoveredQuestionJson>,
    /// The most voted questions the public sees that no section comes close to: what to write.
    pub uncovered: Vec<UncoveredQuestionJson>,
}

impl From<Coverage> for DocsCoverageJson {
    fn from(coverage: Coverage) -> Self {
        let count = |what: &str| coverage.uses.get(what).copied().unwrap_or_default();
        Self {
            questions: coverage.questions,
            answered_in_docs: coverage.covered.len(),
            answered_with_docs: coverage
                .covered
                .iter()
                .filter(|covered| covered.answered_with.is_some())
                .count(),
            askers_answered: count(doc_uses::ANSWERED),
            asked_anyway: count(doc_uses::ASKED_ANYWAY),
            opened: count(doc_uses::OPENED),
            covered: coverage
                .covered
                .into_iter()
                .filter(|covered| covered.question.status.is_listed())
                .map(|covered| CoveredQuestionJson {
                    question_id: covered.question.id,
                    body: covered.question.body,
                    vote_count: covered.question.vote_count,
                    section: covered.section.map(|found| CoveringSectionJson {
                        open_url: open_path(found.section.id),
                        id: found.section.id,
                        title: found.section.title,
                        url: found.section.url,
                    }),
                    answered_with: covered.answered_with,
                })
                .collect(),
            uncovered: coverage
                .uncovered
                .into_iter()
                .filter(|question| question.status.is_listed())
                .map(|question| UncoveredQuestionJson {
                    question_id: question.id,
                    body: question.body,
                    vote_count: question.vote_count,
                })
                .collect(),
        }
    }
}

/// How many of the event's questions the project's documentation already answers.
#[utoipa::path(
    get, tag = "docs", path = "/api/v1/events/{slug}/docs-coverage",
    params(("slug" = String, Path)),
    responses((status = 200, body = DocsCoverageJson), (status = 404, body = ErrorBody))
)]
pub async fn coverage_api(state: Data, slug: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let event = app::events::listing::find_public_event(&state.db, &slug).await?;
    let coverage = app::docs::coverage::of_event(
        &state.db,
        &state.docs_index,
        &state.meaning(),
        &state.docs_closest,
        event.id,
    )
    .await?;
    Ok(HttpResponse::Ok().json(DocsCoverageJson::from(coverage)))
}
