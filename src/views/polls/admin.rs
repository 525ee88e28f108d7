//! `/mod/e/{slug}/polls`: the moderators' polls of an event — each with its moves (open, close,
//! reveal, conceal, remove; keys o, c and v on the selected poll), its results as the room would
//! see them, held open-text answers to show or hide, banned words and automated answers; the
//! ready-made "what do you want from this session?" start; and a form for a new poll.

use maud::{html, Markup};

use crate::app::polls::reading::PollView;
use crate::app::polls::results::Counts;
use crate::app::polls::Poll;
use crate::db::events::Event;
use crate::domain::{PollKind, PollState, ResultsShown};
use crate::views::components::{csrf_field, event_status_badge};
use crate::views::layout::{wide_page, PageMeta};
use crate::views::polls::new_poll_form::{new_poll_form, NewPollForm};
use crate::views::polls::results::poll_results;

pub struct PollsAdmin<'a> {
    pub event: &'a Event,
    pub polls: &'a [PollView],
    pub csrf: &'a str,
    pub form: &'a NewPollForm,
    /// What a move just did, or why it was refused.
    pub notice: Option<&'a str>,
}

pub fn polls_admin_page(view: &PollsAdmin<'_>) -> Markup {
    let event = view.event;
    wide_page(
        &PageMeta {
            title: &format!("Polls: {}", event.title),
            description: "Draft, open, close and reveal this event's polls.",
            url: None,
        },
        html! {
            header.dashboard-heading {
                h1 { "Polls · " (event.title) }
                (event_status_badge(event.status))
                nav.event-links aria-label="This event" {
                    a href={ "/mod/e/" (event.slug) } { "← Questions" }
                    a href={ "/e/" (event.slug) "/polls" } { "Public polls page" }
                    a href={ "/mod/e/" (event.slug) "/settings#presenter" } { "Presenter view" }
                }
            }
            @if let Some(notice) = view.notice {
                p.notice role="status" { (notice) }
            }
            @if view.polls.is_empty() {
                section.ask-around {
                    h2 { "Ask around first" }
                    p { "Open a choice of format for the session (with room for people's own ideas) and the open question “What do you want to get out of this session?”. The answers come in beside the questions; group them by meaning and turn them into a ranking poll or into questions." }
                    form method="post" action={ "/mod/e/" (event.slug) "/polls/starter" } {
                        (csrf_field(view.csrf))
                        button.primary type="submit" { "Start with “What do you want from this session?”" }
                    }
                }
            }
            div.dashboard-bar { }
            ol.poll-admin #poll-list data-live-part data-live={ "/mod/live/e/" (event.slug) } {
                @for poll in view.polls {
                    (poll_row(view, poll))
                }
            }
            (new_poll_form(&event.slug, view.csrf, view.form))
        },
    )
}

fn move_form(
    slug: &str,
    poll: &Poll,
    verb: &str,
    label: &str,
    key: Option<&str>,
    csrf: &str,
) -> Markup {
    html! {
        form.inline method="post" action={ "/mod/e/" (slug) "/polls/" (poll.id) "/" (verb) } {
            (csrf_field(csrf))
            button.secondary type="submit" aria-keyshortcuts=[key] {
                (label)
                @if let Some(key) = key { " " kbd { (key) } }
            }
        }
    }
}

fn state_words(poll: &Poll) -> &'static str {
    match poll.state {
        PollState::Draft => "draft",
        PollState::Open => "open",
        PollState::Closed => "closed",
    }
}

fn results_words(results: ResultsShown) -> &'static str {
    match results {
        ResultsShown::Live => "results live",
        ResultsShown::AfterAnswer => "results after answering",
        ResultsShown::OnReveal => "results when revealed",
    }
}

fn poll_row(view: &PollsAdmin<'_>, poll_view: &PollView) -> Markup {
    let poll = &poll_view.poll;
    let slug = &view.event.slug;
    let csrf = view.csrf;
    html! {
        li.poll-row id={ "poll-" (poll.id) } {
            h2 { (poll.definition.prompt) }
            p.meta {
                span.badge { (state_words(poll)) } " · " (poll.kind().as_str()) " · " (results_words(poll.definition.results))
                @if poll.revealed { " · " strong { "revealed" } }
            }
            div.poll-moves {
                @match poll.state {
                    PollState::Open => (move_form(slug, poll, "close", "Close", Some("c"), csrf)),
                    _ => (move_form(slug, poll, "open", "Open", Some("o"), csrf)),
                }
                @if poll.state != PollState::Draft {
                    @if poll.revealed {
                        (move_form(slug, poll, "conceal", "Hide results", Some("v"), csrf))
                    } @else {
                        (move_form(slug, poll, "reveal", "Reveal results", Some("v"), csrf))
                    }
                }
                details.remove-poll {
                    summary { "Remove" }
                    p { "The poll and its answers go for good." }
                    form.inline method="post" action={ "/mod/e/" (slug) "/polls/" (poll.id) "/delete" } {
                        (csrf_field(csrf))
                        button.danger type="submit" { "Remove this poll" }
                    }
                }
            }
            @if let Some(results) = &poll_view.results {
                @if results.automated > 0 {
                    p.notice {
                        (results.automated) " answers look automated (a burst from one network). "
                        form.inline method="post" action={ "/mod/e/" (slug) "/polls/" (poll.id) "/automated" } {
                            (csrf_field(csrf))
                            input type="hidden" name="discounted" value="true";
                            button.secondary type="submit" { "Set them aside" }
                        }
                    }
                }
                @if results.discounted > 0 {
                    p.meta {
                        (results.discounted) " automated answers set aside. "
                        form.inline method="post" action={ "/mod/e/" (slug) "/polls/" (poll.id) "/automated" } {
                            (csrf_field(csrf))
                            input type="hidden" name="discounted" value="false";
                            button.secondary type="submit" { "Count them again" }
                        }
                    }
                }
                (poll_results(poll, results, &|answer_id, votes| text_moves(view, poll, answer_id, votes, results)))
                @if poll.kind() == PollKind::Text && matches!(&results.counts, Counts::Texts(texts) if texts.len() > 1) {
                    p { a href={ "/mod/e/" (slug) "/polls/" (poll.id) "/groups" } { "Group the answers by meaning" } " — then make them a ranking poll or questions for the session." }
                }
            }
            @if poll.kind() == PollKind::Words {
                form.banned-words method="post" action={ "/mod/e/" (slug) "/polls/" (poll.id) "/banned-words" } {
                    (csrf_field(csrf))
                    label for={ "banned-" (poll.id) } { "Words to leave out of the cloud (comma-separated)" }
                    input id={ "banned-" (poll.id) } type="text" name="words" value=(poll.banned_words.join(", "));
                    button.secondary type="submit" { "Save" }
                }
            }
        }
    }
}

/// Beside an open-text answer: its up-votes, and show or hide.
fn text_moves(
    view: &PollsAdmin<'_>,
    poll: &Poll,
    answer_id: i64,
    votes: i32,
    results: &crate::app::polls::results::PollResults,
) -> Markup {
    let held = matches!(&results.counts, Counts::Texts(texts) if texts.iter().any(|text| text.answer_id == answer_id && text.held));
    let (verb, label) = if held {
        ("show", "Show")
    } else {
        ("hide", "Hide")
    };
    html! {
        span.votes { (votes) @if votes == 1 { " vote" } @else { " votes" } }
        form.inline method="post" action={ "/mod/e/" (view.event.slug) "/polls/" (poll.id) "/answers/" (answer_id) "/" (verb) } {
            (csrf_field(view.csrf))
            button.secondary type="submit" { (label) }
        }
    }
}
