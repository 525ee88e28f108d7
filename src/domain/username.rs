use super::invalid::Invalid;

/// A moderator's sign-in name: 3 to 32 lower-case letters, digits, `.`, `_` or `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim().to_lowercase();
        let well_formed = (3..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if well_formed {
            Ok(Self(name))
        } else {
            Err(Invalid::new(
                "username",
                "A username is 3 to 32 letters, digits, dots, underscores or hyphens.",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_case_insensitive_and_plain() {
        assert_eq!(Username::parse(" Ada.L ").unwrap().as_str(), "ada.l");
        for bad in ["ab", "a b c", "ädä", "<script>", &"x".repeat(33)] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }
}
