//! Integration tests: each starts the real application and speaks HTTP to it, on SQLite and, when
//! `FAQTORY_TEST_POSTGRES` is set, on PostgreSQL.

mod accessibility;
mod accounts;
mod answers;
mod api_tokens;
mod asking;
mod authorization;
mod browser;
mod curation;
mod event_admin;
mod event_page;
mod events;
mod events_api;
mod export_import;
mod faq_extras;
mod faq_import;
mod faq_search;
mod head_requests;
mod hostile_input;
mod layout;
mod live;
mod meaning;
mod merging;
mod model_fetch;
mod moderators;
mod operations;
mod presenter;
mod protection;
mod question_import;
mod search_recovery;
mod sessions;
mod similar;
mod support;
mod tiny_model;
mod voting;
mod webdriver;
