//! `faqtory model list`: every sentence encoder in the data directory, what it is, which use
//! takes it, and how far its vectors are; and vectors still stored for models no longer used.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::meaning::catalog;
use crate::meaning::files::{self, Chosen, CONFIG, WEIGHTS};
use crate::startup::open_database;

#[derive(Deserialize)]
struct NetworkShape {
    #[serde(default)]
    model_type: Option<String>,
    #[serde(default)]
    hidden_size: Option<usize>,
}

/// One installed model as the list shows it.
struct Listed {
    name: String,
    /// `name@<start of the weights' SHA-256>`, as its stored vectors are marked.
    tag: String,
    about: String,
    uses: Vec<&'static str>,
}

fn describe(dir: &Path, name: &str) -> anyhow::Result<(String, String)> {
    let shape: NetworkShape = serde_json::from_slice(&std::fs::read(dir.join(CONFIG))?)?;
    let network = match shape.model_type.as_deref() {
        Some("mpnet") => "MPNet",
        _ => "BERT",
    };
    let mut weights = std::fs::File::open(dir.join(WEIGHTS))?;
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut weights, &mut hasher)?;
    let digest = hex::encode(hasher.finalize());
    let known = if catalog::by_weights(&digest).is_some() {
        ""
    } else {
        ", not a model faqtory knows"
    };
    let dimensions = shape
        .hidden_size
        .map_or_else(String::new, |size| format!(", {size} dimensions"));
    let about = format!(
        "{network}{dimensions}, {} MB{known}",
        bytes.div_ceil(1_000_000)
    );
    Ok((format!("{name}@{}", &digest[..12]), about))
}

pub async fn list(config: &Config) -> anyhow::Result<()> {
    let chosen = files::choose_for_each_use(&config.model, &config.live_model, &config.data_dir);
    let mut listed = Vec::new();
    for name in files::installed(&config.data_dir) {
        let dir = files::models_dir(&config.data_dir).join(&name);
        let (tag, about) = match describe(&dir, &name) {
            Ok(found) => found,
            Err(error) => (String::new(), format!("unreadable: {error}")),
        };
        let uses = chosen
            .iter()
            .filter(|(_, chosen)| *chosen == Chosen::Dir(dir.clone()))
            .map(|(use_, _)| use_.describe())
            .collect();
        listed.push(Listed {
            name,
            tag,
            about,
            uses,
        });
    }
    if listed.is_empty() {
        println!(
            "No sentence encoder is installed in {}: run `faqtory model fetch`.",
            files::models_dir(&config.data_dir).display()
        );
    }
    let stored = stored_vectors(config).await;
    for model in &listed {
        let uses = if model.uses.is_empty() {
            "not used".to_owned()
        } else {
            format!("used for {}", model.uses.join(" and "))
        };
        println!("{}  ({}; {uses})", model.name, model.about);
        if let Ok((questions, counts)) = &stored {
            let vectors = counts.get(&model.tag).copied().unwrap_or(0);
            println!("    {vectors} of {questions} questions have its vectors");
        }
    }
    match stored {
        Ok((_, counts)) => {
            for (tag, vectors) in counts {
                if !listed.iter().any(|model| model.tag == tag) {
                    println!(
                        "{tag}  (not installed): {vectors} stored vectors, removed once the \
                         models in use have caught up"
                    );
                }
            }
        }
        Err(error) => println!("(the database could not be read, so no vector counts: {error:#})"),
    }
    Ok(())
}

/// Questions in all, and stored vectors by model tag.
async fn stored_vectors(config: &Config) -> anyhow::Result<(i64, BTreeMap<String, i64>)> {
    let db = open_database(&config.database_url).await?;
    let found = db
        .read(|conn| {
            Ok((
                crate::db::embeddings::question_count(conn)?,
                crate::db::embeddings::count_by_model(conn)?,
            ))
        })
        .await?;
    Ok((found.0, found.1.into_iter().collect()))
}
