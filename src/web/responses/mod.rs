//! How answers go out: the error types of pages and the API, redirects and small responses,
//! pages rendered once and kept compressed, and HEAD requests.

pub mod errors;
pub mod head_requests;
pub mod page_cache;
pub mod rendered_page;
pub mod respond;
