//! The form that answers a poll, working without JavaScript: a single-choice or rating poll is
//! answered with one tap on its button; the other kinds with one field set and a "Send". A
//! refused answer comes back with the reason beside it and what was typed still there.

use maud::{html, Markup};

use crate::app::polls::answering::AnswerInput;
use crate::app::polls::Poll;
use crate::domain::{PollAnswer, PollKind, WORDS_EACH};
use crate::views::components::csrf_field;

/// What the form shows besides the poll: the reader's own answer, or what they typed and why it
/// was refused.
#[derive(Debug, Default)]
pub struct FormState<'a> {
    pub mine: Option<&'a PollAnswer>,
    pub typed: Option<&'a AnswerInput>,
    pub error: Option<&'a str>,
}

impl FormState<'_> {
    fn picked(&self, option: usize) -> bool {
        match (self.typed, self.mine) {
            (Some(typed), _) => typed
                .choices
                .as_deref()
                .is_some_and(|choices| choices.contains(&(option as i64))),
            (None, Some(PollAnswer::Choices { picked, .. })) => picked.contains(&option),
            _ => false,
        }
    }

    fn other(&self) -> &str {
        match (self.typed, self.mine) {
            (Some(typed), _) => typed.other.as_deref().unwrap_or_default(),
            (None, Some(PollAnswer::Choices { other, .. })) => other.as_deref().unwrap_or_default(),
            _ => "",
        }
    }

    fn rating(&self) -> Option<i64> {
        match (self.typed, self.mine) {
            (Some(typed), _) => typed.rating,
            (None, Some(PollAnswer::Rating(rating))) => Some(i64::from(*rating)),
            _ => None,
        }
    }

    fn word(&self, at: usize) -> &str {
        match (self.typed, self.mine) {
            (Some(typed), _) => typed
                .words
                .as_ref()
                .and_then(|words| words.get(at))
                .map(String::as_str)
                .unwrap_or_default(),
            (None, Some(PollAnswer::Words(words))) => {
                words.get(at).map(String::as_str).unwrap_or_default()
            }
            _ => "",
        }
    }

    fn text(&self) -> &str {
        match (self.typed, self.mine) {
            (Some(typed), _) => typed.text.as_deref().unwrap_or_default(),
            (None, Some(PollAnswer::Text(text))) => text,
            _ => "",
        }
    }

    /// The place (from 1) given to `option`, when there is one.
    fn place(&self, option: usize) -> Option<usize> {
        let order: Vec<usize> = match (self.typed, self.mine) {
            (Some(typed), _) => typed
                .ranking
                .as_deref()
                .unwrap_or_default()
                .iter()
                .filter_map(|at| usize::try_from(*at).ok())
                .collect(),
            (None, Some(PollAnswer::Ranking(order))) => order.clone(),
            _ => Vec::new(),
        };
        order
            .iter()
            .position(|at| *at == option)
            .map(|place| place + 1)
    }
}

/// The answer form of an open poll of the event `slug`.
pub fn answer_form(poll: &Poll, slug: &str, csrf: &str, state: &FormState<'_>) -> Markup {
    let definition = &poll.definition;
    let id = poll.id;
    let error_id = format!("poll-{id}-error");
    html! {
        form.poll-form method="post" action={ "/e/" (slug) "/polls/" (id) "/answer" }
            aria-describedby=[state.error.map(|_| error_id.as_str())] {
            (csrf_field(csrf))
            @if let Some(error) = state.error {
                p.field-error id=(error_id) role="alert" { (error) }
            }
            @match definition.kind {
                PollKind::Choice if !definition.multiple => {
                    div.poll-choices {
                        @for (at, option) in definition.options.iter().enumerate() {
                            button.poll-choice.secondary type="submit" name="choices" value=(at)
                                aria-pressed=(state.picked(at)) { (option) }
                        }
                    }
                    @if definition.other {
                        (other_field(id, state.other()))
                        button.primary type="submit" { "Send my own answer" }
                    }
                }
                PollKind::Choice => {
                    fieldset.poll-choices {
                        legend.visually-hidden { (definition.prompt) }
                        @for (at, option) in definition.options.iter().enumerate() {
                            label.poll-check {
                                input type="checkbox" name="choices" value=(at) checked[state.picked(at)];
                                " " (option)
                            }
                        }
                    }
                    @if definition.other { (other_field(id, state.other())) }
                    button.primary type="submit" { "Send" }
                }
                PollKind::Rating => {
                    div.poll-scale role="group" aria-label={ "Rate from 1 to " (definition.scale) } {
                        @for value in 1..=i64::from(definition.scale) {
                            button.poll-rate.secondary type="submit" name="rating" value=(value)
                                aria-pressed=(state.rating() == Some(value)) { (value) }
                        }
                    }
                    @if definition.low_label.is_some() || definition.high_label.is_some() {
                        p.poll-scale-ends {
                            span { "1: " (definition.low_label.as_deref().unwrap_or_default()) }
                            span { (definition.scale) ": " (definition.high_label.as_deref().unwrap_or_default()) }
                        }
                    }
                }
                PollKind::Words => {
                    div.poll-words {
                        @for at in 0..WORDS_EACH {
                            label {
                                span.visually-hidden { "Word " (at + 1) }
                                input type="text" name="words" maxlength="40" value=(state.word(at))
                                    autocomplete="off" placeholder=[(at == 0).then_some("A word or two")];
                            }
                        }
                    }
                    button.primary type="submit" { "Send" }
                }
                PollKind::Text => {
                    label {
                        span.visually-hidden { "Your answer" }
                        textarea name="text" rows="3" maxlength="500" { (state.text()) }
                    }
                    button.primary type="submit" { "Send" }
                }
                PollKind::Ranking => {
                    fieldset.poll-ranking {
                        legend { "Give each option its place (1 is your first choice)" }
                        @for (at, option) in definition.options.iter().enumerate() {
                            label.poll-place {
                                select name={ "place_" (at) } {
                                    @for place in 1..=definition.options.len() {
                                        option value=(place) selected[state.place(at).unwrap_or(at + 1) == place] { (place) }
                                    }
                                }
                                " " (option)
                            }
                        }
                    }
                    button.primary type="submit" { "Send" }
                }
            }
        }
    }
}

fn other_field(poll_id: i64, typed: &str) -> Markup {
    html! {
        label.poll-other-field for={ "poll-" (poll_id) "-other" } { "Or your own answer" }
        input id={ "poll-" (poll_id) "-other" } type="text" name="other" maxlength="80" value=(typed) autocomplete="off";
    }
}
