//! What a vote is: its action, who cast it from where and when, and what it left.

use chrono::NaiveDateTime;

use crate::domain::TokenHash;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteAction {
    Upvote,
    Withdraw,
}

/// Who votes, from where, and when.
pub struct Ballot {
    pub voter: TokenHash,
    /// The network the vote came from (see `web::extract::client_ip::network_of`), for spotting bursts.
    pub network: String,
    pub cast_at: NaiveDateTime,
}

impl Ballot {
    /// A ballot cast now, from a network of the voter's own (so never part of a burst): for
    /// callers without a request, such as benchmarks.
    pub fn own_network(voter: TokenHash) -> Self {
        Self {
            network: format!("voter {}", voter.as_str()),
            voter,
            cast_at: crate::app::now(),
        }
    }
}

/// The vote state of a question for one voter, after the change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoteState {
    pub question_id: i64,
    pub vote_count: i32,
    pub voted: bool,
}
