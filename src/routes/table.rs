//! The route table: every route of the site is declared here with who may use it, and the access
//! check is attached from that declaration. A route cannot be registered without saying whether
//! it is public, for moderators or for admins, and the authorization test walks this same table.

use std::sync::OnceLock;

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use actix_web::middleware::from_fn;
use actix_web::{guard, web, Route};

use super::errors;
use crate::auth::guard::{require_admin, require_moderator};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    /// Any signed-in moderator (or a moderator's API token, later).
    Moderator,
    /// Administrators only.
    Admin,
}

pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    handler: Route,
}

impl RouteSpec {
    pub fn new(method: Method, path: &'static str, access: Access, handler: Route) -> Self {
        Self {
            method,
            path,
            access,
            handler,
        }
    }

    pub fn get(path: &'static str, access: Access, handler: Route) -> Self {
        Self::new(Method::GET, path, access, handler)
    }

    pub fn post(path: &'static str, access: Access, handler: Route) -> Self {
        Self::new(Method::POST, path, access, handler)
    }

    pub fn patch(path: &'static str, access: Access, handler: Route) -> Self {
        Self::new(Method::PATCH, path, access, handler)
    }

    pub fn delete(path: &'static str, access: Access, handler: Route) -> Self {
        Self::new(Method::DELETE, path, access, handler)
    }

    pub fn put(path: &'static str, access: Access, handler: Route) -> Self {
        Self::new(Method::PUT, path, access, handler)
    }

    /// JSON routes answer errors as JSON and read JSON bodies.
    pub fn is_api(&self) -> bool {
        self.path.starts_with("/api/")
    }
}

/// Every route of the site. The order is the order routes are tried in, each dynamic one by a
/// regular expression: what the public reads most comes first.
pub fn routes() -> Vec<RouteSpec> {
    [
        // Before `/e/{slug}`, which would take `/e/{slug}.ics` for an event page.
        super::calendars::routes(),
        super::event_page::routes(),
        super::live::routes(),
        super::api::routes(),
        super::faq::routes(),
        super::pages::routes(),
        super::moderator_api::routes(),
        super::ops::routes(),
        super::moderation::routes(),
        super::accounts::routes(),
        super::sessions::routes(),
        super::event_admin::routes(),
        super::merge::routes(),
        super::similar::routes(),
        super::dashboard::routes(),
        super::curation::routes(),
        super::focus::routes(),
        super::curation_api::routes(),
        super::events_api::routes(),
        super::transcript_api::routes(),
        super::recording_api::routes(),
        super::recording_page::routes(),
        super::recording_moment::routes(),
        super::search_misses::routes(),
        super::presenter::routes(),
        super::crawlers::routes(),
        super::embed::routes(),
        super::webhooks_api::routes(),
        super::webhooks_page::routes(),
        super::mail::routes(),
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

/// The pattern of the route a request took, for metrics: `HttpRequest::match_pattern` would
/// match the path against the table a second time.
#[derive(Debug, Clone, Copy)]
pub struct RoutePattern(pub &'static str);

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
