//! The stored vectors of documentation sections, kept in memory by every instance as the
//! questions' are (see `vectors`): a reader thread follows new rows by id. Brute force over them
//! all: 16,000 sections are some six million multiplications, a few milliseconds.

use std::collections::HashMap;
use std::sync::{Arc, RwLock, Weak};
use std::time::Duration;

use tokio::runtime::Handle;

use super::background::Background;
use super::unit_vectors::{cosine, from_bytes};
use crate::db::{self, Db};

const POLL: Duration = Duration::from_millis(100);
const BATCH: i64 = 2_000;

#[derive(Default)]
struct Table {
    by_section: HashMap<i64, Box<[f32]>>,
    last_row: i64,
    /// What every section shares (the project's name), recomputed after new rows arrive.
    background: Option<Background>,
    background_is_stale: bool,
}

/// A handle on the sections' vectors; clones share them.
#[derive(Clone)]
pub struct DocVectors {
    table: Arc<RwLock<Table>>,
}

impl DocVectors {
    /// Loads the stored vectors of `model` and keeps following new ones until the last handle
    /// goes.
    pub fn start(db: Db, model: String, handle: Handle) -> std::io::Result<Self> {
        let vectors = Self {
            table: Arc::new(RwLock::new(Table::default())),
        };
        let table = Arc::downgrade(&vectors.table);
        std::thread::Builder::new()
            .name("doc-vector-reader".into())
            .spawn(move || follow(db, model, handle, table))?;
        Ok(vectors)
    }

    /// The `limit` sections closest to `query`, closest first, with their cosines.
    pub fn nearest(&self, query: &[f32], limit: usize) -> Vec<(i64, f32)> {
        let Ok(table) = self.table.read() else {
            return Vec::new();
        };
        let mut scored: Vec<(i64, f32)> = table
            .by_section
            .iter()
            .map(|(id, vector)| (*id, cosine(query, vector)))
            .collect();
        drop(table);
        let limit = limit.min(scored.len());
        if limit == 0 {
            return Vec::new();
        }
        scored.select_nth_unstable_by(limit - 1, |a, b| b.1.total_cmp(&a.1));
        scored.truncate(limit);
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored
    }

    /// How close `query` is to each of `sections` that has a vector: the cosine, and the
    /// closeness past what all sections share.
    pub fn closeness(&self, query: &[f32], sections: &[i64]) -> HashMap<i64, (f32, f32)> {
        self.refresh_background();
        let Ok(table) = self.table.read() else {
            return HashMap::new();
        };
        sections
            .iter()
            .filter_map(|id| {
                let vector = table.by_section.get(id)?;
                let raw = cosine(query, vector);
                let past = table
                    .background
                    .as_ref()
                    .map_or(raw, |background| background.closeness(query, vector));
                Some((*id, (raw, past)))
            })
            .collect()
    }

    fn refresh_background(&self) {
        let stale = self
            .table
            .read()
            .is_ok_and(|table| table.background_is_stale);
        if !stale {
            return;
        }
        if let Ok(mut table) = self.table.write() {
            table.background = Background::of(table.by_section.values().map(|vector| &vector[..]));
            table.background_is_stale = false;
        }
    }

    pub fn len(&self) -> usize {
        self.table.read().map_or(0, |table| table.by_section.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The newest row applied (tests and benchmarks wait on it).
    pub fn last_row(&self) -> i64 {
        self.table.read().map_or(0, |table| table.last_row)
    }
}

fn follow(db: Db, model: String, handle: Handle, table: Weak<RwLock<Table>>) {
    loop {
        let Some(strong) = table.upgrade() else {
            return;
        };
        let after = strong.read().map_or(0, |table| table.last_row);
        drop(strong);
        let wanted = model.clone();
        let rows = handle.block_on(
            db.read(move |conn| db::doc_vectors::written_after(conn, &wanted, after, BATCH)),
        );
        match rows {
            Ok(rows) if !rows.is_empty() => {
                let Some(strong) = table.upgrade() else {
                    return;
                };
                let mut table = match strong.write() {
                    Ok(table) => table,
                    Err(poisoned) => poisoned.into_inner(),
                };
                for row in rows {
                    table
                        .by_section
                        .insert(row.section_id, from_bytes(&row.vector).into_boxed_slice());
                    table.last_row = table.last_row.max(row.id);
                }
                table.background_is_stale = true;
            }
            Ok(_) => std::thread::sleep(POLL),
            Err(error) => {
                tracing::warn!(%error, "could not read documentation vectors; retrying");
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }
}
