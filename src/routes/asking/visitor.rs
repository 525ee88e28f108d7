//! Who is asking or voting: the voter token and own questions this browser carries, and its IP.

use actix_web::cookie::Cookie;
use actix_web::HttpRequest;

use crate::db::questions::Order;
use crate::domain::{Token, TokenHash};
use crate::web::extract::client_ip::client_ip;
use crate::web::security::cookies::{self, MyQuestion};
use crate::web::AppState;

pub struct Visitor {
    pub voter: Option<Token>,
    pub mine: Vec<MyQuestion>,
    pub ip: String,
}

impl Visitor {
    pub fn from_request(req: &HttpRequest, state: &AppState) -> Self {
        Self {
            voter: cookies::read_voter(req, &state.keys),
            mine: cookies::read_mine(req, &state.keys),
            ip: client_ip(req),
        }
    }

    /// Only the voter: the encrypted list of own questions is not read, since voting (the hottest
    /// path there is) and listing through the API do not need it.
    pub fn voter_only(req: &HttpRequest, state: &AppState) -> Self {
        Self {
            voter: cookies::read_voter(req, &state.keys),
            mine: Vec::new(),
            ip: client_ip(req),
        }
    }

    pub fn voter_hash(&self) -> Option<TokenHash> {
        self.voter.as_ref().map(Token::hash)
    }

    pub fn mine_ids(&self) -> Vec<i64> {
        self.mine.iter().map(|q| q.id).collect()
    }

    /// Remembers a question this browser just asked; returns the cookie that now lists it.
    pub fn remember_asked(
        &mut self,
        state: &AppState,
        question_id: i64,
        follow_token: &Token,
    ) -> Cookie<'static> {
        self.mine.push(MyQuestion {
            id: question_id,
            follow_token: follow_token.as_str().to_owned(),
        });
        cookies::mine_cookie(&self.mine, &state.keys, state.secure_cookies)
    }
}

pub fn follow_url(state: &AppState, token: &str) -> String {
    format!("{}/follow/{token}", state.public_base)
}

/// `top` or `new`; `None` for anything else.
pub fn parse_sort(raw: Option<&str>) -> Option<Order> {
    match raw {
        None | Some("") | Some("top") => Some(Order::Top),
        Some("new") => Some(Order::New),
        Some(_) => None,
    }
}
