//! Focus mode, for the moderator running the call: the question on screen in large type, the
//! next five with one button each, and "Next" (key `n`) to put the top one on screen.

use maud::{html, Markup};

use crate::app::live::presenter::Presenter;
use crate::db::questions::Question;
use crate::views::components::author;
use crate::views::layout::{wide_page, PageMeta};

pub struct FocusView<'a> {
    pub presenter: &'a Presenter,
    pub csrf: &'a str,
    pub page_url: &'a str,
}

fn votes(count: i32) -> Markup {
    html! { span.count data-live-votes { (count) } @if count == 1 { " vote" } @else { " votes" } }
}

fn move_form(
    question: &Question,
    verb: &str,
    label: Markup,
    class: &str,
    id: Option<&str>,
    back: &str,
    csrf: &str,
) -> Markup {
    html! {
        form.inline id=[id] method="post" action={ "/mod/q/" (question.id) "/" (verb) } {
            input type="hidden" name="csrf" value=(csrf);
            input type="hidden" name="back" value=(back);
            button class=(class) type="submit" { (label) }
        }
    }
}

pub fn focus_page(view: &FocusView<'_>) -> Markup {
    let event = &view.presenter.event;
    let back = format!("/mod/e/{}/focus", event.slug);
    let dashboard = format!("/mod/e/{}?tab=live", event.slug);
    wide_page(
        &PageMeta {
            title: &format!("Focus: {}", event.title),
            description:
                "The question on screen and the next ones, for the moderator running the call.",
            url: None,
        },
        html! {
            div.focus-view data-live={ "/mod/live/e/" (event.slug) } data-live-votes-refresh {
                header.dashboard-heading {
                    h1 { (event.title) }
                    nav.event-links aria-label="This event" {
                        a href=(dashboard) { "← Dashboard" }
                    }
                }
                section #focus-on-screen data-live-part aria-labelledby="focus-on-screen-heading" {
                    h2 #focus-on-screen-heading { "On screen" }
                    @if let Some(question) = &view.presenter.on_screen {
                        div.on-screen-question #{ "q-" (question.id) } {
                            p.question-body { (question.body) }
                            p.meta {
                                "#" (question.id) " · " (author(question.author_name.as_deref())) " · " (votes(question.vote_count))
                                " · " a href={ (dashboard) "#q-" (question.id) } { "answer it on the dashboard" }
                            }
                            (move_form(question, "off-screen", html! { "Take off screen" }, "secondary", None, &back, view.csrf))
                        }
                    } @else {
                        p.waiting { "Nothing is on screen." }
                    }
                }
                section #focus-next data-live-part aria-labelledby="focus-next-heading" {
                    h2 #focus-next-heading { "Next up" }
                    @if let Some(first) = view.presenter.next.first() {
                        (move_form(first, "on-screen", html! { "Next: put #" (first.id) " on screen " kbd { "n" } }, "primary", Some("move-on"), &back, view.csrf))
                        ol.next-up {
                            @for question in &view.presenter.next {
                                li #{ "q-" (question.id) } {
                                    span.question-body { (question.body) }
                                    span.meta { " · " (votes(question.vote_count)) }
                                    (move_form(question, "on-screen", html! { "Put on screen" span.visually-hidden { " #" (question.id) } }, "secondary", None, &back, view.csrf))
                                }
                            }
                        }
                    } @else {
                        p.meta { "No more approved questions." }
                    }
                }
            }
        },
    )
}
