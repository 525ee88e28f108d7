//! Whether a use matches by meaning, and if not, why: for the start-up log and the moderators'
//! page.

use std::path::PathBuf;

use super::engine::Engine;
use super::files::Chosen;

/// Whether the site matches by meaning, and if not, why.
#[derive(Debug, Clone)]
pub enum Availability {
    Ready { model: String, dimensions: usize },
    Off,
    Missing { looked_in: PathBuf },
    Broken { error: String },
}

impl Availability {
    pub(super) fn of_engine(engine: Option<&Engine>, chosen: &Chosen) -> Self {
        match engine {
            Some(engine) => Self::Ready {
                model: engine.encoder.tag().to_owned(),
                dimensions: engine.encoder.dimensions(),
            },
            None => Self::of_absent(chosen.clone()),
        }
    }

    /// Why a use has no model.
    pub fn of_absent(chosen: Chosen) -> Self {
        match chosen {
            Chosen::Dir(_) | Chosen::Off => Self::Off,
            Chosen::NoneInstalled { looked_in } => Self::Missing { looked_in },
            Chosen::NotThere { wanted, installed } => Self::Broken {
                error: if installed.is_empty() {
                    format!("{wanted} does not hold a complete model, and none is installed")
                } else {
                    format!(
                        "{wanted} does not hold a complete model; installed: {}",
                        installed.join(", ")
                    )
                },
            },
        }
    }

    /// One sentence for the start-up log and the moderators' page.
    pub fn describe(&self) -> String {
        match self {
            Self::Ready { model, dimensions } => {
                format!("Matching by meaning with {model} ({dimensions} dimensions).")
            }
            Self::Off => "Matching by words only: FAQTORY_MODEL is off.".into(),
            Self::Missing { looked_in } => format!(
                "Matching by words only: no model in {}. Run `faqtory model fetch` to match by \
                 meaning.",
                looked_in.display()
            ),
            Self::Broken { error } => format!(
                "Matching by words only: the model could not be loaded ({error}). Run \
                 `faqtory model fetch` again."
            ),
        }
    }
}
