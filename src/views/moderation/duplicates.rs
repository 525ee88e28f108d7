//! Likely duplicates of one question, each one click from a merge.

use maud::{html, Markup};

use crate::app::asking::similar::Suggestion;
use crate::app::moderation::curation::JustMerged;
use crate::db::events::Event;
use crate::db::questions::Question;
use crate::views::components::votes_in_words;
use crate::views::layout::{page, PageMeta};
use crate::views::moderation::dashboard::just_merged_notice;

/// The likely duplicates with their merge buttons: the page's body, and what the dashboard loads
/// into a question's row.
pub fn duplicates_list(
    question: &Question,
    found: &[Suggestion],
    csrf: &str,
    back: &str,
) -> Markup {
    html! {
        @if found.is_empty() {
            p.empty { "Nothing in this event looks like it." }
        } @else {
            ol.duplicates {
                @for other in found {
                    li {
                        p { span.meta { "#" (other.id) " · " (other.status.as_str()) " · " (votes_in_words(other.vote_count)) " · score " (format!("{:.1}", other.score)) } }
                        p.question-body { (other.body) }
                        p.meta { (why_it_matched(other)) }
                        div.moves {
                            form.inline method="post" action={ "/mod/q/" (other.id) "/merge" } {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="back" value=(back);
                                input type="hidden" name="into" value=(question.id);
                                button.secondary type="submit" { "Merge #" (other.id) " into #" (question.id) }
                            }
                            form.inline method="post" action={ "/mod/q/" (question.id) "/merge" } {
                                input type="hidden" name="csrf" value=(csrf);
                                input type="hidden" name="back" value=(back);
                                input type="hidden" name="into" value=(other.id);
                                button.secondary type="submit" { "Merge #" (question.id) " into #" (other.id) }
                            }
                        }
                    }
                }
            }
        }
    }
}

pub fn duplicates_page(
    event: &Event,
    question: &Question,
    found: &[Suggestion],
    csrf: &str,
) -> Markup {
    let back = format!("/mod/e/{}", event.slug);
    page(
        &PageMeta {
            title: "Likely duplicates",
            description: "Questions that may ask the same thing.",
            url: None,
        },
        html! {
            p { a href=(back) { "← " (event.title) } }
            h1 { "Likely duplicates of #" (question.id) }
            blockquote.question-body { (question.body) }
            (duplicates_list(question, found, csrf, &back))
        },
    )
}

/// The event's likely clusters, each ready to merge into its most voted question.
pub fn clusters_page(
    event: &Event,
    clusters: &[Vec<Question>],
    just_merged: Option<&JustMerged>,
    csrf: &str,
) -> Markup {
    let back = format!("/mod/e/{}/duplicates", event.slug);
    page(
        &PageMeta {
            title: "Duplicates",
            description: "Groups of questions that look alike.",
            url: None,
        },
        html! {
            p { a href={ "/mod/e/" (event.slug) } { "← " (event.title) } }
            h1 { "Likely duplicates in " (event.title) }
            @if let Some(merge) = just_merged {
                (just_merged_notice(merge, &event.slug, csrf, &back))
            }
            p.help { "Each group's questions all mean much the same, past what every question of this event has in common (or, without the sentence encoder, share words that are rare here). Tick those that ask the same thing as the first, then merge them into it." }
            @if clusters.is_empty() {
                p.empty { "No likely duplicates among the open questions." }
            } @else {
                p.count { (clusters.len()) @if clusters.len() == 1 { " group" } @else { " groups" } " of questions that look alike" }
            }
            @for (number, cluster) in clusters.iter().enumerate() {
                @let form_id = format!("cluster-{number}");
                @let into = cluster.first().map(|question| question.id).unwrap_or_default();
                section.cluster {
                    form #(form_id) method="post" action={ "/mod/e/" (event.slug) "/merge" } {
                        input type="hidden" name="csrf" value=(csrf);
                        input type="hidden" name="back" value=(back);
                        input type="hidden" name="into" value=(into);
                    }
                    ul {
                        @for (at, question) in cluster.iter().enumerate() {
                            li {
                                @if at > 0 {
                                    // The whole row toggles the box: a large target on a phone.
                                    label {
                                        input type="checkbox" name="ids" value=(question.id) form=(form_id);
                                        span.grouped {
                                            span.question-body { (question.body) }
                                            span.meta { "#" (question.id) " · " (votes_in_words(question.vote_count)) " · " (question.status.as_str()) }
                                        }
                                    }
                                } @else {
                                    span.keeps {
                                        span.badge { "keeps" }
                                        span.grouped {
                                            span.question-body { (question.body) }
                                            span.meta { "#" (question.id) " · " (votes_in_words(question.vote_count)) " · " (question.status.as_str()) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    button.secondary type="submit" form=(form_id) { "Merge the ticked into #" (into) }
                }
            }
        },
    )
}

/// "Why this match": the words it shares, or that it means much the same.
fn why_it_matched(suggestion: &Suggestion) -> String {
    if suggestion.shared_words.is_empty() {
        "Similar meaning".into()
    } else {
        format!("Shared words: {}", suggestion.shared_words.join(", "))
    }
}
