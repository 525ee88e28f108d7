//! The FAQ for visitors: `/faq` (search, or the newest answers by label), `/faq/{id}-{slug}`,
//! and `GET /api/v1/faq`.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::{self, faq::browse::Filters, faq::browse::ResultKind, faq::browse::Settled};
use crate::domain::Invalid;
use crate::error::AppError;
use crate::routes::docs::item_json::DocItemJson;
use crate::routes::faq::pages::FaqPages;
use crate::routes::faq::pages::ListKey;
use crate::search::SearchHit;
use crate::views::faq::pages::{faq_page, results, FaqBody, FaqQuery};
use crate::views::faq::search_markdown::search_markdown;
use crate::web::extract::searcher::settled_by;
use crate::web::extract::typed_text::query_value;
use crate::web::responses::errors::{ApiError, ErrorBody, PageError};
use crate::web::responses::respond::html;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

type Data = web::Data<AppState>;

/// Asked by the page's script: only the results, for the page to swap in.
const FRAGMENT_HEADER: &str = "x-faqtory-fragment";
const MAX_PAGE: usize = 500;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/faq", Access::Public, web::to(faq)),
        RouteSpec::get("/faq.md", Access::Public, web::to(markdown)),
        // Before `/faq/{entry}`, which would take it for an entry.
        RouteSpec::get("/faq/feed.atom", Access::Public, web::to(feed)),
        RouteSpec::get("/faq/{entry}", Access::Public, web::to(entry)),
        RouteSpec::get("/api/v1/faq", Access::Public, web::to(faq_api)),
    ]
}

/// `q`, `label`, `event` and `page`, read leniently: the first of each counts, and odd text is
/// searched for rather than refused (a search box must never answer with an error); only a page
/// number out of range is refused.
struct Params {
    q: String,
    label: Option<String>,
    event: Option<String>,
    kind: Option<ResultKind>,
    page: usize,
}

impl Params {
    /// A page number out of range is refused at its field rather than quietly read as page 1.
    fn of(req: &HttpRequest) -> Result<Self, Invalid> {
        let page = match query_value(req, "page", 40) {
            None => 1,
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|page| (1..=MAX_PAGE).contains(page))
                .ok_or_else(|| {
                    Invalid::new(
                        "page",
                        format!("`page` is a whole number from 1 to {MAX_PAGE}."),
                    )
                })?,
        };
        Ok(Params {
            q: query_value(req, "q", app::faq::browse::MAX_QUERY_CHARS).unwrap_or_default(),
            label: query_value(req, "label", 60),
            event: query_value(req, "event", 80),
            kind: query_value(req, "kind", 10).and_then(|kind| ResultKind::parse(&kind)),
            page,
        })
    }

    fn filters(&self) -> Filters {
        Filters {
            label: self.label.clone(),
            event: self.event.clone(),
            kind: self.kind,
        }
    }

    fn query(&self) -> FaqQuery<'_> {
        FaqQuery {
            text: &self.q,
            label: self.label.as_deref(),
            event: self.event.as_deref(),
            kind: self.kind,
            page: self.page,
        }
    }
}

async fn faq(
    req: HttpRequest,
    state: Data,
    pages: web::Data<FaqPages>,
) -> Result<HttpResponse, PageError> {
    let params = Params::of(&req).map_err(AppError::from)?;
    let fragment = req.headers().contains_key(FRAGMENT_HEADER);
    if params.q.is_empty() && !fragment {
        let key = ListKey {
            label: params.label,
            event: params.event,
            page: params.page,
        };
        return Ok(pages.list(&state, &req, key).await?);
    }
    // The topic menu and the grouping need every label's count; typed results do not.
    let labels = if fragment && !params.q.is_empty() {
        Vec::new()
    } else {
        app::faq::browse::label_counts(&state.db).await?
    };
    let now = app::now();
    let searched;
    let listed;
    let latest;
    let ask_at;
    let body = if params.q.is_empty() {
        listed = app::faq::browse::newest(&state.db, &params.filters(), params.page).await?;
        latest =
            app::faq::browse::latest_answers(&state.db, &params.filters(), params.page).await?;
        FaqBody::Newest {
            total: listed.total,
            entries: &listed.entries,
            labels: &labels,
            latest: latest.as_ref(),
        }
    } else {
        // Search-as-you-type asks for fragments.
        let settled = if fragment {
            Settled::StillTyping
        } else {
            settled_by(&req, &state)
        };
        searched = app::faq::browse::search(
            &state.db,
            &state.search,
            Some(&state.docs_index),
            &state.meaning(),
            &params.q,
            &params.filters(),
            params.page,
            settled,
        )
        .await?;
        ask_at = if searched.close {
            None
        } else {
            app::events::listing::next_taking_questions(&state.db, now).await?
        };
        FaqBody::Results {
            total: searched.total,
            hits: &searched.hits,
            docs: &searched.docs,
            close: searched.close,
            ask_at: ask_at.as_ref(),
        }
    };
    let markup = if fragment {
        results(&params.query(), &body, now)
    } else {
        faq_page(&params.query(), &body, &labels, now, &state.public_base)
    };
    Ok(html(StatusCode::OK, markup))
}

async fn feed(
    req: HttpRequest,
    state: Data,
    pages: web::Data<FaqPages>,
) -> Result<HttpResponse, PageError> {
    Ok(pages.feed(&state, &req).await?)
}

/// A search someone finished typing: FAQ entries and documentation sections, as the API and
/// `/faq.md` give them.
async fn settled_search(
    state: &AppState,
    params: &Params,
) -> Result<app::faq::browse::SearchPage, AppError> {
    app::faq::browse::search(
        &state.db,
        &state.search,
        Some(&state.docs_index),
        &state.meaning(),
        &params.q,
        &params.filters(),
        params.page,
        Settled::Yes(None),
    )
    .await
}

/// The whole FAQ as Markdown; with `q`, that search's results (documentation sections too).
async fn markdown(
    req: HttpRequest,
    state: Data,
    pages: web::Data<FaqPages>,
) -> Result<HttpResponse, PageError> {
    let params = Params::of(&req).map_err(AppError::from)?;
    if params.q.is_empty() {
        return Ok(pages.markdown(&state, &req).await?);
    }
    let searched = settled_search(&state, &params).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/markdown; charset=utf-8")
        .body(search_markdown(
            &params.q,
            &searched.hits,
            &searched.docs,
            &state.public_base,
        )))
}

/// `/faq/42-how-do-i-install-it`; only the id counts, and a wrong or missing slug, or the id of
/// a question merged into another, redirects to the entry's one address.
async fn entry(
    req: HttpRequest,
    state: Data,
    pages: web::Data<FaqPages>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let digits: String = path.chars().take_while(char::is_ascii_digit).collect();
    let id: i64 = digits
        .parse()
        .map_err(|_| AppError::NotFound { what: "FAQ entry" })?;
    Ok(pages
        .entry(&state, &req, id, &format!("/faq/{path}"))
        .await?)
}

#[derive(Serialize, ToSchema)]
pub struct FaqHitJson {
    pub id: i64,
    pub question: String,
    /// Sanitized HTML.
    pub answer_html: String,
    /// A passage of the answer with the query's words in `<mark>`; escaped HTML.
    pub snippet_html: String,
    /// The entry's page, relative to the site.
    pub url: String,
    pub labels: Vec<String>,
    /// The event's slug.
    pub event: String,
    /// Relevance (BM25 with boosts); 0 when listing without a query.
    pub score: f32,
}

/// A search result: an FAQ entry, or a documentation section (`"kind": "doc"`).
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum FaqItemJson {
    Doc(DocItemJson),
    Entry(FaqHitJson),
}

#[derive(Serialize, ToSchema)]
pub struct FaqResultsJson {
    /// FAQ entries found (documentation sections come on the first page, besides).
    pub total: usize,
    /// FAQ entries and, on the first page of a search, up to three documentation sections that
    /// answer it: after the three best entries when those answer closely, else first.
    pub hits: Vec<FaqItemJson>,
    /// For a search: whether one of the first hits answers it closely. `false` when there are
    /// none, or they are only loosely related (share the project's name, say).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub close: Option<bool>,
}

impl From<SearchHit> for FaqHitJson {
    fn from(hit: SearchHit) -> Self {
        Self {
            url: app::faq::browse::entry_path(hit.id, &hit.question),
            id: hit.id,
            question: hit.question,
            answer_html: hit.answer_html,
            snippet_html: hit.snippet_html,
            labels: hit.labels,
            event: hit.event_slug,
            score: hit.score,
        }
    }
}

/// Documentation sections are listed after this many closely answering FAQ entries.
const DOCS_AFTER: usize = 3;

/// Searches the FAQ and the project's documentation (typos and unfinished last words included);
/// without `q`, the newest answers.
#[utoipa::path(
    get, tag = "faq", path = "/api/v1/faq",
    params(
        ("q" = Option<String>, Query, description = "What to look for; any text"),
        ("label" = Option<String>, Query, description = "Only entries with this label"),
        ("event" = Option<String>, Query, description = "Only entries of this event (slug)"),
        ("kind" = Option<String>, Query, description = "`faq`: only FAQ entries; `doc`: only documentation sections; anything else: both"),
        ("page" = Option<usize>, Query, minimum = 1, maximum = 500, description = "1-based, 20 per page; out of range is 422")
    ),
    responses(
        (status = 200, body = FaqResultsJson), (status = 400, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`page` out of range (field `page`)")
    )
)]
pub async fn faq_api(req: HttpRequest, state: Data) -> Result<HttpResponse, ApiError> {
    let params = Params::of(&req).map_err(AppError::from)?;
    let body = if params.q.is_empty() {
        let listed = app::faq::browse::newest(&state.db, &params.filters(), params.page).await?;
        FaqResultsJson {
            total: usize::try_from(listed.total).unwrap_or_default(),
            hits: listed
                .entries
                .into_iter()
                .map(|entry| FaqItemJson::Entry(FaqHitJson {
                    url: app::faq::browse::entry_path(entry.id, &entry.question),
                    snippet_html: maud::html! { (crate::domain::plain_text(&entry.answer_md).chars().take(220).collect::<String>()) }.into_string(),
                    id: entry.id,
                    question: entry.question,
                    answer_html: entry.answer_html,
                    labels: entry.labels,
                    event: entry.event_slug,
                    score: 0.0,
                }))
                .collect(),
            close: None,
        }
    } else {
        let searched = settled_search(&state, &params).await?;
        let faq_was_close = searched.close && !searched.hits.is_empty();
        let mut entries = searched
            .hits
            .into_iter()
            .map(|hit| FaqItemJson::Entry(hit.into()));
        let docs = searched
            .docs
            .into_iter()
            .map(|doc| FaqItemJson::Doc(doc.into()));
        let hits = if faq_was_close {
            let best: Vec<FaqItemJson> = entries.by_ref().take(DOCS_AFTER).collect();
            best.into_iter().chain(docs).chain(entries).collect()
        } else {
            docs.chain(entries).collect()
        };
        FaqResultsJson {
            total: searched.total,
            close: Some(searched.close),
            hits,
        }
    };
    Ok(HttpResponse::Ok().json(body))
}
