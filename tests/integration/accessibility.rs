//! axe-core in the browser journeys' windows: every main page, as its users see it (signed in
//! where a moderator would be), with no serious or critical violations.

use serde_json::json;

use crate::support::TestApp;
use crate::webdriver::Browser;

/// The windows the journeys left open, one per kind of user.
pub struct Audience<'a> {
    pub public: &'a Browser,
    /// The presenter window and its secret address.
    pub presenter: (&'a Browser, &'a str),
    pub moderator: &'a Browser,
}

/// Checks the site's main pages and `event_pages` (paths of one event's public pages).
pub async fn audit_main_pages(
    app: &TestApp,
    audience: Audience<'_>,
    event_pages: &[String],
    axe: &str,
) {
    let (presenter, presenter_url) = audience.presenter;
    let mut pages: Vec<(&Browser, String)> = ["/", "/faq", "/faq?q=roadmap", "/sign-in"]
        .iter()
        .map(|path| (audience.public, app.url(path)))
        .collect();
    pages.extend(
        event_pages
            .iter()
            .map(|path| (audience.public, app.url(path))),
    );
    pages.push((presenter, presenter_url.to_owned()));
    let slug = event_pages
        .first()
        .and_then(|path| path.strip_prefix("/e/"))
        .expect("the event's page first");
    // The pages made for frames, opened on their own as a frame shows them.
    for path in [
        "/embed/faq".to_owned(),
        "/embed/faq?q=roadmap".to_owned(),
        format!("/embed/e/{slug}"),
    ] {
        pages.push((audience.public, app.url(&path)));
    }
    for path in [
        "/mod".to_owned(),
        format!("/mod/e/{slug}"),
        format!("/mod/e/{slug}/settings"),
        format!("/mod/e/{slug}/duplicates"),
    ] {
        pages.push((audience.moderator, app.url(&path)));
    }
    for (page, url) in pages {
        page.goto(&url).await;
        let found = violations(page, axe).await;
        assert!(found.is_empty(), "{url}: {found:#?}");
    }
}

/// Serious and critical axe-core findings on the page now: "rule: help — first offending element".
pub async fn violations(page: &Browser, axe: &str) -> Vec<String> {
    page.run(axe, json!([])).await;
    // A ceiling for a busy machine, not a speed the test asks for.
    page.set_timeouts(120_000).await;
    let found = page
        .run_async(
            "var done = arguments[arguments.length - 1];\
             axe.run(document, {resultTypes: ['violations']}).then(function (result) {\
               done(result.violations\
                 .filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })\
                 .map(function (v) { return v.id + ': ' + v.help + ' — ' + v.nodes[0].html; }));\
             }, function (error) { done(['axe failed: ' + error]); });",
            json!([]),
        )
        .await;
    serde_json::from_value(found).unwrap()
}
