//! What handlers take from a request: JSON objects, typed text and whole numbers with clear
//! refusals, the signed-in moderator, and the client's address behind trusted proxies.

pub mod client_ip;
pub mod current_moderator;
pub mod export_format;
pub mod json_object;
pub mod maybe_moderator;
pub mod typed_text;
pub mod whole_number;
