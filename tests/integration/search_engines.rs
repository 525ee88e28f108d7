//! What search engines and calendars read: JSON-LD, canonical links and link-preview tags on FAQ
//! entries and event pages, `/sitemap.xml`, `/robots.txt`, and the events as iCalendar.

use icalendar::Component;
use serde_json::Value;

use crate::faq_search::answered;
use crate::support::{backends, browser, spawn_app, TestApp};

const NASTY_QUESTION: &str =
    "Does <b>it</b> run on \"ARM\" & RISC-V? </script><script>alert(1)</script>";
const NASTY_DESCRIPTION: &str = "Monthly </script><img src=x onerror=alert(1)> & friends";

/// The page's JSON-LD blocks, parsed: each must be valid JSON on its own.
fn structured_data(page: &str) -> Vec<Value> {
    let opening = r#"<script type="application/ld+json">"#;
    page.match_indices(opening)
        .map(|(start, _)| {
            let body = &page[start + opening.len()..];
            let end = body.find("</script>").expect("the script element ends");
            serde_json::from_str(&body[..end])
                .unwrap_or_else(|error| panic!("{error}: {}", &body[..end]))
        })
        .collect()
}

/// The `content` of `<meta {attribute}="{name}">`, or the `href` of `<link rel="{name}">`.
fn head_value(page: &str, tag: &str) -> Option<String> {
    let start = page.find(tag)?;
    let rest = &page[start..];
    let end = rest.find('>')?;
    let element = &rest[..end];
    let value_at = element
        .find("content=\"")
        .map(|at| at + "content=\"".len())
        .or_else(|| element.find("href=\"").map(|at| at + "href=\"".len()))?;
    let value = &element[value_at..];
    Some(value[..value.find('"')?].to_owned())
}

async fn entry_address(app: &TestApp, id: i64) -> String {
    let response = browser()
        .get(app.url(&format!("/faq/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        301,
        "an entry's short address leads to it"
    );
    response.headers()["location"].to_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faq_entries_and_events_tell_search_engines_what_they_are() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("host");
        app.create_event(
            "call",
            &[
                "--starts-at",
                "2099-01-02T17:00:00Z",
                "--description",
                NASTY_DESCRIPTION,
            ],
        );
        let id = answered(
            &app,
            &token,
            "call",
            NASTY_QUESTION,
            "Yes, **since 2.0**. See </script> the <a href=\"javascript:alert(1)\">docs</a>.",
        )
        .await;
        let path = entry_address(&app, id).await;
        let url = app.url(&path);

        let (status, page) = app.get_text(&browser(), &path).await;
        assert_eq!(status, 200);
        assert!(!page.contains("<script>alert(1)"), "{page}");
        assert!(!page.contains("noindex"), "{page}");
        let data = structured_data(&page);
        assert_eq!(data.len(), 1, "{data:?}");
        let qa = &data[0];
        assert_eq!(qa["@context"], "https://schema.org");
        assert_eq!(qa["@type"], "QAPage");
        let question = &qa["mainEntity"];
        assert_eq!(question["@type"], "Question");
        assert_eq!(question["name"], NASTY_QUESTION, "the text as asked, whole");
        assert_eq!(question["answerCount"], 1);
        let answer = &question["acceptedAnswer"];
        assert_eq!(answer["@type"], "Answer");
        let answer_text = answer["text"].as_str().unwrap();
        assert!(answer_text.starts_with("Yes, since 2.0."), "{answer_text}");
        assert!(!answer_text.contains("**"), "plain text: {answer_text}");
        assert_eq!(answer["url"], url.as_str());
        assert!(answer["dateCreated"].as_str().unwrap().ends_with('Z'));

        assert_eq!(
            head_value(&page, "<link rel=\"canonical\"").as_deref(),
            Some(url.as_str())
        );
        assert_eq!(
            head_value(&page, "<meta property=\"og:url\"").as_deref(),
            Some(url.as_str())
        );
        let description = head_value(&page, "<meta name=\"description\"").unwrap();
        assert!(description.starts_with("Yes, since 2.0."), "{description}");
        assert_eq!(
            head_value(&page, "<meta name=\"twitter:card\"").as_deref(),
            Some("summary")
        );
        assert!(head_value(&page, "<meta name=\"twitter:title\"")
            .unwrap()
            .contains("&quot;ARM&quot; &amp; RISC-V"));
        assert!(head_value(&page, "<meta property=\"og:site_name\"").is_some());

        let (_, event_page) = app.get_text(&browser(), "/e/call").await;
        let data = structured_data(&event_page);
        assert_eq!(data.len(), 1, "{data:?}");
        let event = &data[0];
        assert_eq!(event["@type"], "Event");
        assert_eq!(event["name"], "Hangout call");
        assert_eq!(event["description"], NASTY_DESCRIPTION);
        assert_eq!(event["startDate"], "2099-01-02T17:00:00Z");
        assert_eq!(event["endDate"], "2099-01-02T18:00:00Z");
        assert_eq!(
            event["eventAttendanceMode"],
            "https://schema.org/OnlineEventAttendanceMode"
        );
        assert_eq!(event["location"]["@type"], "VirtualLocation");
        assert_eq!(event["location"]["url"], app.url("/e/call").as_str());
        assert_eq!(
            head_value(&event_page, "<link rel=\"canonical\"").as_deref(),
            Some(app.url("/e/call").as_str()),
            "the sort and label variants name the one page"
        );
        let (_, sorted) = app.get_text(&browser(), "/e/call?sort=new").await;
        assert_eq!(
            head_value(&sorted, "<link rel=\"canonical\"").as_deref(),
            Some(app.url("/e/call").as_str())
        );

        // An Event needs a start: an unscheduled one says nothing rather than something wrong.
        app.create_event("unscheduled", &[]);
        let (_, unscheduled) = app.get_text(&browser(), "/e/unscheduled").await;
        assert!(structured_data(&unscheduled).is_empty());

        // A search's results are nobody's canonical page; the FAQ's listing is.
        let (_, searched) = app.get_text(&browser(), "/faq?q=arm").await;
        assert!(head_value(&searched, "<link rel=\"canonical\"").is_none());
        let (_, listing) = app.get_text(&browser(), "/faq").await;
        assert_eq!(
            head_value(&listing, "<link rel=\"canonical\"").as_deref(),
            Some(app.url("/faq").as_str())
        );
        // Moderators' pages are not offered as anything's address.
        let (_, sign_in) = app.get_text(&browser(), "/sign-in").await;
        assert!(head_value(&sign_in, "<link rel=\"canonical\"").is_none());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sitemap_lists_entries_and_public_events_and_robots_point_to_it() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        let token = app.api_token("host");
        app.create_event("call", &["--starts-at", "2099-01-02T17:00:00Z"]);
        app.create_event("secret-draft", &[]);
        app.set_status("secret-draft", "draft");
        let id = answered(&app, &token, "call", NASTY_QUESTION, "Yes.").await;
        let unanswered = app
            .ask_api(&browser(), "call", "Is this one answered yet?")
            .await;
        let entry = app.url(&entry_address(&app, id).await);

        let response = browser().get(app.url("/sitemap.xml")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/xml; charset=utf-8"
        );
        let xml = response.text().await.unwrap();
        let document = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{e}: {xml}"));
        let root = document.root_element();
        assert_eq!(root.tag_name().name(), "urlset");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.sitemaps.org/schemas/sitemap/0.9")
        );
        let urls: Vec<(String, Option<String>)> = root
            .children()
            .filter(|node| node.has_tag_name("url"))
            .map(|url| {
                let text = |name: &str| {
                    url.children()
                        .find(|node| node.has_tag_name(name))
                        .and_then(|node| node.text())
                        .map(str::to_owned)
                };
                (text("loc").unwrap(), text("lastmod"))
            })
            .collect();
        let locations: Vec<&str> = urls.iter().map(|(loc, _)| loc.as_str()).collect();
        assert!(locations.contains(&entry.as_str()), "{xml}");
        assert!(locations.contains(&app.url("/e/call").as_str()), "{xml}");
        assert!(locations.contains(&app.url("/faq").as_str()), "{xml}");
        assert!(!xml.contains("secret-draft"), "drafts are no one's: {xml}");
        assert!(
            !locations
                .iter()
                .any(|loc| loc.contains(&format!("/faq/{unanswered}-"))),
            "only answers are entries"
        );
        let (_, entry_lastmod) = urls.iter().find(|(loc, _)| *loc == entry).unwrap();
        let entry_lastmod = entry_lastmod.as_deref().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(entry_lastmod).is_ok(),
            "{entry_lastmod}"
        );

        let response = browser().get(app.url("/robots.txt")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let robots = response.text().await.unwrap();
        assert!(robots.contains("User-agent: *"));
        for private in ["/mod", "/follow/", "/mail/", "/present/"] {
            assert!(
                robots
                    .lines()
                    .any(|line| line == format!("Disallow: {private}")),
                "{robots}"
            );
        }
        assert!(!robots.contains("Disallow: /faq") && !robots.contains("Disallow: /e/"));
        assert!(robots.contains(&format!("Sitemap: {}", app.url("/sitemap.xml"))));
    }
}

fn calendar_events(text: &str) -> Vec<icalendar::Event> {
    let calendar: icalendar::Calendar = text.parse().unwrap_or_else(|e| panic!("{e}: {text}"));
    calendar
        .components
        .into_iter()
        .filter_map(|component| match component {
            icalendar::CalendarComponent::Event(event) => Some(event),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_are_calendars_to_add_and_to_subscribe_to() {
    for backend in backends() {
        let app = spawn_app(&backend).await;
        app.create_event(
            "later",
            &[
                "--starts-at",
                "2099-03-01T18:00:00Z",
                "--description",
                NASTY_DESCRIPTION,
            ],
        );
        app.create_event("sooner", &["--starts-at", "2099-01-02T17:00:00Z"]);
        app.create_event("long-ago", &["--starts-at", "2001-01-01T10:00:00Z"]);
        app.create_event("unscheduled", &[]);
        app.create_event("hidden", &["--starts-at", "2099-02-01T10:00:00Z"]);
        app.set_status("hidden", "draft");

        let response = browser().get(app.url("/e/later.ics")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "text/calendar; charset=utf-8"
        );
        let events = calendar_events(&response.text().await.unwrap());
        assert_eq!(events.len(), 1);
        let later = &events[0];
        assert_eq!(later.get_summary(), Some("Hangout later"));
        assert_eq!(later.get_url(), Some(app.url("/e/later").as_str()));
        assert!(
            later
                .get_description()
                .unwrap()
                .starts_with(NASTY_DESCRIPTION),
            "read back as written: {:?}",
            later.get_description()
        );
        assert_eq!(
            later.get_start(),
            Some(icalendar::DatePerhapsTime::DateTime(
                icalendar::CalendarDateTime::Utc("2099-03-01T18:00:00Z".parse().unwrap())
            ))
        );
        for missing in ["/e/unscheduled.ics", "/e/hidden.ics", "/e/nope.ics"] {
            let (status, _) = app.get_text(&browser(), missing).await;
            assert_eq!(status, 404, "{missing}");
        }

        let response = browser().get(app.url("/events.ics")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let events = calendar_events(&response.text().await.unwrap());
        let summaries: Vec<&str> = events
            .iter()
            .filter_map(|event| event.get_summary())
            .collect();
        assert_eq!(
            summaries,
            ["Hangout sooner", "Hangout later"],
            "upcoming, soonest first; no draft, no past, nothing unscheduled"
        );
        let uids: Vec<&str> = events.iter().filter_map(|event| event.get_uid()).collect();
        assert_eq!(uids.len(), 2);
        assert_ne!(uids[0], uids[1]);
    }
}
