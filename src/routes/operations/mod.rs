//! For operators and browsers' plumbing: health, readiness, metrics, assets, favicon.

pub(crate) mod health;
