//! Polls as pages show them: the answer form, the results (bars, histogram, word cloud), and the
//! participant's page of an event's polls.

pub mod form;
pub mod page;
pub mod results;
pub mod teaser;
pub mod word_cloud;
