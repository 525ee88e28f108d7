use std::sync::Arc;

use super::security::keys::Keys;
use super::security::rate_limit::RateLimiter;
use super::telemetry::metrics::Metrics;
use crate::app::accounts::sessions::SessionPolicy;
use crate::app::asking::automated_votes::BurstRule;
use crate::app::asking::vote::VoteQueue;
use crate::app::clock::Clock;
use crate::app::docs::closest_cache::ClosestCache;
use crate::auth::throttle::SignInThrottle;
use crate::bus::Bus;
use crate::db::Db;
use crate::live::LiveHub;
use crate::meaning::{Meaning, MeaningSource};
use crate::search::{DocsIndex, SearchIndex};

/// What every handler shares.
pub struct AppState {
    /// Takes up recordings queued for transcription; woken when one is queued here.
    pub transcriber: crate::app::recording::transcriber::Transcriber,
    /// Threads, upload limit and ffmpeg for transcription.
    pub speech: crate::config::SpeechSettings,
    /// Where uploads wait while they are read (`<data-dir>/uploads`).
    pub uploads_dir: std::path::PathBuf,
    pub db: Db,
    /// The FAQ's full-text index, kept up to date by its indexer thread.
    pub search: SearchIndex,
    /// Documentation sections by words, kept in step with each source by its own thread.
    pub docs_index: DocsIndex,
    /// Each question's closest section, kept between dashboard loads.
    pub docs_closest: ClosestCache,
    /// Matching by meaning, when a model is loaded; words only otherwise. Requests take theirs
    /// through [`AppState::meaning`].
    pub meaning_source: Arc<MeaningSource>,
    /// Where use cases announce changes for live pages.
    pub bus: Bus,
    /// Live pages' subscriptions.
    pub live: LiveHub,
    /// Polls, with each poll's results kept until it changes.
    pub polls: crate::app::polls::reading::PollReader,
    /// Placing questions in topics and regrouping them, one at a time.
    pub topics: crate::app::insights::TopicWork,
    /// Each visitor's last search, for a minute: one typed on from is not counted as a miss.
    pub recent_searches: crate::app::faq::recent_searches::RecentSearches,
    /// Crawlers' user agents: their searches are not counted as misses.
    pub crawlers: isbot::Bots,
    pub keys: Keys,
    pub limiter: RateLimiter,
    pub sign_in_throttle: SignInThrottle,
    /// How long moderators' sessions last, and the clock they are judged by.
    pub session_policy: SessionPolicy,
    pub clock: Clock,
    /// When votes look automated.
    pub burst_rule: BurstRule,
    /// Where votes are counted, in batches.
    pub votes: VoteQueue,
    pub metrics: Metrics,
    /// The address people use, without a trailing slash: for links we print or hand out.
    pub public_base: String,
    /// The configured base URL, when there is one; API writes must come from its origin.
    pub configured_base: Option<url::Url>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Cookies get the `Secure` flag when the site is served over https.
    pub secure_cookies: bool,
    /// The Content-Security-Policy of pages made for embedding: framed by the listed sites only.
    pub embed_policy: String,
    /// Whether webhooks may post to this machine or private networks.
    pub allow_private_webhooks: bool,
    /// Whether mail can be sent, so askers and voters are offered it.
    pub offers_mail: bool,
    /// The folder documentation sources added through the API are read from (the command line
    /// may name any path on the machine).
    pub docs_dir: std::path::PathBuf,
}

impl AppState {
    /// Matching by meaning for one request: the models serving now, kept for the whole request
    /// even if a new model takes over meanwhile.
    pub fn meaning(&self) -> Meaning {
        self.meaning_source.now()
    }

    /// The largest recording an upload may be, in bytes.
    pub fn recording_limit(&self) -> usize {
        usize::try_from(self.speech.max_upload_bytes).unwrap_or(usize::MAX)
    }
}
