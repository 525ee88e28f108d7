//! The moderators' form for a new poll, kept as typed when refused, with the reason at its field.

use maud::{html, Markup};

use crate::views::components::csrf_field;

/// What was typed into the form, and why it came back.
#[derive(Debug, Clone, Default)]
pub struct NewPollForm {
    pub kind: String,
    pub prompt: String,
    /// One option a line.
    pub options: String,
    pub multiple: bool,
    pub other: bool,
    pub scale: String,
    pub low_label: String,
    pub high_label: String,
    pub results: String,
    pub banned_words: String,
    /// The field at fault and the reason.
    pub error: Option<(String, String)>,
}

impl NewPollForm {
    fn error_at(&self, field: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(at, _)| at == field)
            .map(|(_, message)| message.as_str())
    }
}

fn field_error(form: &NewPollForm, field: &str) -> Markup {
    html! {
        @if let Some(message) = form.error_at(field) {
            p.field-error id={ "poll-" (field) "-error" } role="alert" { (message) }
        }
    }
}

pub fn new_poll_form(slug: &str, csrf: &str, form: &NewPollForm) -> Markup {
    let kind = if form.kind.is_empty() {
        "choice"
    } else {
        form.kind.as_str()
    };
    let results = if form.results.is_empty() {
        "live"
    } else {
        form.results.as_str()
    };
    html! {
        section.new-poll aria-labelledby="new-poll-heading" {
            h2 #new-poll-heading { "New poll" }
            form method="post" action={ "/mod/e/" (slug) "/polls" } {
                (csrf_field(csrf))
                @if let Some((field, message)) = &form.error {
                    @if !["kind", "prompt", "options", "scale", "results", "banned_words"].contains(&field.as_str()) {
                        p.field-error role="alert" { (message) }
                    }
                }
                label for="poll-kind" { "Kind" }
                select #poll-kind name="kind" {
                    @for (value, label) in [("choice", "Multiple choice"), ("rating", "Rating"), ("words", "Word cloud"), ("text", "Open text"), ("ranking", "Ranking")] {
                        option value=(value) selected[kind == value] { (label) }
                    }
                }
                (field_error(form, "kind"))
                label for="poll-prompt" { "Question to the audience" }
                input #poll-prompt type="text" name="prompt" value=(form.prompt) maxlength="300" required
                    aria-invalid=[form.error_at("prompt").map(|_| "true")];
                (field_error(form, "prompt"))
                label for="poll-options" { "Options, one a line (multiple choice and ranking)" }
                textarea #poll-options name="options" rows="4"
                    aria-invalid=[form.error_at("options").map(|_| "true")] { (form.options) }
                (field_error(form, "options"))
                label.poll-check { input type="checkbox" name="multiple" value="true" checked[form.multiple]; " Several answers may be picked" }
                label.poll-check { input type="checkbox" name="other" value="true" checked[form.other]; " Take an answer of their own (“Other”)" }
                label for="poll-scale" { "Rating scale" }
                select #poll-scale name="scale" {
                    option value="5" selected[form.scale != "10"] { "1 to 5" }
                    option value="10" selected[form.scale == "10"] { "1 to 10" }
                }
                (field_error(form, "scale"))
                label for="poll-low" { "What 1 means (rating)" }
                input #poll-low type="text" name="low_label" value=(form.low_label) maxlength="40";
                label for="poll-high" { "What the top means (rating)" }
                input #poll-high type="text" name="high_label" value=(form.high_label) maxlength="40";
                label for="poll-results" { "When people see the results" }
                select #poll-results name="results" {
                    @for (value, label) in [("live", "As answers come in"), ("after_answer", "Once they have answered"), ("on_reveal", "Only when revealed")] {
                        option value=(value) selected[results == value] { (label) }
                    }
                }
                (field_error(form, "results"))
                label for="poll-banned" { "Words to leave out (word cloud, comma-separated)" }
                input #poll-banned type="text" name="banned_words" value=(form.banned_words);
                (field_error(form, "banned_words"))
                button.primary type="submit" { "Add as a draft" }
            }
        }
    }
}
