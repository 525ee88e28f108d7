//! Where models live, what one is made of, and which installed model a setting picks.

use std::path::{Path, PathBuf};

use super::catalog::{self, Use};
use super::settings::{is_plain_name, ModelSetting};

pub const CONFIG: &str = "config.json";
pub const TOKENIZER: &str = "tokenizer.json";
pub const POOLING: &str = "1_Pooling/config.json";
pub const WEIGHTS: &str = "model.safetensors";

/// Every file a model directory needs, the weights last (the long download).
pub const MODEL_FILES: [&str; 4] = [CONFIG, TOKENIZER, POOLING, WEIGHTS];

/// What `faqtory model fetch` downloads with no `--from`.
pub const DEFAULT_MODEL: &str = catalog::ALL_MINILM_L6_V2.name;
/// The Hugging Face revision fetched, pinned so that every site embeds alike.
pub const DEFAULT_REVISION: &str = "c9745ed1d9f207416be6d2e6f8de32d1f16199bf";
pub const DEFAULT_BASE_URL: &str =
    "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve";

/// `<data-dir>/models`.
pub fn models_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("models")
}

/// A directory holds a model when every file is there (fetching writes them elsewhere and moves
/// the whole directory in at the end).
pub fn is_complete(dir: &Path) -> bool {
    MODEL_FILES.iter().all(|file| dir.join(file).is_file())
}

/// The sentence encoders installed under `<data-dir>/models`, by name, sorted.
pub fn installed(data_dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(models_dir(data_dir)) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|entry| is_complete(&entry.path()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| is_plain_name(name))
        .collect();
    names.sort();
    names
}

/// Where a use's model is, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    Off,
    Dir(PathBuf),
    /// `auto` with nothing installed.
    NoneInstalled {
        looked_in: PathBuf,
    },
    /// A name or path that holds no complete model.
    NotThere {
        wanted: String,
        installed: Vec<String>,
    },
}

/// The model `setting` picks for `use_`. On `auto`, stored text takes the best installed model
/// (all-mpnet-base-v2, then all-MiniLM-L6-v2, then any other), and live suggestions take the
/// fastest (all-MiniLM-L6-v2), else the same model as stored text (`stored`).
pub fn choose(setting: &ModelSetting, use_: Use, data_dir: &Path, stored: &Chosen) -> Chosen {
    let models = models_dir(data_dir);
    match setting {
        ModelSetting::Off => Chosen::Off,
        ModelSetting::Path(path) if is_complete(path) => Chosen::Dir(path.clone()),
        ModelSetting::Path(path) => Chosen::NotThere {
            wanted: path.display().to_string(),
            installed: installed(data_dir),
        },
        ModelSetting::Named(name) if is_complete(&models.join(name)) => {
            Chosen::Dir(models.join(name))
        }
        ModelSetting::Named(name) => Chosen::NotThere {
            wanted: name.clone(),
            installed: installed(data_dir),
        },
        ModelSetting::Auto => {
            let installed = installed(data_dir);
            let preferred = use_
                .preferred()
                .iter()
                .find(|name| installed.iter().any(|there| there == *name))
                .map(|name| (*name).to_owned());
            match (use_, preferred) {
                (_, Some(name)) => Chosen::Dir(models.join(name)),
                (Use::Live, None) => stored.clone(),
                (Use::Stored, None) => match installed.into_iter().next() {
                    Some(name) => Chosen::Dir(models.join(name)),
                    None => Chosen::NoneInstalled { looked_in: models },
                },
            }
        }
    }
}

/// The model each use takes, as the server picks them.
pub fn choose_for_each_use(
    stored: &ModelSetting,
    live: &ModelSetting,
    data_dir: &Path,
) -> [(Use, Chosen); 2] {
    let stored = choose(stored, Use::Stored, data_dir, &Chosen::Off);
    let live = choose(live, Use::Live, data_dir, &stored);
    [(Use::Stored, stored), (Use::Live, live)]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn install(data_dir: &Path, name: &str) {
        let dir = models_dir(data_dir).join(name);
        for file in MODEL_FILES {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap_or(&dir)).unwrap();
            std::fs::write(path, b"").unwrap();
        }
    }

    #[test]
    fn auto_takes_the_best_model_for_stored_text_and_the_fastest_for_typing() {
        let data_dir = std::env::temp_dir().join(format!("faqtory-choose-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data_dir);
        let models = models_dir(&data_dir);
        let auto = ModelSetting::Auto;
        let [(_, stored), (_, live)] = choose_for_each_use(&auto, &auto, &data_dir);
        assert_eq!(
            stored,
            Chosen::NoneInstalled {
                looked_in: models.clone()
            }
        );
        assert_eq!(live, stored);

        install(&data_dir, "my-encoder");
        let [(_, stored), (_, live)] = choose_for_each_use(&auto, &auto, &data_dir);
        assert_eq!(stored, Chosen::Dir(models.join("my-encoder")));
        assert_eq!(live, stored);

        install(&data_dir, "all-mpnet-base-v2");
        install(&data_dir, "all-MiniLM-L6-v2");
        let [(_, stored), (_, live)] = choose_for_each_use(&auto, &auto, &data_dir);
        assert_eq!(stored, Chosen::Dir(models.join("all-mpnet-base-v2")));
        assert_eq!(live, Chosen::Dir(models.join("all-MiniLM-L6-v2")));

        let named = ModelSetting::Named("my-encoder".into());
        let [(_, stored), (_, live)] = choose_for_each_use(&named, &auto, &data_dir);
        assert_eq!(stored, Chosen::Dir(models.join("my-encoder")));
        assert_eq!(live, Chosen::Dir(models.join("all-MiniLM-L6-v2")));

        let missing = ModelSetting::Named("absent".into());
        let [(_, stored), (_, live)] = choose_for_each_use(&missing, &ModelSetting::Off, &data_dir);
        assert_eq!(
            stored,
            Chosen::NotThere {
                wanted: "absent".into(),
                installed: vec![
                    "all-MiniLM-L6-v2".into(),
                    "all-mpnet-base-v2".into(),
                    "my-encoder".into()
                ],
            }
        );
        assert_eq!(live, Chosen::Off);
        let _ = std::fs::remove_dir_all(&data_dir);
    }

    #[test]
    fn a_setting_without_a_path_separator_is_a_name() {
        let parsed = |text: &str| text.parse::<ModelSetting>().ok();
        assert_eq!(parsed("auto"), Some(ModelSetting::Auto));
        assert_eq!(parsed(" off "), Some(ModelSetting::Off));
        assert_eq!(
            parsed("all-mpnet-base-v2"),
            Some(ModelSetting::Named("all-mpnet-base-v2".into()))
        );
        assert_eq!(
            parsed("./models/x"),
            Some(ModelSetting::Path("./models/x".into()))
        );
        assert_eq!(
            parsed("/srv/models/x"),
            Some(ModelSetting::Path("/srv/models/x".into()))
        );
        assert_eq!(parsed(".."), Some(ModelSetting::Path("..".into())));
    }
}
