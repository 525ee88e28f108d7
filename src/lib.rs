//! faqtory turns a community's questions into a searchable FAQ.
//!
//! The crate is laid out in layers, and inside the upper ones by capability (`events`, `asking`,
//! `moderation`, `faq`, `recording`, `outreach`, `live`, `accounts`, `operations`, the same names
//! in `app`, `routes` and `views`): `domain` holds the rules, `db`, `search`, `meaning`,
//! `transcript` and `bus` the services, `app` one function per use case, `web` what every handler
//! stands on, and `routes` and `views` the HTTP front. `ARCHITECTURE.md` is the map.
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
pub mod docs;
pub mod domain;
pub mod error;
pub mod live;
pub mod meaning;
pub mod routes;
pub mod search;
pub mod speech;
pub mod startup;
pub mod telemetry;
pub mod threads;
pub mod transcript;
pub mod views;
pub mod web;
