//! The address people reach the site at, for the links commands print (`event create`'s page,
//! `faq export`'s files). `--base-url` (or `FAQTORY_BASE_URL`) says it; without it, `serve`
//! notes the address it serves on in the data directory, so that a command run beside it links
//! to that server rather than to the default port.

use std::path::PathBuf;

use crate::config::Config;

const FILE: &str = "site-address";

fn file(config: &Config) -> PathBuf {
    config.data_dir.join(FILE)
}

/// Notes where `serve` is reached (a failure to write only costs commands their guess).
pub fn remember(config: &Config, public_base: &str) {
    if let Err(error) = std::fs::write(file(config), format!("{public_base}\n")) {
        tracing::warn!(%error, "could not note the site's address for commands");
    }
}

/// Where a link printed by a command points.
pub enum SiteAddress {
    /// Given by `--base-url`.
    Configured(String),
    /// Where the server using this data directory last served.
    Served(String),
    /// Nothing said: the bind address, which may not be where people reach the site.
    Guessed(String),
}

impl SiteAddress {
    pub fn of(config: &Config) -> Self {
        if let Some(url) = &config.base_url {
            return Self::Configured(url.as_str().trim_end_matches('/').to_owned());
        }
        let served = std::fs::read_to_string(file(config))
            .ok()
            .map(|text| text.trim().trim_end_matches('/').to_owned())
            .filter(|text| text.starts_with("http://") || text.starts_with("https://"));
        match served {
            Some(base) => Self::Served(base),
            None => Self::Guessed(format!("http://{}", config.bind)),
        }
    }

    pub fn base(&self) -> &str {
        match self {
            Self::Configured(base) | Self::Served(base) | Self::Guessed(base) => base,
        }
    }

    /// What to tell the reader about the address, when it may be wrong.
    pub fn caveat(&self) -> Option<String> {
        match self {
            Self::Guessed(base) => Some(format!(
                "No server has run on this data directory and --base-url (FAQTORY_BASE_URL) is \
                 not set: links point to {base}. Set --base-url to the address people use."
            )),
            _ => None,
        }
    }
}
