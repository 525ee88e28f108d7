//! What the HTML form and the JSON API both do around asking and voting: the visitor's identity,
//! the rate limit, the use case in `app`, the metric, and the cookies to hand back. Each front only
//! adds its own input checks and its own way of answering.

use actix_web::cookie::Cookie;

use crate::app::asking::ask::{self, AskInput, Asked};
use crate::app::asking::ballot::{Ballot, VoteAction, VoteState};
use crate::domain::{Invalid, TokenHash};
use crate::error::AppError;
use crate::routes::asking::visitor::Visitor;
use crate::web::extract::client_ip::network_of;
use crate::web::security::rate_limit::Action;
use crate::web::AppState;

/// Asks `body` in the event `slug`. On success, the cookie to set: the visitor's list of own
/// questions. Asking hands out no voter identity: those come with looking at the event, within
/// their limit (see `web::security::voter_issue`).
pub async fn ask_question(
    state: &AppState,
    visitor: &mut Visitor,
    slug: &str,
    body: &str,
    author_name: Option<&str>,
    notify_email: Option<&str>,
) -> Result<(Asked, Vec<Cookie<'static>>), AppError> {
    let voter = visitor.voter_hash();
    state.limiter.check(
        Action::Ask,
        &visitor.ip,
        voter.as_ref().map(TokenHash::as_str),
    )?;
    let wants_mail = notify_email.is_some_and(|email| !email.trim().is_empty());
    if wants_mail && !state.offers_mail {
        return Err(Invalid::new(
            "notify_email",
            "This site does not send email: leave this empty, and keep your follow link to come \
             back to your question.",
        )
        .into());
    }
    let input = AskInput::parse(body, author_name, notify_email)?;
    let asked = ask::ask(&state.db, &state.bus, slug, input).await?;
    state.metrics.questions_asked.inc();
    let cookies = vec![visitor.remember_asked(state, asked.question_id, &asked.follow_token)];
    Ok((asked, cookies))
}

/// Who votes or answers a poll, from where and when: the identity this browser was handed when it
/// looked at the event (see `web::security::voter_issue`), within the vote limits. `what` names
/// what is refused without one ("vote", "answer").
pub fn ballot_of(state: &AppState, visitor: &Visitor, what: &str) -> Result<Ballot, AppError> {
    let voter = visitor.voter_hash().ok_or_else(|| AppError::Forbidden {
        code: "no_voter",
        message: format!(
            "Your {what} was not counted: this browser has no voter cookie yet. Reload the \
             event's page (cookies must be allowed) and try again; when many new visitors come \
             from one network, some wait a few minutes."
        ),
    })?;
    state
        .limiter
        .check(Action::Vote, &visitor.ip, Some(voter.as_str()))?;
    Ok(Ballot {
        voter,
        network: network_of(&visitor.ip),
        cast_at: state.clock.now(),
    })
}

/// Upvotes or withdraws, by the identity this browser was handed when it looked at the event
/// (see `web::security::voter_issue`); a vote never makes one itself.
pub async fn cast_vote(
    state: &AppState,
    visitor: &Visitor,
    question_id: i64,
    action: VoteAction,
) -> Result<VoteState, AppError> {
    let ballot = ballot_of(state, visitor, "vote")?;
    let outcome = state
        .votes
        .cast(question_id, ballot, action, state.burst_rule)
        .await?;
    let counter = match action {
        VoteAction::Upvote => &state.metrics.votes_cast,
        VoteAction::Withdraw => &state.metrics.votes_withdrawn,
    };
    counter.inc();
    Ok(outcome)
}
