use super::invalid::Invalid;

/// A new password: at least 12 characters (length beats composition rules), at most 1,024 so
/// hashing stays bounded. Never printed, not even in `Debug`.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 1_024;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let length = raw.chars().count();
        if length < Self::MIN_CHARS {
            return Err(Invalid::new(
                "password",
                format!("Passwords need at least {} characters.", Self::MIN_CHARS),
            ));
        }
        if length > Self::MAX_CHARS {
            return Err(Invalid::new(
                "password",
                format!("Passwords can be at most {} characters.", Self::MAX_CHARS),
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// Whether someone is an administrator (manages moderators) or a moderator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Moderator,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Moderator => "moderator",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "admin" => Ok(Role::Admin),
            "moderator" => Ok(Role::Moderator),
            other => Err(format!("unknown role `{other}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_rules_and_no_leaks() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"p".repeat(12)).is_ok());
        assert!(Password::parse(&"p".repeat(1_025)).is_err());
        let password = Password::parse("correct horse battery").unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }
}
