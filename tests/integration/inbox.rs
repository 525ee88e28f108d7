//! The local SMTP server's mailbox, as the mail tests read it: `.ci/run` starts aiosmtpd on
//! `FAQTORY_TEST_SMTP` (host:port), keeping every message in the Maildir `FAQTORY_TEST_MAILDIR`.
//! Each test mails addresses of its own, so tests running together do not see each other's mail.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use faqtory::config::MailSettings;

pub struct Inbox {
    smtp: String,
    maildir: PathBuf,
}

/// One message, decoded.
#[derive(Debug, Clone)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub list_unsubscribe: Option<String>,
    pub list_unsubscribe_post: Option<String>,
}

impl Mail {
    /// The first link in the text that starts with `prefix` (after the site's address).
    pub fn link(&self, prefix: &str) -> String {
        self.text
            .split_whitespace()
            .find(|word| word.contains(prefix))
            .unwrap_or_else(|| panic!("no {prefix} link in {}", self.text))
            .to_owned()
    }
}

impl Inbox {
    /// `None` (and a note) when no SMTP server was started for the tests.
    pub fn from_env(test: &str) -> Option<Inbox> {
        let smtp = std::env::var("FAQTORY_TEST_SMTP").ok();
        let maildir = std::env::var("FAQTORY_TEST_MAILDIR").ok();
        match (smtp, maildir) {
            (Some(smtp), Some(maildir)) => Some(Inbox {
                smtp,
                maildir: PathBuf::from(maildir),
            }),
            _ => {
                eprintln!(
                    "{test} skipped: set FAQTORY_TEST_SMTP and FAQTORY_TEST_MAILDIR (see .ci/run)"
                );
                None
            }
        }
    }

    /// Mail settings for a server under test, retrying quickly.
    pub fn settings(&self) -> MailSettings {
        self.settings_for(&format!("smtp://{}", self.smtp))
    }

    pub fn settings_for(&self, smtp_url: &str) -> MailSettings {
        MailSettings {
            smtp_url: smtp_url.to_owned(),
            smtp_password: None,
            from: "Project Q&A <qa@example.org>".into(),
            retry_base: chrono::Duration::milliseconds(200),
        }
    }

    /// An address nobody else in this run mails.
    pub fn address(label: &str) -> String {
        let mut bytes = [0u8; 6];
        getrandom::fill(&mut bytes).unwrap();
        format!("{label}-{}@example.org", hex::encode(bytes))
    }

    /// Everything mailed to `to` so far, oldest first.
    pub fn received(&self, to: &str) -> Vec<Mail> {
        let mut found: Vec<(std::time::SystemTime, Mail)> = Vec::new();
        for folder in ["new", "cur"] {
            let Ok(entries) = std::fs::read_dir(self.maildir.join(folder)) else {
                continue;
            };
            for entry in entries.flatten() {
                let Ok(raw) = std::fs::read(entry.path()) else {
                    continue;
                };
                let Some(message) = mail_parser::MessageParser::default().parse(&raw) else {
                    continue;
                };
                let addressed_to = message
                    .to()
                    .and_then(|to| to.first())
                    .and_then(|address| address.address())
                    .is_some_and(|address| address.eq_ignore_ascii_case(to));
                if !addressed_to {
                    continue;
                }
                let header = |name: &str| {
                    message
                        .header_raw(name)
                        .map(|value| value.trim().to_owned())
                };
                let modified = entry
                    .metadata()
                    .and_then(|meta| meta.modified())
                    .unwrap_or(std::time::UNIX_EPOCH);
                found.push((
                    modified,
                    Mail {
                        subject: message.subject().unwrap_or_default().to_owned(),
                        text: message
                            .body_text(0)
                            .map(|text| text.into_owned())
                            .unwrap_or_default(),
                        html: message
                            .body_html(0)
                            .map(|html| html.into_owned())
                            .unwrap_or_default(),
                        list_unsubscribe: header("List-Unsubscribe"),
                        list_unsubscribe_post: header("List-Unsubscribe-Post"),
                    },
                ));
            }
        }
        found.sort_by_key(|(modified, _)| *modified);
        found.into_iter().map(|(_, mail)| mail).collect()
    }

    /// Waits for the `count`th message to `to` (a minute at most) and returns them all.
    pub async fn wait_for(&self, to: &str, count: usize) -> Vec<Mail> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let got = self.received(to);
            if got.len() >= count {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{to} got {} of {count} messages: {got:#?}",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}
