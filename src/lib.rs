//! faqtory turns a community's questions into a searchable FAQ.
//!
//! The crate is laid out by job: `domain` holds the rules, `db` owns SQL, `app` has one function
//! per use case, `routes` and `views` are the HTTP front, `web` the cross-cutting HTTP concerns
//! (cookies, CSRF, rate limits, headers, metrics).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::todo)
)]

pub mod app;
pub mod assets;
pub mod auth;
pub mod bus;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod live;
pub mod meaning;
pub mod routes;
pub mod search;
pub mod startup;
pub mod telemetry;
pub mod transcript;
pub mod views;
pub mod web;
