use maud::{html, Markup, DOCTYPE};

use crate::assets;

/// What a page says about itself in `<head>`.
pub struct PageMeta<'a> {
    pub title: &'a str,
    pub description: &'a str,
    /// The page's own absolute address, for pages worth finding from a search engine or a link
    /// preview: it becomes the canonical link and `og:url`.
    pub url: Option<&'a str>,
}

pub fn page(meta: &PageMeta<'_>, body: Markup) -> Markup {
    site_page(meta, "", body)
}

/// A moderator's working page: the width of the screen, for rows of questions and tables.
pub fn wide_page(meta: &PageMeta<'_>, body: Markup) -> Markup {
    site_page(meta, "wide", body)
}

/// What a page loads and tells robots.
struct Kind<'a> {
    body_class: &'a str,
    scripts: &'a [&'a str],
    /// Pages made for frames are found through the pages that hold them.
    indexed: bool,
}

/// The scripts of the site's own pages.
const SITE_SCRIPTS: [&str; 3] = ["app.js", "live.js", "shortcuts.js"];

fn site_kind(body_class: &str) -> Kind<'_> {
    Kind {
        body_class,
        scripts: &SITE_SCRIPTS,
        indexed: true,
    }
}

fn site_page(meta: &PageMeta<'_>, body_class: &str, body: Markup) -> Markup {
    document(
        meta,
        &site_kind(body_class),
        html! {
            a.skip href="#main" { "Skip to content" }
            header.site {
                a.brand href="/" { "faqtory" }
                nav aria-label="Site" {
                    a href="/" { "Events" }
                    a href="/faq" { "FAQ" }
                }
                form.site-search role="search" method="get" action="/faq" {
                    label.visually-hidden for="site-search" { "Search the FAQ" }
                    input #site-search type="search" name="q" placeholder="Search the FAQ" autocomplete="off";
                    button.secondary type="submit" { "Search" }
                }
            }
            main #main { (body) }
            footer.site {
                p { "Questions from the community, answered in the open. "
                    a href="/api/openapi.json" { "API" } " · " a href="/mod" { "Moderate" } }
            }
            div #toast role="status" aria-live="polite" {}
        },
    )
}

/// A page without the site's header and footer (the presenter view, shown on a stream).
pub fn bare_page(meta: &PageMeta<'_>, body_class: &str, body: Markup) -> Markup {
    document(
        meta,
        &site_kind(body_class),
        html! { main #main { (body) } },
    )
}

/// A page made for an iframe on another site: no chrome, and a script that tells the holding
/// page its height.
pub fn framed_page(meta: &PageMeta<'_>, body: Markup) -> Markup {
    let kind = Kind {
        body_class: "embedded",
        scripts: &["app.js", "embed-frame.js"],
        indexed: false,
    };
    document(meta, &kind, html! { main #main { (body) } })
}

fn document(meta: &PageMeta<'_>, kind: &Kind<'_>, body: Markup) -> Markup {
    let full_title = if meta.title == "faqtory" {
        "faqtory".to_owned()
    } else {
        format!("{} · faqtory", meta.title)
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (full_title) }
                meta name="description" content=(meta.description);
                meta property="og:title" content=(meta.title);
                meta property="og:description" content=(meta.description);
                meta property="og:type" content="website";
                meta property="og:site_name" content="faqtory";
                @if let Some(url) = meta.url {
                    link rel="canonical" href=(url);
                    meta property="og:url" content=(url);
                }
                meta name="twitter:card" content="summary";
                meta name="twitter:title" content=(meta.title);
                meta name="twitter:description" content=(meta.description);
                meta name="color-scheme" content="light dark";
                link rel="icon" href=(assets::url("icon.svg")) type="image/svg+xml";
                link rel="stylesheet" href=(assets::url("style.css"));
                @if !kind.indexed { meta name="robots" content="noindex"; }
                @for script in kind.scripts {
                    script src=(assets::url(script)) defer {}
                }
            }
            body class=[(!kind.body_class.is_empty()).then_some(kind.body_class)] { (body) }
        }
    }
}
