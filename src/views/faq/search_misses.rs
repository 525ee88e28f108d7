//! "Searched for, not answered": searches that found nothing, each one click from becoming a
//! question for an upcoming event.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::app::faq::search_misses::MissGroup;
use crate::views::layout::{page, PageMeta};
use crate::views::time::time_ago;

/// A refused "add as question", shown at its row with what was typed.
pub struct MissDraft<'a> {
    pub miss_id: i64,
    pub body: &'a str,
    pub message: &'a str,
}

pub fn search_misses_page(
    groups: &[MissGroup],
    events: &[(String, String)],
    draft: Option<&MissDraft<'_>>,
    csrf: &str,
    now: NaiveDateTime,
) -> Markup {
    page(
        &PageMeta {
            title: "Searched for, not answered",
            description: "FAQ searches that found nothing.",
            url: None,
        },
        html! {
            p { a href="/mod" { "← Moderation" } }
            h1 { "Searched for, not answered" }
            p.help { "What visitors looked for in the FAQ and did not find, most frequent first; searches that mean much the same are listed together. Turn one into a question and answer it at an upcoming event." }
            @if groups.is_empty() {
                p.empty { "Every search found something so far." }
            } @else if events.is_empty() {
                p.help { "No upcoming event takes questions: " a href="/mod/events/new" { "create one" } " to add these to it." }
            }
            ol.misses {
                @for group in groups {
                    @let miss = &group.lead;
                    @let own_draft = draft.filter(|draft| draft.miss_id == miss.id);
                    li.miss {
                        p { strong { (miss.query) } " · " span.count { (group.count()) } @if group.count() == 1 { " search" } @else { " searches" } ", last " (time_ago(miss.last_seen, now)) }
                        @if !group.also.is_empty() {
                            p.meta {
                                "Also searched as: "
                                @for (at, other) in group.also.iter().enumerate() {
                                    @if at > 0 { ", " }
                                    "“" (other.query) "” (" (other.count) ")"
                                }
                            }
                        }
                        @if !events.is_empty() {
                            form.inline method="post" action={ "/mod/searches/" (miss.id) "/ask" } {
                                input type="hidden" name="csrf" value=(csrf);
                                @if !group.also.is_empty() {
                                    input type="hidden" name="also" value=(group.also.iter().map(|other| other.id.to_string()).collect::<Vec<_>>().join(","));
                                }
                                label.visually-hidden for={ "miss-body-" (miss.id) } { "Question" }
                                input id={ "miss-body-" (miss.id) } type="text" name="body"
                                    value=(own_draft.map_or(miss.query.as_str(), |draft| draft.body))
                                    aria-invalid=(if own_draft.is_some() { "true" } else { "false" });
                                label.visually-hidden for={ "miss-event-" (miss.id) } { "Event" }
                                select id={ "miss-event-" (miss.id) } name="event" {
                                    @for (slug, title) in events { option value=(slug) { (title) } }
                                }
                                button.secondary type="submit" { "Add as question" }
                            }
                            @if let Some(draft) = own_draft { p.field-error role="alert" { (draft.message) } }
                        }
                    }
                }
            }
        },
    )
}
