//! A participant's answer to a poll, checked against the poll: options in range and each once,
//! a rating on the poll's scale, one to three words, a short text, every option ranked once.

use super::invalid::Invalid;
use super::poll::{shown_text, PollDefinition, PollKind, TEXT_CHARS, WORDS_EACH, WORD_CHARS};

/// A participant's answer, checked against its poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollAnswer {
    /// The picked options' positions, in ascending order.
    Choices(Vec<usize>),
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
                let picked = positions(
                    draft.choices.ok_or_else(|| missing("choices"))?,
                    poll,
                    "choices",
                )?;
                let mut sorted = picked.clone();
                sorted.sort_unstable();
                sorted.dedup();
                if sorted.len() != picked.len() {
                    return Err(Invalid::new("choices", "Each option can be picked once."));
                }
                match sorted.len() {
                    0 => Err(Invalid::new("choices", "Pick an option.")),
                    1 => Ok(PollAnswer::Choices(sorted)),
                    _ if poll.multiple => Ok(PollAnswer::Choices(sorted)),
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
            scale: 0,
            results: ResultsShown::Live,
        }
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
        assert_eq!(picked(&single, &[2]).unwrap(), PollAnswer::Choices(vec![2]));
        assert!(picked(&single, &[0, 1]).is_err());
        assert_eq!(
            picked(&several, &[2, 0]).unwrap(),
            PollAnswer::Choices(vec![0, 2])
        );
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
