//! What the public does: asking a question, voting and following it, the voter identities behind
//! votes, the similar questions shown under the ask form, and questions brought in from elsewhere.

pub mod ask;
pub mod automated_votes;
pub mod ballot;
pub mod follow;
pub mod question_import;
pub mod similar;
pub mod vote;
pub mod vote_batch;
pub mod vote_groups;
pub mod voters;
