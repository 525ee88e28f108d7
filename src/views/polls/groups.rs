//! An open-text poll's answers grouped by meaning, for a moderator to turn (all, or the ones
//! ticked) into a ranking poll or into questions for the session.

use maud::{html, Markup};

use crate::app::polls::grouping::AnswerGroup;
use crate::app::polls::Poll;
use crate::db::events::Event;
use crate::views::components::csrf_field;
use crate::views::layout::{wide_page, PageMeta};

pub fn groups_page(event: &Event, poll: &Poll, groups: &[AnswerGroup], csrf: &str) -> Markup {
    let action = |what: &str| format!("/mod/e/{}/polls/{}/groups/{what}", event.slug, poll.id);
    wide_page(
        &PageMeta {
            title: &format!("Answers grouped: {}", poll.definition.prompt),
            description: "Open-text answers grouped by meaning.",
            url: None,
        },
        html! {
            header.dashboard-heading {
                h1 { "Answers grouped by meaning" }
                nav.event-links aria-label="This event" {
                    a href={ "/mod/e/" (event.slug) "/polls#poll-" (poll.id) } { "← Polls" }
                }
            }
            p { "“" (poll.definition.prompt) "”: " (groups.iter().map(|group| group.answers.len()).sum::<usize>()) " answers in " (groups.len()) " groups, the most said first. Untick what should be left out." }
            @if groups.is_empty() {
                p.empty { "No answers are shown yet." }
            } @else {
                form #groups-form method="post" action=(action("ranking")) {
                    (csrf_field(csrf))
                    ol.answer-groups {
                        @for group in groups {
                            @let (people, votes) = group.weight();
                            @let lead = group.answers.first().map_or(0, |(id, _, _)| *id);
                            li {
                                label.poll-check {
                                    input type="checkbox" name="answer" value=(lead) checked;
                                    strong { (group.lead()) }
                                }
                                p.meta { (people) @if people == 1 { " person" } @else { " people" } " · " (votes) " up-votes" }
                                @if group.answers.len() > 1 {
                                    ul {
                                        @for (_, text, _) in group.answers.iter().skip(1) { li { (text) } }
                                    }
                                }
                            }
                        }
                    }
                    div.poll-moves {
                        button.primary type="submit" { "Make a ranking poll of these (up to ten)" }
                        button.secondary type="submit" formaction=(action("questions")) { "Make them questions for the session" }
                    }
                }
            }
        },
    )
}
