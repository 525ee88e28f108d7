use crate::support::{
    backends, browser, browser_from, headerless_browser, hidden_value, spawn_app, spawn_app_with,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_from_other_sites_are_refused_and_keep_the_text() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("csrf", &[]);
        let id = app
            .ask_api(&app.client, "csrf", "Is this question safe from forgery?")
            .await;
        let victim = browser();
        let _ = app.csrf_token(&victim, "csrf").await;

        // What a browser says of a form on another site that posts to ours.
        let forgeries: [&[(&str, &str)]; 3] = [
            &[
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://evil.example"),
            ],
            &[("sec-fetch-site", "cross-site")],
            &[("sec-fetch-site", "same-site")],
        ];
        for headers in forgeries {
            let with = |mut request: reqwest::RequestBuilder| {
                for (name, value) in headers {
                    request = request.header(*name, *value);
                }
                request
            };
            let response = with(victim.post(app.url("/e/csrf/ask")))
                .form(&[
                    ("body", "A forged question from elsewhere?"),
                    ("author_name", ""),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 403, "{}: {headers:?}", app.backend);
            let page = response.text().await.unwrap();
            assert!(page.contains("A forged question from elsewhere?</textarea>"));
            assert!(page.contains("expired"));

            let vote = with(victim.post(app.url(&format!("/e/csrf/q/{id}/vote"))))
                .form(&[("action", "up")])
                .send()
                .await
                .unwrap();
            assert_eq!(vote.status(), 403, "{headers:?}");
        }

        let listed = app.questions(&browser(), "csrf").await;
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["vote_count"], 0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_names_no_origin_needs_the_token_of_its_own_cookie() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("csrf", &[]);
        let client = headerless_browser();
        let (_, sign_in) = app.get_text(&client, "/sign-in").await;
        let token = hidden_value(&sign_in, "csrf").expect("a page for one reader has a token");
        let other_token = hidden_value(
            &app.get_text(&headerless_browser(), "/sign-in").await.1,
            "csrf",
        )
        .unwrap();
        let ask = |token: String| {
            client
                .post(app.url("/e/csrf/ask"))
                .form(&[
                    ("body", "Does a script need the token to ask?".to_owned()),
                    ("author_name", String::new()),
                    ("csrf", token),
                ])
                .send()
        };
        for wrong in [
            String::new(),
            "00".into(),
            "not-hex".into(),
            "ab".repeat(32),
            other_token,
        ] {
            let response = ask(wrong.clone()).await.unwrap();
            assert_eq!(response.status(), 403, "{}: token {wrong:?}", app.backend);
            assert!(response
                .text()
                .await
                .unwrap()
                .contains("Does a script need the token to ask?</textarea>"));
        }
        assert_eq!(ask(token).await.unwrap().status(), 303, "{}", app.backend);
        assert_eq!(app.questions(&browser(), "csrf").await.len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_writes_need_json_and_a_same_site_origin() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event("api-guard", &[]);
        let id = app
            .ask_api(&app.client, "api-guard", "Who may write to the API?")
            .await;

        let plain = browser()
            .post(app.url(&format!("/api/v1/questions/{id}/vote")))
            .header("content-type", "text/plain")
            .send()
            .await
            .unwrap();
        assert_eq!(plain.status(), 400);
        let error: serde_json::Value = plain.json().await.unwrap();
        assert_eq!(error["error"], "json_required");

        let form_ask = browser()
            .post(app.url("/api/v1/events/api-guard/questions"))
            .form(&[("body", "A question sent as a form?")])
            .send()
            .await
            .unwrap();
        assert_eq!(form_ask.status(), 400);

        let foreign = browser()
            .post(app.url(&format!("/api/v1/questions/{id}/vote")))
            .header("content-type", "application/json")
            .header("origin", "https://evil.example")
            .send()
            .await
            .unwrap();
        assert_eq!(foreign.status(), 403);
        let error: serde_json::Value = foreign.json().await.unwrap();
        assert_eq!(error["error"], "cross_origin");

        let own = browser();
        app.get(&own, "/e/api-guard").await;
        let own = own
            .post(app.url(&format!("/api/v1/questions/{id}/vote")))
            .header("content-type", "application/json")
            .header("origin", &app.base)
            .send()
            .await
            .unwrap();
        assert_eq!(own.status(), 200, "{}", app.backend);
        assert_eq!(app.vote_count(id, "api-guard").await, 1);

        // DNS rebinding: a page at rebound.example, resolved to our address, sends its own name as
        // both Host and Origin. Without --base-url only addresses on our port are this site.
        let port = app.url("").rsplit(':').next().unwrap().to_owned();
        let rebound = format!("http://rebound.example:{port}");
        let rebinding = browser()
            .post(app.url(&format!("/api/v1/questions/{id}/vote")))
            .header("content-type", "application/json")
            .header("host", format!("rebound.example:{port}"))
            .header("origin", &rebound)
            .send()
            .await
            .unwrap();
        assert_eq!(rebinding.status(), 403, "{}", app.backend);
        let page = browser();
        let (_, event_page) = app.get_text(&page, "/e/api-guard").await;
        let csrf = hidden_value(&event_page, "csrf").unwrap_or_default();
        let rebound_form = page
            .post(app.url("/e/api-guard/ask"))
            .header("host", format!("rebound.example:{port}"))
            .header("origin", &rebound)
            .form(&[("body", "A question from a rebound page?"), ("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(
            rebound_form.status(),
            403,
            "a form too, even with a token it read"
        );
        let localhost = page
            .post(app.url("/e/api-guard/ask"))
            .header("origin", format!("http://localhost:{port}"))
            .form(&[
                ("body", "A question from localhost itself?"),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(localhost.status(), 303, "localhost is this site");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_questions_or_votes_get_429_with_a_friendly_message() {
    for backend in backends() {
        let app = spawn_app_with(&backend, |config| {
            config.rate_limits.enabled = true;
            config.rate_limits.ask_per_voter = 2;
            config.rate_limits.vote_per_voter = 3;
        })
        .await;
        app.create_event("limits", &[]);
        let asker = browser();
        // The per-voter limit applies once the browser has its identity, from looking at the event.
        app.get(&asker, "/e/limits").await;
        app.ask_api(&asker, "limits", "My first question, please?")
            .await;
        app.ask_api(&asker, "limits", "My second question, please?")
            .await;
        let third = app
            .post_question(
                &asker,
                "limits",
                serde_json::json!({"body": "My third question, please?"}),
            )
            .await;
        assert_eq!(third.status(), 429, "{}", app.backend);
        assert!(third.headers().contains_key("retry-after"));
        let error: serde_json::Value = third.json().await.unwrap();
        assert_eq!(error["error"], "rate_limited");

        let page = app
            .ask_form(&asker, "limits", "My third question, as a form?", "")
            .await;
        assert_eq!(page.status(), 429);
        let page = page.text().await.unwrap();
        assert!(
            page.contains("My third question, as a form?</textarea>"),
            "text kept"
        );
        assert!(page.contains("a little fast"));

        let id = app
            .ask_api(&browser(), "limits", "Another asker's question?")
            .await;
        let voter = browser();
        for _ in 0..3 {
            assert_eq!(app.vote_api(&voter, id, true).await.status(), 200);
        }
        assert_eq!(app.vote_api(&voter, id, false).await.status(), 429);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app(&backends()[0]).await;
    app.create_event("headers", &[]);
    for path in ["/", "/e/headers", "/api/v1/events", "/nowhere"] {
        let response = app.get(&app.client, path).await;
        let headers = response.headers();
        let csp = headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(csp.contains("script-src 'self'"), "{path}");
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
        assert!(headers.contains_key("referrer-policy"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cookies_are_secure_when_the_site_is_served_over_https() {
    let app = spawn_app_with(&backends()[0], |config| {
        config.base_url = Some(url::Url::parse("https://ask.example.org").unwrap());
    })
    .await;
    app.create_event("secure", &[]);
    let id = app
        .ask_api(&app.client, "secure", "Are my cookies marked Secure?")
        .await;
    app.get(&app.client, "/e/secure").await;
    let vote = app
        .client
        .post(app.url(&format!("/api/v1/questions/{id}/vote")))
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(vote.status(), 200);
    let page = app.get(&browser(), "/e/secure").await;
    for response in [&vote, &page] {
        for cookie in response.headers().get_all("set-cookie") {
            assert!(cookie.to_str().unwrap().contains("Secure"), "{cookie:?}");
        }
    }
    // The follow link names the public address, not the one we listen on.
    let asked = app
        .post_question(
            &app.client,
            "secure",
            serde_json::json!({"body": "Where does my follow link point?"}),
        )
        .await;
    let asked: serde_json::Value = asked.json().await.unwrap();
    assert!(asked["follow_url"]
        .as_str()
        .unwrap()
        .starts_with("https://ask.example.org/follow/"));
}

/// New voter identities are limited per network, and the limit holds across instances on one
/// database: a script that throws away its cookie gets a handful of votes, not thousands.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_voters_are_limited_per_network_on_every_instance() {
    for backend in backends() {
        let limited = |config: &mut faqtory::config::Config| {
            config.rate_limits.enabled = true;
            config.rate_limits.new_voters_per_ip = 3;
        };
        let app = spawn_app_with(&backend, limited).await;
        app.create_event("stuffing", &[]);
        let id = app
            .ask_api(&browser(), "stuffing", "Will this question be stuffed?")
            .await;
        let vote_as = |client: reqwest::Client| {
            let url = app.url(&format!("/api/v1/questions/{id}/vote"));
            let page = app.url("/e/stuffing");
            async move {
                client.get(&page).send().await.unwrap();
                client
                    .post(&url)
                    .header("content-type", "application/json")
                    .send()
                    .await
                    .unwrap()
                    .status()
            }
        };
        for _ in 0..3 {
            assert_eq!(vote_as(browser()).await, 200, "{}", app.backend);
        }
        assert_eq!(vote_as(browser()).await, 403, "a fourth new voter waits");
        assert_eq!(app.vote_count(id, "stuffing").await, 3);
        let elsewhere = browser_from(std::net::Ipv4Addr::new(127, 0, 2, 1).into());
        assert_eq!(
            vote_as(elsewhere).await,
            200,
            "another network is not held up"
        );

        // A second instance on the same database counts the same grants.
        {
            let second = app.second_instance_with(&backend, limited).await;
            let url = second.url(&format!("/api/v1/questions/{id}/vote"));
            let client = browser();
            client.get(second.url("/e/stuffing")).send().await.unwrap();
            let status = client
                .post(&url)
                .header("content-type", "application/json")
                .send()
                .await
                .unwrap()
                .status();
            assert_eq!(status, 403, "the other instance counts the same grants");
        }
    }
}

/// Behind a reverse proxy every request comes from the proxy's address: with `--trusted-proxies`
/// the limits count the client the proxy names, and a client cannot name itself past the proxy.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_limits_count_the_forwarded_client() {
    for backend in backends() {
        let limited = |trusted: bool| {
            move |config: &mut faqtory::config::Config| {
                config.rate_limits.enabled = true;
                config.rate_limits.new_voters_per_ip = 2;
                if trusted {
                    config.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
                }
            }
        };
        for trusted in [true, false] {
            let app = spawn_app_with(&backend, limited(trusted)).await;
            app.create_event("proxied", &[]);
            let id = app
                .ask_api(&browser(), "proxied", "Who is behind the proxy?")
                .await;
            let vote_from = |forwarded: &'static str| {
                let url = app.url(&format!("/api/v1/questions/{id}/vote"));
                let page = app.url("/e/proxied");
                async move {
                    let client = browser();
                    client
                        .get(&page)
                        .header("x-forwarded-for", forwarded)
                        .send()
                        .await
                        .unwrap();
                    client
                        .post(&url)
                        .header("content-type", "application/json")
                        .header("x-forwarded-for", forwarded)
                        .send()
                        .await
                        .unwrap()
                        .status()
                }
            };
            // Two new voters from one client use up its allowance…
            assert_eq!(vote_from("198.51.100.7").await, 200, "{}", app.backend);
            assert_eq!(vote_from("198.51.100.7").await, 200);
            // …and one that writes another address in front of the proxy's is the same client.
            assert_eq!(vote_from("203.0.113.1, 198.51.100.7").await, 403);
            // Another client behind the same proxy: held up only when the proxy is not trusted.
            let other = vote_from("198.51.100.8").await;
            if trusted {
                assert_eq!(other, 200, "{}: another client is not held up", app.backend);
            } else {
                assert_eq!(
                    other, 403,
                    "{}: an untrusted header is ignored",
                    app.backend
                );
            }
        }
    }
}
