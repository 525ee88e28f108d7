//! The curation dashboard of one event: tabs by status with counts, and per question the moves
//! its status allows. Plain forms, so it all works without JavaScript.

use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::components::{author, event_heading};
use super::layout::{page, PageMeta};
use super::time::time_ago;
use crate::app::curation::{Dashboard, TABS};
use crate::db::questions::Question;
use crate::domain::QuestionStatus;

pub struct DashboardView<'a> {
    pub dashboard: &'a Dashboard,
    pub csrf: &'a str,
    pub error: Option<&'a str>,
    pub now: NaiveDateTime,
    pub public_base: &'a str,
}

pub fn dashboard_page(view: &DashboardView<'_>) -> Markup {
    let dashboard = view.dashboard;
    let event = &dashboard.event;
    let back = format!("/mod/e/{}?tab={}", event.slug, dashboard.tab);
    page(
        &PageMeta {
            title: &format!("Moderate: {}", event.title),
            description: "Curate the questions of this event.",
            url: view.public_base,
        },
        html! {
            p { a href="/mod" { "← Moderation" } " · " a href={ "/e/" (event.slug) } { "public page" } }
            (event_heading(event, view.now))
            @if let Some(message) = view.error {
                p.form-error role="alert" { (message) }
            }
            nav.tabs aria-label="Questions by status" {
                @for (name, status) in TABS {
                    @let count = dashboard.counts.get(&status).copied().unwrap_or(0);
                    a href={ "/mod/e/" (event.slug) "?tab=" (name) }
                        aria-current=[(dashboard.tab == name).then_some("page")] {
                        (tab_label(name)) " " span.count { (count) }
                    }
                }
            }
            @if dashboard.questions.is_empty() {
                p.empty { (empty_message(dashboard.tab)) }
            } @else {
                ol.questions.moderation {
                    @for question in &dashboard.questions {
                        (question_row(question, view, &back))
                    }
                }
            }
        },
    )
}

fn tab_label(name: &str) -> &'static str {
    match name {
        "pending" => "Pending",
        "live" => "Live",
        "answered" => "Answered",
        _ => "Rejected",
    }
}

fn empty_message(tab: &str) -> &'static str {
    match tab {
        "pending" => "Nothing waits for approval.",
        "live" => "No approved questions yet.",
        "answered" => "Nothing answered yet.",
        _ => "Nothing rejected.",
    }
}

fn action_form(
    question: &Question,
    verb: &str,
    label: &str,
    view: &DashboardView<'_>,
    back: &str,
) -> Markup {
    html! {
        form.inline method="post" action={ "/mod/q/" (question.id) "/" (verb) } {
            input type="hidden" name="csrf" value=(view.csrf);
            input type="hidden" name="back" value=(back);
            button.secondary type="submit" { (label) }
        }
    }
}

fn question_row(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
    html! {
        li.question #{ "q-" (question.id) } {
            div.votes-static aria-label={ (question.vote_count) " votes" } {
                span.count { (question.vote_count) }
                span.unit { "votes" }
            }
            div.question-main {
                p.question-body { (question.body) }
                p.meta {
                    "#" (question.id) " · " (author(question.author_name.as_deref())) " · " (time_ago(question.created_at, view.now))
                    @if let Some(reason) = &question.reject_reason {
                        @if question.status == QuestionStatus::Rejected { " · reason: " (reason) }
                    }
                }
                div.moves {
                    @if question.status.can_approve() && question.status != QuestionStatus::Rejected {
                        (action_form(question, "approve", "Approve", view, back))
                    }
                    @if question.status == QuestionStatus::Rejected {
                        (action_form(question, "restore", "Undo rejection", view, back))
                    }
                    @if question.status.can_reject() {
                        form.inline method="post" action={ "/mod/q/" (question.id) "/reject" } {
                            input type="hidden" name="csrf" value=(view.csrf);
                            input type="hidden" name="back" value=(back);
                            label.visually-hidden for={ "reason-" (question.id) } { "Reason for rejecting #" (question.id) }
                            input id={ "reason-" (question.id) } type="text" name="reason" placeholder="reason (shown to the asker)";
                            button.secondary type="submit" { "Reject" }
                        }
                    }
                }
            }
        }
    }
}
