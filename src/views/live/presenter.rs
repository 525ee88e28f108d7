//! The presenter view: large type for the stream. The question on screen with its asker and
//! votes, the next five by votes, and how to join (the event's address and a QR code of it).
//! It re-reads itself on every live change; `?transparent=1` drops the background for an OBS
//! browser source.

use maud::{html, Markup, PreEscaped};
use qrcode::render::svg;
use qrcode::QrCode;

use crate::app::live::presenter::Presenter;
use crate::views::components::author;
use crate::views::layout::{bare_page, PageMeta};
use crate::views::polls::results::poll_results;

pub struct PresenterView<'a> {
    pub presenter: &'a Presenter,
    pub token: &'a str,
    pub transparent: bool,
    /// The event's public address, for the audience to join.
    pub join_url: &'a str,
}

/// The QR code of an address we made ourselves, drawn by the library as SVG (no user text is
/// in it: the address is encoded as modules).
fn qr_code(url: &str) -> Markup {
    match QrCode::new(url.as_bytes()) {
        Ok(code) => PreEscaped(
            code.render::<svg::Color<'_>>()
                .min_dimensions(160, 160)
                .quiet_zone(true)
                .dark_color(svg::Color("#000000"))
                .light_color(svg::Color("#ffffff"))
                .build(),
        ),
        Err(_) => html! {},
    }
}

fn votes(count: i32) -> Markup {
    html! {
        span.votes { span.count data-live-votes { (count) } @if count == 1 { " vote" } @else { " votes" } }
    }
}

pub fn presenter_page(view: &PresenterView<'_>) -> Markup {
    let event = &view.presenter.event;
    let body_class = if view.transparent {
        "presenter transparent"
    } else {
        "presenter"
    };
    bare_page(
        &PageMeta {
            title: &event.title,
            description: "The question on screen, and the next ones.",
            url: None,
        },
        body_class,
        html! {
            div.presenter-view data-live={ "/present/" (view.token) "/live" } data-live-votes-refresh data-live-refresh-gap="300" {
                header.presenter-header {
                    h1 { (event.title) }
                    div.join {
                        div.qr aria-hidden="true" { (qr_code(view.join_url)) }
                        // The address without its scheme, on one line: what people type.
                        p { "Ask and vote at" br; strong.join-address { (short_address(view.join_url)) } }
                    }
                }
                div.presenter-body {
                    section #on-screen data-live-part aria-label="On screen" {
                        @if let Some(question) = &view.presenter.on_screen {
                            div.on-screen-question #{ "q-" (question.id) } {
                                p.question-body { (question.body) }
                                p.meta { (author(question.author_name.as_deref())) " · " (votes(question.vote_count)) }
                            }
                        } @else {
                            p.waiting { "The next question comes up in a moment." }
                        }
                    }
                    (screen_polls(view.presenter))
                    section #next-up data-live-part aria-labelledby="next-heading" {
                        h2 #next-heading { "Next up" }
                        @if view.presenter.next.is_empty() {
                            p.meta { "No more questions waiting — ask yours!" }
                        } @else {
                            ol {
                                @for question in &view.presenter.next {
                                    li #{ "q-" (question.id) } {
                                        span.question-body { (question.body) }
                                        " " (votes(question.vote_count))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// The open polls with their results in large type, or only how many answered while the results
/// wait to be revealed.
fn screen_polls(presenter: &Presenter) -> Markup {
    html! {
        section #screen-polls data-live-part aria-label="Polls" {
            @for screen in &presenter.polls {
                div.screen-poll {
                    h2 { (screen.poll.definition.prompt) }
                    @if screen.shown {
                        (poll_results(&screen.poll, &screen.results, &|_, votes| html! {
                            span.votes { (votes) @if votes == 1 { " vote" } @else { " votes" } }
                        }))
                    } @else {
                        p.poll-answers { (screen.results.answers) @if screen.results.answers == 1 { " answer" } @else { " answers" } " so far — results when revealed" }
                    }
                }
            }
        }
    }
}

fn short_address(url: &str) -> &str {
    url.split_once("://").map_or(url, |(_, rest)| rest)
}

/// On the event's settings page: the presenter link, shown once when just made.
pub fn presenter_settings(
    slug: &str,
    has_link: bool,
    new_link: Option<&str>,
    csrf: &str,
) -> Markup {
    html! {
        section #presenter aria-labelledby="presenter-heading" {
            h2 #presenter-heading { "Presenter view" }
            p { "A page for the stream: the question on screen in large type, the next five, and how to join. It needs no sign-in, so keep its link secret; add "
                code { "?transparent=1" } " for an OBS browser source." }
            @if let Some(link) = new_link {
                p.notice.success role="status" { "Your new presenter link (shown once — copy it now): "
                    a.presenter-link href=(link) { (link) } }
            } @else if has_link {
                p.meta { "A presenter link exists. Making a new one retires it." }
            }
            form method="post" action={ "/mod/e/" (slug) "/presenter" } {
                input type="hidden" name="csrf" value=(csrf);
                button.secondary type="submit" {
                    @if has_link { "Make a new presenter link" } @else { "Make a presenter link" }
                }
            }
        }
    }
}
