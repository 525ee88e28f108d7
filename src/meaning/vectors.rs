//! The stored vectors of the current model, kept in memory by every instance: a reader thread
//! follows new rows of the `embeddings` table by id (the embedder, on whichever instance holds
//! the lock, only ever adds rows), so each instance ranks by meaning without asking the database.
//! Brute force over an event's or the FAQ's vectors: 384 multiplications a question, some 16,000
//! questions in a few milliseconds.

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
    /// question → (the question it counts for, its vector)
    by_question: HashMap<i64, (i64, Box<[f32]>)>,
    /// question it counts for → the questions whose vectors count for it
    by_owner: HashMap<i64, Vec<i64>>,
    last_row: i64,
}

impl Table {
    fn put(&mut self, row: db::embeddings::StoredVector) {
        let vector = from_bytes(&row.vector).into_boxed_slice();
        if let Some((old_owner, _)) = self
            .by_question
            .insert(row.question_id, (row.owner_id, vector))
        {
            if old_owner != row.owner_id {
                if let Some(members) = self.by_owner.get_mut(&old_owner) {
                    members.retain(|member| *member != row.question_id);
                }
            }
        }
        let members = self.by_owner.entry(row.owner_id).or_default();
        if !members.contains(&row.question_id) {
            members.push(row.question_id);
        }
        self.last_row = self.last_row.max(row.id);
    }

    /// The best cosine between `query` and any vector counting for `owner`.
    fn closeness(&self, query: &[f32], owner: i64) -> Option<f32> {
        self.best(owner, |vector| cosine(query, vector))
    }

    /// The best of `measure` over the vectors counting for `owner`.
    fn best(&self, owner: i64, measure: impl Fn(&[f32]) -> f32) -> Option<f32> {
        self.by_owner
            .get(&owner)?
            .iter()
            .filter_map(|member| self.by_question.get(member))
            .filter(|(counts_for, _)| *counts_for == owner)
            .map(|(_, vector)| measure(vector))
            .reduce(f32::max)
    }
}

/// A handle on the in-memory vectors; clones share them.
#[derive(Clone)]
pub struct Vectors {
    table: Arc<RwLock<Table>>,
}

impl Vectors {
    /// Loads the stored vectors of `model` and keeps following new ones until the last handle
    /// goes.
    pub fn start(db: Db, model: String, handle: Handle) -> std::io::Result<Self> {
        let vectors = Self {
            table: Arc::new(RwLock::new(Table::default())),
        };
        let table = Arc::downgrade(&vectors.table);
        std::thread::Builder::new()
            .name("vector-reader".into())
            .spawn(move || follow(db, model, handle, table))?;
        Ok(vectors)
    }

    /// The `limit` questions among `owners` closest to `query`, closest first.
    pub fn nearest(&self, query: &[f32], owners: &[i64], limit: usize) -> Vec<(i64, f32)> {
        let Ok(table) = self.table.read() else {
            return Vec::new();
        };
        let mut scored: Vec<(i64, f32)> = owners
            .iter()
            .filter_map(|&owner| Some((owner, table.closeness(query, owner)?)))
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

    /// How close `query` is to each of `owners` that has a vector.
    pub fn closeness(&self, query: &[f32], owners: &[i64]) -> HashMap<i64, f32> {
        let Ok(table) = self.table.read() else {
            return HashMap::new();
        };
        owners
            .iter()
            .filter_map(|&owner| Some((owner, table.closeness(query, owner)?)))
            .collect()
    }

    /// What the questions `owners` share (their own vectors' background), to compare past it.
    pub fn background(&self, owners: &[i64]) -> Option<Background> {
        let table = self.table.read().ok()?;
        Background::of(
            owners
                .iter()
                .filter_map(|owner| table.by_question.get(owner))
                .map(|(_, vector)| &vector[..]),
        )
    }

    /// How close `query` is to each of `owners` that has a vector, past `background`.
    pub fn closeness_past(
        &self,
        query: &[f32],
        owners: &[i64],
        background: &Background,
    ) -> HashMap<i64, f32> {
        let Ok(table) = self.table.read() else {
            return HashMap::new();
        };
        owners
            .iter()
            .filter_map(|&owner| {
                let closeness = table.best(owner, |vector| background.closeness(query, vector))?;
                Some((owner, closeness))
            })
            .collect()
    }

    /// The vector of one question, when it has one.
    pub fn of(&self, question_id: i64) -> Option<Box<[f32]>> {
        let table = self.table.read().ok()?;
        table
            .by_question
            .get(&question_id)
            .map(|(_, vector)| vector.clone())
    }

    pub fn len(&self) -> usize {
        self.table.read().map_or(0, |table| table.by_question.len())
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
            db.read(move |conn| db::embeddings::written_after(conn, &wanted, after, BATCH)),
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
                    table.put(row);
                }
            }
            Ok(_) => std::thread::sleep(POLL),
            Err(error) => {
                tracing::warn!(%error, "could not read stored vectors; retrying");
                std::thread::sleep(Duration::from_secs(1));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meaning::unit_vectors::to_bytes;

    fn row(
        id: i64,
        question_id: i64,
        owner_id: i64,
        vector: &[f32],
    ) -> db::embeddings::StoredVector {
        db::embeddings::StoredVector {
            id,
            question_id,
            owner_id,
            vector: to_bytes(vector),
        }
    }

    #[test]
    fn a_question_counts_by_its_closest_phrasing_and_moves_with_its_owner() {
        let mut table = Table::default();
        table.put(row(1, 10, 10, &[1.0, 0.0]));
        table.put(row(2, 11, 11, &[0.0, 1.0]));
        assert_eq!(table.closeness(&[0.0, 1.0], 10), Some(0.0));
        // 11 merged into 10: its phrasing now counts for 10.
        table.put(row(3, 11, 10, &[0.0, 1.0]));
        assert_eq!(table.closeness(&[0.0, 1.0], 10), Some(1.0));
        assert_eq!(table.closeness(&[0.0, 1.0], 11), None);
        // and back.
        table.put(row(4, 11, 11, &[0.0, 1.0]));
        assert_eq!(table.closeness(&[0.0, 1.0], 10), Some(0.0));
        assert_eq!(table.last_row, 4);
    }
}
