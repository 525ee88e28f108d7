//! How a capability declares a route: its method, path, who may use it, and its handler. The
//! route table in `routes::table` gathers every capability's declarations and registers them.

use actix_web::http::Method;
use actix_web::Route;

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
    pub handler: Route,
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
