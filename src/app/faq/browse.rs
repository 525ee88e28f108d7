//! The FAQ as visitors use it: search, the newest entries, one entry.

use crate::app::docs::finding::{self, DocSuggestion};
use crate::app::faq::recent_searches::Searcher;
use crate::db::{self, faq::FaqEntry, Db};
use crate::domain::url_slug;
use crate::error::AppError;
use crate::meaning::{hybrid, Meaning};
use crate::search::{ByMeaning, DocsIndex, SearchHit, SearchIndex, SearchRequest, SearchResults};

pub const PAGE_SIZE: usize = 20;
/// Queries are cut to this many characters before anything else looks at them.
pub const MAX_QUERY_CHARS: usize = 1_000;

/// The permanent address of an entry.
pub fn entry_path(id: i64, question: &str) -> String {
    format!("/faq/{id}-{}", url_slug(question))
}

#[derive(Debug, Clone, Default)]
pub struct Filters {
    pub label: Option<String>,
    pub event: Option<String>,
    /// Only FAQ entries, or only documentation sections; both when `None`.
    pub kind: Option<ResultKind>,
}

/// What a search result is: an answer in the FAQ, or a section of the project's documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    Faq,
    Doc,
}

impl ResultKind {
    /// `faq` or `doc`, as the page and the API name them; anything else is no filter.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "faq" => Some(Self::Faq),
            "doc" => Some(Self::Doc),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Faq => "faq",
            Self::Doc => "doc",
        }
    }
}

impl Filters {
    fn wants(&self, kind: ResultKind) -> bool {
        self.kind.is_none_or(|wanted| wanted == kind)
    }

    /// Documentation has no labels or events: filtering by one leaves it out.
    fn wants_docs(&self) -> bool {
        self.wants(ResultKind::Doc) && self.label.is_none() && self.event.is_none()
    }
}

/// Documentation sections listed beside the first page of FAQ results, at most.
pub const DOCS_PER_SEARCH: usize = 3;

pub struct SearchPage {
    pub total: usize,
    pub hits: Vec<SearchHit>,
    /// Documentation sections that answer the search (first page only), marked as such.
    pub docs: Vec<DocSuggestion>,
    /// Whether a hit answers closely (see [`answers_closely`]); when none does, the hits are
    /// only loosely related and the visitor is offered to ask instead.
    pub close: bool,
}

/// How many of the first hits are looked at for a close one.
const CLOSE_AMONG: usize = 3;

/// Whether one of the first hits answers `query` closely (see `Cuts::searches`: past what all
/// entries share, or alike in rare words).
fn answers_closely(
    index: &SearchIndex,
    query: &str,
    hits: &[SearchHit],
    relatedness: &hybrid::Relatedness,
) -> bool {
    let first = &hits[..hits.len().min(CLOSE_AMONG)];
    let words = index.word_closeness(query, first.iter().map(|hit| hit.question.as_str()));
    first
        .iter()
        .zip(words)
        .any(|(hit, words)| relatedness.admits(hit.distinct_meaning, words))
}

/// Whether a search that finds nothing is noted for moderators: not while the visitor is still
/// typing (each keystroke is a search), not a crawler's, only what a person settled on (and not
/// even that when they then type on within a minute: see `recent_searches`).
#[derive(Clone, Copy)]
pub enum Settled<'a> {
    /// By a visitor told apart from others, or by a caller that cannot be (the API).
    Yes(Option<Searcher<'a>>),
    StillTyping,
    ByCrawler,
}

/// Searches the index (off the async threads); a settled search that finds nothing on its first
/// page is counted in "searched for, not answered".
#[allow(clippy::too_many_arguments)]
pub async fn search(
    db: &Db,
    index: &SearchIndex,
    docs: Option<&DocsIndex>,
    meaning: &Meaning,
    query: &str,
    filters: &Filters,
    page: usize,
    settled: Settled<'_>,
) -> Result<SearchPage, AppError> {
    let index = index.clone();
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let vector = match meaning.vectors() {
        Some(vectors) if !query.trim().is_empty() => meaning
            .embed_query(&query)
            .await
            .map(|vector| (vectors.clone(), vector)),
        _ => None,
    };
    let found_docs = match docs {
        Some(docs) if page == 1 && filters.wants_docs() => {
            finding::find(
                docs,
                meaning,
                &query,
                vector.as_ref().map(|(_, vector)| vector.clone()),
                false,
                DOCS_PER_SEARCH,
                meaning.cuts().docs_for_searches,
            )
            .await?
        }
        _ => Vec::new(),
    };
    let wants_faq = filters.wants(ResultKind::Faq);
    let query_for_miss = query.clone();
    let cuts = meaning.cuts();
    let label = filters.label.clone();
    let event = filters.event.clone();
    let (results, close) = tokio::task::spawn_blocking(move || {
        if !wants_faq {
            return Ok::<_, AppError>((SearchResults::default(), false));
        }
        let results = index.search(&SearchRequest {
            text: &query,
            label: label.as_deref(),
            event: event.as_deref(),
            offset: page.saturating_sub(1).saturating_mul(PAGE_SIZE),
            limit: PAGE_SIZE,
            meaning: vector.as_ref().map(|(vectors, query)| ByMeaning {
                vectors,
                query,
                lexical_weight: cuts.lexical_weight,
                min_meaning: cuts.faq_min_meaning,
            }),
        })?;
        let close = page > 1 || answers_closely(&index, &query, &results.hits, &cuts.searches);
        Ok::<_, AppError>((results, close))
    })
    .await
    .map_err(|error| AppError::internal("searching", error))??;
    // A section of the documentation that answers is an answer too.
    let close = close || !found_docs.is_empty();
    // Loose hits alone answer nothing: moderators hear of the search as of one that found
    // nothing.
    if let (Settled::Yes(searcher), 1) = (settled, page) {
        crate::app::faq::search_misses::note(db, &query_for_miss, !close, searcher).await;
    }
    Ok(SearchPage {
        total: results.total,
        hits: results.hits,
        docs: found_docs,
        close,
    })
}

pub struct Listing {
    pub total: i64,
    pub entries: Vec<FaqEntry>,
}

/// The newest entries, of one label or one event when asked.
pub async fn newest(db: &Db, filters: &Filters, page: usize) -> Result<Listing, AppError> {
    let label = filters.label.clone();
    let event = filters.event.clone();
    let offset =
        i64::try_from(page.saturating_sub(1).saturating_mul(PAGE_SIZE)).unwrap_or(i64::MAX);
    let (entries, total) = db
        .read(move |conn| {
            db::faq::newest(
                conn,
                label.as_deref(),
                event.as_deref(),
                offset,
                PAGE_SIZE as i64,
            )
        })
        .await?;
    Ok(Listing { total, entries })
}

/// The answers of the latest event, shown first on the FAQ's home: what a visitor arriving after
/// a hangout looks for.
pub struct LatestAnswers {
    pub event_slug: String,
    pub event_title: String,
    pub entries: Vec<FaqEntry>,
    /// How many the event has in all.
    pub total: i64,
}

/// How many of the latest event's answers the home shows before the rest by label.
pub const LATEST_SHOWN: usize = 10;

/// The latest event's answers for the FAQ's home (the first page, nothing picked); `None` on
/// any other listing.
pub async fn latest_answers(
    db: &Db,
    filters: &Filters,
    page: usize,
) -> Result<Option<LatestAnswers>, AppError> {
    if page > 1 || filters.label.is_some() || filters.event.is_some() {
        return Ok(None);
    }
    db.read(|conn| {
        let Some(slug) = db::faq::latest_event(conn, crate::app::faq::import::DEFAULT_EVENT)?
        else {
            return Ok(None);
        };
        let (entries, total) = db::faq::newest(conn, None, Some(&slug), 0, LATEST_SHOWN as i64)?;
        let Some(event_title) = entries.first().map(|first| first.event_title.clone()) else {
            return Ok(None);
        };
        Ok(Some(LatestAnswers {
            event_slug: slug,
            event_title,
            total,
            entries,
        }))
    })
    .await
}

/// The newest entries of every event, for the feed.
pub async fn newest_for_feed(db: &Db, count: usize) -> Result<Vec<FaqEntry>, AppError> {
    let limit = i64::try_from(count).unwrap_or(i64::MAX);
    let (entries, _) = db
        .read(move |conn| db::faq::newest(conn, None, None, 0, limit))
        .await?;
    Ok(entries)
}

pub async fn label_counts(db: &Db) -> Result<Vec<(String, i64)>, AppError> {
    db.read(db::faq::label_counts).await
}

pub enum EntryLookup {
    Found(Box<FaqEntry>),
    /// The question was merged into another: its entry is there.
    MovedTo {
        id: i64,
        question: String,
    },
}

/// An entry by id; a merged question leads to its canonical one.
pub async fn entry(db: &Db, id: i64) -> Result<EntryLookup, AppError> {
    db.read(move |conn| {
        if let Some(entry) = db::faq::by_ids(conn, &[id])?.pop() {
            return Ok(EntryLookup::Found(Box::new(entry)));
        }
        let question =
            db::questions::find(conn, id)?.ok_or(AppError::NotFound { what: "FAQ entry" })?;
        let canonical = question
            .merged_into
            .ok_or(AppError::NotFound { what: "FAQ entry" })?;
        let entry = db::faq::by_ids(conn, &[canonical])?
            .pop()
            .ok_or(AppError::NotFound { what: "FAQ entry" })?;
        Ok(EntryLookup::MovedTo {
            id: entry.id,
            question: entry.question,
        })
    })
    .await
}

/// The FAQ entries and public events `/sitemap.xml` lists.
pub async fn sitemap_pages(
    db: &Db,
) -> Result<(Vec<db::faq::EntryPage>, Vec<db::sitemap::EventPage>), AppError> {
    db.read(|conn| Ok((db::faq::entry_pages(conn)?, db::sitemap::event_pages(conn)?)))
        .await
}

/// Every published entry, newest answer first, with the labels in use: what an export of the
/// FAQ writes.
pub async fn everything(db: &Db) -> Result<(Vec<FaqEntry>, Vec<(String, i64)>), AppError> {
    const PAGE: i64 = 500;
    db.read(|conn| {
        let mut entries: Vec<FaqEntry> = Vec::new();
        loop {
            let after = entries.last().map_or(0, |entry| entry.id);
            let page = db::faq::page_after(conn, after, PAGE)?;
            let done = page.len() < PAGE as usize;
            entries.extend(page);
            if done {
                break;
            }
        }
        entries.sort_by_key(|entry| std::cmp::Reverse((entry.answered_at, entry.id)));
        Ok((entries, db::faq::label_counts(conn)?))
    })
    .await
}
