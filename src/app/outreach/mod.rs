//! What faqtory sends out: mail to askers and voters, webhooks to chat rooms and other tools,
//! and the retrying queue both share.

pub mod digest_news;
pub mod digest_telling;
pub mod mail;
pub mod mail_delivery;
pub mod mail_letters;
pub mod retry;
pub mod webhook_bodies;
pub mod webhook_delivery;
pub mod webhooks;
