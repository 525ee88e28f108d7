//! The FAQ: the search page (with the newest answers, by label, when nothing is searched) and
//! one entry's page.

use chrono::NaiveDateTime;
use maud::{html, Markup, PreEscaped};

use crate::app::docs::finding::DocSuggestion;
use crate::app::faq::browse::{entry_path, LatestAnswers, ResultKind, PAGE_SIZE};
use crate::app::faq::import as faq_import;
use crate::db::events::Event;
use crate::db::faq::FaqEntry;
use crate::domain::RecordingOffset;
use crate::search::SearchHit;
use crate::views::components::{answer_html, label_links, url_component};
use crate::views::faq::doc_results::{doc_results, DocLinks};
use crate::views::layout::{page, PageMeta};
use crate::views::structured_data;
use crate::views::time::time_ago;

/// What the visitor asked for.
pub struct FaqQuery<'a> {
    pub text: &'a str,
    pub label: Option<&'a str>,
    pub event: Option<&'a str>,
    /// Only FAQ entries or only documentation.
    pub kind: Option<ResultKind>,
    pub page: usize,
}

impl FaqQuery<'_> {
    /// This page's address with another page number.
    fn href(&self, page: usize) -> String {
        let mut pairs = url::form_urlencoded::Serializer::new(String::new());
        if !self.text.is_empty() {
            pairs.append_pair("q", self.text);
        }
        if let Some(label) = self.label {
            pairs.append_pair("label", label);
        }
        if let Some(event) = self.event {
            pairs.append_pair("event", event);
        }
        if let Some(kind) = self.kind {
            pairs.append_pair("kind", kind.as_str());
        }
        if page > 1 {
            pairs.append_pair("page", &page.to_string());
        }
        let query = pairs.finish();
        if query.is_empty() {
            "/faq".to_owned()
        } else {
            format!("/faq?{query}")
        }
    }
}

pub enum FaqBody<'a> {
    Results {
        total: usize,
        hits: &'a [SearchHit],
        /// Documentation sections that answer, shown marked as such.
        docs: &'a [DocSuggestion],
        /// Whether a hit answers closely; when none does, they are shown as loosely related.
        close: bool,
        /// Where to ask when nothing was found: the event taking questions, if any.
        ask_at: Option<&'a Event>,
    },
    Newest {
        total: i64,
        entries: &'a [FaqEntry],
        /// Labels of all entries with their counts, most used first.
        labels: &'a [(String, i64)],
        /// On the home: the latest event's answers, shown first.
        latest: Option<&'a LatestAnswers>,
    },
}

fn search_form(query: &FaqQuery<'_>, labels: &[(String, i64)]) -> Markup {
    html! {
        form.faq-search role="search" method="get" action="/faq" {
            label for="faq-q" { "Search the answers" }
            div.search-row {
                input #faq-q type="search" name="q" value=(query.text) autocomplete="off"
                    placeholder="Type a few words, typos are fine" data-instant-search="/faq";
                button.primary type="submit" { "Search" }
            }
            @if !labels.is_empty() {
                label.inline for="faq-label" { "Topic " }
                select #faq-label name="label" {
                    option value="" { "All topics" }
                    @for (name, count) in labels {
                        option value=(name) selected[query.label == Some(name.as_str())] { (name) " (" (count) ")" }
                    }
                }
            }
            @if let Some(event) = query.event {
                input type="hidden" name="event" value=(event);
            }
            @if let Some(kind) = query.kind {
                input type="hidden" name="kind" value=(kind.as_str());
            }
        }
    }
}

fn pagination(query: &FaqQuery<'_>, total: usize) -> Markup {
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    html! {
        @if pages > 1 {
            nav.pagination aria-label="Pages" {
                @if query.page > 1 { a rel="prev" href=(query.href(query.page - 1)) { "← Newer" } }
                span { "Page " (query.page.min(pages)) " of " (pages) }
                @if query.page < pages { a rel="next" href=(query.href(query.page + 1)) { "Older →" } }
            }
        }
    }
}

fn hit_item(hit: &SearchHit) -> Markup {
    html! {
        li.faq-hit {
            // Escaped by the searcher; only its own <mark> tags are markup.
            h3 { a href=(entry_path(hit.id, &hit.question)) { (PreEscaped(&hit.question_html)) } }
            p.snippet { (PreEscaped(&hit.snippet_html)) }
            p.meta { (hit.event_title) (label_links(&hit.labels)) }
        }
    }
}

fn entry_item(entry: &FaqEntry, now: NaiveDateTime) -> Markup {
    html! {
        li.faq-hit {
            h3 { a href=(entry_path(entry.id, &entry.question)) { (entry.question) } }
            p.meta { "Answered " (time_ago(entry.answered_at, now)) " · " (entry.event_title) (label_links(&entry.labels)) }
        }
    }
}

/// Groups a page of entries under their most used label; unlabelled ones come last.
pub(super) fn by_label<'a>(
    entries: impl IntoIterator<Item = &'a FaqEntry>,
    labels: &'a [(String, i64)],
) -> Vec<(Option<&'a str>, Vec<&'a FaqEntry>)> {
    let rank = |name: &str| labels.iter().position(|(label, _)| label == name);
    let mut groups: Vec<(Option<&str>, Vec<&FaqEntry>)> = Vec::new();
    for entry in entries {
        let primary = entry
            .labels
            .iter()
            .min_by_key(|label| rank(label).unwrap_or(usize::MAX))
            .map(String::as_str);
        match groups.iter_mut().find(|(label, _)| *label == primary) {
            Some((_, members)) => members.push(entry),
            None => groups.push((primary, vec![entry])),
        }
    }
    groups.sort_by_key(|(label, _)| {
        label.map_or(usize::MAX, |name| rank(name).unwrap_or(usize::MAX - 1))
    });
    groups
}

pub fn faq_page(
    query: &FaqQuery<'_>,
    body: &FaqBody<'_>,
    labels: &[(String, i64)],
    now: NaiveDateTime,
    public_base: &str,
) -> Markup {
    let title = if query.text.is_empty() {
        "FAQ".to_owned()
    } else {
        format!(
            "“{}” in the FAQ",
            query.text.chars().take(80).collect::<String>()
        )
    };
    // A listing is a page of its own; a search's results are not worth a search engine's index.
    let own_address = query
        .text
        .is_empty()
        .then(|| format!("{public_base}{}", query.href(query.page)));
    page(
        &PageMeta {
            title: &title,
            description: "Answers to the community's questions, from past hangouts.",
            url: own_address.as_deref(),
        },
        html! {
            h1 { "Frequently asked questions" }
            (search_form(query, labels))
            div #faq-results aria-live="polite" {
                (results(query, body, now))
            }
            p.feed { a href="/faq/feed.atom" { "New answers as a feed" } }
        },
    )
}

/// The part of the page that changes while typing (also sent alone to the page's script).
pub fn results(query: &FaqQuery<'_>, body: &FaqBody<'_>, now: NaiveDateTime) -> Markup {
    html! {
        @match body {
            FaqBody::Results { total, hits, docs, close, ask_at } => {
                (kind_filter(query))
                @let links = DocLinks { base: "", new_tab: false };
                @if *total == 0 && docs.is_empty() {
                    p.empty { "Nothing found for “" (query.text) "”. Try fewer words, or other words for the same thing." }
                    (ask_instead(query, *ask_at))
                } @else if *total == 0 {
                    (doc_results(docs, &links))
                } @else if !*close {
                    p.empty { "Nothing here answers “" (query.text) "” closely." }
                    (ask_instead(query, *ask_at))
                    h2.loosely { "Loosely related" }
                    ol.faq-hits { @for hit in *hits { (hit_item(hit)) } }
                    (pagination(query, *total))
                } @else {
                    p.count { (total) @if *total == 1 { " answer" } @else { " answers" } }
                    ol.faq-hits { @for hit in hits.iter().take(DOCS_AFTER) { (hit_item(hit)) } }
                    (doc_results(docs, &links))
                    @if hits.len() > DOCS_AFTER {
                        ol.faq-hits start=(DOCS_AFTER + 1) { @for hit in hits.iter().skip(DOCS_AFTER) { (hit_item(hit)) } }
                    }
                    (pagination(query, *total))
                }
            }
            FaqBody::Newest { total, entries, labels, latest } => {
                @if *total == 0 {
                    p.empty { "No answers yet. Questions answered at events appear here." }
                } @else {
                    @if let Some(latest) = latest {
                        (latest_section(latest, now))
                    }
                    @let shown_first: Vec<i64> = latest.map(|latest| latest.entries.iter().map(|entry| entry.id).collect()).unwrap_or_default();
                    @let rest = entries.iter().filter(|entry| !shown_first.contains(&entry.id));
                    @for (label, members) in by_label(rest, labels) {
                        section.faq-group {
                            h2 { @if let Some(label) = label { (label) } @else { "More answers" } }
                            ul.faq-hits { @for entry in members { (entry_item(entry, now)) } }
                        }
                    }
                    (pagination(query, usize::try_from(*total).unwrap_or(usize::MAX)))
                }
            }
        }
    }
}

/// The documentation is listed after this many FAQ answers: below the best, above the rest.
const DOCS_AFTER: usize = 3;

/// "All · FAQ · Documentation": what a search looks through.
fn kind_filter(query: &FaqQuery<'_>) -> Markup {
    let choices = [
        (None, "All"),
        (Some(ResultKind::Faq), "FAQ answers"),
        (Some(ResultKind::Doc), "Documentation"),
    ];
    html! {
        nav.kind-filter aria-label="Show" {
            @for (kind, name) in choices {
                @let href = FaqQuery { kind, page: 1, ..*query }.href(1);
                @if query.kind == kind {
                    a aria-current="page" href=(href) { (name) }
                } @else {
                    a href=(href) { (name) }
                }
            }
        }
    }
}

/// The offer to ask what the FAQ does not answer, at the event taking questions next.
fn ask_instead(query: &FaqQuery<'_>, ask_at: Option<&Event>) -> Markup {
    html! {
        @if let Some(event) = ask_at {
            p.ask-instead {
                "Not answered yet? "
                a href={ "/e/" (event.slug) "?ask=" (url_component(query.text)) "#ask-body" } { "Ask it at " (event.title) }
            }
        }
    }
}

/// "New from {event}": the latest event's answers, newest first, before the rest by label.
fn latest_section(latest: &LatestAnswers, now: NaiveDateTime) -> Markup {
    html! {
        section.faq-group.faq-latest aria-labelledby="faq-latest-heading" {
            h2 #faq-latest-heading { "New from " (latest.event_title) }
            ul.faq-hits { @for entry in &latest.entries { (entry_item(entry, now)) } }
            @if latest.total > latest.entries.len() as i64 {
                p { a href={ "/faq?event=" (url_component(&latest.event_slug)) } { "All " (latest.total) " answers from " (latest.event_title) } }
            }
        }
    }
}

pub fn entry_page(entry: &FaqEntry, now: NaiveDateTime, public_base: &str) -> Markup {
    let moment = entry
        .recording_offset_secs
        .and_then(RecordingOffset::from_seconds)
        .and_then(|at| Some((at, at.link(entry.recording_url.as_deref()?)?)));
    let path = entry_path(entry.id, &entry.question);
    // An answer accepted as drafted is the excerpt already: said once.
    let excerpt_is_the_answer = entry.transcript_excerpt.as_ref().is_some_and(|excerpt| {
        let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
        words(&crate::domain::plain_text(&entry.answer_md)) == words(excerpt)
    });
    let description: String = crate::domain::plain_text(&entry.answer_md)
        .chars()
        .take(200)
        .collect();
    let url = format!("{public_base}{path}");
    page(
        &PageMeta {
            title: &entry.question,
            description: &description,
            url: Some(&url),
        },
        html! {
            (structured_data::script(&structured_data::faq_entry(entry, &url)))
            p { a href="/faq" { "← All answers" } }
            article.faq-entry {
                h1 { (entry.question) }
                p.meta {
                    @if entry.event_slug == faq_import::DEFAULT_EVENT {
                        "From the project's earlier FAQ"
                    } @else {
                        "Asked at " a href={ "/e/" (entry.event_slug) } { (entry.event_title) }
                    }
                    " · answered " (time_ago(entry.answered_at, now))
                    @if let Some(reviewed) = entry.reviewed_at { " · last reviewed " (time_ago(reviewed, now)) }
                    @else if entry.updated_at > entry.answered_at { " · last updated " (time_ago(entry.updated_at, now)) }
                    (label_links(&entry.labels))
                }
                div.answer {
                    // Rendered from Markdown and sanitized with ammonia when it was written.
                    (answer_html(&entry.answer_html))
                }
                @if let Some((at, link)) = moment {
                    p.recording {
                        a href=(link) rel="noopener" { "▶ Watch the answer at " (at.display()) }
                        @if excerpt_is_the_answer { " · the speakers' own words, from the recording" }
                    }
                }
                @if let Some(excerpt) = entry.transcript_excerpt.as_ref().filter(|_| !excerpt_is_the_answer) {
                    section.from-recording {
                        h2 { "From the recording" }
                        blockquote { @for paragraph in excerpt.split("\n\n") { p { (paragraph) } } }
                    }
                }
                @if !entry.phrasings.is_empty() {
                    section.phrasings {
                        h2 { "Also asked as" }
                        ul { @for phrasing in &entry.phrasings { li { (phrasing) } } }
                    }
                }
            }
        },
    )
}
