//! Text that arrives in an address (a search, a filter), read leniently: a search box must never
//! answer with an error, whatever was typed or pasted.

use actix_web::HttpRequest;

/// Control characters dropped (they mean nothing in a search or a filter, and PostgreSQL refuses
/// NUL in text), trimmed, cut to `max_chars`.
pub fn clean(value: &str, max_chars: usize) -> String {
    value
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .chars()
        .take(max_chars)
        .collect()
}

/// The first value of `key` in the query string, cleaned; `None` when absent or blank.
pub fn query_value(req: &HttpRequest, key: &str, max_chars: usize) -> Option<String> {
    url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(name, _)| name == key)
        .map(|(_, value)| clean(&value, max_chars))
        .filter(|value| !value.is_empty())
}
