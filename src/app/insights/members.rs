//! What topics are made of — questions, searches that found nothing, open-text poll answers —
//! and their vectors on a grouping's basis, and the words that label each topic.

use std::collections::HashMap;

use crate::app::insights::basis::{word_vector, Basis};
use crate::db::{self, DbConnection};
use crate::domain::distinctive_words;
use crate::error::AppError;
use crate::meaning::Meaning;

/// How many words label a topic.
const LABEL_WORDS: usize = 3;
/// Searches and poll answers embedded at a time (each call has a time budget).
const SEARCH_BATCH: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Member {
    Question(i64),
    /// A search that found nothing, by its row.
    Search(i64),
    /// A shown open-text answer to a poll.
    PollAnswer(i64),
}

impl Member {
    /// One number for every kind, distinct across kinds, for comparing groupings.
    pub fn key(self) -> i64 {
        match self {
            Member::Question(id) => id.saturating_mul(3),
            Member::Search(id) => id.saturating_mul(3).saturating_add(1),
            Member::PollAnswer(id) => id.saturating_mul(3).saturating_add(2),
        }
    }
}

/// A member with its text.
#[derive(Debug, Clone)]
pub struct Item {
    pub member: Member,
    pub text: String,
}

impl Item {
    pub fn questions(rows: Vec<(i64, String)>) -> impl Iterator<Item = Item> {
        rows.into_iter().map(|(id, text)| Item {
            member: Member::Question(id),
            text,
        })
    }

    pub fn searches(rows: Vec<(i64, String)>) -> impl Iterator<Item = Item> {
        rows.into_iter().map(|(id, text)| Item {
            member: Member::Search(id),
            text,
        })
    }

    pub fn poll_answers(rows: Vec<(i64, String)>) -> impl Iterator<Item = Item> {
        rows.into_iter().map(|(id, text)| Item {
            member: Member::PollAnswer(id),
            text,
        })
    }
}

/// Where a member is now: its topic, and whether a moderator pinned it there.
#[derive(Debug, Clone, Copy)]
pub struct Placement {
    pub member: Member,
    pub topic: i64,
    pub pinned: bool,
}

/// Everything topics are made of, with its text, and where each placed member is.
pub struct Everything {
    pub items: Vec<Item>,
    pub placements: Vec<Placement>,
}

/// Reads every counted question, search and poll answer and every placement, in one read.
pub fn read_everything(conn: &mut DbConnection) -> Result<Everything, AppError> {
    let items = Item::questions(db::topic_members::counted_questions(conn)?)
        .chain(Item::searches(db::topic_members::all_searches(conn)?))
        .chain(Item::poll_answers(db::topic_poll_answers::counted(conn)?))
        .collect();
    let questions =
        db::topic_members::placed_questions(conn)?
            .into_iter()
            .map(|(question, topic, pinned)| Placement {
                member: Member::Question(question),
                topic,
                pinned,
            });
    let searches = db::topic_members::placed_searches(conn)?
        .into_iter()
        .map(|(search, topic)| Placement {
            member: Member::Search(search),
            topic,
            pinned: false,
        });
    let answers = db::topic_poll_answers::placed(conn)?
        .into_iter()
        .map(|(answer, topic)| Placement {
            member: Member::PollAnswer(answer),
            topic,
            pinned: false,
        });
    Ok(Everything {
        items,
        placements: questions.chain(searches).chain(answers).collect(),
    })
}

/// Each item's vector on `basis`, or `None` when it has none yet (a question the embedder has
/// not reached, a search the encoder had no time for, a text without words): it waits for the
/// next placement.
pub async fn vectors_of(basis: &Basis, meaning: &Meaning, items: &[Item]) -> Vec<Option<Vec<f32>>> {
    match basis {
        Basis::Words => items.iter().map(|item| word_vector(&item.text)).collect(),
        Basis::Meaning(_) => {
            let Some(stored) = meaning.vectors() else {
                return vec![None; items.len()];
            };
            let mut vectors: Vec<Option<Vec<f32>>> = items
                .iter()
                .map(|item| match item.member {
                    Member::Question(id) => stored.of(id).map(Vec::from),
                    Member::Search(_) | Member::PollAnswer(_) => None,
                })
                .collect();
            // Searches and poll answers have no stored vectors: embedded here.
            let unstored: Vec<usize> = items
                .iter()
                .enumerate()
                .filter(|(_, item)| !matches!(item.member, Member::Question(_)))
                .map(|(at, _)| at)
                .collect();
            for batch in unstored.chunks(SEARCH_BATCH) {
                let texts = batch.iter().map(|at| items[*at].text.clone()).collect();
                let Some(embedded) = meaning.embed_list(texts).await else {
                    break;
                };
                for (at, vector) in batch.iter().zip(embedded) {
                    vectors[*at] = Some(vector);
                }
            }
            vectors
        }
    }
}

/// The label words of each group of texts, set against the other groups.
pub fn label_words<K: Copy + Eq + std::hash::Hash + Ord>(
    groups: &HashMap<K, Vec<&str>>,
) -> HashMap<K, String> {
    let mut keys: Vec<K> = groups.keys().copied().collect();
    keys.sort();
    let texts: Vec<Vec<&str>> = keys
        .iter()
        .map(|key| groups.get(key).cloned().unwrap_or_default())
        .collect();
    keys.into_iter()
        .zip(distinctive_words(&texts, LABEL_WORDS))
        .map(|(key, words)| (key, words.join(", ")))
        .collect()
}
