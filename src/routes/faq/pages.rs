//! The FAQ's pages that every visitor sees alike — entries, the newest answers by topic, the
//! feed, the whole FAQ as Markdown, the sitemap — rendered once per change and kept (see `web::responses::page_cache`). They show no votes, so a
//! vote leaves them be; anything else that changes on any event renders them anew.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};

use crate::app::{self, faq::browse::Filters};
use crate::error::AppError;
use crate::views::faq::faq_export::markdown_document;
use crate::views::faq::feed::atom_feed;
use crate::views::faq::pages::{entry_page, faq_page, FaqBody, FaqQuery};
use crate::views::outreach::sitemap::sitemap;
use crate::web::responses::page_cache::PageCache;
use crate::web::responses::rendered_page::{RenderedPage, HTML};
use crate::web::AppState;

/// A kept FAQ entry: its page, or where the entry lives now.
pub enum EntryPage {
    Found { path: String, page: RenderedPage },
    MovedTo(String),
}

/// `/faq` without a query: label, event, page number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListKey {
    pub label: Option<String>,
    pub event: Option<String>,
    pub page: usize,
}

pub struct FaqPages {
    entries: PageCache<i64, EntryPage>,
    lists: PageCache<ListKey, RenderedPage>,
    feed: PageCache<(), RenderedPage>,
    markdown: PageCache<(), RenderedPage>,
    sitemap: PageCache<(), RenderedPage>,
}

/// Entries are small and many are read from search engines' links; lists are few.
const KEPT_ENTRIES: usize = 5_000;
const KEPT_LISTS: usize = 200;

impl Default for FaqPages {
    fn default() -> Self {
        Self {
            entries: PageCache::with_capacity(KEPT_ENTRIES),
            lists: PageCache::with_capacity(KEPT_LISTS),
            feed: PageCache::with_capacity(1),
            markdown: PageCache::with_capacity(1),
            sitemap: PageCache::with_capacity(1),
        }
    }
}

const FEED_ENTRIES: usize = 50;
const ATOM: &str = "application/atom+xml; charset=utf-8";
const MARKDOWN: &str = "text/markdown; charset=utf-8";
const XML: &str = "application/xml; charset=utf-8";

impl FaqPages {
    /// `/faq/{path}` for entry `id`: its page, or a permanent redirect to its one address.
    pub async fn entry(
        &self,
        state: &AppState,
        req: &HttpRequest,
        id: i64,
        path: &str,
    ) -> Result<HttpResponse, AppError> {
        let stamp = state.bus.stamp_of_faq();
        let (kept, lookup) = self
            .entries
            .get_or_render(id, stamp, || render_entry(state, id))
            .await?;
        state.metrics.count_page("faq_entry", lookup);
        Ok(match &*kept {
            EntryPage::MovedTo(location) => moved_permanently(location),
            EntryPage::Found {
                path: canonical, ..
            } if canonical != path => moved_permanently(canonical),
            EntryPage::Found { page, .. } => page.respond(req),
        })
    }

    /// `/faq` with no query typed: the newest answers, by topic.
    pub async fn list(
        &self,
        state: &AppState,
        req: &HttpRequest,
        key: ListKey,
    ) -> Result<HttpResponse, AppError> {
        let stamp = state.bus.stamp_of_faq();
        let (page, lookup) = self
            .lists
            .get_or_render(key.clone(), stamp, || render_list(state, key))
            .await?;
        state.metrics.count_page("faq_list", lookup);
        Ok(page.respond(req))
    }

    pub async fn feed(
        &self,
        state: &AppState,
        req: &HttpRequest,
    ) -> Result<HttpResponse, AppError> {
        let render = || async {
            let newest = app::faq::browse::newest_for_feed(&state.db, FEED_ENTRIES).await?;
            let base = state.public_base.clone();
            RenderedPage::made_by_fallible(ATOM, move || atom_feed(&newest, &base, app::now()))
                .await
        };
        whole_faq_page(&self.feed, "faq_feed", state, req, render).await
    }

    /// `/faq.md`: every entry, by label, in one Markdown document.
    pub async fn markdown(
        &self,
        state: &AppState,
        req: &HttpRequest,
    ) -> Result<HttpResponse, AppError> {
        let render = || async {
            let (entries, labels) = app::faq::browse::everything(&state.db).await?;
            let base = state.public_base.clone();
            RenderedPage::made_by(MARKDOWN, move || {
                markdown_document(&entries, &labels, &base)
            })
            .await
        };
        whole_faq_page(&self.markdown, "faq_markdown", state, req, render).await
    }

    /// `/sitemap.xml`: the entries and public events, with when each last changed.
    pub async fn sitemap(
        &self,
        state: &AppState,
        req: &HttpRequest,
    ) -> Result<HttpResponse, AppError> {
        let render = || async {
            let (entries, events) = app::faq::browse::sitemap_pages(&state.db).await?;
            let base = state.public_base.clone();
            RenderedPage::made_by(XML, move || sitemap(&base, &entries, &events)).await
        };
        whole_faq_page(&self.sitemap, "sitemap", state, req, render).await
    }
}

/// A page made of the whole FAQ (one of its kind): kept until anything but a vote changes.
async fn whole_faq_page<F, Fut>(
    kept: &PageCache<(), RenderedPage>,
    metric: &'static str,
    state: &AppState,
    req: &HttpRequest,
    render: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<RenderedPage, AppError>>,
{
    let (page, lookup) = kept
        .get_or_render((), state.bus.stamp_of_faq(), render)
        .await?;
    state.metrics.count_page(metric, lookup);
    Ok(page.respond(req))
}

fn moved_permanently(location: &str) -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, location))
        .finish()
}

async fn render_entry(state: &AppState, id: i64) -> Result<EntryPage, AppError> {
    match app::faq::browse::entry(&state.db, id).await? {
        app::faq::browse::EntryLookup::MovedTo { id, question } => Ok(EntryPage::MovedTo(
            app::faq::browse::entry_path(id, &question),
        )),
        app::faq::browse::EntryLookup::Found(entry) => {
            let path = app::faq::browse::entry_path(entry.id, &entry.question);
            let base = state.public_base.clone();
            let page = RenderedPage::made_by(HTML, move || {
                entry_page(&entry, app::now(), &base).into_string()
            })
            .await?;
            Ok(EntryPage::Found { path, page })
        }
    }
}

async fn render_list(state: &AppState, key: ListKey) -> Result<RenderedPage, AppError> {
    let labels = app::faq::browse::label_counts(&state.db).await?;
    let filters = Filters {
        label: key.label.clone(),
        event: key.event.clone(),
        kind: None,
    };
    let listed = app::faq::browse::newest(&state.db, &filters, key.page).await?;
    let latest = app::faq::browse::latest_answers(&state.db, &filters, key.page).await?;
    let base = state.public_base.clone();
    RenderedPage::made_by(HTML, move || {
        let body = FaqBody::Newest {
            total: listed.total,
            entries: &listed.entries,
            labels: &labels,
            latest: latest.as_ref(),
        };
        let query = FaqQuery {
            text: "",
            label: key.label.as_deref(),
            event: key.event.as_deref(),
            kind: None,
            page: key.page,
        };
        faq_page(&query, &body, &labels, app::now(), &base).into_string()
    })
    .await
}
