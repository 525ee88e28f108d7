//! The three users' journeys in a real browser (headless Chromium through chromedriver), plus
//! axe-core on every main page (see `accessibility`). They run when `FAQTORY_TEST_BROWSER` names chromedriver (or is
//! `1` for /usr/bin/chromedriver) and `FAQTORY_AXE_JS` names axe-core's `axe.min.js`; `.ci/run`
//! installs all three and sets both. Screenshots of each journey's last step go to
//! `target/tmp/browser/`.

use std::path::PathBuf;

use reqwest::Method;
use serde_json::json;

use crate::accessibility::{audit_main_pages, Audience};
use crate::support::{backends, browser, spawn_app, TestApp};
use crate::webdriver::{Browser, Driver};

const PHONE: (u32, u32) = (390, 844);
const LAPTOP: (u32, u32) = (1280, 900);

/// chromedriver's path when browser tests are on.
/// Where a journey's screenshot goes: `target/tmp/browser/{name}-{backend}.png`.
pub fn shot(name: &str, backend: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(format!("{name}-{backend}.png"))
}

pub fn chromedriver() -> Option<String> {
    match std::env::var("FAQTORY_TEST_BROWSER").ok()?.as_str() {
        "" | "0" => None,
        "1" => Some("/usr/bin/chromedriver".into()),
        path => Some(path.into()),
    }
}

fn screenshot_path(name: &str, backend: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(format!("{name}-{backend}.png"))
}

/// Marks the page so that a reload (which would clear the mark) is noticed.
async fn mark_page(page: &Browser) {
    page.run(
        "window.__faqtoryNotReloaded = true; return true;",
        json!([]),
    )
    .await;
}

fn still_marked_and(condition: &str) -> String {
    format!("return window.__faqtoryNotReloaded === true && ({condition});")
}

/// axe-core's script, which browser tests need beside chromedriver.
pub fn axe_source() -> String {
    std::env::var("FAQTORY_AXE_JS")
        .map(|path| std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
        .expect("FAQTORY_AXE_JS names axe.min.js when browser tests run")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn journeys_in_a_real_browser() {
    let Some(chromedriver) = chromedriver() else {
        eprintln!("browser journeys skipped: set FAQTORY_TEST_BROWSER (see .ci/run)");
        return;
    };
    let axe = axe_source();
    let driver = Driver::start(&chromedriver).await;
    for backend in backends() {
        let app = spawn_app(&backend).await;
        asker_on_a_phone(&app, &driver).await;
        watcher_follows_the_call_without_reloading(&app, &driver).await;
        moderator_runs_the_session(&app, &driver, &axe).await;
        visitor_searches_months_later(&app, &driver).await;
    }
}

/// (a) A member of the public, on a phone, starts asking, is shown the same question already
/// asked, and upvotes it instead.
async fn asker_on_a_phone(app: &TestApp, driver: &Driver) {
    app.create_event("town", &[]);
    let existing = app
        .ask_api(
            &browser(),
            "town",
            "How do I install faqtory on a Raspberry Pi?",
        )
        .await;
    let phone = driver.session(PHONE.0, PHONE.1).await;
    phone.goto(&app.url("/e/town")).await;
    assert_eq!(
        phone
            .run(
                "return document.documentElement.scrollWidth <= window.innerWidth;",
                json!([])
            )
            .await,
        json!(true),
        "nothing wider than the phone"
    );
    let body = phone.wait_for("#ask-body").await;
    phone.click(&body).await;
    phone
        .type_into(&body, "How can I install faqtory on my Raspberry Pi")
        .await;
    let upvote = phone.wait_for("#similar-live button").await;
    assert_eq!(phone.text(&upvote).await, "Upvote this one");
    phone.click(&upvote).await;
    phone
        .wait_until(
            "the suggestion says it was upvoted",
            "var b = document.querySelector('#similar-live button'); return !!b && b.textContent === 'Upvoted';",
        )
        .await;
    assert_eq!(app.vote_count(existing, "town").await, 1, "{}", app.backend);
    // The list below follows: the question's count, and its button's label, say 1 now.
    phone
        .wait_until(
            "the list shows the new count",
            &format!(
                "var b = document.querySelector('#q-{existing} form.vote button');\
                 return !!b && b.querySelector('.count').textContent === '1'\
                   && b.getAttribute('aria-label') === '1 vote: upvote';"
            ),
        )
        .await;
    phone
        .screenshot(&screenshot_path("a-asker-phone", app.backend))
        .await;

    // Asking: the page comes back at the thanks and the private link, focused, on screen.
    phone.goto(&app.url("/e/town")).await;
    let body = phone.wait_for("#ask-body").await;
    phone.click(&body).await;
    phone
        .type_into(
            &body,
            "Will the recording of the call be published afterwards?",
        )
        .await;
    phone.click_on("section.ask button[type=submit]").await;
    phone
        .wait_until(
            "the thanks with the follow link is in view and focused",
            "var n = document.getElementById('just-asked'); if (!n) return false;             var r = n.getBoundingClientRect();             return r.top >= 0 && r.bottom <= window.innerHeight && document.activeElement === n               && !!n.querySelector('a.follow-link');",
        )
        .await;
    phone
        .screenshot(&screenshot_path("a-asker-asked-phone", app.backend))
        .await;
    phone.close().await;
}

pub async fn sign_in(page: &Browser, app: &TestApp, username: &str, password: &str) {
    page.goto(&app.url("/sign-in")).await;
    let name = page.wait_for("input[name=username]").await;
    page.type_into(&name, username).await;
    let secret = page.wait_for("input[name=password]").await;
    page.type_into(&secret, password).await;
    let submit = page
        .wait_for("form[action='/sign-in'] button[type=submit]")
        .await;
    page.click(&submit).await;
    page.wait_until(
        "signed in",
        "return location.pathname.indexOf('/sign-in') === -1;",
    )
    .await;
}

/// Key presses as the dashboard's script receives them (on the page, not in a field).
pub async fn press_keys(page: &Browser, keys: &[&str]) {
    page.run(
        "arguments[0].forEach(function (key) {\
           document.body.dispatchEvent(new KeyboardEvent('keydown', {key: key, bubbles: true}));\
         }); return true;",
        json!([keys]),
    )
    .await;
}

/// How often the event page was served (any status): what live updates must not add to.
async fn event_page_reads(app: &TestApp) -> u64 {
    let (_, metrics) = app.get_text(&browser(), "/metrics").await;
    metrics
        .lines()
        .filter(|line| {
            line.starts_with("faqtory_http_requests_total{") && line.contains("route=\"/e/{slug}\"")
        })
        .filter_map(|line| line.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

/// (a') A watcher on a phone follows the call: new questions, a question on screen, an answer,
/// all put in from the live frames, without the page being read again, and their own vote stays
/// marked on a row that was replaced.
async fn watcher_follows_the_call_without_reloading(app: &TestApp, driver: &Driver) {
    app.create_event("watch", &[]);
    let token = app.api_token("host");
    let first = app
        .ask_api(&browser(), "watch", "Which platforms are supported today?")
        .await;
    let phone = driver.session(PHONE.0, PHONE.1).await;
    phone.goto(&app.url("/e/watch")).await;
    phone.wait_for(&format!("#q-{first}")).await;
    mark_page(&phone).await;
    click_in_row(&phone, first, "form.vote button").await;
    phone
        .wait_until(
            "the vote is marked and the server has answered",
            // The button flips before the server answers; the form is busy until it has.
            &format!("var b = document.querySelector('#q-{first} button'); return b.getAttribute('aria-pressed') === 'true' && b.closest('form').dataset.busy !== '1';"),
        )
        .await;
    assert_eq!(app.vote_count(first, "watch").await, 1, "{}", app.backend);
    let reads = event_page_reads(app).await;

    let second = app
        .ask_api(
            &browser(),
            "watch",
            "Is there a way to <b>export</b> everything?",
        )
        .await;
    phone
        .wait_until(
            "the new question is in the list, and the heading counts it",
            &still_marked_and(&format!(
                "!!document.querySelector('#questions > #q-{second}.arrived') \
                 && document.querySelector('#q-{second} .question-body').textContent.indexOf('<b>export</b>') >= 0 \
                 && document.getElementById('list-heading').textContent === '2 open questions'"
            )),
        )
        .await;

    let (status, _) = app
        .moderator_api(
            Method::POST,
            &format!("/api/v1/questions/{first}/on-screen"),
            &token,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{}", app.backend);
    phone
        .wait_until(
            "the question on screen is pinned above, and the reader's vote is still marked",
            &still_marked_and(&format!(
                "!document.getElementById('on-screen-now').hidden \
                 && document.getElementById('on-screen-now').textContent.indexOf('Which platforms') >= 0 \
                 && !!document.querySelector('#q-{first} .badge.on-screen') \
                 && document.querySelector('#q-{first} button').getAttribute('aria-pressed') === 'true'"
            )),
        )
        .await;

    let (status, _) = app
        .moderator_api(
            Method::POST,
            &format!("/api/v1/questions/{second}/answer"),
            &token,
            json!({"answer_md": "Yes: the export in the moderators' menu."}),
        )
        .await;
    assert_eq!(status, 200);
    phone
        .wait_until(
            "the answered question leaves the open list and the Answered tab counts it",
            &still_marked_and(&format!(
                "!document.getElementById('q-{second}') \
                 && document.querySelector('#list-tabs').textContent.indexOf('Answered (1)') >= 0 \
                 && document.getElementById('list-heading').textContent === '1 open question'"
            )),
        )
        .await;
    assert_eq!(
        event_page_reads(app).await,
        reads,
        "{}: the page was read again instead of taking the frames",
        app.backend
    );
    phone
        .screenshot(&screenshot_path("a-watcher-phone", app.backend))
        .await;
    phone.close().await;
}

/// Rows of a live page may be replaced by an update at any moment: find and click as one step.
async fn click_in_row(page: &Browser, question: i64, css: &str) {
    page.click_on(&format!("#q-{question} {css}")).await;
}

/// (b) A moderator approves, merges two questions and answers one with a moment in the
/// recording, while the public page and the presenter view change without a reload.
async fn moderator_runs_the_session(app: &TestApp, driver: &Driver, axe: &str) {
    app.create_event(
        "hangout",
        &[
            "--premoderation",
            "--recording-url",
            "https://example.org/recording.mp4",
        ],
    );
    let token = app.api_token("ops");
    let ask = |body: &'static str| async move { app.ask_api(&browser(), "hangout", body).await };
    let roadmap = ask("What is on the roadmap for version two?").await;
    let asked: serde_json::Value = app
        .post_question(
            &browser(),
            "hangout",
            json!({"body": "Roadmap for version two: what is planned?"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let duplicate = asked["id"].as_i64().unwrap();
    let follow_url = asked["follow_url"].as_str().unwrap().to_owned();
    let plugins = ask("Is there a plugin API for themes?").await;
    for id in [duplicate, plugins] {
        let (status, _) = app
            .moderator_api(
                Method::POST,
                &format!("/api/v1/questions/{id}/approve"),
                &token,
                json!({}),
            )
            .await;
        assert_eq!(status, 200);
    }
    let (status, link) = app
        .moderator_api(
            Method::POST,
            "/api/v1/events/hangout/presenter-link",
            &token,
            json!({}),
        )
        .await;
    assert_eq!(status, 201);
    let presenter_url = link["url"].as_str().unwrap().to_owned();

    let public = driver.session(LAPTOP.0, LAPTOP.1).await;
    public.goto(&app.url("/e/hangout")).await;
    public.wait_for(&format!("#q-{duplicate}")).await;
    mark_page(&public).await;
    // A row nothing happened to stays the very same element through live updates.
    public
        .run(
            &format!("document.getElementById('q-{duplicate}').faqtoryKept = true; return true;"),
            json!([]),
        )
        .await;
    let presenter = driver.session(LAPTOP.0, LAPTOP.1).await;
    presenter.goto(&presenter_url).await;
    presenter.wait_for("#next-up").await;
    mark_page(&presenter).await;

    // The asker of the question that will be merged watches their follow page.
    let asker = driver.session(PHONE.0, PHONE.1).await;
    asker.goto(&follow_url).await;
    asker.wait_for(".status-approved").await;
    mark_page(&asker).await;

    app.add_moderator("maria", "correct horse battery", false);
    let moderator = driver.session(LAPTOP.0, LAPTOP.1).await;
    sign_in(&moderator, app, "maria", "correct horse battery").await;

    // Keyboard: j, j, k come back to the first row; ? opens the help.
    moderator.goto(&app.url("/mod/e/hangout?tab=live")).await;
    moderator.wait_for("ol.moderation > li:nth-child(2)").await;
    press_keys(&moderator, &["j", "j", "k", "?"]).await;
    moderator
        .wait_until(
            "j/k move between rows and ? opens the help",
            "return document.querySelector('ol.moderation > li.current') === document.querySelector('ol.moderation > li')\
               && document.getElementById('shortcuts-help').open;",
        )
        .await;

    // Approve from the keyboard: j selects the first (only) pending question, a approves it.
    moderator.goto(&app.url("/mod/e/hangout?tab=pending")).await;
    moderator.wait_for(&format!("#q-{roadmap}")).await;
    press_keys(&moderator, &["j", "a"]).await;
    public
        .wait_until(
            "the approved question appears on the public page, the others untouched",
            &still_marked_and(&format!(
                "!!document.getElementById('q-{roadmap}') && document.getElementById('q-{duplicate}').faqtoryKept === true"
            )),
        )
        .await;

    // m opens "merge into" of the row the keys act on (here the one the address names).
    moderator
        .goto(&app.url(&format!("/mod/e/hangout?tab=live#q-{duplicate}")))
        .await;
    moderator.wait_for(&format!("#q-{duplicate}.current")).await;
    press_keys(&moderator, &["m"]).await;
    moderator
        .wait_until(
            "m focuses the merge field",
            &format!("return document.activeElement === document.querySelector('#q-{duplicate} input[name=into]');"),
        )
        .await;
    let into = moderator
        .wait_for(&format!("#q-{duplicate} input[name=into]"))
        .await;
    moderator.type_into(&into, &roadmap.to_string()).await;
    click_in_row(
        &moderator,
        duplicate,
        "details.merge-form button[type=submit]",
    )
    .await;
    public
        .wait_until(
            "the merged question leaves the public page",
            &still_marked_and(&format!("!document.getElementById('q-{duplicate}')")),
        )
        .await;

    asker
        .wait_until(
            "the asker's follow page says where the question went",
            &still_marked_and("!!document.querySelector('.status-merged') && !!document.querySelector('.merged-into')"),
        )
        .await;
    asker
        .screenshot(&screenshot_path("b-asker-follow", app.backend))
        .await;
    asker.close().await;

    moderator.goto(&app.url("/mod/e/hangout?tab=live")).await;
    click_in_row(&moderator, roadmap, "details.answer-form summary").await;
    let answer = moderator.wait_for(&format!("#answer-{roadmap}")).await;
    moderator
        .type_into(&answer, "Plugins first, then a new theme engine.")
        .await;
    let offset = moderator.wait_for(&format!("#offset-{roadmap}")).await;
    moderator.type_into(&offset, "12:34").await;
    click_in_row(
        &moderator,
        roadmap,
        "details.answer-form button[type=submit]",
    )
    .await;
    public
        .wait_until(
            "the answered question moves to the Answered tab",
            &still_marked_and(&format!(
                "!document.getElementById('q-{roadmap}') && document.getElementById('list-tabs').textContent.indexOf('Answered (1)') !== -1"
            )),
        )
        .await;
    public.goto(&app.url("/e/hangout?sort=answered")).await;
    let watch = public
        .wait_for(&format!("#q-{roadmap} a[href*='t=754']"))
        .await;
    assert!(public.text(&watch).await.contains("12:34"));
    assert!(public
        .text(&public.wait_for(&format!("#q-{roadmap}")).await)
        .await
        .contains("theme engine"));
    public.goto(&app.url("/e/hangout")).await;
    public.wait_for("#list-tabs").await;

    // s puts the selected question on screen.
    moderator
        .goto(&app.url(&format!("/mod/e/hangout?tab=live#q-{plugins}")))
        .await;
    moderator.wait_for(&format!("#q-{plugins}.current")).await;
    press_keys(&moderator, &["s"]).await;
    presenter
        .wait_until(
            "the presenter view shows the question put on screen",
            &still_marked_and(
                "document.getElementById('on-screen').textContent.indexOf('plugin API') !== -1",
            ),
        )
        .await;

    // The dashboard follows too: a new question arrives in Pending, an answered one leaves Live.
    moderator.goto(&app.url("/mod/e/hangout?tab=pending")).await;
    moderator.wait_for("ol.moderation").await;
    mark_page(&moderator).await;
    let late = ask("A late question from the chat?").await;
    moderator
        .wait_until(
            "a new pending question appears on the dashboard",
            &still_marked_and(&format!("!!document.getElementById('q-{late}')")),
        )
        .await;
    // r rejects the selected question: it leaves Pending.
    moderator
        .goto(&app.url(&format!("/mod/e/hangout?tab=pending#q-{late}")))
        .await;
    moderator.wait_for(&format!("#q-{late}.current")).await;
    press_keys(&moderator, &["r"]).await;
    moderator
        .wait_until(
            "r rejects",
            &format!("return location.search.indexOf('tab=pending') !== -1 && !document.getElementById('q-{late}');"),
        )
        .await;
    moderator.goto(&app.url("/mod/e/hangout?tab=live")).await;
    moderator.wait_for(&format!("#q-{plugins}")).await;
    mark_page(&moderator).await;
    let (status, _) = app
        .moderator_api(
            Method::POST,
            &format!("/api/v1/questions/{plugins}/answer"),
            &token,
            json!({"answer_md": "Yes: see the plugin guide."}),
        )
        .await;
    assert_eq!(status, 200);
    moderator
        .wait_until(
            "the answered question leaves the Live tab",
            &still_marked_and(&format!("!document.getElementById('q-{plugins}')")),
        )
        .await;

    public
        .screenshot(&screenshot_path("b-public-page", app.backend))
        .await;
    presenter
        .screenshot(&screenshot_path("b-presenter", app.backend))
        .await;
    moderator
        .screenshot(&screenshot_path("b-moderator", app.backend))
        .await;

    let event_pages = ["/e/hangout".to_owned(), format!("/faq/{roadmap}")];
    audit_main_pages(
        app,
        Audience {
            public: &public,
            presenter: (&presenter, &presenter_url),
            moderator: &moderator,
        },
        &event_pages,
        axe,
    )
    .await;
    for page in [public, presenter, moderator] {
        page.close().await;
    }
}

/// (c) A visitor months later searches the FAQ with a typo, opens the entry, and follows the
/// link into the recording.
async fn visitor_searches_months_later(app: &TestApp, driver: &Driver) {
    app.create_event("archive", &["--recording-url", &app.url("/recording")]);
    let id = app
        .ask_api(
            &browser(),
            "archive",
            "Which databases does faqtory support?",
        )
        .await;
    let token = app.api_token("archivist");
    let (status, _) = app
        .moderator_api(
            Method::POST,
            &format!("/api/v1/questions/{id}/answer"),
            &token,
            json!({"answer_md": "SQLite out of the box, PostgreSQL for several instances.", "recording_offset": "1:05"}),
        )
        .await;
    assert_eq!(status, 200);
    let visitor = driver.session(LAPTOP.0, LAPTOP.1).await;
    visitor.goto(&app.url("/faq")).await;
    let search = visitor.wait_for("#faq-q").await;
    visitor.click(&search).await;
    visitor.type_into(&search, "databse suport").await;
    // Typed search shows results without a reload (and may still be refining them as the last
    // keys arrive); the index catches up within moments.
    visitor
        .click_on(&format!("#faq-results a[href^='/faq/{id}']"))
        .await;
    let watch = visitor.wait_for("a[href*='t=65']").await;
    assert!(visitor.text(&watch).await.contains("1:05"));
    visitor.click(&watch).await;
    visitor
        .wait_until(
            "the recording opens at the answer",
            "return location.pathname === '/recording' && location.hash === '#t=65';",
        )
        .await;
    visitor
        .screenshot(&screenshot_path("c-visitor", app.backend))
        .await;
    visitor.close().await;
}
