//! The event page's mention of its polls, beside the ask form: each open poll (and each closed
//! one whose results were revealed) links to the polls page, where it is answered.

use maud::{html, Markup};

use crate::app::events::page::PollTeaser;

pub fn polls_teaser(polls: &[PollTeaser], slug: &str) -> Markup {
    // Always there, empty or not, so a live page can put polls in when one opens.
    html! {
        div #polls-teaser data-live-part {
            @if !polls.is_empty() {
                section.polls-teaser aria-labelledby="polls-heading" {
                    h2 #polls-heading { "Polls" }
                    ul {
                        @for poll in polls {
                            li {
                                a href={ "/e/" (slug) "/polls#poll-" (poll.id) } { (poll.prompt) }
                                " · "
                                @if poll.open { strong { "Answer" } } @else { "See the results" }
                            }
                        }
                    }
                }
            }
        }
    }
}
