//! The dashboard's merge controls: "merge into…" on a question, and the questions merged into it
//! with their undo.

use maud::{html, Markup};

use crate::db::questions::Question;
use crate::domain::QuestionStatus;
use crate::views::moderation::dashboard_view::DashboardView;

pub fn merge_form(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
    let draft = view.merge_draft.filter(|(id, _, _)| *id == question.id);
    let answered = view.dashboard.answers.contains_key(&question.id);
    html! {
        details.merge-form open[draft.is_some()] {
            summary { "Merge" span.visually-hidden { " #" (question.id) " into another" } }
            form method="post" action={ "/mod/q/" (question.id) "/merge" } {
                input type="hidden" name="csrf" value=(view.csrf);
                input type="hidden" name="back" value=(back);
                div.field {
                    label for={ "merge-" (question.id) } { "Merge #" (question.id) " into question number" }
                    input id={ "merge-" (question.id) } type="text" name="into" list="merge-targets" data-merge-self=(question.id)
                        value=(draft.map_or("", |(_, typed, _)| typed)) placeholder="e.g. 12"
                        aria-invalid=(if draft.is_some() { "true" } else { "false" });
                    @if let Some((_, _, message)) = draft { p.field-error role="alert" { (message) } }
                    p.help { "Its number, or type words of it and pick. Votes, labels and moderator votes are united; the merge can be undone." }
                }
                @if answered {
                    fieldset.field {
                        legend { "If the other question has no answer yet" }
                        label { input type="radio" name="answer" value="move" checked; " give it this answer" }
                        label { input type="radio" name="answer" value="leave"; " leave this answer here" }
                    }
                }
                button.secondary type="submit" { "Merge" }
            }
        }
    }
}

pub fn merged_list(question: &Question, view: &DashboardView<'_>, back: &str) -> Markup {
    html! {
        @if let Some(members) = view.dashboard.merged.get(&question.id) {
            details.merged open {
                summary { (members.len()) " merged here" }
                ul {
                    @for member in members {
                        li {
                            span.meta { "#" (member.id) " " } (member.body)
                            @if member.status == QuestionStatus::Merged {
                                form.inline method="post" action={ "/mod/q/" (member.id) "/unmerge" } {
                                    input type="hidden" name="csrf" value=(view.csrf);
                                    input type="hidden" name="back" value=(back);
                                    button.link-button type="submit" { "Unmerge" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Ticked questions, merged into one: the form the rows' checkboxes belong to.
pub fn bulk_merge_form(view: &DashboardView<'_>, back: &str) -> Markup {
    let event = &view.dashboard.event;
    html! {
        form.bulk-merge #bulk-merge method="post" action={ "/mod/e/" (event.slug) "/merge" } {
            input type="hidden" name="csrf" value=(view.csrf);
            input type="hidden" name="back" value=(back);
            label for="bulk-into" { "Merge the ticked questions into #" }
            input #bulk-into type="text" name="into" list="merge-targets" placeholder="number, or words to pick";
            button.secondary type="submit" { "Merge ticked" }
        }
    }
}

/// The choices of every "merge into" field on the page: the browser filters them as one types.
pub fn merge_targets(view: &DashboardView<'_>) -> Markup {
    html! {
        datalist #merge-targets {
            @for (id, body) in &view.dashboard.merge_targets {
                option value={ "#" (id) " · " (body.chars().take(90).collect::<String>()) } {}
            }
        }
    }
}
