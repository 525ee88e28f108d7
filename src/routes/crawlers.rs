//! What search engines read first: `/robots.txt` and `/sitemap.xml`.

use actix_web::{web, HttpResponse};

use super::errors::PageError;
use super::table::{Access, RouteSpec};
use crate::app;
use crate::views::sitemap::{robots, sitemap};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(super) fn routes() -> Vec<RouteSpec> {
    vec![
        RouteSpec::get("/robots.txt", Access::Public, web::to(robots_txt)),
        RouteSpec::get("/sitemap.xml", Access::Public, web::to(sitemap_xml)),
    ]
}

async fn robots_txt(state: Data) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(robots(&state.public_base))
}

async fn sitemap_xml(state: Data) -> Result<HttpResponse, PageError> {
    let (entries, events) = app::faq::sitemap_pages(&state.db).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/xml; charset=utf-8")
        .body(sitemap(&state.public_base, &entries, &events)))
}
