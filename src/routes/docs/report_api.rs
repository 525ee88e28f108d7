//! `GET /api/v1/docs/report`, for moderators: the sections people asked about anyway, the most
//! voted questions no section covers, and each recent event's figure; as JSON or CSV.

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::docs::report::{self, DocsReport};
use crate::app::docs::report_csv;
use crate::app::docs::uses::open_path;
use crate::docs::section::address;
use crate::error::AppError;
use crate::web::extract::export_format::wants_csv;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![RouteSpec::get(
        "/api/v1/docs/report",
        Access::Moderator,
        web::to(report_api),
    )]
}

#[derive(Serialize, ToSchema)]
pub struct SectionUsesJson {
    pub id: i64,
    /// Page › Section › Subsection
    pub title: String,
    pub url: String,
    pub open_url: String,
    /// The documentation source it was read from.
    pub source: String,
    /// Gone from its source since (a tombstone).
    pub removed: bool,
    pub shown: i64,
    pub opened: i64,
    /// Askers who said it answers their question.
    pub answered: i64,
    /// Askers who sent their question after seeing it: the section did not settle it.
    pub asked_anyway: i64,
    /// Questions a moderator answered with it.
    pub answered_with: i64,
}

#[derive(Serialize, ToSchema)]
pub struct GapJson {
    pub question_id: i64,
    pub body: String,
    pub vote_count: i32,
    /// The slug of the question's event.
    pub event: String,
}

#[derive(Serialize, ToSchema)]
pub struct EventFigureJson {
    pub slug: String,
    pub title: String,
    pub questions: usize,
    pub answered_in_docs: usize,
}

#[derive(Serialize, ToSchema)]
pub struct DocsReportJson {
    /// Sections that can be searched; with none, the lists are empty.
    pub sections_searchable: u64,
    /// Sections people used, asked about anyway most first: what to improve.
    pub sections: Vec<SectionUsesJson>,
    /// The most voted questions no section comes close to: what to write.
    pub gaps: Vec<GapJson>,
    /// The most recent events, each with how many of its questions the docs answer.
    pub events: Vec<EventFigureJson>,
    /// Topics across events listed as something to write documentation for.
    pub topics_wanted: Vec<TopicWantedJson>,
}

#[derive(Serialize, ToSchema)]
pub struct TopicWantedJson {
    pub id: i64,
    pub label: String,
}

impl From<DocsReport> for DocsReportJson {
    fn from(report: DocsReport) -> Self {
        Self {
            sections_searchable: report.sections_searchable,
            sections: report
                .sections
                .into_iter()
                .map(|used| SectionUsesJson {
                    id: used.section.id,
                    url: address(&used.section.url, &used.section.anchor),
                    open_url: open_path(used.section.id),
                    title: used.section.heading_path,
                    source: used.source,
                    removed: used.section.removed_at.is_some(),
                    shown: used.shown,
                    opened: used.opened,
                    answered: used.answered,
                    asked_anyway: used.asked_anyway,
                    answered_with: used.answered_with,
                })
                .collect(),
            gaps: report
                .gaps
                .into_iter()
                .map(|gap| GapJson {
                    question_id: gap.question.id,
                    body: gap.question.body,
                    vote_count: gap.question.vote_count,
                    event: gap.event_slug,
                })
                .collect(),
            events: report
                .events
                .into_iter()
                .map(|figure| EventFigureJson {
                    slug: figure.slug,
                    title: figure.title,
                    questions: figure.questions,
                    answered_in_docs: figure.answered_in_docs,
                })
                .collect(),
            topics_wanted: report
                .topics_wanted
                .into_iter()
                .map(|(id, label)| TopicWantedJson { id, label })
                .collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct ReportQuery {
    /// `json` (the default) or `csv`; anything else is refused with 422.
    pub format: Option<String>,
}

/// What the documentation settles and what it does not, across events.
#[utoipa::path(
    get, tag = "docs", path = "/api/v1/docs/report",
    params(ReportQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "JSON by default, CSV with `format=csv`",
            content((DocsReportJson = "application/json"), (String = "text/csv"))),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)
    )
)]
pub async fn report_api(
    state: web::Data<AppState>,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = wants_csv(query.format.as_deref()).map_err(AppError::from)?;
    let report = report::report(
        &state.db,
        &state.docs_index,
        &state.meaning(),
        &state.docs_closest,
    )
    .await?;
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    Ok(if csv {
        response
            .insert_header((
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"docs-report.csv\"",
            ))
            .content_type("text/csv; charset=utf-8")
            .body(report_csv::to_csv(&report)?)
    } else {
        response.json(DocsReportJson::from(report))
    })
}
