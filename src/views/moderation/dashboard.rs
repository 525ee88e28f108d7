//! The curation dashboard of one event: tabs by status with counts, and a compact row per
//! question (see `dashboard_row`). Plain forms, so it all works without JavaScript.

use maud::{html, Markup};

use crate::app::moderation::curation::{JustMerged, TABS};
use crate::db::questions::Question;
use crate::views::components::event_status_badge;
use crate::views::layout::{wide_page, PageMeta};
use crate::views::moderation::dashboard_row::question_row;
use crate::views::moderation::dashboard_view::DashboardView;
use crate::views::moderation::merge::{bulk_merge_form, merge_targets};

pub fn dashboard_page(view: &DashboardView<'_>) -> Markup {
    let dashboard = view.dashboard;
    let event = &dashboard.event;
    let back = format!(
        "/mod/e/{}?tab={}&sort={}",
        event.slug, dashboard.tab, dashboard.sort
    );
    wide_page(
        &PageMeta {
            title: &format!("Moderate: {}", event.title),
            description: "Curate the questions of this event.",
            url: None,
        },
        html! {
            header.dashboard-heading {
                h1 { (event.title) }
                (event_status_badge(event.status))
                nav.event-links aria-label="This event" {
                    a href="/mod" { "← All events" }
                    a href={ "/e/" (event.slug) } { "Public page" }
                    a href={ "/mod/e/" (event.slug) "/focus" } { "Focus mode" }
                    a href={ "/mod/e/" (event.slug) "/duplicates" } { "Duplicates" }
                    a href={ "/mod/e/" (event.slug) "/polls" } { "Polls" }
                    a href={ "/mod/e/" (event.slug) "/recording" } { "Recording" }
                    a href={ "/mod/e/" (event.slug) "/settings" } { "Settings" }
                }
            }
            @if let Some(message) = view.error {
                p.form-error role="alert" { (message) }
            }
            @if let Some((answered, questions)) = view.docs_figure {
                p.meta.docs-figure {
                    strong { (answered) " of " (questions) } " questions are answered in the docs · "
                    a href="/mod/docs" { "documentation report" }
                }
            }
            @if let Some(question) = view.just_rejected {
                div.notice.success.just-done role="status" {
                    p { "Rejected #" (question.id) ": “" (question.body.chars().take(120).collect::<String>()) "”. The asker's follow page says it was not accepted. " }
                    form.inline method="post" action={ "/mod/q/" (question.id) "/restore" } {
                        input type="hidden" name="csrf" value=(view.csrf);
                        input type="hidden" name="back" value=(back);
                        button.secondary type="submit" { "Undo" }
                    }
                }
            }
            @if let Some(merge) = view.just_merged {
                (just_merged_notice(merge, &event.slug, view.csrf, &back))
            }
            div.dashboard-bar {
                nav.tabs #tabs data-live-part aria-label="Questions by status" {
                    @for (name, status) in TABS {
                        @let count = dashboard.counts.get(&status).copied().unwrap_or(0);
                        a href={ "/mod/e/" (event.slug) "?tab=" (name) }
                            aria-current=[(dashboard.tab == name).then_some("page")] {
                            (tab_label(name)) " " span.count { (count) }
                        }
                    }
                }
                @if dashboard.tab == "live" || dashboard.tab == "pending" {
                    nav.sort aria-label="Sort" {
                        @for (key, label) in [("votes", "Public votes"), ("moderators", "Moderator votes")] {
                            a href={ "/mod/e/" (event.slug) "?tab=" (dashboard.tab) "&sort=" (key) }
                                aria-current=[(dashboard.sort == key).then_some("page")] { (label) }
                        }
                    }
                }
            }
            p.empty #no-questions data-live-part hidden[!dashboard.questions.is_empty()] { (empty_message(dashboard.tab)) }
            @if !dashboard.questions.is_empty() && dashboard.tab != "rejected" {
                (bulk_merge_form(view, &back)) (merge_targets(view))
            }
            // Always there, so that live updates have a list to add the first question to.
            ol.questions.moderation #questions data-live-list
                data-live={ "/mod/live/e/" (event.slug) } {
                @for question in &dashboard.questions {
                    (question_row(question, view, &back))
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

/// "Merged #5 into #3", with the undo: a merge is one click, so is taking it back.
pub fn just_merged_notice(merge: &JustMerged, slug: &str, csrf: &str, back: &str) -> Markup {
    let excerpt = |question: &Question| question.body.chars().take(120).collect::<String>();
    html! {
        div.notice.success.just-done role="status" {
            @if let [only] = merge.merged.as_slice() {
                p { "Merged #" (only.id) " “" (excerpt(only)) "” into #" (merge.into.id) " “" (excerpt(&merge.into)) "”. Its votes now count there. " }
            } @else {
                p { "Merged " (merge.merged.len()) " questions into #" (merge.into.id) " “" (excerpt(&merge.into)) "”. Their votes now count there. " }
            }
            form.inline method="post" action={ "/mod/e/" (slug) "/unmerge" } {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="back" value=(back);
                @for question in &merge.merged {
                    input type="hidden" name="ids" value=(question.id);
                }
                button.secondary type="submit" { "Undo" }
            }
        }
    }
}
