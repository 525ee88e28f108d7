//! A participant's answer to a poll, checked against the poll: options in range and each once,
//! a rating on the poll's scale, one to three words, a short text, every option ranked once.

use super::invalid::Invalid;
use serde::{Deserialize, Serialize};

use super::poll::{
    shown_text, PollDefinition, PollKind, OPTION_CHARS, TEXT_CHARS, WORDS_EACH, WORD_CHARS,
};

/// A participant's answer, checked against its poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollAnswer {
    /// The picked options' positions, in ascending order, and the participant's own answer
    /// where the poll takes one.
    Choices {
        picked: Vec<usize>,
        other: Option<String>,
    },
    Rating(u8),
    Words(Vec<String>),
    Text(String),
    /// Every option's position, most preferred first.
    Ranking(Vec<usize>),
}

/// An answer as sent, before it is checked: the one field its poll's kind reads.
#[derive(Debug, Default)]
pub struct DraftAnswer<'a> {
    pub choices: Option<&'a [i64]>,
    pub other: Option<&'a str>,
    pub rating: Option<i64>,
    pub words: Option<&'a [String]>,
    pub text: Option<&'a str>,
    pub ranking: Option<&'a [i64]>,
}

impl PollAnswer {
    pub fn parse(poll: &PollDefinition, draft: &DraftAnswer<'_>) -> Result<Self, Invalid> {
        let missing = |field: &'static str| {
            Invalid::new(field, format!("This poll is answered with `{field}`."))
        };
        match poll.kind {
            PollKind::Choice => {
                let other = match draft.other.map(str::trim).filter(|text| !text.is_empty()) {
                    None => None,
                    Some(_) if !poll.other => {
                        return Err(Invalid::new(
                            "other",
                            "This poll takes only its own options.",
                        ))
                    }
                    Some(text) => Some(shown_text("other", text, &OPTION_CHARS)?),
                };
                let raw = match (draft.choices, &other) {
                    (Some(raw), _) => raw,
                    (None, Some(_)) => &[],
                    (None, None) => return Err(missing("choices")),
                };
                let picked = positions(raw, poll, "choices")?;
                let mut sorted = picked.clone();
                sorted.sort_unstable();
                sorted.dedup();
                if sorted.len() != picked.len() {
                    return Err(Invalid::new("choices", "Each option can be picked once."));
                }
                let given = sorted.len() + usize::from(other.is_some());
                match given {
                    0 => Err(Invalid::new("choices", "Pick an option.")),
                    1 => Ok(PollAnswer::Choices {
                        picked: sorted,
                        other,
                    }),
                    _ if poll.multiple => Ok(PollAnswer::Choices {
                        picked: sorted,
                        other,
                    }),
                    _ => Err(Invalid::new("choices", "Pick one option only.")),
                }
            }
            PollKind::Rating => {
                let rating = draft.rating.ok_or_else(|| missing("rating"))?;
                u8::try_from(rating)
                    .ok()
                    .filter(|rating| (1..=poll.scale).contains(rating))
                    .map(PollAnswer::Rating)
                    .ok_or_else(|| {
                        Invalid::new("rating", format!("Rate from 1 to {}.", poll.scale))
                    })
            }
            PollKind::Words => {
                let raw = draft.words.ok_or_else(|| missing("words"))?;
                if raw.is_empty() || raw.len() > WORDS_EACH {
                    return Err(Invalid::new(
                        "words",
                        format!("Give one to {WORDS_EACH} words or short phrases."),
                    ));
                }
                raw.iter()
                    .map(|word| shown_text("words", word, &WORD_CHARS))
                    .collect::<Result<_, _>>()
                    .map(PollAnswer::Words)
            }
            PollKind::Text => {
                let text = draft.text.ok_or_else(|| missing("text"))?;
                shown_text("text", text, &TEXT_CHARS).map(PollAnswer::Text)
            }
            PollKind::Ranking => {
                let order = positions(
                    draft.ranking.ok_or_else(|| missing("ranking"))?,
                    poll,
                    "ranking",
                )?;
                let mut sorted = order.clone();
                sorted.sort_unstable();
                if sorted != (0..poll.options.len()).collect::<Vec<_>>() {
                    return Err(Invalid::new(
                        "ranking",
                        "Put every option in order, each once.",
                    ));
                }
                Ok(PollAnswer::Ranking(order))
            }
        }
    }
}

/// An answer as stored: the shape the API takes it in.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    choices: Option<Vec<usize>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    other: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rating: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    words: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ranking: Option<Vec<usize>>,
}

impl PollAnswer {
    /// The answer as JSON, as the API takes it (`{"choices": [0, 2]}`, `{"rating": 4}`, ...).
    pub fn to_stored(&self) -> String {
        let stored = match self {
            PollAnswer::Choices { picked, other } => Stored {
                choices: Some(picked.clone()),
                other: other.clone(),
                ..Stored::default()
            },
            PollAnswer::Rating(rating) => Stored {
                rating: Some(*rating),
                ..Stored::default()
            },
            PollAnswer::Words(words) => Stored {
                words: Some(words.clone()),
                ..Stored::default()
            },
            PollAnswer::Text(text) => Stored {
                text: Some(text.clone()),
                ..Stored::default()
            },
            PollAnswer::Ranking(order) => Stored {
                ranking: Some(order.clone()),
                ..Stored::default()
            },
        };
        // A struct of numbers, strings and options always serialises.
        serde_json::to_string(&stored).unwrap_or_default()
    }

    /// An answer stored by [`PollAnswer::to_stored`]; `None` when it is not one (it was
    /// checked on the way in, so this is a damaged row, and it is left out of the counts).
    pub fn from_stored(json: &str) -> Option<Self> {
        let stored: Stored = serde_json::from_str(json).ok()?;
        if let Some(picked) = stored.choices {
            return Some(PollAnswer::Choices {
                picked,
                other: stored.other,
            });
        }
        stored
            .rating
            .map(PollAnswer::Rating)
            .or_else(|| stored.words.map(PollAnswer::Words))
            .or_else(|| stored.text.map(PollAnswer::Text))
            .or_else(|| stored.ranking.map(PollAnswer::Ranking))
    }
}

fn positions(
    raw: &[i64],
    poll: &PollDefinition,
    field: &'static str,
) -> Result<Vec<usize>, Invalid> {
    raw.iter()
        .map(|position| {
            usize::try_from(*position)
                .ok()
                .filter(|position| *position < poll.options.len())
                .ok_or_else(|| {
                    Invalid::new(
                        field,
                        format!(
                            "Options are numbered 0 to {}; {position} is not one.",
                            poll.options.len().saturating_sub(1)
                        ),
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::poll::ResultsShown;

    fn options(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|text| (*text).to_owned()).collect()
    }

    fn choice(multiple: bool) -> PollDefinition {
        PollDefinition {
            kind: PollKind::Choice,
            prompt: "What do you want from this session?".into(),
            options: options(&["Docs", "Q&A", "Roadmap"]),
            multiple,
            other: true,
            scale: 0,
            low_label: None,
            high_label: None,
            results: ResultsShown::Live,
        }
    }

    #[test]
    fn answers_are_stored_as_the_api_takes_them() {
        let answers = [
            PollAnswer::Choices {
                picked: vec![0, 2],
                other: Some("Packaging".into()),
            },
            PollAnswer::Rating(4),
            PollAnswer::Words(vec!["docs".into(), "<b>".into()]),
            PollAnswer::Text("More \"examples\"".into()),
            PollAnswer::Ranking(vec![1, 0]),
        ];
        for answer in answers {
            assert_eq!(PollAnswer::from_stored(&answer.to_stored()), Some(answer));
        }
        assert_eq!(
            PollAnswer::Rating(4).to_stored(),
            r#"{"rating":4}"#,
            "the API's shape"
        );
        assert_eq!(PollAnswer::from_stored("{}"), None);
        assert_eq!(PollAnswer::from_stored("not json"), None);
    }

    #[test]
    fn answers_fit_their_poll() {
        let single = choice(false);
        let several = choice(true);
        let picked = |poll: &PollDefinition, choices: &[i64]| {
            PollAnswer::parse(
                poll,
                &DraftAnswer {
                    choices: Some(choices),
                    ..DraftAnswer::default()
                },
            )
        };
        let choices = |picked: Vec<usize>| PollAnswer::Choices {
            picked,
            other: None,
        };
        assert_eq!(picked(&single, &[2]).unwrap(), choices(vec![2]));
        assert!(picked(&single, &[0, 1]).is_err());
        assert_eq!(picked(&several, &[2, 0]).unwrap(), choices(vec![0, 2]));
        let own = |poll: &PollDefinition, choices: Option<&'static [i64]>| {
            PollAnswer::parse(
                poll,
                &DraftAnswer {
                    choices,
                    other: Some(" Packaging "),
                    ..DraftAnswer::default()
                },
            )
        };
        assert_eq!(
            own(&single, None).unwrap(),
            PollAnswer::Choices {
                picked: Vec::new(),
                other: Some("Packaging".into())
            }
        );
        assert!(own(&single, Some(&[1])).is_err(), "one answer only");
        assert!(own(&several, Some(&[1])).is_ok());
        let closed = PollDefinition {
            other: false,
            ..choice(false)
        };
        assert_eq!(own(&closed, None).unwrap_err().field, "other");
        assert!(picked(&several, &[1, 1]).is_err());
        assert!(picked(&single, &[3]).is_err());
        assert!(picked(&single, &[-1]).is_err());
        assert!(picked(&single, &[]).is_err());
        let ranking = PollDefinition {
            kind: PollKind::Ranking,
            ..choice(false)
        };
        let ranked = |order: &[i64]| {
            PollAnswer::parse(
                &ranking,
                &DraftAnswer {
                    ranking: Some(order),
                    ..DraftAnswer::default()
                },
            )
        };
        assert_eq!(
            ranked(&[2, 0, 1]).unwrap(),
            PollAnswer::Ranking(vec![2, 0, 1])
        );
        assert!(ranked(&[2, 2, 1]).is_err(), "an option repeated");
        assert!(ranked(&[2, 0]).is_err(), "an option left out");
        // The field of another kind is not read.
        assert_eq!(
            PollAnswer::parse(
                &ranking,
                &DraftAnswer {
                    rating: Some(3),
                    ..DraftAnswer::default()
                }
            )
            .unwrap_err()
            .field,
            "ranking"
        );
        let words = PollDefinition {
            kind: PollKind::Words,
            options: Vec::new(),
            ..choice(false)
        };
        let four = options(&["a", "b", "c", "d"]);
        assert!(PollAnswer::parse(
            &words,
            &DraftAnswer {
                words: Some(&four),
                ..DraftAnswer::default()
            }
        )
        .is_err());
    }
}
