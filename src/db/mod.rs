//! Storage: one connection type over SQLite and PostgreSQL, pools, migrations, and the queries of
//! each table. Nothing outside this module writes SQL.

/// Runs the same diesel code on the connection inside a [`DbConnection`], one arm per backend.
///
/// For what the multi-backend connection cannot compile, and for the queries of every vote:
/// through the concrete connection diesel caches the prepared statement by type instead of
/// rebuilding its SQL text on each call. Keep such spots few.
macro_rules! on_backend {
    ($conn:expr, |$inner:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConnection::Sqlite($inner) => $body,
            $crate::db::DbConnection::Postgres($inner) => $body,
        }
    };
}

pub mod answers;
pub mod api_tokens;
pub mod backup;
pub mod change_tail;
pub mod changes;
mod checkpointer;
mod connection;
pub mod curation;
pub mod digests;
pub mod doc_refresh_lease;
pub mod doc_uses;
pub mod doc_vectors;
pub mod docs;
pub mod embeddings;
pub mod events;
pub mod faq;
mod handle;
pub mod labels;
pub mod locks;
pub mod mail;
pub mod merges;
mod migrations;
pub mod moderator_votes;
pub mod moderators;
pub mod modlog;
pub mod poll_answers;
pub mod polls;
pub mod questions;
pub mod schema;
pub mod screen_times;
pub mod search_misses;
pub mod sessions;
pub mod sitemap;
pub mod topic_members;
pub mod topic_poll_answers;
pub mod topics;
pub mod transcriptions;
pub mod transcripts;
pub mod vote_batch;
pub mod voter_grants;
pub mod votes;
pub mod webhooks;
pub mod writer;

pub use connection::{ConnectError, DatabaseUrl, DbConnection, Durability};
pub use handle::Db;
pub use migrations::{has_pending_migrations, run_migrations};
