/// The readable part of an FAQ entry's address, made from its question: "How do I install it?"
/// becomes `how-do-i-install-it`. Only ASCII letters and digits survive, at most eight words, so
/// the address stays short and safe; the id before it is what finds the entry.
pub fn url_slug(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(8)
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        "question".to_owned()
    } else {
        words.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::url_slug;

    #[test]
    fn slugs_are_short_lowercase_ascii() {
        assert_eq!(url_slug("How do I install it?"), "how-do-i-install-it");
        assert_eq!(url_slug("¿Qué <script>?"), "qu-script");
        assert_eq!(url_slug("日本語"), "question");
        assert_eq!(
            url_slug("one two three four five six seven eight nine ten"),
            "one-two-three-four-five-six-seven-eight"
        );
    }
}
