//! `/mod/insights/topics/{id}`: one topic — its questions by event, failed searches, what covers
//! it, its trend — and what a moderator does with it: rename, hide, merge, split.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::app::faq::browse::entry_path;
use crate::app::insights::overview::Overview;
use crate::app::insights::summary::TopicSummary;
use crate::db::questions::Question;
use crate::views::components::csrf_field;
use crate::views::insights::badges::{coverage_badge, trend_badge};
use crate::views::insights::trend_chart::{trend_chart, LARGE};
use crate::views::layout::{wide_page, PageMeta};
use crate::views::time::time_ago;

/// The topics offered to merge into (the most in demand).
const MERGE_CHOICES: usize = 50;

pub struct TopicPage<'a> {
    pub topic: &'a TopicSummary,
    pub overview: &'a Overview,
    /// Its questions, most voted first, with their events' slugs.
    pub questions: &'a [(Question, String)],
    pub csrf: &'a str,
    /// The name as typed, when a rename was refused.
    pub typed_label: Option<&'a str>,
    pub error: Option<&'a str>,
    pub now: NaiveDateTime,
}

pub fn topic_page(view: &TopicPage<'_>) -> Markup {
    let topic = view.topic;
    let action = |verb: &str| format!("/mod/insights/topics/{}/{verb}", topic.id);
    wide_page(
        &PageMeta {
            title: &topic.label,
            description: "A topic the community keeps raising.",
            url: None,
        },
        html! {
            p { a href="/mod/insights" { "← Topics across events" } }
            h1 { (topic.label) }
            p.meta {
                (trend_badge(topic.trend)) " " (coverage_badge(topic))
                @if topic.hidden { " " span.badge { "hidden" } }
                " · words: " (topic.words)
            }
            @if let Some(error) = view.error {
                p.form-error role="alert" { (error) }
            }
            div.topic-figures {
                figure.trend {
                    (trend_chart(&topic.per_event, &view.overview.trend_events, LARGE))
                    figcaption.meta {
                        "Questions at "
                        @for (at, (event, count)) in view.overview.trend_events.iter().zip(&topic.per_event).enumerate() {
                            @if at > 0 { ", " }
                            (event.title) ": " (count)
                        }
                    }
                }
                p.meta {
                    strong { "demand " (topic.demand) } " · " (topic.questions) " questions · "
                    (topic.votes) " votes · " (topic.searches) " failed searches · " (topic.poll_answers) " poll answers"
                    @if let Some(first) = topic.first_seen { " · first seen " (time_ago(first, view.now)) }
                    @if let Some(last) = topic.last_seen { " · last seen " (time_ago(last, view.now)) }
                }
            }
            (coverage_section(topic))
            section aria-labelledby="questions" {
                h2 #questions { "Questions" }
                form method="post" action=(action("split")) {
                    (csrf_field(view.csrf))
                    ul.topic-questions {
                        @for (question, event) in view.questions {
                            li {
                                input type="checkbox" name="question" value=(question.id) id={ "q" (question.id) };
                                label for={ "q" (question.id) } {
                                    span.question-body { (question.body) }
                                    " " span.meta {
                                        (question.vote_count) " votes · " (question.status.as_str())
                                    }
                                }
                                                a.meta href={ "/mod/e/" (event) } { (event) }
                            }
                        }
                    }
                    @if view.questions.len() > 1 {
                        button.secondary type="submit" { "Split the ticked questions into a topic of their own" }
                    }
                }
            }
            @if !topic.top_searches.is_empty() {
                section aria-labelledby="searches" {
                    h2 #searches { "Searches that found nothing" }
                    ul {
                        @for (query, count) in &topic.top_searches {
                            li { "“" (query) "” " span.meta { (count) " times" } }
                        }
                    }
                }
            }
            section aria-labelledby="next" {
                h2 #next { "What to do about it" }
                p.help { "“Add to the next event” moves its most voted open questions, with their votes, to the event taking questions next. “Answer in the FAQ” drafts an answer to its most voted open question from the best answer so far, for you to read and publish. “Write docs for this” lists it in the documentation report." }
                form.inline method="post" action=(action("carry")) {
                    (csrf_field(view.csrf))
                    button.primary type="submit" { "Add to the next event" }
                }
                form.inline method="post" action=(action("draft-answer")) {
                    (csrf_field(view.csrf))
                    button.secondary type="submit" { "Answer in the FAQ" }
                }
                form.inline method="post" action=(action(if topic.docs_wanted { "docs-written" } else { "docs" })) {
                    (csrf_field(view.csrf))
                    @if topic.docs_wanted {
                        span.meta { "Listed in the " a href="/mod/docs" { "documentation report" } ". " }
                        button.secondary type="submit" { "Take it off the list" }
                    } @else {
                        button.secondary type="submit" { "Write docs for this" }
                    }
                }
            }
            section aria-labelledby="change" {
                h2 #change { "Change this topic" }
                p.help { "Names, merges and splits last when topics are regrouped; each is in the audit log." }
                form.inline method="post" action=(action("rename")) {
                    (csrf_field(view.csrf))
                    label for="label" { "Name" }
                    input #label type="text" name="label" maxlength="80"
                        value=(view.typed_label.or(topic.custom_label.as_deref()).unwrap_or(""))
                        placeholder=(topic.words);
                    button.primary type="submit" { "Rename" }
                }
                form.inline method="post" action=(action(if topic.hidden { "show" } else { "hide" })) {
                    (csrf_field(view.csrf))
                    button.secondary type="submit" { (if topic.hidden { "Show this topic again" } else { "Hide this topic" }) }
                }
                @let others: Vec<&TopicSummary> = view.overview.topics.iter().filter(|other| other.id != topic.id).take(MERGE_CHOICES).collect();
                @if !others.is_empty() {
                    form.inline method="post" action=(action("merge")) {
                        (csrf_field(view.csrf))
                        label for="into" { "Merge into" }
                        select #into name="into" {
                            @for other in others { option value=(other.id) { (other.label) } }
                        }
                        button.secondary type="submit" { "Merge" }
                    }
                }
            }
        },
    )
}

fn coverage_section(topic: &TopicSummary) -> Markup {
    let coverage = &topic.coverage;
    let body_of = |id: i64| {
        topic
            .top_questions
            .iter()
            .find(|question| question.id == id)
            .map_or_else(|| format!("Entry {id}"), |question| question.body.clone())
    };
    html! {
        section aria-labelledby="coverage" {
            h2 #coverage { "What answers it" }
            @if !coverage.is_covered() {
                p.empty { "Nothing yet: no FAQ entry, documentation section or moment of a recording." }
            }
            ul.coverage {
                @for entry in &coverage.faq_entries {
                    @let body = body_of(*entry);
                    li { "FAQ: " a href=(entry_path(*entry, &body)) { (body) } }
                }
                @if let Some(docs) = &coverage.docs {
                    li { "Docs: " a href=(docs.url) rel="noopener" { (docs.title) } }
                }
                @for moment in &coverage.recording {
                    li {
                        "Recording of " a href={ "/mod/e/" (moment.event_slug) } { (moment.event_slug) }
                        " at " (format!("{}:{:02}", moment.seconds / 60, moment.seconds % 60))
                    }
                }
            }
        }
    }
}
