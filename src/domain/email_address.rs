use super::invalid::Invalid;
use super::text_rules::has_control_chars;

/// An address to send mail to, as its owner typed it (trimmed): one `@`, a domain with a dot or
/// an address literal, at most 254 characters, nothing a mail header could be split by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub const MAX_CHARS: usize = 254;
    const FIELD: &'static str = "notify_email";

    /// An empty or blank field means "no mail", which is `None`.
    pub fn parse_optional(raw: Option<&str>) -> Result<Option<Self>, Invalid> {
        match raw.map(str::trim) {
            None | Some("") => Ok(None),
            Some(trimmed) => Self::parse(trimmed).map(Some),
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let trimmed = raw.trim();
        let refused = || {
            Invalid::new(
                Self::FIELD,
                "That does not look like an email address; it should be like name@example.org.",
            )
        };
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(Invalid::new(
                Self::FIELD,
                format!(
                    "Email addresses can be at most {} characters.",
                    Self::MAX_CHARS
                ),
            ));
        }
        if trimmed.is_empty()
            || has_control_chars(trimmed)
            || trimmed.chars().any(char::is_whitespace)
            || trimmed.contains(['<', '>', ',', ';', '"'])
        {
            return Err(refused());
        }
        let Some((_, domain)) = trimmed.rsplit_once('@') else {
            return Err(refused());
        };
        if !domain.contains('.') && !domain.starts_with('[') {
            return Err(refused());
        }
        trimmed.parse::<lettre::Address>().map_err(|_| refused())?;
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_addresses_pass_as_typed() {
        let address = EmailAddress::parse("  Ada.Lovelace+faq@Example.org ").unwrap();
        assert_eq!(address.as_str(), "Ada.Lovelace+faq@Example.org");
        assert_eq!(EmailAddress::parse_optional(Some("  ")).unwrap(), None);
        assert_eq!(EmailAddress::parse_optional(None).unwrap(), None);
    }

    #[test]
    fn what_could_split_a_header_or_name_two_recipients_is_refused() {
        for nasty in [
            "ada@example.org\r\nBcc: everyone@example.org",
            "ada@example.org, eve@example.org",
            "Ada <ada@example.org>",
            "ada@localhost",
            "ada",
            "@example.org",
            "ada@",
            "ada@exa mple.org",
            "<script>@example.org",
            "\"ada\"@example.org",
        ] {
            let refused = EmailAddress::parse(nasty).unwrap_err();
            assert_eq!(refused.field, "notify_email", "{nasty:?}");
        }
        let long = format!("{}@example.org", "a".repeat(250));
        assert!(EmailAddress::parse(&long)
            .unwrap_err()
            .message
            .contains("254"));
    }
}
