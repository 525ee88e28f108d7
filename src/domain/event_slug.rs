use super::invalid::Invalid;

/// The short name of an event in its URL: lower-case ASCII letters, digits and single hyphens,
/// 2 to 64 characters, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EventSlug(String);

impl EventSlug {
    pub const MAX_CHARS: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let slug = raw.trim();
        let well_formed = (2..=Self::MAX_CHARS).contains(&slug.len())
            && slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !slug.starts_with('-')
            && !slug.ends_with('-')
            && !slug.contains("--");
        if well_formed {
            Ok(Self(slug.to_owned()))
        } else {
            Err(Invalid::new(
                "slug",
                "A slug is 2 to 64 lower-case letters, digits and single hyphens, like `mirage-hangout-2026`.",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EventSlug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_kebab_case() {
        assert_eq!(EventSlug::parse("ama-2026").unwrap().as_str(), "ama-2026");
    }

    #[test]
    fn refuses_anything_else() {
        for bad in [
            "", "a", "Ama", "ama 2026", "-ama", "ama-", "a--b", "<script>", "ämä",
        ] {
            assert!(EventSlug::parse(bad).is_err(), "{bad} should be refused");
        }
        assert!(EventSlug::parse(&"a".repeat(65)).is_err());
    }
}
