//! `faqtory reindex`: rebuilds the search index from the database, with a progress bar.

use std::time::Instant;

use anyhow::Context;

use super::data_dir::prepare_data_dir;
use super::progress::ProgressBar;
use crate::config::Config;
use crate::search;
use crate::startup::open_database;

pub async fn reindex(config: Config) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    let db = open_database(&config.database_url).await?;
    let dir = search::index_dir(&config.data_dir);
    let started = Instant::now();
    let seq = tokio::task::spawn_blocking(move || {
        let mut bar = ProgressBar::new("questions indexed");
        search::reindex(&db, &dir, |done, total| bar.show(done, total))
    })
    .await
    .context("running the rebuild")??;
    eprintln!(
        "Rebuilt the search index in {:.1} s (up to change {seq}).",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
