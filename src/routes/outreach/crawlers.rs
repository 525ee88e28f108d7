//! What search engines read first: `/robots.txt` and `/sitemap.xml`.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::routes::faq::pages::FaqPages;
use crate::views::outreach::sitemap::robots;
use crate::web::responses::errors::PageError;
use crate::web::route_spec::{Access, RouteSpec};
use crate::web::AppState;

type Data = web::Data<AppState>;

pub(crate) fn routes() -> Vec<RouteSpec> {
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

async fn sitemap_xml(
    req: HttpRequest,
    state: Data,
    pages: web::Data<FaqPages>,
) -> Result<HttpResponse, PageError> {
    Ok(pages.sitemap(&state, &req).await?)
}
