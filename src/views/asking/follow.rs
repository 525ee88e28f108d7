use chrono::NaiveDateTime;
use maud::{html, Markup};

use crate::app::asking::follow::Followed;
use crate::app::faq::browse::entry_path;
use crate::db::answers::Answer;
use crate::db::questions::Question;
use crate::domain::QuestionStatus;
use crate::views::components::{answer_block, author, csrf_field, question_status_badge};
use crate::views::layout::{page, PageMeta};
use crate::views::time::time_ago;

/// Where a question is on its event's page: answered ones have their own tab.
fn place_on_event_page(slug: &str, question: &Question) -> String {
    let tab = if question.status == QuestionStatus::Answered {
        "?sort=answered"
    } else {
        ""
    };
    format!("/e/{slug}{tab}#q-{}", question.id)
}

/// The status in one sentence, as the asker would want it told.
fn status_sentence(followed: &Followed) -> &'static str {
    match followed.question.status {
        QuestionStatus::Pending => {
            "A moderator will look at it soon; it shows in the event's list once approved."
        }
        QuestionStatus::Approved => {
            "It is in the event's list: the more votes it gets, the higher it climbs."
        }
        QuestionStatus::Rejected => "The moderators did not take this question.",
        QuestionStatus::Answered => "It was answered — the answer is below.",
        QuestionStatus::Merged => match &followed.merged_into {
            Some((_, Some(_))) => {
                "It was merged with a question that asks the same thing, and that one was answered."
            }
            _ => "It was merged with a question that asks the same thing; your vote counts there.",
        },
    }
}

/// The answer, and its lasting place in the FAQ when it was published there.
fn answer_with_faq_link(
    question: &Question,
    answer: &Answer,
    recording_url: Option<&str>,
) -> Markup {
    html! {
        section.answer-section aria-labelledby="answer-heading" {
            h2 #answer-heading { "The answer" }
            (answer_block(answer, recording_url))
            @if answer.published {
                p { a href=(entry_path(question.id, &question.body)) { "Its entry in the FAQ" } " — a lasting link to share." }
            }
        }
    }
}

/// The follow page's part about mail, when the site sends it.
pub struct FollowMail<'a> {
    /// Whether the asker gave an address for this question (confirmed or not).
    pub subscribed: bool,
    /// What was typed, when the form came back with a problem.
    pub typed: &'a str,
    pub error: Option<&'a str>,
    pub csrf: &'a str,
}

fn mail_part(token: &str, mail: &FollowMail<'_>) -> Markup {
    let action = format!("/follow/{token}/notify");
    html! {
        section.follow-mail #mail aria-labelledby="mail-heading" {
            h2 #mail-heading { "Hear by email" }
            @if mail.subscribed {
                p { "You gave an address for this question. Once it is confirmed (with the link we sent), you get an email when the question is answered, merged or not taken; then the address is forgotten." }
                form method="post" action=(action) {
                    (csrf_field(mail.csrf))
                    input type="hidden" name="action" value="stop";
                    button.secondary type="submit" { "Stop emails about it" }
                }
            } @else {
                form method="post" action=(action) novalidate {
                    (csrf_field(mail.csrf))
                    div.field {
                        label for="follow-email" { "Email me when it is answered" }
                        input #follow-email type="email" name="notify_email" value=(mail.typed) required
                            autocomplete="email" inputmode="email" maxlength="254"
                            aria-invalid=(if mail.error.is_some() { "true" } else { "false" })
                            aria-describedby="follow-email-help";
                        @if let Some(message) = mail.error {
                            p.field-error #follow-email-help role="alert" { (message) }
                        } @else {
                            p.help #follow-email-help { "We send a link to confirm it first, never show it to anyone, and forget it once the question is answered." }
                        }
                    }
                    button.secondary type="submit" { "Email me" }
                }
            }
        }
    }
}

/// `mail`: the part about email, when the site sends it and the question can still change.
pub fn follow_page(
    followed: &Followed,
    token: &str,
    mail: Option<&FollowMail<'_>>,
    now: NaiveDateTime,
) -> Markup {
    let question = &followed.question;
    let event = &followed.event;
    page(
        &PageMeta {
            title: "Your question",
            description: "Follow what happens to your question.",
            url: None,
        },
        html! {
            // Live: the page re-reads itself when the question changes.
            article.follow #{ "q-" (question.id) } data-live-part
                data-live=[event.status.is_public().then(|| format!("/live/e/{}", event.slug))] {
                p.eyebrow { "Your question to " a href={ "/e/" (event.slug) } { (event.title) } }
                h1.question-body { (question.body) }
                p.meta {
                    (author(question.author_name.as_deref())) " · asked " (time_ago(question.created_at, now))
                    @if question.status.is_listed() {
                        " · " span.count data-live-votes { (question.vote_count) } @if question.vote_count == 1 { " vote" } @else { " votes" }
                    }
                }
                p.status { (question_status_badge(question.status)) " " (status_sentence(followed)) }
                @if let Some(reason) = &question.reject_reason {
                    @if question.status == QuestionStatus::Rejected {
                        p.reason { "Their reason: " (reason) }
                    }
                }
                @if question.status == QuestionStatus::Approved {
                    p { a href=(place_on_event_page(&event.slug, question)) { "See it in the list" } }
                }
                @if let Some((canonical, answer)) = &followed.merged_into {
                    section.merged-into aria-labelledby="merged-heading" {
                        h2 #merged-heading { "Where it went" }
                        blockquote.question-body { (canonical.body) }
                        p.meta {
                            a href=(place_on_event_page(&event.slug, canonical)) { "#" (canonical.id) " on the event page" }
                            " · " span.count { (canonical.vote_count) } @if canonical.vote_count == 1 { " vote" } @else { " votes" }
                        }
                        @if let Some(answer) = answer {
                            (answer_with_faq_link(canonical, answer, event.recording_url.as_deref()))
                        }
                    }
                }
                @if let Some(answer) = &followed.answer {
                    (answer_with_faq_link(question, answer, event.recording_url.as_deref()))
                }
                @if let Some(mail) = mail {
                    (mail_part(token, mail))
                }
                p.hint { "This page is private to you: keep its link to come back." }
            }
        },
    )
}
