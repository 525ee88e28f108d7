//! A poll's results as people see them: a bar per option, a rating's histogram and average, a
//! word cloud, the ranking's order, the shown open-text answers. Bars are SVG shapes (the site's
//! style rules allow no inline styles), sized in the markup; numbers are always written out.

use maud::{html, Markup};

use crate::app::polls::results::{Counts, PollResults};
use crate::app::polls::Poll;
use crate::views::polls::word_cloud::word_cloud;

fn percent(part: u64, whole: u64) -> u64 {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

/// A horizontal bar `share` percent long.
fn bar(share: u64) -> Markup {
    html! {
        svg.bar viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false" {
            rect x="0" y="0" width=(share.min(100)) height="10" {}
        }
    }
}

fn answers_in_words(count: u64) -> String {
    match count {
        1 => "1 answer".into(),
        n => format!("{n} answers"),
    }
}

/// Options by score, highest first (ties in the options' order).
fn ranked(scores: &[u64]) -> Vec<(usize, u64)> {
    let mut order: Vec<(usize, u64)> = scores.iter().copied().enumerate().collect();
    order.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    order
}

/// The results of `poll`, with `upvote` rendering an up-vote control for an open-text answer
/// (nothing where answers cannot be up-voted).
pub fn poll_results(
    poll: &Poll,
    results: &PollResults,
    upvote: &dyn Fn(i64, i32) -> Markup,
) -> Markup {
    let options = &poll.definition.options;
    html! {
        div.poll-results data-poll=(poll.id) {
            p.poll-answers { (answers_in_words(results.answers)) }
            @match &results.counts {
                Counts::Choices { per_option, other, other_texts } => {
                    @let picks: u64 = results.answers;
                    ol.poll-bars {
                        @for (label, count) in options.iter().zip(per_option) {
                            li {
                                span.poll-label { (label) }
                                (bar(percent(*count, picks)))
                                span.poll-count { (count) " · " (percent(*count, picks)) "%" }
                            }
                        }
                        @if let Some(count) = other {
                            li {
                                span.poll-label { "Other" }
                                (bar(percent(*count, picks)))
                                span.poll-count { (count) " · " (percent(*count, picks)) "%" }
                            }
                        }
                    }
                    @if !other_texts.is_empty() {
                        details.poll-other {
                            summary { "Answers under “Other”" }
                            ul { @for text in other_texts { li { (text) } } }
                        }
                    }
                }
                Counts::Rating(summary) => {
                    p.poll-average {
                        @match summary.average {
                            Some(average) => { "Average " strong { (format!("{average:.1}")) } " of " (poll.definition.scale) }
                            None => { "No ratings yet" }
                        }
                    }
                    @let most = summary.distribution.iter().copied().max().unwrap_or(0);
                    ol.poll-histogram aria-label="How many gave each rating" {
                        @for (at, count) in summary.distribution.iter().enumerate() {
                            li {
                                span.poll-count { (count) }
                                svg.column viewBox="0 0 10 100" preserveAspectRatio="none" aria-hidden="true" focusable="false" {
                                    rect x="0" y=(100 - percent(*count, most)) width="10" height=(percent(*count, most)) {}
                                }
                                span.poll-label { (at + 1) }
                            }
                        }
                    }
                    @if poll.definition.low_label.is_some() || poll.definition.high_label.is_some() {
                        p.poll-scale-ends {
                            span { "1: " (poll.definition.low_label.as_deref().unwrap_or_default()) }
                            span { (poll.definition.scale) ": " (poll.definition.high_label.as_deref().unwrap_or_default()) }
                        }
                    }
                }
                Counts::Words(words) => {
                    @if words.is_empty() {
                        p.poll-empty { "No words yet." }
                    } @else {
                        (word_cloud(words, &poll.definition.prompt))
                    }
                }
                Counts::Ranking(scores) => {
                    @let most = scores.iter().copied().max().unwrap_or(0);
                    ol.poll-bars.ranked {
                        @for (option, score) in ranked(scores) {
                            li {
                                span.poll-label { (options.get(option).map(String::as_str).unwrap_or_default()) }
                                (bar(percent(score, most)))
                                span.poll-count { (score) " points" }
                            }
                        }
                    }
                }
                Counts::Texts(texts) => {
                    @if texts.is_empty() {
                        p.poll-empty { "No answers shown yet." }
                    } @else {
                        ol.poll-texts {
                            @for text in texts {
                                li id={ "poll-answer-" (text.answer_id) } {
                                    p { (text.text) }
                                    @if text.held { span.badge { "awaiting moderation" } }
                                    (upvote(text.answer_id, text.votes))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_and_never_divide_by_zero() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
    }
}
