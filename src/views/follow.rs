use chrono::NaiveDateTime;
use maud::{html, Markup};

use super::components::{answer_block, author, question_status_badge};
use super::layout::{page, PageMeta};
use super::time::time_ago;
use crate::app::follow::Followed;
use crate::domain::QuestionStatus;

pub fn follow_page(followed: &Followed, now: NaiveDateTime, public_base: &str) -> Markup {
    let question = &followed.question;
    let event = &followed.event;
    let what_next = match question.status {
        QuestionStatus::Pending => {
            "A moderator will look at it soon. It shows in the event's list once approved."
        }
        QuestionStatus::Approved => {
            "It is in the event's list: the more votes it gets, the higher it climbs."
        }
        QuestionStatus::Rejected => "The moderators did not take this question.",
        QuestionStatus::Answered => "It was answered.",
        QuestionStatus::Merged => {
            "It was merged with a question that asks the same thing; its votes count there."
        }
    };
    page(
        &PageMeta {
            title: "Your question",
            description: "Follow what happens to your question.",
            url: public_base,
        },
        html! {
            // Live: the page re-reads itself when the question changes.
            article.follow #{ "q-" (question.id) } data-live-part
                data-live=[event.status.is_public().then(|| format!("/live/e/{}", event.slug))] {
                p.eyebrow { "Your question to " a href={ "/e/" (event.slug) } { (event.title) } }
                blockquote.question-body { (question.body) }
                p.meta {
                    (author(question.author_name.as_deref())) " · asked " (time_ago(question.created_at, now))
                }
                p { "Status: " (question_status_badge(question.status)) }
                @if let Some(reason) = &question.reject_reason {
                    @if question.status == QuestionStatus::Rejected {
                        p.reason { "Reason: " (reason) }
                    }
                }
                p { (what_next) }
                @if let Some((canonical, answer)) = &followed.merged_into {
                    section.merged-into {
                        p { "Merged into "
                            a href={ "/e/" (event.slug) "#q-" (canonical.id) } { "#" (canonical.id) }
                            " · " span.count { (canonical.vote_count) } " votes" }
                        blockquote.question-body { (canonical.body) }
                        @if let Some(answer) = answer {
                            (answer_block(answer, event.recording_url.as_deref()))
                        }
                    }
                }
                @if let Some(answer) = &followed.answer {
                    (answer_block(answer, event.recording_url.as_deref()))
                }
                @if question.status.is_listed() {
                    p { span.count data-live-votes { (question.vote_count) } @if question.vote_count == 1 { " vote" } @else { " votes" } }
                }
                p.hint { "This page is private to you: keep its link to come back." }
            }
        },
    )
}
