//! Walks the route table: every route declared for moderators or admins refuses anyone else,
//! whatever its method, and nothing under `/mod` is declared public.

use faqtory::routes::table::{routes, Access};
use reqwest::Method;

use crate::support::{backends, browser, location, spawn_app};

const PASSWORD: &str = "correct horse battery staple";

/// A route's path with its parameters filled in with values the walks create.
pub fn concrete(path: &str) -> String {
    path.replace("{slug}", "walk")
        .replace("{id}", "1")
        .replace("{token}", &"0".repeat(32))
        .replace("{file}", "style.css")
        .replace("{name}", "plain")
        .replace("{verb}", "approve")
        .replace("{answer_id}", "1")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_protected_route_refuses_anonymous_users_and_admin_routes_refuse_moderators() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("walk", &[]);
        app.add_moderator("plain", PASSWORD, false);
        let moderator = browser();
        assert_eq!(
            app.sign_in(&moderator, "plain", PASSWORD).await.status(),
            303
        );

        let mut protected = 0;
        for spec in routes() {
            let path = concrete(spec.path);
            if spec.path.starts_with("/mod") || spec.path.starts_with("/api/v1/mod") {
                assert_ne!(
                    spec.access,
                    Access::Public,
                    "{} {} is public",
                    spec.method,
                    spec.path
                );
            }
            if spec.access == Access::Public {
                continue;
            }
            protected += 1;
            let method = Method::from_bytes(spec.method.as_str().as_bytes()).unwrap();
            let anonymous = browser()
                .request(method.clone(), app.url(&path))
                .header("sec-fetch-site", "cross-site")
                .header("content-type", "application/json")
                .send()
                .await
                .unwrap();
            if spec.is_api() {
                assert_eq!(anonymous.status(), 401, "{} {}", spec.method, spec.path);
            } else {
                assert_eq!(anonymous.status(), 303, "{} {}", spec.method, spec.path);
                assert!(location(&anonymous).starts_with("/sign-in?next="));
            }
            if spec.access == Access::Admin {
                let response = moderator
                    .request(method, app.url(&path))
                    .header("content-type", "application/json")
                    .send()
                    .await
                    .unwrap();
                assert_eq!(
                    response.status(),
                    403,
                    "{}: {} {}",
                    app.backend,
                    spec.method,
                    spec.path
                );
            }
        }
        assert!(protected > 0, "the walk checked something");
        assert_eq!(app.get(&moderator, "/mod").await.status(), 200);
    }
}

/// Every moderator form and every session-authenticated API write refuses a request that another
/// site's page makes (as its browser says), with or without a token, and nothing changes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_moderator_write_from_another_site_is_refused() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("walk", &[]);
        let id = app
            .ask_api(&browser(), "walk", "Does every form check its token?")
            .await;
        assert_eq!(id, 1, "the walk's paths name question 1");
        app.add_moderator("admin", PASSWORD, true);
        app.add_moderator("plain", PASSWORD, false);
        let admin = browser();
        assert_eq!(app.sign_in(&admin, "admin", PASSWORD).await.status(), 303);
        let log_length = || async {
            let response = app.get(&admin, "/api/v1/modlog?limit=500").await;
            assert_eq!(response.status(), 200);
            response
                .json::<Vec<serde_json::Value>>()
                .await
                .unwrap()
                .len()
        };
        let before = log_length().await;

        let mut writes = 0;
        for spec in routes() {
            if spec.access == Access::Public || spec.method == actix_web::http::Method::GET {
                continue;
            }
            writes += 1;
            let path = concrete(spec.path);
            let method = Method::from_bytes(spec.method.as_str().as_bytes()).unwrap();
            let refusals = if spec.is_api() {
                vec![
                    admin
                        .request(method.clone(), app.url(&path))
                        .header("sec-fetch-site", "cross-site")
                        .json(&serde_json::json!({"reason": "x", "to": "walk"})),
                    admin
                        .request(method.clone(), app.url(&path))
                        .header("sec-fetch-site", "cross-site")
                        .header("x-csrf-token", "forged")
                        .json(&serde_json::json!({"reason": "x", "to": "walk"})),
                ]
            } else {
                vec![
                    admin
                        .request(method.clone(), app.url(&path))
                        .header("sec-fetch-site", "cross-site")
                        .form(&[("reason", "x"), ("to", "walk"), ("status", "closed")]),
                    admin
                        .request(method.clone(), app.url(&path))
                        .header("sec-fetch-site", "cross-site")
                        .form(&[
                            ("csrf", "forged"),
                            ("reason", "x"),
                            ("to", "walk"),
                            ("status", "closed"),
                        ]),
                ]
            };
            for request in refusals {
                let response = request.send().await.unwrap();
                assert_eq!(
                    response.status(),
                    403,
                    "{}: {} {} without its CSRF token",
                    app.backend,
                    spec.method,
                    spec.path
                );
            }
        }
        assert!(
            writes > 20,
            "the walk covered the moderator writes ({writes})"
        );
        assert_eq!(log_length().await, before, "nothing was changed");
        let questions = app.questions(&browser(), "walk").await;
        assert_eq!(questions[0]["status"], "approved");
    }
}
