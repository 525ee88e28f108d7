//! `HEAD` on every `GET` route of the route table answers as `GET` does, without a body.

use faqtory::routes::table::routes;

use crate::authorization::concrete;
use crate::support::{backends, browser, spawn_app};

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn head_answers_like_get_on_every_page_and_feed() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("walk", &[]);
        app.add_moderator("plain", PASSWORD, true);
        let admin = browser();
        assert_eq!(app.sign_in(&admin, "plain", PASSWORD).await.status(), 303);

        let mut answered = 0;
        for spec in routes()
            .into_iter()
            .filter(|spec| spec.method.as_str() == "GET")
        {
            let url = app.url(&concrete(spec.path));
            // Only the status and headers of GET: a live stream's body never ends.
            let get = admin.get(&url).send().await.unwrap();
            let head = admin.head(&url).send().await.unwrap();
            assert_eq!(
                head.status(),
                get.status(),
                "{}: HEAD {}",
                app.backend,
                spec.path
            );
            assert_eq!(
                head.headers().get("content-type"),
                get.headers().get("content-type"),
                "HEAD {}",
                spec.path
            );
            drop(get);
            if head.status() == 200 {
                answered += 1;
            }
            assert!(head.bytes().await.unwrap().is_empty(), "HEAD {}", spec.path);
        }
        for feed in ["/faq/feed.atom", "/", "/e/walk", "/mod/e/walk"] {
            let head = admin.head(app.url(feed)).send().await.unwrap();
            assert_eq!(head.status(), 200, "HEAD {feed}");
        }
        assert!(answered >= 15, "only {answered} GET routes answered 200");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_methods_get_405_with_what_the_address_takes() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let trace = reqwest::Method::from_bytes(b"TRACE").unwrap();
        let response = browser()
            .request(trace.clone(), app.url("/faq"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 405, "{}", app.backend);
        assert_eq!(response.headers()["allow"], "GET, HEAD");

        let put = browser()
            .put(app.url("/api/v1/events"))
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), 405);
        assert_eq!(put.headers()["allow"], "GET, HEAD, POST");
        let error: serde_json::Value = put.json().await.unwrap();
        assert_eq!(error["error"], "method_not_allowed");

        let nowhere = browser()
            .request(trace, app.url("/no/such/page"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            nowhere.status(),
            404,
            "an address that does not exist at all"
        );
    }
}
