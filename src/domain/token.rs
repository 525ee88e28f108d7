use sha2::{Digest, Sha256};

/// A 128-bit random secret handed to a browser (voter identity, follow link). The database only
/// ever sees its [`TokenHash`].
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    const HEX_LEN: usize = 32;

    pub fn generate() -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        Ok(Self(hex::encode(bytes)))
    }

    /// Accepts only what [`Token::generate`] produces, so a forged value never reaches a query.
    pub fn parse(text: &str) -> Option<Self> {
        let well_formed = text.len() == Self::HEX_LEN
            && text
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        well_formed.then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first 128 bits of SHA-256, hex: as hard to invert as the token is to guess, and half
    /// the size in every index that holds it.
    pub fn hash(&self) -> TokenHash {
        let digest = Sha256::digest(self.0.as_bytes());
        TokenHash(hex::encode(&digest[..16]))
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

/// A one-way hash of a [`Token`], hex: what is stored and looked up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenHash(String);

impl TokenHash {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_parse_and_differ() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_ne!(a, b);
        assert_eq!(Token::parse(a.as_str()).unwrap(), a);
    }

    #[test]
    fn parse_refuses_anything_else() {
        for bad in [
            "",
            "xyz",
            &"A".repeat(32),
            &"0".repeat(31),
            &"0".repeat(33),
            "' or 1=1 --",
        ] {
            assert!(Token::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn hash_is_stable_and_not_the_token() {
        let token = Token::parse(&"ab".repeat(16)).unwrap();
        assert_eq!(token.hash(), token.hash());
        assert_ne!(token.hash().as_str(), token.as_str());
        assert_eq!(token.hash().as_str().len(), 32);
    }
}
