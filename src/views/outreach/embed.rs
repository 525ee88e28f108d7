//! Pages made for an iframe on a project's own site: the FAQ's search, and an event's questions
//! with the ask form and votes. No site header or footer; links to whole pages open a new tab,
//! and every page offers itself in a new tab for browsers that keep no cookies in frames.

use maud::{html, Markup, PreEscaped};

use crate::app::docs::finding::DocSuggestion;
use crate::app::events::page::EventQuestions;
use crate::app::faq::browse::entry_path;
use crate::db::faq::FaqEntry;
use crate::domain::QuestionBody;
use crate::search::SearchHit;
use crate::views::components::{csrf_field, vote_control, VoteControl};
use crate::views::faq::doc_results::{doc_results, DocLinks};
use crate::views::layout::{framed_page, PageMeta};

fn embed_document(title: &str, body: Markup) -> Markup {
    framed_page(
        &PageMeta {
            title,
            description: "Questions and answers, on the project's own site.",
            url: None,
        },
        body,
    )
}

fn new_tab_link(href: &str, text: &str) -> Markup {
    html! {
        a.new-tab href=(href) target="_blank" rel="noopener" { (text) span.visually-hidden { " (opens in a new tab)" } " ↗" }
    }
}

/// What the FAQ search frame shows: the search's hits, or the newest answers before a search.
pub enum EmbeddedFaq<'a> {
    Found {
        query: &'a str,
        hits: &'a [SearchHit],
        /// Documentation sections that answer, marked as such.
        docs: &'a [DocSuggestion],
        /// Whether a hit answers closely (else they are loosely related).
        close: bool,
    },
    Newest(&'a [FaqEntry]),
}

pub fn faq_embed(shown: &EmbeddedFaq<'_>, public_base: &str) -> Markup {
    let query = match shown {
        EmbeddedFaq::Found { query, .. } => *query,
        EmbeddedFaq::Newest(_) => "",
    };
    let entry_url = |id: i64, question: &str| format!("{public_base}{}", entry_path(id, question));
    embed_document(
        "FAQ",
        html! {
            form.embed-search role="search" method="get" action="/embed/faq" {
                label for="embed-q" { "Search the FAQ" }
                div.search-row {
                    input #embed-q type="search" name="q" value=(query) autocomplete="off";
                    button.secondary type="submit" { "Search" }
                }
            }
            @match shown {
                EmbeddedFaq::Found { query, hits, docs, close } => {
                    (doc_results(docs, &DocLinks { base: public_base, new_tab: true }))
                    @if hits.is_empty() && docs.is_empty() {
                        p.empty { "Nothing found for “" (query) "”. Try other words." }
                    } @else if !hits.is_empty() {
                        @if !*close {
                            p.empty { "Nothing here answers “" (query) "” closely. Loosely related:" }
                        }
                        ol.embed-hits {
                            @for hit in *hits {
                                li {
                                    a href=(entry_url(hit.id, &hit.question)) target="_blank" rel="noopener" {
                                        // Escaped by the search, with the query's words marked.
                                        (PreEscaped(&hit.question_html))
                                    }
                                    p.snippet { (PreEscaped(&hit.snippet_html)) }
                                }
                            }
                        }
                    }
                }
                EmbeddedFaq::Newest(entries) => {
                    @if entries.is_empty() {
                        p.empty { "No answers yet." }
                    } @else {
                        h2 { "Latest answers" }
                        ol.embed-hits {
                            @for entry in *entries {
                                li { a href=(entry_url(entry.id, &entry.question)) target="_blank" rel="noopener" { (entry.question) } }
                            }
                        }
                    }
                }
            }
            p.embed-foot { (new_tab_link(&format!("{public_base}/faq"), "All answers")) }
        },
    )
}

/// The event frame for one reader: what they typed when the form comes back, and what happened.
pub struct EventEmbedView<'a> {
    pub questions: &'a EventQuestions,
    pub csrf: &'a str,
    pub public_base: &'a str,
    /// The text sent, when it comes back refused.
    pub typed: &'a str,
    /// Why a question was refused, or what went wrong with a vote.
    pub problem: Option<&'a str>,
    /// A question was just asked from this frame: its follow link, when this browser kept it
    /// (a browser that keeps no cookies in frames does not).
    pub just_asked: Option<Option<&'a str>>,
}

pub fn event_embed(view: &EventEmbedView<'_>) -> Markup {
    let event = &view.questions.event;
    let page_url = format!("{}/e/{}", view.public_base, event.slug);
    let open = event.status.accepts_questions();
    embed_document(
        &event.title,
        html! {
            header.embed-head {
                h1 { (event.title) }
                (new_tab_link(&page_url, "Open in a new tab"))
            }
            @if let Some(follow) = view.just_asked {
                p.notice role="status" {
                    "Your question is in. "
                    @if let Some(follow) = follow {
                        a href=(follow) target="_blank" rel="noopener" { "Follow it" }
                        " to see when it is answered."
                    }
                }
            }
            @if let Some(problem) = view.problem {
                p.form-error role="alert" { (problem) }
            }
            @if open {
                form.embed-ask method="post" action={ "/embed/e/" (event.slug) "/ask" } {
                    (csrf_field(view.csrf))
                    div.honeypot aria-hidden="true" {
                        label for="embed-website" { "Website" }
                        input #embed-website type="text" name="website" tabindex="-1" autocomplete="off";
                    }
                    label for="embed-body" { "Your question" }
                    textarea #embed-body name="body" rows="2" required
                        maxlength=(QuestionBody::MAX_CHARS) { (view.typed) }
                    button.primary type="submit" { "Ask" }
                }
            } @else {
                p.notice { "This event is " (event.status) " and no longer takes questions or votes." }
            }
            @if view.questions.listed.is_empty() {
                p.empty { "No questions yet. Be the first to ask." }
            } @else {
                ol.embed-questions {
                    @for listed in &view.questions.listed {
                        @let question = &listed.question;
                        li.question #{ "q-" (question.id) } {
                            (vote_control(&VoteControl {
                                action_url: &format!("/embed/e/{}/q/{}/vote", event.slug, question.id),
                                question_id: question.id,
                                vote_count: question.vote_count,
                                voted: listed.voted,
                                enabled: open,
                                csrf: view.csrf,
                                sort: "top",
                            }))
                            div.question-main {
                                p.question-body { (question.body) }
                                @if view.questions.answers.contains_key(&question.id) {
                                    p.meta { span.badge.status-answered { "answered" } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
