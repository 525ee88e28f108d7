//! The cookies faqtory sets for the public: who votes (signed), which questions this browser asked
//! (encrypted, since it holds their follow links), and the CSRF cookie.

use actix_web::cookie::{time::Duration, Cookie, CookieJar, SameSite};
use actix_web::HttpRequest;

use crate::domain::Token;
use crate::web::security::keys::Keys;

pub const VOTER: &str = "faqtory_voter";
pub const MINE: &str = "faqtory_mine";
pub const CSRF: &str = "faqtory_csrf";
/// Set by actix-session for signed-in moderators.
pub const SESSION: &str = "faqtory_session";

/// How many of a browser's own questions it remembers; older ones drop off.
const MINE_MAX: usize = 30;
const LONG_LIVED: Duration = Duration::days(400);

fn base_cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

/// The voter token of this browser or API client, if its signature holds.
pub fn read_voter(req: &HttpRequest, keys: &Keys) -> Option<Token> {
    let cookie = req.cookie(VOTER)?;
    let mut jar = CookieJar::new();
    jar.add_original(cookie);
    let verified = jar.signed(&keys.cookies).get(VOTER)?;
    Token::parse(verified.value())
}

pub fn voter_cookie(token: &Token, keys: &Keys, secure: bool) -> Cookie<'static> {
    let mut cookie = base_cookie(VOTER, token.as_str().to_owned(), secure);
    cookie.set_max_age(LONG_LIVED);
    let mut jar = CookieJar::new();
    jar.signed_mut(&keys.cookies).add(cookie);
    jar.get(VOTER)
        .cloned()
        .unwrap_or_else(|| Cookie::new(VOTER, ""))
}

/// A question this browser asked, with the follow token only the asker has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MyQuestion {
    pub id: i64,
    pub follow_token: String,
}

pub fn read_mine(req: &HttpRequest, keys: &Keys) -> Vec<MyQuestion> {
    let Some(cookie) = req.cookie(MINE) else {
        return Vec::new();
    };
    let mut jar = CookieJar::new();
    jar.add_original(cookie);
    let Some(decrypted) = jar.private(&keys.cookies).get(MINE) else {
        return Vec::new();
    };
    decrypted
        .value()
        .split(',')
        .filter_map(|pair| {
            let (id, token) = pair.split_once(':')?;
            Some(MyQuestion {
                id: id.parse().ok()?,
                follow_token: Token::parse(token)?.as_str().to_owned(),
            })
        })
        .collect()
}

pub fn mine_cookie(mine: &[MyQuestion], keys: &Keys, secure: bool) -> Cookie<'static> {
    let kept = &mine[mine.len().saturating_sub(MINE_MAX)..];
    let value = kept
        .iter()
        .map(|q| format!("{}:{}", q.id, q.follow_token))
        .collect::<Vec<_>>()
        .join(",");
    let mut cookie = base_cookie(MINE, value, secure);
    cookie.set_max_age(LONG_LIVED);
    let mut jar = CookieJar::new();
    jar.private_mut(&keys.cookies).add(cookie);
    jar.get(MINE)
        .cloned()
        .unwrap_or_else(|| Cookie::new(MINE, ""))
}

/// The CSRF cookie lives as long as the browser session.
pub fn csrf_cookie(value: &str, secure: bool) -> Cookie<'static> {
    base_cookie(CSRF, value.to_owned(), secure)
}
