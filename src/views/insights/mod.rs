//! The team's insights pages: topics across events, and one topic.

pub mod badges;
pub mod digest;
pub mod page;
pub mod topic;
pub mod trend_chart;
