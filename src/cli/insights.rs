//! `faqtory insights regroup`: groups every question and failed search into topics afresh, as
//! the API's regrouping does, and waits for it.

use std::time::{Duration, Instant};

use anyhow::Context;

use super::data_dir::prepare_data_dir;
use crate::app::insights::{regroup, TopicWork};
use crate::config::Config;
use crate::startup::{open_database, start_meaning};

/// How often to look whether the embedder has given every question its vector.
const CATCH_UP_POLL: Duration = Duration::from_millis(200);

pub async fn regroup(config: Config) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    let db = open_database(&config.database_url).await?;
    let meaning = start_meaning(&config, &db).await?.now();
    if meaning.is_ready() && !meaning.caught_up() {
        eprintln!("Waiting for every question to have its vector…");
        while !meaning.caught_up() {
            tokio::time::sleep(CATCH_UP_POLL).await;
        }
    }
    let started = Instant::now();
    let regrouping = regroup::start(&db, &meaning, &TopicWork::default(), None)
        .await
        .context("starting the regrouping")?;
    let row = regrouping
        .run(&db, &meaning)
        .await
        .context("regrouping topics")?;
    println!(
        "Regrouped into {} topics by {} in {:.1} s (regrouping {}).",
        row.topic_count,
        row.basis,
        started.elapsed().as_secs_f64(),
        row.id
    );
    Ok(())
}
