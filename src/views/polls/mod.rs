//! Polls as pages show them: the answer form, the results (bars, histogram, word cloud), and the
//! participant's page of an event's polls.

pub mod admin;
pub mod form;
pub mod groups;
pub mod new_poll_form;
pub mod page;
pub mod results;
pub mod teaser;
pub mod word_cloud;
