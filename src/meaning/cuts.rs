//! Every number that judges closeness of meaning belongs to a model: cosines spread differently
//! from one encoder to the next (all-mpnet-base-v2 puts unrelated questions closer together than
//! all-MiniLM-L6-v2 does, and paraphrases closer too), so a cut chosen for one misjudges the
//! other. `bench_cuts` calibrates them on the shared data and prints what goes here.

use super::catalog::{self, KnownModel};
use super::hybrid::{ClearLead, Linking, Relatedness};

/// One model's cuts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cuts {
    /// The share of the lexical score in the mix; the rest is closeness of meaning.
    pub lexical_weight: f32,
    /// Suggestions to someone asking: nothing that only shares the project's name.
    pub askers: Relatedness,
    /// Whether a visitor's search is answered closely; with less, the page says nothing answers
    /// closely and offers to ask. Searches are fewer words than questions, so fewer rare words
    /// in common carry as much.
    pub searches: Relatedness,
    /// Moderators see a ranked list and know their project's vocabulary when the model does not
    /// ("Pi board" and "MirageOS on a Raspberry Pi" are one question): anything somewhat close,
    /// or sharing a rare word or two.
    pub moderators: Relatedness,
    /// FAQ entries that share no word with a search are listed from this cosine on.
    pub faq_min_meaning: f32,
    /// Two searches at least this close are listed as one ("forgot password", "lost my login").
    pub same_search: f32,
    /// When the duplicates view and poll grouping take two questions to ask the same thing.
    pub same_question: Linking,
    /// A documentation section under the ask form: a wrong section is worse than none.
    pub docs_for_askers: Relatedness,
    /// A documentation section among FAQ search results.
    pub docs_for_searches: Relatedness,
    /// A section beside a moderator's question: a hint they judge.
    pub docs_for_moderators: Relatedness,
    /// The best match for a question is shown to the asker, even under `askers.close`, when it
    /// leads every other candidate this clearly: a paraphrase in other words with nothing else
    /// near it.
    pub clear_lead: ClearLead,
}

/// all-MiniLM-L6-v2's, chosen with `bench_duplicate_quality`, `bench_hangout_quality` and
/// `bench_docs_quality` (see `bench/README.md`). Also used without a model (the words-alone cuts
/// do not depend on one) and for models faqtory does not know.
pub const ALL_MINILM_L6_V2: Cuts = Cuts {
    lexical_weight: 0.1,
    askers: Relatedness {
        close: 0.5,
        floor: 0.3,
        words: 0.3,
        words_alone: 0.35,
    },
    searches: Relatedness {
        close: 0.5,
        floor: 0.3,
        words: 0.3,
        words_alone: 0.25,
    },
    moderators: Relatedness {
        close: 0.2,
        floor: f32::MIN,
        words: 0.05,
        words_alone: 0.05,
    },
    faq_min_meaning: 0.45,
    same_search: 0.6,
    same_question: Linking {
        same_meaning: 0.5,
        supported_meaning: 0.35,
        supporting_words: 0.3,
        same_words: 0.35,
    },
    docs_for_askers: Relatedness {
        close: 0.5,
        floor: 0.3,
        words: 0.5,
        words_alone: 0.6,
    },
    docs_for_searches: Relatedness {
        close: 0.45,
        floor: 0.25,
        words: 0.45,
        words_alone: 0.5,
    },
    docs_for_moderators: Relatedness {
        close: 0.5,
        floor: 0.3,
        words: 0.5,
        words_alone: 0.6,
    },
    clear_lead: ClearLead {
        lead: 0.2,
        floor: 0.3,
    },
};

/// all-mpnet-base-v2's, from `bench_cuts`: each cut of all-MiniLM-L6-v2's carried over to where
/// it lets through the same share of English SE's 885,115 question pairs, so unrelated matches
/// stay as rare while more real duplicates get through (at the askers' cut, 59 % of labelled
/// duplicates instead of 54 %; the clear lead picks the labelled duplicate 72 times and another
/// question once, where MiniLM's picks it 74 times and another 4). The lexical weight and the
/// words-alone cuts stay.
pub const ALL_MPNET_BASE_V2: Cuts = Cuts {
    lexical_weight: ALL_MINILM_L6_V2.lexical_weight,
    askers: Relatedness {
        close: 0.55,
        floor: 0.31,
        ..ALL_MINILM_L6_V2.askers
    },
    searches: Relatedness {
        close: 0.55,
        floor: 0.31,
        ..ALL_MINILM_L6_V2.searches
    },
    moderators: ALL_MINILM_L6_V2.moderators,
    faq_min_meaning: 0.49,
    same_search: 0.65,
    same_question: Linking {
        same_meaning: 0.55,
        supported_meaning: 0.37,
        ..ALL_MINILM_L6_V2.same_question
    },
    docs_for_askers: Relatedness {
        close: 0.55,
        floor: 0.31,
        ..ALL_MINILM_L6_V2.docs_for_askers
    },
    docs_for_searches: Relatedness {
        close: 0.49,
        floor: 0.26,
        ..ALL_MINILM_L6_V2.docs_for_searches
    },
    docs_for_moderators: Relatedness {
        close: 0.55,
        floor: 0.31,
        ..ALL_MINILM_L6_V2.docs_for_moderators
    },
    clear_lead: ClearLead {
        lead: 0.24,
        floor: 0.31,
    },
};

/// The cuts of the model whose tag (`name@<start of the weights' SHA-256>`) is given.
pub fn for_model(tag: Option<&str>) -> &'static Cuts {
    match tag.and_then(catalog::by_tag) {
        Some(model) => of(model),
        None => &ALL_MINILM_L6_V2,
    }
}

pub fn of(model: KnownModel) -> &'static Cuts {
    if model == catalog::ALL_MPNET_BASE_V2 {
        &ALL_MPNET_BASE_V2
    } else {
        &ALL_MINILM_L6_V2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn askers_are_spared_what_only_shares_a_name_moderators_are_not() {
        let askers = ALL_MINILM_L6_V2.askers;
        let moderators = ALL_MINILM_L6_V2.moderators;
        assert!(askers.admits(Some(0.6), 0.0) && moderators.admits(Some(0.6), 0.0));
        assert!(!askers.admits(Some(0.35), 0.0) && moderators.admits(Some(0.35), 0.0));
        assert!(
            askers.admits(Some(0.35), 0.5),
            "close, and rare words in common"
        );
        assert!(!askers.admits(Some(0.1), 0.9) && moderators.admits(Some(0.1), 0.9));
        assert!(!moderators.admits(Some(0.1), 0.01));
        assert!(askers.admits(None, 0.5) && !askers.admits(None, 0.1));
    }

    #[test]
    fn a_model_is_known_by_its_weights_not_its_folder() {
        assert_eq!(for_model(Some("renamed@78c0197b6159")), &ALL_MPNET_BASE_V2);
        assert_eq!(
            for_model(Some("all-mpnet-base-v2@000000000000")),
            &ALL_MINILM_L6_V2
        );
        assert_eq!(for_model(None), &ALL_MINILM_L6_V2);
        assert_eq!(for_model(Some("no-tag")), &ALL_MINILM_L6_V2);
    }
}
