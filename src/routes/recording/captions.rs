//! `/e/{slug}/captions.vtt` and `/e/{slug}/captions.srt`: the recording's captions, for anyone
//! who can see the event, loadable by a video player on another site (the project's own).

use actix_web::http::header;
use actix_web::{web, HttpResponse};

use crate::app::recording::captions::{captions, CaptionFormat};
use crate::web::responses::errors::PageError;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/e/{slug}/captions.vtt", Access::Public, web::to(webvtt)),
        RouteSpec::get("/e/{slug}/captions.srt", Access::Public, web::to(srt)),
    ]
}

async fn webvtt(state: Data, slug: web::Path<String>) -> Result<HttpResponse, PageError> {
    respond(&state, &slug, CaptionFormat::WebVtt).await
}

async fn srt(state: Data, slug: web::Path<String>) -> Result<HttpResponse, PageError> {
    respond(&state, &slug, CaptionFormat::Srt).await
}

async fn respond(
    state: &AppState,
    slug: &str,
    format: CaptionFormat,
) -> Result<HttpResponse, PageError> {
    let text = captions(&state.db, slug, format).await?;
    let (content_type, extension) = match format {
        CaptionFormat::WebVtt => ("text/vtt; charset=utf-8", "vtt"),
        CaptionFormat::Srt => ("application/x-subrip; charset=utf-8", "srt"),
    };
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{slug}.{extension}\""),
        ))
        // A `<track>` on the project's own site may load them: they are public already.
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        // Corrections to the transcript show within a minute.
        .insert_header((header::CACHE_CONTROL, "public, max-age=60"))
        .body(text))
}
