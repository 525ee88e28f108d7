//! What an outgoing webhook is: where it posts, in which shape, and which happenings it hears of.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::invalid::Invalid;

/// What a webhook can be told of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum WebhookKind {
    /// A question the public can see was asked (with pre-moderation: when it is approved).
    #[serde(rename = "question.asked")]
    QuestionAsked,
    #[serde(rename = "question.approved")]
    QuestionApproved,
    #[serde(rename = "question.answered")]
    QuestionAnswered,
    /// An answer became an FAQ entry.
    #[serde(rename = "faq.published")]
    FaqPublished,
    /// A poll stopped taking answers (with its counts).
    #[serde(rename = "poll.closed")]
    PollClosed,
    /// The insights digest of the week that ended (top topics, gaps, rising); site-wide only.
    #[serde(rename = "digest.weekly")]
    DigestWeekly,
    /// The same, of the month that ended.
    #[serde(rename = "digest.monthly")]
    DigestMonthly,
}

impl WebhookKind {
    pub const ALL: [WebhookKind; 7] = [
        WebhookKind::QuestionAsked,
        WebhookKind::QuestionApproved,
        WebhookKind::QuestionAnswered,
        WebhookKind::FaqPublished,
        WebhookKind::PollClosed,
        WebhookKind::DigestWeekly,
        WebhookKind::DigestMonthly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookKind::QuestionAsked => "question.asked",
            WebhookKind::QuestionApproved => "question.approved",
            WebhookKind::QuestionAnswered => "question.answered",
            WebhookKind::FaqPublished => "faq.published",
            WebhookKind::PollClosed => "poll.closed",
            WebhookKind::DigestWeekly => "digest.weekly",
            WebhookKind::DigestMonthly => "digest.monthly",
        }
    }

    /// How a chat message begins.
    pub fn headline(self) -> &'static str {
        match self {
            WebhookKind::QuestionAsked => "New question",
            WebhookKind::QuestionApproved => "Question approved",
            WebhookKind::QuestionAnswered => "Answered",
            WebhookKind::FaqPublished => "New FAQ entry",
            WebhookKind::PollClosed => "Poll closed",
            WebhookKind::DigestWeekly => "Topics this week",
            WebhookKind::DigestMonthly => "Topics this month",
        }
    }

    /// A digest tells of the whole site, so only site-wide webhooks hear of it.
    pub fn is_digest(self) -> bool {
        matches!(self, WebhookKind::DigestWeekly | WebhookKind::DigestMonthly)
    }
}

impl FromStr for WebhookKind {
    type Err = Invalid;

    fn from_str(text: &str) -> Result<Self, Invalid> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text.trim())
            .ok_or_else(|| {
                Invalid::new(
                    "events",
                    format!(
                        "`{}` is not something a webhook hears of: question.asked, \
                         question.approved, question.answered, faq.published, poll.closed, \
                         digest.weekly or digest.monthly.",
                        text.chars().take(60).collect::<String>()
                    ),
                )
            })
    }
}

impl fmt::Display for WebhookKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The shape of the body: ours (signed), or what Slack's and Discord's incoming webhooks take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WebhookFormat {
    Generic,
    Slack,
    Discord,
}

impl WebhookFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookFormat::Generic => "generic",
            WebhookFormat::Slack => "slack",
            WebhookFormat::Discord => "discord",
        }
    }
}

impl FromStr for WebhookFormat {
    type Err = Invalid;

    fn from_str(text: &str) -> Result<Self, Invalid> {
        match text.trim() {
            "generic" => Ok(WebhookFormat::Generic),
            "slack" => Ok(WebhookFormat::Slack),
            "discord" => Ok(WebhookFormat::Discord),
            _ => Err(Invalid::new(
                "format",
                "The format is generic, slack or discord.",
            )),
        }
    }
}

/// A receiver's address: http(s), a host, no credentials, at most 2,000 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(url::Url);

impl WebhookUrl {
    pub const MAX_CHARS: usize = 2_000;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let refuse = |message: &str| Err(Invalid::new("url", message));
        let raw = raw.trim();
        if raw.is_empty() {
            return refuse("Give the receiver's address, https://…");
        }
        if raw.chars().count() > Self::MAX_CHARS {
            return refuse("The address is longer than 2,000 characters.");
        }
        let Ok(url) = url::Url::parse(raw) else {
            return refuse("This is not an address: give https://host/path.");
        };
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return refuse("Webhooks post to http:// or https:// addresses only.");
        }
        if !url.username().is_empty() || url.password().is_some() {
            return refuse("Put no user name or password in the address.");
        }
        Ok(Self(url))
    }

    pub fn url(&self) -> &url::Url {
        &self.0
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// Whether an address is this machine's or a private network's: receivers there are refused
/// unless an admin allows them, so that a webhook cannot reach what only the server can.
pub fn is_private(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                // 100.64.0.0/10, carrier-grade NAT
                || (v4.octets()[0] == 100 && (v4.octets()[1] & 0xC0) == 64)
                // 0.0.0.0/8
                || v4.octets()[0] == 0
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // fc00::/7 unique local, fe80::/10 link-local
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_addresses_are_receivers() {
        assert!(WebhookUrl::parse("https://hooks.slack.com/services/T/B/x").is_ok());
        for bad in [
            "",
            "ftp://example.org/x",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https://user:pw@example.org/",
            "not a url",
            "gopher://example.org",
        ] {
            assert!(WebhookUrl::parse(bad).is_err(), "{bad}");
        }
        assert!(WebhookUrl::parse(&format!("https://e.org/{}", "a".repeat(2_000))).is_err());
    }

    #[test]
    fn private_and_own_addresses_are_told_apart() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_private(private.parse().unwrap()), "{private}");
        }
        for public in ["93.184.216.34", "2606:2800:220:1::1"] {
            assert!(!is_private(public.parse().unwrap()), "{public}");
        }
    }
}
