//! What embedding off the request path works with: the runtime its thread waits on the database
//! through, the database, the encoder, and the one low-priority thread encoding runs on.

use std::sync::Arc;

use tokio::runtime::Handle;

use super::encoder::Encoder;
use crate::db::Db;

pub struct EmbeddingTools {
    pub handle: Handle,
    pub db: Db,
    pub encoder: Arc<Encoder>,
    /// Background work gets low-priority threads (one unless the admin allows more, shared by the
    /// models): requests come first.
    pub pool: Arc<rayon::ThreadPool>,
}
