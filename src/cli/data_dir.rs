//! The data directory and the database in it, as commands other than `serve` need them.

use anyhow::{bail, Context};

use crate::config::Config;
use crate::db::DatabaseUrl;

pub(super) fn require_existing_database(config: &Config) -> anyhow::Result<()> {
    if let DatabaseUrl::Sqlite(path) = &config.database_url {
        if !std::path::Path::new(path).exists() {
            bail!(
                "there is no database at {path}. Is the data directory right (--data-dir or \
                 FAQTORY_DATA_DIR)? `faqtory serve` or `faqtory migrate` creates one."
            );
        }
    }
    Ok(())
}

pub(super) fn prepare_data_dir(config: &Config) -> anyhow::Result<()> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating the data directory {}", config.data_dir.display()))
}
