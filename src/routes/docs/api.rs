//! `GET /api/v1/docs/sources` and a source's sections, for admins: what was read from the
//! project's documentation, and the tombstones of what went.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::docs::sources::{self, SourceSummary};
use crate::db::docs::DocSectionRow;
use crate::routes::api_types::utc;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/api/v1/docs/sources", Access::Admin, web::to(list_sources)),
        RouteSpec::get(
            "/api/v1/docs/sources/{name}/sections",
            Access::Admin,
            web::to(list_sections),
        ),
    ]
}

#[derive(Serialize, ToSchema)]
pub struct DocSourceJson {
    pub name: String,
    /// jsonl (for now; markdown and sitemap to come).
    pub kind: String,
    /// The file it is read from.
    pub location: String,
    pub sections: i64,
    /// Sections that went from the source, kept so that links to them can say where they went.
    pub tombstones: i64,
    pub refreshed_at: Option<DateTime<Utc>>,
    /// What the last refresh found, in words.
    pub last_report: Option<String>,
}

impl From<SourceSummary> for DocSourceJson {
    fn from(summary: SourceSummary) -> Self {
        let source = summary.source;
        Self {
            name: source.name,
            kind: source.kind,
            location: source.location,
            sections: summary.sections,
            tombstones: summary.tombstones,
            refreshed_at: source.refreshed_at.map(utc),
            last_report: source.last_report,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DocSectionJson {
    /// Kept while the section's address, anchor and passage stay.
    pub id: i64,
    /// The section's address, with the anchor the site uses.
    pub url: String,
    /// Page › Section › Subsection
    pub title: String,
    /// Numbered from 0 when a long section is cut into passages.
    pub passage: i32,
    pub text: String,
    pub updated_at: DateTime<Utc>,
    /// Set when the section went from its source.
    pub removed_at: Option<DateTime<Utc>>,
    /// Where a removed section's content went, when it moved.
    pub replaced_by: Option<i64>,
}

impl From<DocSectionRow> for DocSectionJson {
    fn from(row: DocSectionRow) -> Self {
        let url = if row.anchor.is_empty() {
            row.url
        } else {
            format!("{}#{}", row.url, row.anchor)
        };
        Self {
            id: row.id,
            url,
            title: row.heading_path,
            passage: row.passage,
            text: row.body,
            updated_at: utc(row.updated_at),
            removed_at: row.removed_at.map(utc),
            replaced_by: row.replaced_by,
        }
    }
}

/// The documentation sources, with how many sections each holds.
#[utoipa::path(
    get, tag = "docs", path = "/api/v1/docs/sources",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<DocSourceJson>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody))
)]
pub async fn list_sources(state: Data) -> Result<HttpResponse, ApiError> {
    let listed: Vec<DocSourceJson> = sources::list(&state.db)
        .await?
        .into_iter()
        .map(DocSourceJson::from)
        .collect();
    Ok(HttpResponse::Ok().json(listed))
}

/// Every section read from a source in its order, then the tombstones of those that went.
#[utoipa::path(
    get, tag = "docs", path = "/api/v1/docs/sources/{name}/sections",
    params(("name" = String, Path, description = "The source's name")),
    security(("bearer" = [])),
    responses((status = 200, body = Vec<DocSectionJson>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub async fn list_sections(state: Data, name: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let listed: Vec<DocSectionJson> = sources::sections(&state.db, &name)
        .await?
        .into_iter()
        .map(DocSectionJson::from)
        .collect();
    Ok(HttpResponse::Ok().json(listed))
}
