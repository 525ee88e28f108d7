use unicode_normalization::UnicodeNormalization;

use super::invalid::Invalid;
use super::text_rules::has_control_chars;
use super::text_rules::normalize_whitespace;

/// A label moderators put on questions (a topic, a team): 1 to 30 characters, no commas.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LabelName(String);

impl LabelName {
    pub const MAX_CHARS: usize = 30;
    pub const MAX_PER_QUESTION: usize = 10;
    pub const MAX_PER_EVENT: usize = 50;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name: String = normalize_whitespace(raw).nfc().collect();
        if name.is_empty()
            || name.chars().count() > Self::MAX_CHARS
            || name.contains(',')
            || has_control_chars(&name)
        {
            return Err(Invalid::new(
                "labels",
                format!(
                    "Labels are 1 to {} characters each, separated by commas.",
                    Self::MAX_CHARS
                ),
            ));
        }
        Ok(Self(name))
    }

    /// "ocaml, Xen ,, roadmap" → the distinct labels, in order; blanks between commas are skipped.
    pub fn parse_list(raw: &str) -> Result<Vec<Self>, Invalid> {
        Self::parse_each(raw.split(','))
    }

    /// Each name one label (an API's array): blanks skipped, repeats dropped.
    pub fn parse_each<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Vec<Self>, Invalid> {
        let labels = Self::distinct(names)?;
        if labels.len() > Self::MAX_PER_QUESTION {
            return Err(Invalid::new(
                "labels",
                format!("At most {} labels on one question.", Self::MAX_PER_QUESTION),
            ));
        }
        Ok(labels)
    }

    /// An event's whole set of labels, from a comma-separated list.
    pub fn parse_event_list(raw: &str) -> Result<Vec<Self>, Invalid> {
        Self::parse_event_each(raw.split(','))
    }

    /// An event's whole set of labels, one name each.
    pub fn parse_event_each<'a>(
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<Self>, Invalid> {
        let labels = Self::distinct(names)?;
        if labels.len() > Self::MAX_PER_EVENT {
            return Err(Invalid::new(
                "labels",
                format!("At most {} labels in one event.", Self::MAX_PER_EVENT),
            ));
        }
        Ok(labels)
    }

    fn distinct<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Vec<Self>, Invalid> {
        let mut labels: Vec<Self> = Vec::new();
        for name in names.into_iter().filter(|name| !name.trim().is_empty()) {
            let label = Self::parse(name)?;
            if !labels.contains(&label) {
                labels.push(label);
            }
        }
        Ok(labels)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_commas_and_drop_repeats() {
        let labels = LabelName::parse_list(" ocaml, Xen ,, roadmap, ocaml ").unwrap();
        let names: Vec<&str> = labels.iter().map(LabelName::as_str).collect();
        assert_eq!(names, ["ocaml", "Xen", "roadmap"]);
        assert!(LabelName::parse_list("").unwrap().is_empty());
        assert!(
            LabelName::parse_each(["a,b"]).is_err(),
            "an array item cannot hide two labels"
        );
        assert!(LabelName::parse(&"x".repeat(31)).is_err());
        assert!(LabelName::parse_list(
            &(0..11).map(|n| n.to_string()).collect::<Vec<_>>().join(",")
        )
        .is_err());
    }
}
