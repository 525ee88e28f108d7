//! Pages made for an iframe on a project's own site: framed only by the listed origins, with
//! partitioned cookies, asking and voting that come back to the frame, and CSRF still enforced.
//! The journey in Chromium, from a page on another local origin, is in `browser_embedding`.

use crate::faq_search::answered;
use crate::support::{backends, browser, location, spawn_app, spawn_app_with, TestApp};

const PROJECT_SITE: &str = "https://project.example";

fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|value| value.to_str().unwrap().to_owned())
}

fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .collect()
}

async fn embedded_app(backend: &crate::support::Backend) -> TestApp {
    spawn_app_with(backend, |config| {
        config.embed_origins = vec![PROJECT_SITE.into(), "http://localhost:9999".into()];
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_embed_pages_may_be_framed_and_only_by_the_listed_sites() {
    for backend in backends() {
        let app = embedded_app(&backend).await;
        app.create_event("call", &[]);
        for path in ["/embed/faq", "/embed/e/call"] {
            let response = browser().get(app.url(path)).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            let policy = header(&response, "content-security-policy").unwrap();
            assert!(
                policy.ends_with(&format!(
                    "frame-ancestors {PROJECT_SITE} http://localhost:9999"
                )),
                "{path}: {policy}"
            );
            assert!(
                policy.contains("script-src 'self'"),
                "the rest stays: {policy}"
            );
            assert!(header(&response, "x-frame-options").is_none(), "{path}");
        }
        for path in ["/e/call", "/faq", "/", "/sign-in", "/e/call.ics"] {
            let response = browser().get(app.url(path)).send().await.unwrap();
            let policy = header(&response, "content-security-policy").unwrap();
            assert!(
                policy.ends_with("frame-ancestors 'none'"),
                "{path}: {policy}"
            );
            assert_eq!(
                header(&response, "x-frame-options").as_deref(),
                Some("DENY")
            );
        }

        // Without listed sites, nobody may frame even the embed pages.
        let closed = spawn_app(&backend).await;
        let response = browser()
            .get(closed.url("/embed/faq"))
            .send()
            .await
            .unwrap();
        let policy = header(&response, "content-security-policy").unwrap();
        assert!(policy.ends_with("frame-ancestors 'none'"), "{policy}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asking_and_voting_from_a_frame_come_back_to_it_with_partitioned_cookies() {
    for backend in backends() {
        let app = embedded_app(&backend).await;
        app.create_event("call", &[]);
        let existing = app
            .ask_api(
                &browser(),
                "call",
                "Is <b>ARM64</b> supported? <script>alert(1)</script>",
            )
            .await;
        let framed = browser();
        let response = framed.get(app.url("/embed/e/call")).send().await.unwrap();
        let cookies = set_cookies(&response);
        let page = response.text().await.unwrap();
        assert!(
            page.contains("Is &lt;b&gt;ARM64&lt;/b&gt; supported? &lt;script&gt;"),
            "{page}"
        );
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(page.contains("target=\"_blank\""), "a way out to a new tab");
        for name in ["faqtory_voter=", "faqtory_csrf="] {
            let cookie = cookies
                .iter()
                .find(|cookie| cookie.starts_with(name))
                .unwrap_or_else(|| panic!("{name} in {cookies:?}"));
            for attribute in ["SameSite=None", "Secure", "Partitioned", "HttpOnly"] {
                assert!(cookie.contains(attribute), "{cookie}");
            }
        }
        // The full page's cookies stay first-party.
        let response = browser().get(app.url("/e/call")).send().await.unwrap();
        assert!(set_cookies(&response)
            .iter()
            .all(|cookie| cookie.contains("SameSite=Lax") && !cookie.contains("Partitioned")));

        // A vote from the frame returns to the frame.
        let response = framed
            .post(app.url(&format!("/embed/e/call/q/{existing}/vote")))
            .form(&[("action", "up")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), format!("/embed/e/call#q-{existing}"));
        assert_eq!(app.vote_count(existing, "call").await, 1);
        let (_, page) = app.get_text(&framed, "/embed/e/call").await;
        assert!(page.contains("aria-pressed=\"true\""), "marked as voted");

        // A question asked in the frame: back to the frame, with its follow link.
        let response = framed
            .post(app.url("/embed/e/call/ask"))
            .form(&[("body", "Asked from the project's own site?")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let back = location(&response);
        assert!(back.starts_with("/embed/e/call?asked="), "{back}");
        let mine = set_cookies(&response);
        assert!(
            mine.iter()
                .any(|cookie| cookie.starts_with("faqtory_mine=") && cookie.contains("Partitioned")),
            "{mine:?}"
        );
        let (_, page) = app.get_text(&framed, &back).await;
        assert!(page.contains("Your question is in."), "{page}");
        assert!(page.contains("/follow/"), "{page}");
        assert!(
            page.contains("Asked from the project's own site?"),
            "{page}"
        );

        // Refused: the text comes back in the frame with the reason.
        let long = "why ".repeat(400);
        let response = framed
            .post(app.url("/embed/e/call/ask"))
            .form(&[("body", long.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let page = response.text().await.unwrap();
        assert!(page.contains("role=\"alert\""), "{page}");
        assert!(page.contains(long.trim_end()), "nothing typed is lost");

        // CSRF stays enforced: a forged post from another site is refused, the text kept.
        let response = reqwest::Client::new()
            .post(app.url("/embed/e/call/ask"))
            .header("origin", "https://evil.example")
            .form(&[("body", "Forged from elsewhere?")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        let page = response.text().await.unwrap();
        assert!(page.contains("Forged from elsewhere?"), "{page}");
        let questions = app.questions(&browser(), "call").await;
        assert!(!questions
            .iter()
            .any(|question| question["body"] == "Forged from elsewhere?"));
        let response = reqwest::Client::new()
            .post(app.url(&format!("/embed/e/call/q/{existing}/vote")))
            .header("origin", "https://project.example")
            .form(&[("action", "up")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "framing is not posting");

        // A vote without a voter cookie (a browser that keeps none in frames) says why.
        let response = reqwest::Client::new()
            .post(app.url(&format!("/embed/e/call/q/{existing}/vote")))
            .header("sec-fetch-site", "same-origin")
            .form(&[("action", "up")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        let page = response.text().await.unwrap();
        assert!(
            page.contains("Open the event in a new tab to vote."),
            "{page}"
        );
        assert_eq!(app.vote_count(existing, "call").await, 1);

        // Asking needs no cookie (the browser names where the form comes from): the frame says
        // the question is in, without the follow link it could not keep.
        let cookieless = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let response = cookieless
            .post(app.url("/embed/e/call/ask"))
            .header("sec-fetch-site", "same-origin")
            .form(&[("body", "Asked by a browser without cookies?")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let back = location(&response);
        let (_, page) = app.get_text(&cookieless, &back).await;
        assert!(page.contains("Your question is in."), "{page}");
        assert!(!page.contains("/follow/"), "{page}");

        for missing in ["/embed/e/nope", "/embed/e/nope/ask"] {
            let response = framed.get(app.url(missing)).send().await.unwrap();
            assert!(response.status().is_client_error(), "{missing}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_faq_frame_searches_and_opens_answers_in_a_new_tab() {
    for backend in backends() {
        let app = embedded_app(&backend).await;
        let token = app.api_token("host");
        app.create_event("call", &[]);
        let id = answered(&app, &token, "call", "Does it run on ARM64 boards?", "Yes.").await;
        crate::faq_search::found(&app.base, "arm64", id).await;

        let (status, page) = app.get_text(&browser(), "/embed/faq").await;
        assert_eq!(status, 200);
        assert!(page.contains("Latest answers"), "{page}");
        assert!(
            page.contains(r#"<meta name="robots" content="noindex">"#),
            "found through the pages that hold it"
        );
        assert!(
            page.contains(&format!(
                "/faq/{id}-does-it-run-on-arm64-boards\" target=\"_blank\""
            )),
            "{page}"
        );

        let (_, page) = app.get_text(&browser(), "/embed/faq?q=arm64").await;
        assert!(page.contains("<mark>"), "{page}");
        assert!(page.contains(&format!("/faq/{id}-")), "{page}");
        let (_, page) = app
            .get_text(&browser(), "/embed/faq?q=%3Cscript%3Ealert(1)%3C/script%3E")
            .await;
        assert!(page.contains("Nothing found for “&lt;script&gt;"), "{page}");
        assert!(!page.contains("<script>alert"), "{page}");
    }
}
