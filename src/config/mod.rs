//! Settings shared by every sub-command, from flags or `FAQTORY_*` environment variables.

mod embed_origin;
pub mod speech;

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::app::accounts::sessions::SessionPolicy;
use crate::app::asking::automated_votes::BurstRule;
use crate::app::clock::Clock;
use crate::db::{DatabaseUrl, Durability};
use crate::meaning::ModelSetting;
pub use speech::SpeechSettings;

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options (every command)")]
pub struct GlobalArgs {
    /// Where the data lives: `sqlite://PATH`, a file path, or `postgres://USER@HOST/DB`
    /// [default: sqlite://<data-dir>/faqtory.db]
    #[arg(
        long,
        env = "FAQTORY_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    /// Address and port the web server listens on
    #[arg(
        long,
        env = "FAQTORY_BIND",
        global = true,
        default_value = "127.0.0.1:8080"
    )]
    pub bind: String,

    /// Directory for the SQLite database, the generated secret key and other local state
    #[arg(
        long,
        env = "FAQTORY_DATA_DIR",
        global = true,
        default_value = "./data"
    )]
    pub data_dir: PathBuf,

    /// Key that signs and encrypts cookies (at least 32 characters); generated on first start
    /// and kept in <data-dir>/secret.key when not given. Every instance of one site needs the
    /// same key.
    #[arg(
        long,
        env = "FAQTORY_SECRET_KEY",
        global = true,
        hide_env_values = true
    )]
    pub secret_key: Option<String>,

    /// The public address of the site, used in links it prints and to check the `Origin` of API
    /// writes, e.g. https://ask.example.org [default: http://<bind>]
    #[arg(long, env = "FAQTORY_BASE_URL", global = true)]
    pub base_url: Option<String>,

    /// Reverse proxies (addresses or networks, comma-separated, e.g. `127.0.0.1,10.0.0.0/8`)
    /// whose `X-Forwarded-For` says who the client is; from anyone else the header is ignored
    #[arg(
        long,
        env = "FAQTORY_TRUSTED_PROXIES",
        global = true,
        value_delimiter = ',',
        value_parser = parse_network
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Sites that may show the FAQ search and event pages made for embedding (`/embed/…`) in an
    /// iframe: origins, comma-separated, e.g. `https://project.org,https://docs.project.org`
    #[arg(
        long,
        env = "FAQTORY_EMBED_ORIGINS",
        global = true,
        value_delimiter = ',',
        value_parser = embed_origin::parse_origin
    )]
    pub embed_origins: Vec<String>,

    /// What an acknowledged write survives on SQLite: `normal` survives a crash of faqtory, `full`
    /// also an OS crash or a power cut (a disk sync per commit)
    #[arg(
        long,
        env = "FAQTORY_DURABILITY",
        global = true,
        value_enum,
        default_value = "normal"
    )]
    pub durability: Durability,

    /// A moderator's session ends after this many hours without use
    #[arg(
        long,
        env = "FAQTORY_SESSION_IDLE_HOURS",
        global = true,
        default_value_t = 12,
        value_parser = clap::value_parser!(u32).range(1..=24 * 365)
    )]
    pub session_idle_hours: u32,

    /// ... and this many days after signing in, however used
    #[arg(
        long,
        env = "FAQTORY_SESSION_LIFETIME_DAYS",
        global = true,
        default_value_t = 30,
        value_parser = clap::value_parser!(u32).range(1..=3650)
    )]
    pub session_lifetime_days: u32,

    /// Outgoing webhooks may post to this machine and private networks (tests, internal chat
    /// servers); `off` refuses such receivers
    #[arg(
        long,
        env = "FAQTORY_ALLOW_PRIVATE_WEBHOOKS",
        global = true,
        default_value = "off"
    )]
    pub allow_private_webhooks: Switch,

    /// The SMTP server that mail to askers and voters goes through: `smtps://host:port` (TLS),
    /// `smtp://host:port?tls=required` (STARTTLS), plain `smtp://host:port` (a local relay);
    /// credentials as `smtps://user:password@host`. Without it (and --mail-from) nobody is
    /// offered mail.
    #[arg(long, env = "FAQTORY_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The SMTP password, when it is kept out of --smtp-url
    #[arg(
        long,
        env = "FAQTORY_SMTP_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub smtp_password: Option<String>,

    /// Who mail comes from, e.g. `Project Q&A <qa@example.org>`
    #[arg(long, env = "FAQTORY_MAIL_FROM", global = true)]
    pub mail_from: Option<String>,

    /// Rate limits on asking and voting; `off` for benchmarks and trusted deployments
    #[arg(long, env = "FAQTORY_RATE_LIMITS", global = true, default_value = "on")]
    pub rate_limits: Switch,

    /// Questions one voter may ask per minute
    #[arg(
        long,
        env = "FAQTORY_LIMIT_ASK_PER_VOTER",
        global = true,
        default_value_t = 5
    )]
    pub limit_ask_per_voter: u32,

    /// Questions one IP address may ask per minute (people behind one NAT share it)
    #[arg(
        long,
        env = "FAQTORY_LIMIT_ASK_PER_IP",
        global = true,
        default_value_t = 20
    )]
    pub limit_ask_per_ip: u32,

    /// Votes one voter may cast or withdraw per minute
    #[arg(
        long,
        env = "FAQTORY_LIMIT_VOTE_PER_VOTER",
        global = true,
        default_value_t = 60
    )]
    pub limit_vote_per_voter: u32,

    /// Votes one IP address may cast or withdraw per minute
    #[arg(
        long,
        env = "FAQTORY_LIMIT_VOTE_PER_IP",
        global = true,
        default_value_t = 600
    )]
    pub limit_vote_per_ip: u32,

    /// New voters one network (an IPv4 address or an IPv6 /64) may bring per ten minutes: a
    /// script that mints a fresh voter per request gets this many votes, a crowd behind one NAT
    /// joins at this pace
    #[arg(
        long,
        env = "FAQTORY_LIMIT_NEW_VOTERS_PER_IP",
        global = true,
        default_value_t = 120
    )]
    pub limit_new_voters_per_ip: u32,

    /// Votes on one question from one network within a minute at which the dashboard flags them
    /// as looking automated (they still count until a moderator discounts them)
    #[arg(
        long,
        env = "FAQTORY_AUTOMATED_VOTE_BURST",
        global = true,
        default_value_t = 30,
        value_parser = clap::value_parser!(u32).range(2..)
    )]
    pub automated_vote_burst: u32,

    /// Log lines as human-readable text or as JSON for machines
    #[arg(
        long,
        env = "FAQTORY_LOG_FORMAT",
        global = true,
        default_value = "text"
    )]
    pub log_format: LogFormat,

    /// HTTP worker threads [default: one per CPU core]
    #[arg(long, env = "FAQTORY_WORKERS", global = true)]
    pub workers: Option<usize>,

    /// The sentence encoder that matches stored questions, FAQ search, duplicates and
    /// transcripts by meaning: `auto` (the best that `faqtory model fetch` put in the data
    /// directory: all-mpnet-base-v2, else all-MiniLM-L6-v2), `off` (words only), a fetched
    /// model's name, or a model directory
    #[arg(long, env = "FAQTORY_MODEL", global = true, default_value = "auto")]
    pub model: ModelSetting,

    /// The sentence encoder for suggestions while someone types a question: `auto` (the fast
    /// all-MiniLM-L6-v2 when fetched, else the same as --model), `off`, a name or a directory
    #[arg(
        long,
        env = "FAQTORY_LIVE_MODEL",
        global = true,
        default_value = "auto"
    )]
    pub live_model: ModelSetting,

    /// How long a request waits for its text to be embedded before it answers by words alone,
    /// in milliseconds (0: requests always answer by words; stored text still gets vectors)
    #[arg(
        long,
        env = "FAQTORY_EMBEDDING_WAIT_MS",
        global = true,
        default_value_t = 300
    )]
    pub embedding_wait_ms: u64,

    /// Threads the background embedder uses, at a lower priority than requests (more embeds a
    /// new model's vectors sooner, and competes with requests on a busy machine; 0: this
    /// instance leaves embedding to other instances)
    #[arg(
        long,
        env = "FAQTORY_EMBEDDING_THREADS",
        global = true,
        default_value_t = 1
    )]
    pub embedding_threads: usize,

    /// Threads this instance lends to transcribing recordings (0: it leaves that to other
    /// instances); by default half the machine's cores
    #[arg(long, env = "FAQTORY_SPEECH_THREADS", global = true)]
    pub speech_threads: Option<usize>,

    /// The largest recording a moderator may upload for transcription, in megabytes
    #[arg(
        long,
        env = "FAQTORY_MAX_RECORDING_MB",
        global = true,
        default_value_t = speech::DEFAULT_MAX_RECORDING_MB,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub max_recording_mb: u64,

    /// The ffmpeg program, for recordings whose sound faqtory cannot decode itself (Opus);
    /// `off` never runs it
    #[arg(long, env = "FAQTORY_FFMPEG", global = true, default_value = "ffmpeg")]
    pub ffmpeg: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Switch {
    On,
    Off,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Requests allowed per minute, per key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimits {
    pub enabled: bool,
    pub ask_per_voter: u32,
    pub ask_per_ip: u32,
    pub vote_per_voter: u32,
    pub vote_per_ip: u32,
    /// New voter identities per network (an IPv4 address or an IPv6 /64) per ten minutes.
    pub new_voters_per_ip: u32,
}

/// Everything the application needs to start, resolved from [`GlobalArgs`].
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub bind: String,
    pub data_dir: PathBuf,
    pub secret_key: Option<String>,
    pub base_url: Option<url::Url>,
    /// Whose `X-Forwarded-For` is believed (see `web::extract::client_ip`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Origins that may frame `/embed/…` (see `config::embed_origin`).
    pub embed_origins: Vec<String>,
    /// Whether webhooks may post to this machine or private networks.
    pub allow_private_webhooks: bool,
    /// The wait before a failed webhook delivery's second attempt (doubling after).
    pub webhook_retry_base: chrono::Duration,
    /// How often documentation sources are checked for a scheduled refresh.
    pub docs_schedule_check: std::time::Duration,
    /// How often the service looks for a week or month whose insights digest is due.
    pub digest_check: std::time::Duration,
    /// Where mail to askers and voters goes out; `None`: no mail is offered.
    pub mail: Option<MailSettings>,
    pub rate_limits: RateLimits,
    pub log_format: LogFormat,
    pub workers: Option<usize>,
    pub model: ModelSetting,
    pub live_model: ModelSetting,
    /// How long a request waits for its text's vector.
    pub embedding_wait: std::time::Duration,
    /// Threads of the background embedder.
    pub embedding_threads: usize,
    pub speech: SpeechSettings,
    pub durability: Durability,
    pub session_policy: SessionPolicy,
    /// When votes look automated.
    pub burst_rule: BurstRule,
    /// What sessions and vote bursts are timed by; tests move it forward.
    pub clock: Clock,
}

/// The SMTP server and the sender of mail.
#[derive(Clone)]
pub struct MailSettings {
    pub smtp_url: String,
    pub smtp_password: Option<String>,
    pub from: String,
    /// The wait before a failed letter's second attempt (doubling after).
    pub retry_base: chrono::Duration,
}

/// Without the server's address, which may carry a password.
impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("from", &self.from)
            .field("retry_base", &self.retry_base)
            .finish_non_exhaustive()
    }
}

/// A letter that could not be sent is tried again after 30 s, then a minute… (at most an hour
/// apart).
pub const MAIL_RETRY_BASE: chrono::Duration = chrono::Duration::seconds(30);

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("--smtp-url (FAQTORY_SMTP_URL) and --mail-from (FAQTORY_MAIL_FROM) go together: give both to send mail, or neither")]
    HalfMail,
    #[error(transparent)]
    DatabaseUrl(#[from] crate::db::ConnectError),
    #[error("--base-url `{given}` is not an http(s) URL: {reason}")]
    BaseUrl { given: String, reason: String },
    #[error("--secret-key must be at least {min} characters")]
    SecretKeyTooShort { min: usize },
}

pub const SECRET_KEY_MIN_CHARS: usize = 32;

/// A receiver that failed is tried again after 10 s, then 20 s, 40 s… (at most an hour apart).
pub const WEBHOOK_RETRY_BASE: chrono::Duration = chrono::Duration::seconds(10);
/// Schedules are in whole minutes: checking each minute is on time.
pub const DOCS_SCHEDULE_CHECK: std::time::Duration = std::time::Duration::from_secs(60);
/// A digest goes out within a minute of its week or month ending.
pub const DIGEST_CHECK: std::time::Duration = std::time::Duration::from_secs(60);

impl GlobalArgs {
    pub fn resolve(&self) -> Result<Config, ConfigError> {
        let database_url = match &self.database_url {
            Some(url) => DatabaseUrl::parse(url)?,
            None => DatabaseUrl::Sqlite(default_sqlite_path(&self.data_dir)),
        };
        let base_url = self.base_url.as_deref().map(parse_base_url).transpose()?;
        if let Some(key) = &self.secret_key {
            if key.len() < SECRET_KEY_MIN_CHARS {
                return Err(ConfigError::SecretKeyTooShort {
                    min: SECRET_KEY_MIN_CHARS,
                });
            }
        }
        let mail = match (&self.smtp_url, &self.mail_from) {
            (Some(smtp_url), Some(from)) => Some(MailSettings {
                smtp_url: smtp_url.clone(),
                smtp_password: self.smtp_password.clone(),
                from: from.clone(),
                retry_base: MAIL_RETRY_BASE,
            }),
            (None, None) => None,
            _ => return Err(ConfigError::HalfMail),
        };
        Ok(Config {
            mail,
            database_url,
            bind: self.bind.clone(),
            data_dir: self.data_dir.clone(),
            secret_key: self.secret_key.clone(),
            base_url,
            trusted_proxies: self.trusted_proxies.clone(),
            embed_origins: self.embed_origins.clone(),
            allow_private_webhooks: self.allow_private_webhooks == Switch::On,
            webhook_retry_base: WEBHOOK_RETRY_BASE,
            docs_schedule_check: DOCS_SCHEDULE_CHECK,
            digest_check: DIGEST_CHECK,
            rate_limits: RateLimits {
                enabled: self.rate_limits == Switch::On,
                ask_per_voter: self.limit_ask_per_voter,
                ask_per_ip: self.limit_ask_per_ip,
                vote_per_voter: self.limit_vote_per_voter,
                vote_per_ip: self.limit_vote_per_ip,
                new_voters_per_ip: self.limit_new_voters_per_ip,
            },
            log_format: self.log_format,
            workers: self.workers,
            model: self.model.clone(),
            live_model: self.live_model.clone(),
            embedding_wait: std::time::Duration::from_millis(self.embedding_wait_ms),
            embedding_threads: self.embedding_threads,
            speech: SpeechSettings {
                threads: self.speech_threads.unwrap_or_else(speech::default_threads),
                max_upload_bytes: self.max_recording_mb.saturating_mul(1024 * 1024),
                ffmpeg: (self.ffmpeg != "off").then(|| self.ffmpeg.clone().into()),
                check: speech::SPEECH_CHECK,
            },
            durability: self.durability,
            session_policy: SessionPolicy {
                idle: chrono::Duration::hours(i64::from(self.session_idle_hours)),
                lifetime: chrono::Duration::days(i64::from(self.session_lifetime_days)),
            },
            burst_rule: BurstRule {
                votes_per_minute: self.automated_vote_burst,
            },
            clock: Clock::default(),
        })
    }
}

fn default_sqlite_path(data_dir: &Path) -> String {
    data_dir.join("faqtory.db").to_string_lossy().into_owned()
}

/// `10.0.0.0/8`, or one address (a network of one).
fn parse_network(given: &str) -> Result<ipnet::IpNet, String> {
    let given = given.trim();
    given
        .parse::<ipnet::IpNet>()
        .or_else(|_| given.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{given}` is neither an address nor a network such as 10.0.0.0/8"))
}

fn parse_base_url(given: &str) -> Result<url::Url, ConfigError> {
    let error = |reason: String| ConfigError::BaseUrl {
        given: given.to_owned(),
        reason,
    };
    let parsed = url::Url::parse(given.trim_end_matches('/')).map_err(|e| error(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err(error("expected http://HOST or https://HOST".into()));
    }
    Ok(parsed)
}

impl Config {
    /// A configuration for tests and benchmarks: everything local, rate limits as given.
    pub fn for_local(database_url: DatabaseUrl, data_dir: PathBuf) -> Self {
        Config {
            database_url,
            bind: "127.0.0.1:0".into(),
            data_dir,
            secret_key: None,
            base_url: None,
            trusted_proxies: Vec::new(),
            embed_origins: Vec::new(),
            allow_private_webhooks: false,
            webhook_retry_base: WEBHOOK_RETRY_BASE,
            docs_schedule_check: DOCS_SCHEDULE_CHECK,
            digest_check: DIGEST_CHECK,
            mail: None,
            rate_limits: RateLimits {
                enabled: false,
                ask_per_voter: 5,
                ask_per_ip: 20,
                vote_per_voter: 60,
                vote_per_ip: 600,
                new_voters_per_ip: 120,
            },
            log_format: LogFormat::Text,
            workers: Some(2),
            model: ModelSetting::Off,
            live_model: ModelSetting::Auto,
            embedding_wait: crate::meaning::QUERY_WAIT,
            embedding_threads: 1,
            speech: SpeechSettings::default(),
            durability: Durability::default(),
            session_policy: SessionPolicy::default(),
            burst_rule: BurstRule::default(),
            clock: Clock::default(),
        }
    }

    /// The address people use, without a trailing slash.
    pub fn public_base(&self, bound: std::net::SocketAddr) -> String {
        match &self.base_url {
            Some(url) => url.as_str().trim_end_matches('/').to_owned(),
            None => format!("http://{bound}"),
        }
    }
}
