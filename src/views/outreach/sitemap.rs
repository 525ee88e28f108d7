//! `/sitemap.xml` (sitemaps.org 0.9) and `/robots.txt`: what search engines are told to read.

use chrono::{NaiveDateTime, SecondsFormat};
use maud::{html, PreEscaped};

use crate::app::faq::browse::entry_path;
use crate::db::faq::EntryPage;
use crate::db::sitemap::EventPage;

/// maud's escaping (`&`, `<`, `>`, `"`) is XML's too.
pub fn sitemap(public_base: &str, entries: &[EntryPage], events: &[EventPage]) -> String {
    let lastmod = |at: NaiveDateTime| at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true);
    html! {
        (PreEscaped(r#"<?xml version="1.0" encoding="UTF-8"?>"#))
        urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" {
            url { loc { (public_base) "/" } }
            url { loc { (public_base) "/faq" } }
            @for event in events {
                url {
                    loc { (public_base) "/e/" (event.slug) }
                    lastmod { (lastmod(event.changed_at)) }
                }
            }
            @for entry in entries {
                url {
                    loc { (public_base) (entry_path(entry.id, &entry.question)) }
                    lastmod { (lastmod(entry.changed_at)) }
                }
            }
        }
    }
    .into_string()
}

/// The FAQ and the events are for everyone; moderators' pages, askers' follow links, the links
/// in mail, presenter views and live streams are no one's search result.
pub fn robots(public_base: &str) -> String {
    format!(
        "User-agent: *\n\
         Allow: /\n\
         Disallow: /mod\n\
         Disallow: /follow/\n\
         Disallow: /mail/\n\
         Disallow: /present/\n\
         Disallow: /live/\n\
         Disallow: /sign-in\n\
         Disallow: /api/\n\
         \n\
         Sitemap: {public_base}/sitemap.xml\n"
    )
}
