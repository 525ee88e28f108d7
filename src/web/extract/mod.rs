//! What handlers take from a request: JSON objects, typed text and whole numbers with clear
//! refusals, the signed-in moderator, the client's address behind trusted proxies, and who
//! settled on a search.

pub mod client_ip;
pub mod current_moderator;
pub mod export_format;
pub mod json_object;
pub mod maybe_moderator;
pub mod searcher;
pub mod typed_text;
pub mod whole_number;
