//! Server-Sent Events: `/live/e/{slug}` for the public, `/mod/live/e/{slug}` for moderators
//! (pending questions too). A stream opens with `retry`, carries the hub's frames, and a comment
//! every [`HEARTBEAT_EVERY`] so proxies keep it open. A subscriber that falls behind gets a
//! `resync` frame and re-reads the page; nothing depends on replay.

use std::time::Duration;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{web, HttpResponse};
use prometheus_client::metrics::counter::Counter;
use tokio::sync::broadcast::error::RecvError;

use crate::app;
use crate::error::AppError;
use crate::live::messages::{HEARTBEAT, OPENING, RESYNC};
use crate::live::{Audience, Subscription};
use crate::web::responses::errors::PageError;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

type Data = web::Data<AppState>;

const HEARTBEAT_EVERY: Duration = Duration::from_secs(15);

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/live/e/{slug}", Access::Public, web::to(public_stream)),
        RouteSpec::get(
            "/mod/live/e/{slug}",
            Access::Moderator,
            web::to(moderator_stream),
        ),
    ]
}

async fn public_stream(state: Data, slug: web::Path<String>) -> Result<HttpResponse, PageError> {
    let event = app::events::listing::find_public_event(&state.db, &slug).await?;
    stream(&state, event.id, Audience::Public)
}

async fn moderator_stream(state: Data, slug: web::Path<String>) -> Result<HttpResponse, PageError> {
    let event = app::events::listing::find_event(&state.db, &slug).await?;
    stream(&state, event.id, Audience::Moderators)
}

pub(crate) fn stream(
    state: &AppState,
    event_id: i64,
    audience: Audience,
) -> Result<HttpResponse, PageError> {
    let subscription = state
        .live
        .subscribe(event_id)
        .ok_or(AppError::Unavailable {
            message: "The server is restarting; live updates resume in a moment.".into(),
        })?;
    let opening = futures_util::stream::once(std::future::ready(Ok(Bytes::from_static(
        OPENING.as_bytes(),
    ))));
    let updates = futures_util::stream::unfold(
        Stream {
            subscription,
            audience,
            frames_sent: state.metrics.frames_sent.clone(),
            heartbeat: tokio::time::interval_at(
                tokio::time::Instant::now() + HEARTBEAT_EVERY,
                HEARTBEAT_EVERY,
            ),
        },
        next_frame,
    );
    let frames = futures_util::StreamExt::chain(opening, updates);
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        // Buffering proxies (nginx) would hold frames back, and so would a compressor.
        .insert_header(("x-accel-buffering", "no"))
        .insert_header((header::CONTENT_ENCODING, header::ContentEncoding::Identity))
        .streaming(frames))
}

/// A frame rendered once, as the body of many responses.
struct SharedFrame(std::sync::Arc<str>);

impl AsRef<[u8]> for SharedFrame {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

struct Stream {
    subscription: Subscription,
    audience: Audience,
    frames_sent: Counter,
    heartbeat: tokio::time::Interval,
}

async fn next_frame(mut stream: Stream) -> Option<(Result<Bytes, std::io::Error>, Stream)> {
    loop {
        tokio::select! {
            received = stream.subscription.recv() => match received {
                Ok(message) => {
                    if let Some(frame) = message.for_audience(stream.audience) {
                        stream.frames_sent.inc();
                        // Every subscriber sends the same bytes: no copy per stream.
                        let frame = Bytes::from_owner(SharedFrame(frame.clone()));
                        return Some((Ok(frame), stream));
                    }
                }
                Err(RecvError::Lagged(_)) => {
                    return Some((Ok(Bytes::from_static(RESYNC.as_bytes())), stream));
                }
                // The server is shutting down.
                Err(RecvError::Closed) => return None,
            },
            _ = stream.heartbeat.tick() => {
                return Some((Ok(Bytes::from_static(HEARTBEAT.as_bytes())), stream));
            }
        }
    }
}
