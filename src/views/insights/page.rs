//! `/mod/insights`: the topics a community keeps raising, across events, ranked by demand; what
//! has no answer anywhere, what is answered yet asked again, what is new since the last event.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::app::insights::overview::{Filter, Overview};
use crate::app::insights::summary::TopicSummary;
use crate::views::components::csrf_field;
use crate::views::insights::badges::{coverage_badge, trend_badge};
use crate::views::insights::digest::{digest_section, DigestForm};
use crate::views::insights::trend_chart::{trend_chart, SPARKLINE};
use crate::views::layout::{wide_page, PageMeta};
use crate::views::time::time_ago;

/// Topics listed on the page (the export has them all).
pub const LISTED: usize = 100;
/// Topics in each short list (gaps, asked again, new).
const SHORT_LIST: usize = 5;

pub struct InsightsPage<'a> {
    pub overview: &'a Overview,
    pub filter: &'a Filter,
    /// The filter's fields as typed (a refused day comes back as it was).
    pub typed_since: &'a str,
    pub typed_until: &'a str,
    pub error: Option<&'a str>,
    pub csrf: &'a str,
    pub now: NaiveDateTime,
    pub digest: &'a DigestForm,
}

pub fn insights_page(view: &InsightsPage<'_>) -> Markup {
    let topics = &view.overview.topics;
    let gaps: Vec<&TopicSummary> = topics
        .iter()
        .filter(|topic| topic.is_gap())
        .take(SHORT_LIST)
        .collect();
    let asked_again: Vec<&TopicSummary> = topics
        .iter()
        .filter(|topic| topic.asked_again)
        .take(SHORT_LIST)
        .collect();
    let new: Vec<&TopicSummary> = topics
        .iter()
        .filter(|topic| topic.trend == crate::domain::Trend::New)
        .take(SHORT_LIST)
        .collect();
    let export_query = export_query(view.filter);
    wide_page(
        &PageMeta {
            title: "Topics across events",
            description: "The topics the community keeps raising, and what answers them.",
            url: None,
        },
        html! {
            p { a href="/mod" { "← Moderation" } }
            h1 { "Topics across events" }
            (grouping_line(view))
            @if let Some(error) = view.error {
                p.form-error role="alert" { (error) }
            }
            (filter_form(view))
            p.help.demand-help {
                "Ranked by demand: questions + votes + searches of the FAQ that found nothing + open-text answers to polls — each asker, voter, visitor and participant counts once. "
                "Rejected questions, questions still awaiting a moderator and bursts of automated votes do not count. "
                "The trend compares the recent half of the last " (view.overview.trend_events.len()) " events with the earlier half."
            }
            p.meta {
                a href={ "/api/v1/insights/topics?format=csv" (export_query) } download { "Download as CSV" }
                " · " a href={ "/api/v1/insights/topics?format=json" (export_query) } { "JSON" }
            }
            @if topics.is_empty() {
                p.empty { "No topics yet: they appear as questions are asked and approved, and as searches of the FAQ find nothing." }
            } @else {
                div.insight-lists {
                    (short_list("gaps", "Gaps", "Asked for, answered nowhere: not in the FAQ, the docs or a recording.", &gaps, "No gaps: everything asked has an answer somewhere."))
                    (short_list("asked-again", "Asked again", "Answered, yet asked (or searched for in vain) since: the answer is not found, or not clear.", &asked_again, "Nothing answered has been asked again."))
                    (short_list("new", "New since the last event", "First asked at the latest event.", &new, "Nothing new at the latest event."))
                }
                section aria-labelledby="all-topics" {
                    h2 #all-topics { "All topics, by demand" }
                    @if topics.len() > LISTED {
                        p.meta { "The " (LISTED) " in most demand of " (topics.len()) "; the download has them all." }
                    }
                    ol.topics {
                        @for topic in topics.iter().take(LISTED) {
                            (topic_item(topic, view))
                        }
                    }
                }
            }
            (digest_section(view.digest, view.csrf))
        },
    )
}

fn grouping_line(view: &InsightsPage<'_>) -> Markup {
    let last = view.overview.last_grouping.as_ref();
    html! {
        div.grouping-line {
            p.meta {
                @match last {
                    Some(row) if row.state == "running" => {
                        "A regrouping is running (started " (time_ago(row.started_at, view.now)) "); reload to see it when it is done."
                    }
                    Some(row) => {
                        "Last grouped " (time_ago(row.finished_at.unwrap_or(row.started_at), view.now))
                        " by " (if row.basis == "words" { "words" } else { "meaning" })
                        @if row.state == "failed" { " — that regrouping failed: " (row.failure.as_deref().unwrap_or("no reason given")) }
                        ". New questions join the closest topic as they come."
                    }
                    None => { "Nothing grouped yet." }
                }
                @if view.overview.unplaced > 0 {
                    " " (view.overview.unplaced) " questions, searches or poll answers are in no topic yet: the sentence encoder has not reached them, or they have no words to go by."
                }
            }
            form.inline method="post" action="/mod/insights/regroup" {
                (csrf_field(view.csrf))
                button.secondary type="submit" { "Regroup everything" }
            }
        }
    }
}

fn filter_form(view: &InsightsPage<'_>) -> Markup {
    html! {
        form.insight-filter method="get" action="/mod/insights" {
            div.field {
                label for="since" { "Asked since" }
                input #since type="date" name="since" value=(view.typed_since);
            }
            div.field {
                label for="until" { "and before" }
                input #until type="date" name="until" value=(view.typed_until);
            }
            div.field {
                label for="event" { "Event" }
                select #event name="event" {
                    option value="" { "All events" }
                    @for event in view.overview.events.iter().rev() {
                        option value=(event.slug) selected[view.filter.event.as_deref() == Some(event.slug.as_str())] { (event.title) }
                    }
                }
            }
            div.field {
                label for="label" { "Label" }
                input #label type="text" name="label" maxlength="30" value=(view.filter.label.as_deref().unwrap_or(""));
            }
            div.field.check {
                input #hidden type="checkbox" name="hidden" value="true" checked[view.filter.include_hidden];
                label for="hidden" { "Hidden topics too" }
            }
            button.primary type="submit" { "Show" }
        }
    }
}

fn short_list(id: &str, title: &str, help: &str, topics: &[&TopicSummary], empty: &str) -> Markup {
    html! {
        section.insight-list aria-labelledby=(id) {
            h2 id=(id) { (title) }
            p.help { (help) }
            @if topics.is_empty() {
                p.empty { (empty) }
            } @else {
                ul {
                    @for topic in topics {
                        li {
                            a href={ "/mod/insights/topics/" (topic.id) } { (topic.label) }
                            " " span.meta { "demand " (topic.demand) }
                        }
                    }
                }
            }
        }
    }
}

fn topic_item(topic: &TopicSummary, view: &InsightsPage<'_>) -> Markup {
    html! {
        li.topic {
            div.topic-head {
                a.topic-label href={ "/mod/insights/topics/" (topic.id) } { (topic.label) }
                " " (trend_badge(topic.trend)) " " (coverage_badge(topic))
                @if topic.hidden { " " span.badge { "hidden" } }
            }
            div.topic-figures {
                (trend_chart(&topic.per_event, &view.overview.trend_events, SPARKLINE))
                p.meta {
                    strong { "demand " (topic.demand) } " · "
                    (topic.questions) " questions · " (topic.votes) " votes · " (topic.searches) " failed searches · "
                    @if topic.poll_answers > 0 { (topic.poll_answers) " poll answers · " }
                    (topic.events.len()) " events"
                    @if let Some(last) = topic.last_seen { " · last " (time_ago(last, view.now)) }
                }
            }
            @if let Some(question) = topic.top_questions.first() {
                p.topic-lead { "“" (question.body) "”" }
            }
        }
    }
}

/// The filter as query parameters to append to the export links.
fn export_query(filter: &Filter) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if let Some(since) = filter.since {
        query.append_pair("since", &since.format("%Y-%m-%d").to_string());
    }
    if let Some(until) = filter.until {
        query.append_pair("until", &until.format("%Y-%m-%d").to_string());
    }
    if let Some(event) = &filter.event {
        query.append_pair("event", event);
    }
    if let Some(label) = &filter.label {
        query.append_pair("label", label);
    }
    if filter.include_hidden {
        query.append_pair("hidden", "true");
    }
    let query = query.finish();
    if query.is_empty() {
        query
    } else {
        format!("&{query}")
    }
}
