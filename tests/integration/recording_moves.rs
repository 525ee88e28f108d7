//! Moving a proposed moment before accepting it (ten seconds either way, or a cue picked), taking
//! an accepted answer back from the review page, time-stamped text transcripts, and the event page
//! after the call listing each answered question's moment.

use reqwest::Method;

use crate::recording::CALL;
use crate::recording_page::{post_form, review_page, upload};
use crate::support::{backends, browser, spawn_app};

const TLS_DRAFT: &str = "**Hannes:** They do, since version four, with automatic renewal.";

/// The value of the moment field of question `id` on a review page.
fn moment_field(page: &str, id: i64) -> String {
    let marker = format!("id=\"at-{id}\" type=\"text\" name=\"at\" value=\"");
    let start = page.find(&marker).expect("the moment field") + marker.len();
    page[start..start + page[start..].find('"').unwrap()].to_owned()
}

/// The text of question `id`'s answer box.
fn answer_box(page: &str, id: i64) -> String {
    let marker = format!("id=\"answer-{id}\" name=\"answer_md\" rows=\"5\">");
    let start = page.find(&marker).expect("the answer box") + marker.len();
    page[start..start + page[start..].find("</textarea>").unwrap()].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_moves_a_moment_then_accepts_and_takes_the_answer_back() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (tls, xen) = crate::recording::recorded_hangout(&app).await;
        let moderator = app.signed_in_moderator("mona").await;
        assert_eq!(upload(&app, &moderator, CALL).await.status(), 303);
        let page = review_page(&app, &moderator).await;
        assert_eq!(moment_field(&page, tls), "0:12");
        assert!(page.contains("title=\"Move the moment 10 seconds later\""));
        let moment = format!("/mod/q/{tls}/recording/moment");

        // Ten seconds later: the draft untouched follows the moment.
        let moved = post_form(
            &app,
            &moderator,
            &moment,
            &[
                ("at", "0:12"),
                ("answer_md", TLS_DRAFT),
                ("draft_was", TLS_DRAFT),
                ("move", "+10"),
            ],
        )
        .await;
        assert_eq!(moved.status(), 200, "{}", app.backend);
        let page = moved.text().await.unwrap();
        assert_eq!(moment_field(&page, tls), "0:22");
        assert_eq!(
            answer_box(&page, tls),
            "**Hannes:** They do, since version four, with automatic renewal.",
            "the draft runs from the cue being said at 0:22"
        );
        assert!(page.contains("not saved until you accept"));
        assert!(
            page.contains("<li class=\"used\"><button class=\"cue-time\""),
            "what the draft is made from is highlighted"
        );

        // A cue picked, with the answer rewritten: what was typed stays.
        let typed = "Yes, since version four <b>renewal</b> is automatic.";
        let picked = post_form(
            &app,
            &moderator,
            &moment,
            &[
                ("at", "0:22"),
                ("answer_md", typed),
                ("draft_was", TLS_DRAFT),
                ("start", "6000"),
            ],
        )
        .await;
        assert_eq!(picked.status(), 200);
        let page = picked.text().await.unwrap();
        assert_eq!(moment_field(&page, tls), "0:06");
        assert_eq!(
            answer_box(&page, tls),
            "Yes, since version four &lt;b&gt;renewal&lt;/b&gt; is automatic."
        );

        // Ten seconds before the start stays at the start; a bad moment keeps what was typed.
        let early = post_form(
            &app,
            &moderator,
            &moment,
            &[("at", "0:06"), ("answer_md", ""), ("move", "-10")],
        )
        .await;
        assert_eq!(moment_field(&early.text().await.unwrap(), tls), "0:00");
        let refused = post_form(
            &app,
            &moderator,
            &moment,
            &[("at", "0:7x"), ("answer_md", typed), ("move", "+10")],
        )
        .await;
        assert_eq!(refused.status(), 422);
        let page = refused.text().await.unwrap();
        assert!(page.contains("0:7x") && page.contains("renewal&lt;/b&gt;"));
        // Hostile values move nothing out of the recording and break nothing.
        for (field, value) in [
            ("start", "9223372036854775807"),
            ("start", "-5"),
            ("move", "<script>alert(1)</script>"),
            ("start", "1e9"),
        ] {
            let hostile =
                post_form(&app, &moderator, &moment, &[("at", "0:12"), (field, value)]).await;
            assert_eq!(hostile.status(), 200, "{field}={value}");
            let page = hostile.text().await.unwrap();
            let at = moment_field(&page, tls);
            assert!(
                ["0:00", "0:12", "0:40"].contains(&at.as_str()),
                "{field}={value}: {at}"
            );
            assert!(!page.contains("<script>alert(1)"));
        }
        let nowhere = post_form(
            &app,
            &moderator,
            "/mod/q/987654/recording/moment",
            &[("move", "+10")],
        )
        .await;
        assert_eq!(nowhere.status(), 404);
        let forged = moderator
            .post(app.url(&moment))
            .header("sec-fetch-site", "cross-site")
            .form(&[("move", "+10")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403, "no token, no move");

        // Accepted at the moved moment, then taken back from the same page.
        let accepted = post_form(
            &app,
            &moderator,
            &format!("/mod/q/{tls}/recording/accept"),
            &[("at", "0:22"), ("answer_md", typed)],
        )
        .await;
        assert_eq!(accepted.status(), 303);
        let page = review_page(&app, &moderator).await;
        assert_eq!(moment_field(&page, tls), "0:22");
        assert!(page.contains(&format!("/mod/q/{tls}/unanswer")));
        assert!(
            page.contains("00:00 Introduction\n00:22 Do Let")
                && page.contains("/api/v1/events/hangout/chapters?format=vtt"),
            "the chapters, ready for the video's description"
        );
        assert!(!page.contains(&format!("/mod/q/{xen}/unanswer")));
        let taken_back = post_form(
            &app,
            &moderator,
            &format!("/mod/q/{tls}/unanswer"),
            &[("back", "/mod/e/hangout/recording")],
        )
        .await;
        assert_eq!(taken_back.status(), 303);
        assert_eq!(
            crate::support::location(&taken_back),
            format!("/mod/e/hangout/recording#q-{tls}"),
            "back at the row"
        );
        let page = review_page(&app, &moderator).await;
        assert!(
            !page.contains(&format!("/mod/q/{tls}/unanswer")),
            "no answer to take back any more"
        );
        let (_, faq) = app.get_text(&browser(), "/faq").await;
        assert!(!faq.contains("renewal"), "nor in the FAQ");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_the_call_the_event_page_lists_each_answer_s_moment() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let (tls, xen) = crate::recording::recorded_hangout(&app).await;
        let token = app.api_token("mona");
        // Time-stamped text: the same call, written down with a stamp before each turn.
        let text = "[00:00] Anil: Welcome, everyone. Let us start with the roadmap.\n\
                    [00:12] Hannes: Several people asked whether TLS certificates from Let's Encrypt work.\n\
                    They do, since version four.\n\
                    [00:24] Mindy: About <script>alert(1)</script> the Xen backend: the network driver is faster.\n";
        let response = browser()
            .put(app.url("/api/v1/events/hangout/transcript"))
            .header("content-type", "text/plain")
            .bearer_auth(&token)
            .body(text)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{}", app.backend);
        let imported: serde_json::Value = response.json().await.unwrap();
        assert_eq!(imported["cues"], 3);
        let (_, transcript) = app
            .moderator_api(
                Method::GET,
                "/api/v1/events/hangout/transcript",
                &token,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(transcript["format"], "text");
        assert_eq!(transcript["cues"][1]["speaker"], "Hannes");
        assert_eq!(
            transcript["cues"][1]["text"],
            "Several people asked whether TLS certificates from Let's Encrypt work. They do, since version four."
        );
        for id in [xen, tls] {
            let (status, accepted) = app
                .moderator_api(
                    Method::POST,
                    &format!("/api/v1/questions/{id}/recording/accept"),
                    &token,
                    serde_json::json!({}),
                )
                .await;
            assert_eq!(status, 200, "{accepted}");
        }
        let (_, open) = app.get_text(&browser(), "/e/hangout").await;
        assert!(
            !open.contains("In the recording"),
            "while questions are taken, the list is the page"
        );
        app.set_status_through_server("hangout", "closed").await;
        let (status, page) = app.get_text(&browser(), "/e/hangout").await;
        assert_eq!(status, 200);
        let section = &page[page.find("In the recording").expect("the moments")..];
        let tls_at = section
            .find("Do Let&#39;s Encrypt")
            .or_else(|| section.find("Do Let's Encrypt"));
        let xen_at = section.find("Is the Xen network driver");
        assert!(
            tls_at.unwrap() < xen_at.unwrap(),
            "in the recording's order: {section}"
        );
        assert!(section.contains("href=\"https://www.youtube.com/watch?v=abc&amp;t=12\""));
        assert!(section.contains(&format!("/e/hangout?sort=answered#q-{tls}")));
        assert!(!page.contains("<script>alert(1)"));
        assert!(
            !page.contains("be the first to ask"),
            "a closed event does not invite questions"
        );
    }
}
