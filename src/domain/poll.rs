//! A poll as a moderator defines it and an answer as a participant gives it: values that can only
//! be built valid. Kinds: multiple choice (one or several), a rating scale, a word cloud (up to
//! three short words each), open text, and a ranking of the options.

use unicode_normalization::UnicodeNormalization;

use super::invalid::Invalid;
use super::text_rules::{has_control_chars, normalize_whitespace};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollKind {
    Choice,
    Rating,
    Words,
    Text,
    Ranking,
}

impl PollKind {
    pub const ALL: [PollKind; 5] = [
        PollKind::Choice,
        PollKind::Rating,
        PollKind::Words,
        PollKind::Text,
        PollKind::Ranking,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PollKind::Choice => "choice",
            PollKind::Rating => "rating",
            PollKind::Words => "words",
            PollKind::Text => "text",
            PollKind::Ranking => "ranking",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
            .ok_or_else(|| {
                Invalid::new(
                    "kind",
                    "A poll's kind is `choice`, `rating`, `words`, `text` or `ranking`.",
                )
            })
    }

    /// Whether the poll is answered by picking among its options.
    pub fn has_options(self) -> bool {
        matches!(self, PollKind::Choice | PollKind::Ranking)
    }
}

/// When participants see the results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultsShown {
    /// As the answers come in.
    Live,
    /// To each participant once they have answered.
    AfterAnswer,
    /// Only once a moderator reveals them, so the room is not swayed.
    OnReveal,
}

impl ResultsShown {
    pub fn as_str(self) -> &'static str {
        match self {
            ResultsShown::Live => "live",
            ResultsShown::AfterAnswer => "after_answer",
            ResultsShown::OnReveal => "on_reveal",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Invalid> {
        match text {
            "live" => Ok(ResultsShown::Live),
            "after_answer" => Ok(ResultsShown::AfterAnswer),
            "on_reveal" => Ok(ResultsShown::OnReveal),
            _ => Err(Invalid::new(
                "results",
                "Show results `live`, `after_answer` or `on_reveal`.",
            )),
        }
    }
}

/// Where a poll is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollState {
    /// Prepared ahead, seen by moderators only.
    Draft,
    /// Taking answers.
    Open,
    /// No longer taking answers; shown with its results once they may be seen.
    Closed,
}

impl PollState {
    pub fn as_str(self) -> &'static str {
        match self {
            PollState::Draft => "draft",
            PollState::Open => "open",
            PollState::Closed => "closed",
        }
    }

    /// A state as stored; anything unknown reads as a draft, which nobody but moderators sees.
    pub fn from_stored(text: &str) -> Self {
        match text {
            "open" => PollState::Open,
            "closed" => PollState::Closed,
            _ => PollState::Draft,
        }
    }
}

pub const PROMPT_CHARS: std::ops::RangeInclusive<usize> = 3..=300;
pub const OPTION_CHARS: std::ops::RangeInclusive<usize> = 1..=80;
pub const OPTIONS: std::ops::RangeInclusive<usize> = 2..=10;
pub const SCALES: [u8; 2] = [5, 10];
pub const WORDS_EACH: usize = 3;
pub const WORD_CHARS: std::ops::RangeInclusive<usize> = 1..=40;
pub const TEXT_CHARS: std::ops::RangeInclusive<usize> = 1..=500;
pub const SCALE_LABEL_CHARS: std::ops::RangeInclusive<usize> = 1..=40;

/// A poll as a moderator defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollDefinition {
    pub kind: PollKind,
    pub prompt: String,
    /// The options of a choice or ranking poll, in their order; empty otherwise.
    pub options: Vec<String>,
    /// A choice poll where several options may be picked.
    pub multiple: bool,
    /// A choice poll that takes a short text of the participant's own beside (or instead of)
    /// the options, counted as "Other".
    pub other: bool,
    /// The top of a rating poll's scale (5 or 10); 0 otherwise.
    pub scale: u8,
    /// What the ends of a rating's scale mean ("Not at all", "Very").
    pub low_label: Option<String>,
    pub high_label: Option<String>,
    pub results: ResultsShown,
}

/// A definition as sent, before it is checked.
#[derive(Debug, Default)]
pub struct DraftPoll<'a> {
    pub kind: &'a str,
    pub prompt: &'a str,
    pub options: &'a [String],
    pub multiple: bool,
    pub other: bool,
    pub scale: Option<i64>,
    pub low_label: Option<&'a str>,
    pub high_label: Option<&'a str>,
    pub results: &'a str,
}

/// A short text as shown: NFC, white space collapsed, no control or bidi characters.
pub fn shown_text(
    field: &'static str,
    raw: &str,
    chars: &std::ops::RangeInclusive<usize>,
) -> Result<String, Invalid> {
    let text: String = normalize_whitespace(raw).nfc().collect();
    if has_control_chars(&text) || text.chars().any(is_bidi_control) {
        return Err(Invalid::new(
            field,
            "This contains invisible control characters; please remove them.",
        ));
    }
    let length = text.chars().count();
    if !chars.contains(&length) {
        return Err(Invalid::new(
            field,
            format!(
                "Write {} to {} characters here (this has {length}).",
                chars.start(),
                chars.end()
            ),
        ));
    }
    Ok(text)
}

/// Directional overrides and isolates: they can make a text read as another.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

impl PollDefinition {
    pub fn parse(draft: &DraftPoll<'_>) -> Result<Self, Invalid> {
        let kind = PollKind::parse(draft.kind)?;
        let prompt = shown_text("prompt", draft.prompt, &PROMPT_CHARS)?;
        let results = ResultsShown::parse(draft.results)?;
        let options = if kind.has_options() {
            parse_options(draft.options)?
        } else if draft.options.is_empty() {
            Vec::new()
        } else {
            return Err(Invalid::new(
                "options",
                format!("A `{}` poll has no options.", kind.as_str()),
            ));
        };
        if draft.multiple && kind != PollKind::Choice {
            return Err(Invalid::new(
                "multiple",
                "Only a `choice` poll lets people pick several options.",
            ));
        }
        let scale = match (kind, draft.scale) {
            (PollKind::Rating, None) => 5,
            (PollKind::Rating, Some(top)) => SCALES
                .into_iter()
                .find(|scale| i64::from(*scale) == top)
                .ok_or_else(|| {
                    Invalid::new("scale", "A rating goes from 1 to 5 or from 1 to 10.")
                })?,
            (_, None) => 0,
            (_, Some(_)) => {
                return Err(Invalid::new("scale", "Only a `rating` poll has a scale."));
            }
        };
        if draft.other && kind != PollKind::Choice {
            return Err(Invalid::new(
                "other",
                "Only a `choice` poll takes an answer of the participant's own.",
            ));
        }
        let scale_label = |field: &'static str, raw: Option<&str>| match raw
            .map(str::trim)
            .filter(|label| !label.is_empty())
        {
            None => Ok(None),
            Some(_) if kind != PollKind::Rating => Err(Invalid::new(
                field,
                "Only a `rating` poll has labels at the ends of its scale.",
            )),
            Some(label) => shown_text(field, label, &SCALE_LABEL_CHARS).map(Some),
        };
        Ok(Self {
            kind,
            prompt,
            options,
            multiple: draft.multiple,
            other: draft.other,
            scale,
            low_label: scale_label("low_label", draft.low_label)?,
            high_label: scale_label("high_label", draft.high_label)?,
            results,
        })
    }
}

fn parse_options(raw: &[String]) -> Result<Vec<String>, Invalid> {
    if !OPTIONS.contains(&raw.len()) {
        return Err(Invalid::new(
            "options",
            format!(
                "Give {} to {} options (there are {}).",
                OPTIONS.start(),
                OPTIONS.end(),
                raw.len()
            ),
        ));
    }
    let mut options: Vec<String> = Vec::with_capacity(raw.len());
    for option in raw {
        let option = shown_text("options", option, &OPTION_CHARS)?;
        if options
            .iter()
            .any(|earlier| earlier.to_lowercase() == option.to_lowercase())
        {
            return Err(Invalid::new(
                "options",
                format!("“{option}” is there twice: each option once, please."),
            ));
        }
        options.push(option);
    }
    Ok(options)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|text| (*text).to_owned()).collect()
    }

    fn choice(multiple: bool) -> PollDefinition {
        let options = options(&["Docs", "Q&A", "Roadmap"]);
        PollDefinition::parse(&DraftPoll {
            kind: "choice",
            prompt: "  What do you want   from this session? ",
            options: &options,
            multiple,
            results: "on_reveal",
            ..DraftPoll::default()
        })
        .unwrap()
    }

    #[test]
    fn definitions_are_tidied_and_checked_per_kind() {
        let poll = choice(false);
        assert_eq!(poll.prompt, "What do you want from this session?");
        assert_eq!(poll.results, ResultsShown::OnReveal);
        let twice = options(&["Docs", "docs "]);
        let refused = |draft: DraftPoll<'_>| PollDefinition::parse(&draft).unwrap_err().field;
        assert_eq!(
            refused(DraftPoll {
                kind: "choice",
                prompt: "Which?",
                options: &twice,
                results: "live",
                ..DraftPoll::default()
            }),
            "options"
        );
        assert_eq!(
            refused(DraftPoll {
                kind: "rating",
                prompt: "How was it?",
                scale: Some(7),
                results: "live",
                ..DraftPoll::default()
            }),
            "scale"
        );
        assert_eq!(
            refused(DraftPoll {
                kind: "poll",
                prompt: "How was it?",
                results: "live",
                ..DraftPoll::default()
            }),
            "kind"
        );
        assert_eq!(
            refused(DraftPoll {
                kind: "text",
                prompt: "\u{202E}evil",
                results: "live",
                ..DraftPoll::default()
            }),
            "prompt"
        );
        assert_eq!(
            refused(DraftPoll {
                kind: "words",
                prompt: "One word?",
                results: "soon",
                ..DraftPoll::default()
            }),
            "results"
        );
        let rating = PollDefinition::parse(&DraftPoll {
            kind: "rating",
            prompt: "How was it?",
            results: "live",
            ..DraftPoll::default()
        })
        .unwrap();
        assert_eq!(rating.scale, 5);
        assert_eq!(
            refused(DraftPoll {
                kind: "choice",
                prompt: "Which?",
                options: &options(&["a", "b"]),
                low_label: Some("Not at all"),
                results: "live",
                ..DraftPoll::default()
            }),
            "low_label"
        );
        assert_eq!(
            refused(DraftPoll {
                kind: "ranking",
                prompt: "Which?",
                options: &options(&["a", "b"]),
                other: true,
                results: "live",
                ..DraftPoll::default()
            }),
            "other"
        );
    }
}
