//! The curation dashboard (its rows, forms and the models behind them), merging, duplicate
//! groups and the audit log.

pub mod audit_log;
pub mod dashboard;
pub mod dashboard_forms;
pub mod dashboard_row;
pub mod dashboard_view;
pub mod duplicates;
pub mod merge;
