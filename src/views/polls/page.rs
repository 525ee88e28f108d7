//! `/e/{slug}/polls`: the event's polls for one participant — each open poll's form with their
//! own answer marked, and results once the poll's setting lets them be seen.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::app::polls::reading::PollView;
use crate::db::events::Event;
use crate::domain::{PollState, ResultsShown};
use crate::views::components::{csrf_field, event_heading};
use crate::views::layout::{page, PageMeta};
use crate::views::polls::form::{answer_form, FormState};
use crate::views::polls::results::poll_results;

/// A refused answer to show again beside its poll.
pub struct Refused<'a> {
    pub poll_id: i64,
    pub message: &'a str,
    pub typed: &'a crate::app::polls::answering::AnswerInput,
}

pub struct PollsPage<'a> {
    pub event: &'a Event,
    pub polls: &'a [PollView],
    pub csrf: &'a str,
    pub refused: Option<Refused<'a>>,
    /// The poll just answered, to confirm beside it.
    pub answered: Option<i64>,
    pub now: NaiveDateTime,
    pub page_url: &'a str,
}

pub fn polls_page(view: &PollsPage<'_>) -> Markup {
    let event = view.event;
    let title = format!("Polls · {}", event.title);
    let description = format!("Answer the polls of {}.", event.title);
    page(
        &PageMeta {
            title: &title,
            description: &description,
            url: Some(view.page_url),
        },
        html! {
            (event_heading(event, view.now))
            p.back { a href={ "/e/" (event.slug) } { "← Questions" } }
            h2 { "Polls" }
            @if view.polls.is_empty() {
                p.empty { "No polls are open yet." }
            }
            @for poll in view.polls {
                (poll_section(view, poll))
            }
        },
    )
}

fn poll_section(view: &PollsPage<'_>, poll_view: &PollView) -> Markup {
    let poll = &poll_view.poll;
    let refused = view
        .refused
        .as_ref()
        .filter(|refused| refused.poll_id == poll.id);
    let state = FormState {
        mine: poll_view.mine.as_ref(),
        typed: refused.map(|refused| refused.typed),
        error: refused.map(|refused| refused.message),
    };
    html! {
        section.poll id={ "poll-" (poll.id) } data-poll=(poll.id) {
            h3 { (poll.definition.prompt) }
            @if poll.state == PollState::Closed { p.meta { span.badge { "closed" } } }
            @if view.answered == Some(poll.id) {
                p.notice role="status" {
                    "Thanks, your answer is in."
                    @if poll.state == PollState::Open { " You can change it until the poll closes." }
                }
            }
            @if poll.state == PollState::Open {
                (answer_form(poll, &view.event.slug, view.csrf, &state))
            } @else if let Some(refused) = refused {
                p.field-error role="alert" { (refused.message) }
            }
            @match &poll_view.results {
                Some(results) => (poll_results(poll, results, &|answer_id, votes| {
                    upvote_form(view, poll_view, answer_id, votes)
                })),
                None => p.meta {
                    @match poll.definition.results {
                        ResultsShown::AfterAnswer => "Results are shown once you have answered.",
                        _ => "Results are shown when the moderators reveal them.",
                    }
                },
            }
        }
    }
}

fn upvote_form(view: &PollsPage<'_>, poll_view: &PollView, answer_id: i64, votes: i32) -> Markup {
    let poll = &poll_view.poll;
    let upvoted = poll_view.upvoted.contains(&answer_id);
    let label = format!(
        "{votes} {}: {}",
        if votes == 1 { "vote" } else { "votes" },
        if upvoted {
            "you voted for this"
        } else {
            "upvote"
        }
    );
    html! {
        form.vote method="post" action={ "/e/" (view.event.slug) "/polls/" (poll.id) "/answers/" (answer_id) "/upvote" } {
            (csrf_field(view.csrf))
            button.vote-button type="submit" aria-pressed=(upvoted) aria-label=(label) title=(label)
                disabled[upvoted || poll.state != PollState::Open] {
                span.arrow aria-hidden="true" { "▲" }
                span.count { (votes) }
            }
        }
    }
}
