//! What every short text a person types goes through before it is kept.

/// Collapses every run of white space to one space and trims the ends.
pub(crate) fn normalize_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Control characters that survive whitespace normalisation (NUL, escape, bidi overrides
/// are not in Cc but are handled by escaping on output) have no business in shown text.
pub(crate) fn has_control_chars(text: &str) -> bool {
    text.chars().any(char::is_control)
}
