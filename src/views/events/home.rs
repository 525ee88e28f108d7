use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::app::events::listing::EventSummary;
use crate::views::components::event_status_badge;
use crate::views::layout::{page, PageMeta};
use crate::views::time::time_ago;

pub fn home(events: &[EventSummary], now: NaiveDateTime, public_base: &str) -> Markup {
    page(
        &PageMeta {
            title: "faqtory",
            description: "Ask questions before and during community hangouts, upvote the ones you care about, and find the answers later.",
            url: Some(&format!("{public_base}/")),
        },
        html! {
            h1 { "Events" }
            @if events.is_empty() {
                section.empty {
                    p { "No events yet." }
                    p.hint { "Organisers create one with "
                        code { "faqtory event create --slug my-hangout --title \"My hangout\"" } "." }
                }
            } @else {
                ul.event-list {
                    @for summary in events {
                        @let event = &summary.event;
                        li.event-card {
                            a href={ "/e/" (event.slug) } { h2 { (event.title) } }
                            p.meta {
                                (event_status_badge(event.status))
                                " · " span.count { (summary.question_count) }
                                @if summary.question_count == 1 { " question" } @else { " questions" }
                                @if let Some(starts_at) = event.starts_at {
                                    " · " (time_ago(starts_at, now))
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
