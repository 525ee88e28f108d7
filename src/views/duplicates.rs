//! Likely duplicates of one question, each one click from a merge.

use maud::{html, Markup};

use super::layout::{page, PageMeta};
use crate::app::similar::Suggestion;
use crate::db::events::Event;
use crate::db::questions::Question;

pub fn duplicates_page(
    event: &Event,
    question: &Question,
    found: &[Suggestion],
    csrf: &str,
    public_base: &str,
) -> Markup {
    let back = format!("/mod/e/{}", event.slug);
    page(
        &PageMeta {
            title: "Likely duplicates",
            description: "Questions that may ask the same thing.",
            url: public_base,
        },
        html! {
            p { a href=(back) { "← " (event.title) } }
            h1 { "Likely duplicates of #" (question.id) }
            blockquote.question-body { (question.body) }
            @if found.is_empty() {
                p.empty { "Nothing in this event looks like it." }
            } @else {
                ol.duplicates {
                    @for other in found {
                        li {
                            p { span.meta { "#" (other.id) " · " (other.status.as_str()) " · " (other.vote_count) " votes · score " (format!("{:.1}", other.score)) } }
                            p.question-body { (other.body) }
                            p.meta { "Shared words: " (other.shared_words.join(", ")) }
                            div.moves {
                                form.inline method="post" action={ "/mod/q/" (other.id) "/merge" } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="back" value=(back);
                                    input type="hidden" name="into" value=(question.id);
                                    button.secondary type="submit" { "Merge #" (other.id) " into #" (question.id) }
                                }
                                form.inline method="post" action={ "/mod/q/" (question.id) "/merge" } {
                                    input type="hidden" name="csrf" value=(csrf);
                                    input type="hidden" name="back" value=(back);
                                    input type="hidden" name="into" value=(other.id);
                                    button.secondary type="submit" { "Merge #" (question.id) " into #" (other.id) }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
