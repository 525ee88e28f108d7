//! What topics compare questions by: the sentence encoder's vectors when a model is loaded, or
//! the question's words hashed into a vector of fixed length without one. Every topic of a
//! grouping is made on one basis; new questions join on the basis of the last grouping, and a
//! regrouping moves to the basis available now.

use crate::meaning::Meaning;
use crate::search::content_stems;

/// The length of a vector of hashed words: long enough that two different words rarely share a
/// place, short enough that twenty thousand questions fit in memory easily.
const WORD_DIMENSIONS: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// The encoder's vectors, by the model's tag.
    Meaning(String),
    Words,
}

pub const WORDS: &str = "words";

impl Basis {
    /// The basis available now.
    pub fn current(meaning: &Meaning) -> Self {
        meaning.model_tag().map_or(Basis::Words, Basis::Meaning)
    }

    pub fn parse(stored: &str) -> Self {
        if stored == WORDS {
            Basis::Words
        } else {
            Basis::Meaning(stored.to_owned())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Basis::Meaning(tag) => tag,
            Basis::Words => WORDS,
        }
    }

    /// How close (cosine to a topic's centroid) a question must be to join the topic. Set on
    /// StackFAQ's paraphrased queries (`bench/topic_quality.rs`): closer, and topics split into
    /// many small ones; looser, and unrelated questions share a topic.
    pub fn joining_closeness(&self) -> f32 {
        match self {
            Basis::Meaning(_) => 0.6,
            Basis::Words => 0.45,
        }
    }

    /// Whether vectors on this basis can be had now.
    pub fn usable(&self, meaning: &Meaning) -> bool {
        match self {
            Basis::Meaning(tag) => meaning.model_tag().as_deref() == Some(tag.as_str()),
            Basis::Words => true,
        }
    }
}

/// The words of `text` (stems, stop words aside) hashed into a unit vector; `None` when it has
/// no words that say anything.
pub fn word_vector(text: &str) -> Option<Vec<f32>> {
    let stems = content_stems(text);
    if stems.is_empty() {
        return None;
    }
    let mut vector = vec![0.0f32; WORD_DIMENSIONS];
    for stem in &stems {
        let place = usize::try_from(fnv1a(stem.as_bytes()) % WORD_DIMENSIONS as u64).unwrap_or(0);
        vector[place] += 1.0;
    }
    let length = vector.iter().map(|value| value * value).sum::<f32>().sqrt();
    for value in &mut vector {
        *value /= length;
    }
    Some(vector)
}

/// A hash that is the same on every machine and in every version, so groupings repeat.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meaning::unit_vectors::cosine;

    #[test]
    fn texts_sharing_words_are_close_and_others_are_not() {
        let docker = word_vector("How do I run it in Docker?").unwrap();
        let docker_again = word_vector("Running in docker containers").unwrap();
        let licence = word_vector("Which licence covers the code?").unwrap();
        assert!(cosine(&docker, &docker_again) > 0.3);
        assert!(cosine(&docker, &licence) < 0.1);
        assert!((cosine(&docker, &docker) - 1.0).abs() < 1e-5);
    }

    #[test]
    fn a_text_of_stop_words_has_no_vector() {
        assert!(word_vector("what is it?").is_none());
    }

    #[test]
    fn the_basis_round_trips_through_its_stored_form() {
        assert_eq!(Basis::parse(WORDS), Basis::Words);
        let tag = Basis::Meaning("model-abc".into());
        assert_eq!(Basis::parse(tag.as_str()), tag);
    }
}
