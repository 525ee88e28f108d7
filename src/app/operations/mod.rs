//! For operators: whether this instance is ready to serve.

pub mod readiness;
