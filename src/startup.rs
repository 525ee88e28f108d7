//! Builds the application from a [`Config`]: storage, keys, state, middleware and routes, bound
//! to a listener. `faqtory serve` and the tests start it the same way.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_session::config::CookieContentSecurity;
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::body::MessageBody;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::{Server, ServerHandle, ServiceRequest, ServiceResponse};
use actix_web::middleware::{from_fn, Compress, Next};
use actix_web::{web, App, HttpServer, ResponseError};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

use crate::app::asking::vote::VoteQueue;
use crate::app::asking::voters;
use crate::app::docs::closest_cache::ClosestCache;
use crate::app::docs::schedule;
use crate::app::insights::digest;
use crate::app::outreach::mail_delivery::MailSender;
use crate::app::outreach::webhook_delivery::WebhookSender;
use crate::app::recording::transcriber::Transcriber;
use crate::auth::throttle::SignInThrottle;
use crate::bus::Bus;
use crate::config::Config;
use crate::db::{DatabaseUrl, Db, Durability};
use crate::error::AppError;
use crate::live::LiveHub;
use crate::meaning::{Availability, Meaning, MeaningSource};
use crate::routes;
use crate::routes::events::page::EventPages;
use crate::routes::faq::pages::FaqPages;
use crate::search::{self, DocsIndex, SearchIndex};
use crate::web::responses::errors::{ApiError, PageError};
use crate::web::responses::head_requests;
use crate::web::security::cookies::SESSION as SESSION_COOKIE;
use crate::web::security::headers::security_headers;
use crate::web::security::keys::Keys;
use crate::web::security::rate_limit::RateLimiter;
use crate::web::security::{csrf, embedding, voter_issue};
use crate::web::telemetry::metrics::Metrics;
use crate::web::telemetry::request_metrics;
use crate::web::AppState;

pub struct Application {
    address: SocketAddr,
    public_base: String,
    server: Server,
    live: LiveHub,
    webhooks: WebhookSender,
    /// `None` when no SMTP server is configured.
    mail: Option<MailSender>,
    transcriber: Transcriber,
    /// What wakes the webhook sender.
    bus: Bus,
}

/// Opens the database and applies migrations, off the async threads.
pub async fn open_database(url: &DatabaseUrl) -> anyhow::Result<Db> {
    open_database_with(url, Durability::default()).await
}

pub async fn open_database_with(url: &DatabaseUrl, durability: Durability) -> anyhow::Result<Db> {
    let pool_size = match url {
        DatabaseUrl::Sqlite(_) => 8,
        // A few more than cores: each vote is a handful of round trips, and more connections
        // than that only add context switches.
        DatabaseUrl::Postgres(_) => 8,
    };
    let url = url.clone();
    let db = tokio::task::spawn_blocking(move || Db::connect_with(&url, pool_size, durability))
        .await
        .context("opening the database")??;
    Ok(db)
}

/// How long a stopping server waits for the batch its queues are sending.
const QUEUES_STOP_WITHIN: std::time::Duration = std::time::Duration::from_secs(25);

/// Waits for `task` to end, aborting it after `limit`.
async fn finish_within(limit: std::time::Duration, task: tokio::task::JoinHandle<()>) {
    let abort = task.abort_handle();
    if tokio::time::timeout(limit, task).await.is_err() {
        abort.abort();
    }
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!("creating the data directory {}", config.data_dir.display())
        })?;
        let keys = Keys::load_or_create(config.secret_key.as_deref(), &config.data_dir)?;
        let db = open_database_with(&config.database_url, config.durability).await?;
        let listener = TcpListener::bind(&config.bind)
            .with_context(|| format!("listening on {}", config.bind))?;
        let address = listener.local_addr().context("reading the bound address")?;
        let public_base = config.public_base(address);
        if config.base_url.is_none() && !address.ip().is_loopback() {
            // Reachable from other machines, but unsure of its own name: browsers reaching it by a
            // DNS name are refused writes (see `web::security::origin`), and links it makes name the address.
            tracing::warn!(%address, "listening beyond this machine without --base-url");
            eprintln!(
                "WARNING: faqtory listens on {address}, reachable from other machines, without \
                 --base-url (FAQTORY_BASE_URL). Set it to the address people use, e.g. \
                 --base-url https://qa.example.org: until then, writes from browsers that reach \
                 it by a name rather than an IP address are refused, and its links say {public_base}."
            );
        }
        let search = SearchIndex::start(db.clone(), &search::index_dir(&config.data_dir))
            .context("opening the search index")?;
        let docs_index = DocsIndex::start(db.clone(), &search::docs_index_dir(&config.data_dir))
            .context("opening the documentation index")?;
        let meaning_source = start_meaning(&config, &db).await?;
        let database_url = config.database_url.clone();
        let bus = tokio::task::spawn_blocking(move || Bus::start(&database_url))
            .await
            .context("starting the live bus")??;
        let live = LiveHub::start(db.clone(), &bus);
        let metrics = Metrics::default();
        let vote_batch_sizes = metrics.vote_batch_sizes.clone();
        let votes = VoteQueue::start_observed(db.clone(), bus.clone(), move |size| {
            vote_batch_sizes.observe(size as f64)
        });
        let webhooks = WebhookSender::new(
            db.clone(),
            public_base.clone(),
            config.allow_private_webhooks,
            config.webhook_retry_base,
            config.clock.clone(),
        );
        let mail = match &config.mail {
            Some(settings) => Some(MailSender::new(db.clone(), settings, public_base.clone())?),
            None => None,
        };
        let transcriber = Transcriber::new(
            db.clone(),
            bus.clone(),
            config.clock.clone(),
            crate::speech::fetch::speech_model_dir(&config.data_dir),
            config.speech.threads,
            config.speech.check,
        );
        let state = web::Data::new(AppState {
            transcriber: transcriber.clone(),
            speech: config.speech.clone(),
            uploads_dir: config.data_dir.join("uploads"),
            docs_index,
            docs_closest: ClosestCache::default(),
            offers_mail: mail.is_some(),
            polls: crate::app::polls::reading::PollReader::new(db.clone(), bus.clone()),
            topics: crate::app::insights::TopicWork::default(),
            recent_searches: Default::default(),
            crawlers: isbot::Bots::default(),
            db,
            search,
            meaning_source,
            bus,
            live: live.clone(),
            keys,
            limiter: RateLimiter::new(config.rate_limits),
            sign_in_throttle: SignInThrottle::default(),
            session_policy: config.session_policy,
            clock: config.clock.clone(),
            burst_rule: config.burst_rule,
            votes,
            metrics,
            secure_cookies: public_base.starts_with("https://"),
            embed_policy: embedding::embed_policy(&config.embed_origins),
            allow_private_webhooks: config.allow_private_webhooks,
            docs_dir: config.data_dir.join("docs"),
            public_base: public_base.clone(),
            configured_base: config.base_url.clone(),
            trusted_proxies: config.trusted_proxies.clone(),
        });
        if let Some(writer) = state.db.writer_stats() {
            let sizes = state.metrics.write_batch_sizes.clone();
            writer.observe_batch_sizes(move |size| sizes.observe(size as f64));
        }
        forget_networks_every_minute(&state);
        refresh_docs_on_schedule(&state, config.docs_schedule_check);
        tell_digests_when_due(&state, config.digest_check);
        let session_key = state.keys.sessions.clone();
        let secure_cookies = state.secure_cookies;
        let bus = state.bus.clone();
        // Rendered pages are kept once for every worker.
        let event_pages = web::Data::new(EventPages::default());
        let faq_pages = web::Data::new(FaqPages::default());
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(event_pages.clone())
                .app_data(faq_pages.clone())
                .wrap(from_fn(voter_issue::issue_voters))
                .wrap(from_fn(head_requests::end_streams_for_head))
                .wrap(from_fn(csrf::ensure_cookie))
                // Pages rendered once arrive compressed already and are left alone.
                .wrap(Compress::default())
                .wrap(session_middleware(session_key.clone(), secure_cookies))
                .wrap(security_headers())
                .wrap(from_fn(embedding::frame_embeds))
                .wrap(from_fn(refuse_large_bodies))
                .wrap(from_fn(request_metrics::record))
                .wrap(TracingLogger::default())
                .configure(routes::configure)
        })
        .shutdown_timeout(30)
        // Signals are ours: live streams never finish by themselves, so they are ended first.
        .disable_signals();
        if let Some(workers) = config.workers {
            server = server.workers(workers);
        }
        let server = server
            .listen(listener)
            .context("starting the HTTP server")?
            .run();
        Ok(Self {
            address,
            public_base,
            server,
            live,
            webhooks,
            mail,
            transcriber,
            bus,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    pub fn public_base(&self) -> &str {
        &self.public_base
    }

    /// Stops the server from another task (tests); SIGTERM and Ctrl-C do the same for `serve`.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped (see [`Application::stop_on_signals`] and [`Application::handle`]),
    /// sending webhook deliveries and mail meanwhile: they stop with the server.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (stopping, stop) = tokio::sync::watch::channel(false);
        let sending = tokio::spawn(self.webhooks.run(self.bus.clone(), stop.clone()));
        let transcribing = tokio::spawn(self.transcriber.run(stop.clone()));
        let mailing = self.mail.map(|mail| tokio::spawn(mail.run(self.bus, stop)));
        let served = self.server.await;
        // The batches under way end and are recorded (each attempt is bounded by its timeout).
        let _ = stopping.send(true);
        finish_within(QUEUES_STOP_WITHIN, sending).await;
        // A recording at work goes back to the queue after the window in hand; if that takes
        // too long, its lease lapses and it starts again elsewhere or on the next start.
        finish_within(QUEUES_STOP_WITHIN, transcribing).await;
        if let Some(mailing) = mailing {
            finish_within(QUEUES_STOP_WITHIN, mailing).await;
        }
        served
    }

    /// On SIGTERM or Ctrl-C: end live streams, stop accepting, and finish requests in flight
    /// (up to 30 s). For `faqtory serve`; tests and benchmarks stop their servers themselves.
    pub fn stop_on_signals(&self) {
        let handle = self.server.handle();
        let live = self.live.clone();
        tokio::spawn(async move {
            wait_for_stop_signal().await;
            tracing::info!("stopping: ending live streams and finishing requests in flight");
            live.close();
            handle.stop(true).await;
        });
    }
}

/// Erases the networks behind voter grants and votes once they are no longer needed (see
/// `app::asking::voters::forget_networks`), for as long as the application is there.
fn forget_networks_every_minute(state: &web::Data<AppState>) {
    let state = std::sync::Arc::downgrade(&state.clone().into_inner());
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            let Some(state) = state.upgrade() else {
                return;
            };
            if let Err(error) = voters::forget_networks(&state.db, state.clock.now()).await {
                tracing::warn!(%error, "could not forget the networks of old voters");
            }
        }
    });
}

/// Refreshes the documentation sources whose schedule says so, checking every `check`, for as
/// long as the application is there.
fn refresh_docs_on_schedule(state: &web::Data<AppState>, check: std::time::Duration) {
    let state = std::sync::Arc::downgrade(&state.clone().into_inner());
    tokio::spawn(async move {
        let mut every_check = tokio::time::interval(check);
        every_check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every_check.tick().await;
            let Some(state) = state.upgrade() else {
                return;
            };
            let now = state.clock.now();
            if let Err(error) =
                schedule::refresh_due(&state.db, now, state.allow_private_webhooks).await
            {
                tracing::warn!(%error, "could not look for documentation due a refresh");
            }
        }
    });
}

/// Tells each week's and month's insights digest once it has ended (see `app::insights::digest`),
/// checking every `check`, for as long as the application is there.
fn tell_digests_when_due(state: &web::Data<AppState>, check: std::time::Duration) {
    let state = std::sync::Arc::downgrade(&state.clone().into_inner());
    tokio::spawn(async move {
        let mut every_check = tokio::time::interval(check);
        every_check.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every_check.tick().await;
            let Some(state) = state.upgrade() else {
                return;
            };
            let sources = crate::routes::insights::sources(&state);
            if let Err(error) = digest::tell_due(&sources, state.clock.now()).await {
                tracing::warn!(%error, "could not tell the insights digest");
            }
        }
    });
}

/// Loads the sentence encoder, if there is one, and says once how the site matches text.
pub(crate) async fn start_meaning(config: &Config, db: &Db) -> anyhow::Result<Arc<MeaningSource>> {
    let settings = crate::meaning::ModelSettings {
        stored: config.model.clone(),
        live: config.live_model.clone(),
        query_wait: config.embedding_wait,
        background_threads: config.embedding_threads,
    };
    let data_dir = config.data_dir.clone();
    let db = db.clone();
    let handle = tokio::runtime::Handle::current();
    let source =
        tokio::task::spawn_blocking(move || Meaning::start(&settings, &data_dir, &db, handle))
            .await
            .context("loading the sentence encoder")?;
    let meaning = source.now();
    let mut said = meaning.availability().describe();
    if let Some(live) = meaning
        .live_model_tag()
        .filter(|live| Some(live) != meaning.model_tag().as_ref())
    {
        said.push_str(&format!(" Suggestions while typing use {live}."));
    }
    match meaning.availability() {
        Availability::Ready { .. } | Availability::Off => tracing::info!("{said}"),
        Availability::Missing { .. } | Availability::Broken { .. } => tracing::warn!("{said}"),
    }
    Ok(source)
}

/// SIGTERM (service managers) or Ctrl-C (a terminal).
async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(error) => {
                tracing::warn!(%error, "cannot watch for SIGTERM; only Ctrl-C stops the server");
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Moderators' sessions: an encrypted cookie that ends with the browser session.
fn session_middleware(key: Key, secure: bool) -> SessionMiddleware<CookieSessionStore> {
    SessionMiddleware::builder(CookieSessionStore::default(), key)
        .cookie_name(SESSION_COOKIE.to_owned())
        .cookie_secure(secure)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_content_security(CookieContentSecurity::Private)
        .build()
}

/// Answers 413 before reading a body whose declared length is over the limit.
async fn refuse_large_bodies(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    let recording_limit = req
        .app_data::<web::Data<AppState>>()
        .map_or(0, |state| state.recording_limit());
    let limit = routes::body_limit_for(req.path(), recording_limit);
    if declared.is_some_and(|length| length > limit) {
        let error = AppError::PayloadTooLarge { limit_bytes: limit };
        let response = if req.path().starts_with("/api/") {
            ApiError(error).error_response()
        } else {
            PageError(error).error_response()
        };
        return Ok(req.into_response(response));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}
