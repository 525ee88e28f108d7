//! Prometheus metrics, and the middleware that counts every request under its route.

pub mod metrics;
pub mod request_metrics;
