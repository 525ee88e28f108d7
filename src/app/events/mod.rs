//! Events and their life: creating one and changing its settings and status, its page's
//! questions, carrying unanswered questions over to another event, export and restore.

pub mod carry_over;
pub mod export;
pub mod export_csv;
pub mod import;
pub mod lifecycle;
pub mod listing;
pub mod page;
pub mod taking_questions;
