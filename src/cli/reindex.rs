//! `faqtory reindex`: rebuilds the search index from the database, with a progress bar.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use anyhow::Context;

use super::prepare_data_dir;
use crate::config::Config;
use crate::search;
use crate::startup::open_database;

pub async fn reindex(config: Config) -> anyhow::Result<()> {
    prepare_data_dir(&config)?;
    let db = open_database(&config.database_url).await?;
    let dir = search::index_dir(&config.data_dir);
    let started = Instant::now();
    let seq = tokio::task::spawn_blocking(move || {
        let mut bar = ProgressBar::new();
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

/// A one-line bar on a terminal; a line per tenth otherwise (logs).
struct ProgressBar {
    terminal: bool,
    last_tenth: u64,
}

impl ProgressBar {
    fn new() -> Self {
        Self {
            terminal: std::io::stderr().is_terminal(),
            last_tenth: u64::MAX,
        }
    }

    fn show(&mut self, done: u64, total: u64) {
        const WIDTH: u64 = 30;
        let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let bar: String = (0..WIDTH)
                .map(|cell| if cell < filled { '█' } else { '░' })
                .collect();
            let _ = write!(err, "\r{bar} {done}/{total} entries");
            if done >= total {
                let _ = writeln!(err);
            }
        } else {
            let tenth = (done * 10).checked_div(total).unwrap_or(10);
            if tenth != self.last_tenth {
                self.last_tenth = tenth;
                let _ = writeln!(err, "indexed {done}/{total} entries");
            }
        }
    }
}
