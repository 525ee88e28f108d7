//! `/api/v1/docs/sources`, for admins: adding, refreshing and removing documentation sources, and
//! what was read from them, with the tombstones of what went.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::docs::refresh::{refresh_source, RefreshReport};
use crate::app::docs::schedule::next_refresh;
use crate::app::docs::sources::{self, inside, NewSource, SourceSummary};
use crate::db::docs::DocSectionRow;
use crate::docs::section::address;
use crate::domain::Invalid;
use crate::error::AppError;
use crate::routes::api_types::utc;
use crate::search::DocsIndex;
use crate::web::extract::json_object::JsonObject;
use crate::web::responses::errors::{ApiError, ErrorBody};
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::api_guard::check_write;
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/api/v1/docs/sources", Access::Admin, web::to(list_sources)),
        RouteSpec::post("/api/v1/docs/sources", Access::Admin, web::to(add_source)),
        RouteSpec::post(
            "/api/v1/docs/sources/{name}/refresh",
            Access::Admin,
            web::to(refresh),
        ),
        RouteSpec::delete(
            "/api/v1/docs/sources/{name}",
            Access::Admin,
            web::to(remove_source),
        ),
        RouteSpec::get(
            "/api/v1/docs/sources/{name}/sections",
            Access::Admin,
            web::to(list_sections),
        ),
    ]
}

/// A source on this server: a JSONL file, or a folder of Markdown with its site's address.
#[derive(Deserialize, ToSchema)]
pub struct AddSourceRequest {
    /// 1 to 40 lower-case letters, digits, `-` or `_`.
    #[schema(max_length = 40)]
    pub name: String,
    /// A JSONL file of `{url, title, section, text}` lines, as a path inside the data
    /// directory's `docs` folder.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub jsonl: Option<String>,
    /// A folder of Markdown, as a path inside the data directory's `docs` folder.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub markdown: Option<String>,
    /// Where the folder's site is served (with `markdown`).
    #[serde(default)]
    pub base_url: Option<String>,
    /// A site's `sitemap.xml`, whose pages are fetched from its host.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub sitemap: Option<String>,
}

/// What a refresh found.
#[derive(Serialize, ToSchema)]
pub struct RefreshJson {
    pub sections: usize,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub moved: usize,
    pub removed: usize,
    /// Each page or line that could not be read, with why.
    pub refused: Vec<String>,
}

impl From<RefreshReport> for RefreshJson {
    fn from(report: RefreshReport) -> Self {
        Self {
            sections: report.sections,
            added: report.added,
            changed: report.changed,
            unchanged: report.unchanged,
            moved: report.moved,
            removed: report.removed,
            refused: report.refused.iter().map(ToString::to_string).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DocSourceJson {
    pub name: String,
    /// jsonl, markdown or sitemap.
    pub kind: String,
    /// The file it is read from.
    pub location: String,
    pub sections: i64,
    /// Sections that went from the source, kept so that links to them can say where they went.
    pub tombstones: i64,
    pub refreshed_at: Option<DateTime<Utc>>,
    /// What the last refresh found, in words.
    pub last_report: Option<String>,
    /// Moves on with every refresh that changed a section.
    pub revision: i64,
    /// Whether this revision is searchable on the instance that answered.
    pub indexed: bool,
    /// Refreshed by itself this many minutes after the last attempt; nothing: on demand only.
    pub refresh_every_minutes: Option<i32>,
    pub next_refresh_at: Option<DateTime<Utc>>,
    /// A refresh under way (here or on another instance), with how far it got.
    pub refreshing: Option<RefreshingJson>,
}

/// How far a refresh under way got: pages (or files) read, of how many (unknown until listed).
#[derive(Serialize, ToSchema)]
pub struct RefreshingJson {
    pub done: i32,
    pub total: Option<i32>,
}

impl DocSourceJson {
    fn of(summary: SourceSummary, index: &DocsIndex) -> Self {
        let source = summary.source;
        let refreshing = source
            .refreshing_at(crate::app::now())
            .then(|| RefreshingJson {
                done: source.refresh_done.unwrap_or_default(),
                total: source.refresh_total,
            });
        Self {
            next_refresh_at: next_refresh(&source).map(utc),
            refresh_every_minutes: source.refresh_every_minutes,
            refreshing,
            indexed: index.holds(source.id, source.revision),
            revision: source.revision,
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
        Self {
            id: row.id,
            url: address(&row.url, &row.anchor),
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
        .map(|summary| DocSourceJson::of(summary, &state.docs_index))
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

/// Adds a source and reads it: answers with what the first read found.
#[utoipa::path(
    post, tag = "docs", path = "/api/v1/docs/sources",
    request_body = AddSourceRequest,
    security(("bearer" = [])),
    responses((status = 201, body = RefreshJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody, description = "a source of that name exists"), (status = 422, body = ErrorBody))
)]
pub async fn add_source(
    req: HttpRequest,
    state: Data,
    body: JsonObject<AddSourceRequest>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let jsonl = body
        .jsonl
        .as_deref()
        .map(|path| inside(&state.docs_dir, "jsonl", path))
        .transpose()?;
    let markdown = body
        .markdown
        .as_deref()
        .map(|path| inside(&state.docs_dir, "markdown", path))
        .transpose()?;
    let source = match (&jsonl, &markdown, &body.sitemap) {
        (Some(path), None, None) => NewSource::Jsonl { path },
        (None, Some(dir), None) => NewSource::Markdown {
            dir,
            base_url: body.base_url.as_deref().unwrap_or_default(),
        },
        (None, None, Some(url)) => NewSource::Sitemap { url },
        _ => return Err(AppError::Invalid(Invalid::new(
            "jsonl",
            "Give one of `jsonl` (a file), `markdown` (a folder, with `base_url`) or `sitemap`.",
        ))
        .into()),
    };
    let (_, report) = sources::add(
        &state.db,
        &body.name,
        source,
        state.allow_private_webhooks,
        |_| {},
    )
    .await?;
    Ok(HttpResponse::Created().json(RefreshJson::from(report)))
}

/// Reads a source again: changed sections are rewritten, removed ones leave a tombstone.
#[utoipa::path(
    post, tag = "docs", path = "/api/v1/docs/sources/{name}/refresh",
    params(("name" = String, Path, description = "The source's name")),
    security(("bearer" = [])),
    responses((status = 200, body = RefreshJson), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody, description = "a refresh of the source runs already"), (status = 422, body = ErrorBody, description = "the source cannot be read"))
)]
pub async fn refresh(
    req: HttpRequest,
    state: Data,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    let report = refresh_source(&state.db, &name, state.allow_private_webhooks).await?;
    Ok(HttpResponse::Ok().json(RefreshJson::from(report)))
}

/// Removes a source and every section read from it.
#[utoipa::path(
    delete, tag = "docs", path = "/api/v1/docs/sources/{name}",
    params(("name" = String, Path, description = "The source's name")),
    security(("bearer" = [])),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
pub async fn remove_source(
    req: HttpRequest,
    state: Data,
    name: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    check_write(&req, &state)?;
    sources::remove(&state.db, &name).await?;
    Ok(HttpResponse::NoContent().finish())
}
