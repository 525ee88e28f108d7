//! The sites allowed to frame faqtory's embeddable pages, as the configuration names them.

/// An origin from the configuration: `https://project.org` (a trailing `/` is allowed; a path,
/// query or credentials are not, since framing is granted to a whole origin).
pub fn parse_origin(given: &str) -> Result<String, String> {
    let given = given.trim();
    let refuse = |reason: &str| Err(format!("`{given}` is not an origin: {reason}"));
    let Ok(url) = url::Url::parse(given) else {
        return refuse("expected https://HOST or http://HOST:PORT");
    };
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return refuse("expected https://HOST or http://HOST:PORT");
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
        return refuse("no path, query or fragment");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return refuse("no credentials");
    }
    Ok(url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_whole_origins() {
        assert_eq!(
            parse_origin(" https://Project.ORG/ ").as_deref(),
            Ok("https://project.org")
        );
        assert_eq!(
            parse_origin("http://localhost:8000").as_deref(),
            Ok("http://localhost:8000")
        );
        for bad in [
            "project.org",
            "javascript:alert(1)",
            "https://project.org/docs",
            "https://project.org?x=1",
            "https://user:pw@project.org",
            "https://a.org 'unsafe-inline'",
            "*",
        ] {
            assert!(parse_origin(bad).is_err(), "{bad}");
        }
    }
}
