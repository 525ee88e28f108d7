//! The route table: every route of the site, gathered from each capability's declarations with
//! who may use it, and the access check attached from that declaration. A route cannot be
//! registered without saying whether it is public, for moderators or for admins, and the
//! authorization test walks this same table. What answers when no route matches is here too.

use std::sync::OnceLock;

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::{guard, web, HttpRequest, HttpResponse};

use crate::error::AppError;
use crate::web::responses::errors::{self, ApiError, PageError};
pub use crate::web::route_spec::{Access, RouteSpec};
use crate::web::security::guard::{require_admin, require_moderator};
use crate::web::telemetry::request_metrics::RoutePattern;

/// Every route of the site. The order is the order routes are tried in, each dynamic one by a
/// regular expression: what the public reads most comes first.
pub fn routes() -> Vec<RouteSpec> {
    [
        // Before `/e/{slug}`, which would take `/e/{slug}.ics` for an event page.
        crate::routes::outreach::calendars::routes(),
        crate::routes::events::page::routes(),
        crate::routes::live::stream::routes(),
        crate::routes::openapi::routes(),
        crate::routes::events::public_api::routes(),
        crate::routes::asking::api::routes(),
        crate::routes::polls::participation_api::routes(),
        crate::routes::polls::api::routes(),
        crate::routes::insights::api::routes(),
        crate::routes::insights::digest_api::routes(),
        crate::routes::polls::pages::routes(),
        crate::routes::faq::search::routes(),
        crate::routes::asking::pages::routes(),
        crate::routes::moderation::modlog::routes(),
        crate::routes::operations::health::routes(),
        crate::routes::accounts::sign_in::routes(),
        crate::routes::accounts::pages::routes(),
        crate::routes::accounts::sessions::routes(),
        crate::routes::events::admin::routes(),
        crate::routes::moderation::merge::routes(),
        crate::routes::asking::similar::routes(),
        crate::routes::moderation::dashboard::routes(),
        crate::routes::polls::admin::routes(),
        crate::routes::insights::pages::routes(),
        crate::routes::insights::digest_pages::routes(),
        crate::routes::polls::admin_moves::routes(),
        crate::routes::polls::admin_groups::routes(),
        // Before the moderation moves' `/mod/q/{id}/{verb}`, which would take it for a verb.
        crate::routes::docs::answering::routes(),
        crate::routes::moderation::curation::routes(),
        crate::routes::live::focus::routes(),
        crate::routes::moderation::curation_api::routes(),
        crate::routes::events::api::routes(),
        crate::routes::recording::transcript_api::routes(),
        crate::routes::recording::audio_api::routes(),
        crate::routes::recording::audio_page::routes(),
        crate::routes::recording::api::routes(),
        crate::routes::recording::page::routes(),
        crate::routes::recording::moment::routes(),
        crate::routes::recording::captions::routes(),
        crate::routes::faq::search_misses::routes(),
        crate::routes::live::presenter::routes(),
        crate::routes::outreach::crawlers::routes(),
        crate::routes::outreach::embed::routes(),
        crate::routes::outreach::webhooks_api::routes(),
        crate::routes::outreach::webhooks_page::routes(),
        crate::routes::outreach::mail::routes(),
        crate::routes::docs::api::routes(),
        crate::routes::docs::schedule_api::routes(),
        crate::routes::docs::report_api::routes(),
        crate::routes::docs::report_page::routes(),
        crate::routes::docs::sources_page::routes(),
        crate::routes::docs::public::routes(),
        crate::routes::docs::coverage_api::routes(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The methods the table takes at a concrete path (`GET` brings `HEAD`), in a stable order.
pub fn methods_at(path: &str) -> Vec<&'static str> {
    static PATTERNS: OnceLock<Vec<(ResourceDef, Method)>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        routes()
            .into_iter()
            .map(|spec| (ResourceDef::new(spec.path), spec.method))
            .collect()
    });
    let mut methods: Vec<&'static str> = Vec::new();
    for (pattern, method) in patterns {
        if !pattern.is_match(path) {
            continue;
        }
        let names: &[&'static str] = match *method {
            Method::GET => &["GET", "HEAD"],
            Method::POST => &["POST"],
            Method::PATCH => &["PATCH"],
            Method::DELETE => &["DELETE"],
            Method::PUT => &["PUT"],
            _ => &[],
        };
        for name in names {
            if !methods.contains(name) {
                methods.push(name);
            }
        }
    }
    methods
}

/// Registers the table; each route becomes a resource guarded by its method, so several methods
/// on one path fall through to each other as with `App::route`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    for spec in routes() {
        let resource = web::resource(spec.path).app_data(RoutePattern(spec.path));
        let resource = if spec.method == Method::GET {
            resource.guard(guard::Any(guard::Get()).or(guard::Head()))
        } else {
            resource.guard(guard::Method(spec.method.clone()))
        };
        let resource = if spec.is_api() {
            resource
                .app_data(errors::json_config())
                .app_data(errors::api_path_config())
                .app_data(errors::api_query_config())
        } else {
            resource
        };
        match spec.access {
            Access::Public => cfg.service(resource.route(spec.handler)),
            Access::Moderator => cfg.service(
                resource
                    .wrap(from_fn(require_moderator))
                    .route(spec.handler),
            ),
            Access::Admin => cfg.service(resource.wrap(from_fn(require_admin)).route(spec.handler)),
        };
    }
}

/// Nothing answered: 405 with `Allow` when the address exists for other methods (TRACE, a PUT
/// where we take PATCH), 404 otherwise.
fn unmatched(req: &HttpRequest, what: &'static str) -> AppError {
    let allowed = methods_at(req.path());
    if allowed.is_empty() {
        AppError::NotFound { what }
    } else {
        AppError::MethodNotAllowed {
            allowed: allowed.join(", "),
        }
    }
}

pub async fn page_not_found(req: HttpRequest) -> Result<HttpResponse, PageError> {
    Err(PageError(unmatched(&req, "page")))
}

pub async fn api_not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError(unmatched(&req, "API route")))
}
