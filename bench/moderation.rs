//! Two figures for moderators: how many argon2 password verifications a second this machine does
//! (it bounds the sign-in rate), and how long the curation dashboard of an event with 1,000
//! questions takes to render through HTTP (p50/p99 over REQUESTS sequential loads).
//!
//! Questions are titles from ../shared/data/quantumcomputing-se/questions.jsonl (reused with a
//! number once they run out), with votes, labels and some answers, so the page is full-size.
//!
//! cargo run --release --example bench_moderation -- [DATABASE_URL] [REQUESTS]

use std::time::{Duration, Instant};

use faqtory::app::asking::automated_votes::BurstRule;
use faqtory::app::asking::ballot::{Ballot, VoteAction};
use faqtory::app::asking::vote::VoteQueue;
use faqtory::app::{self, asking::ask::AskInput, events::lifecycle::NewEventInput};
use faqtory::auth::passwords;
use faqtory::config::Config;
use faqtory::db::DatabaseUrl;
use faqtory::domain::{
    EventSlug, EventStatus, EventTitle, LabelName, Password, Role, Token, Username,
};
use faqtory::startup::{open_database, Application};

const QUESTIONS: usize = 1_000;
const PASSWORD: &str = "correct horse battery staple";

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::env::temp_dir().join(format!("faqtory-moderation-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = match args.first() {
        Some(url) if !url.is_empty() => url.clone(),
        _ => format!("sqlite://{}/bench.db", dir.display()),
    };
    let requests: usize = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(1_000);

    argon2_rate().await?;

    let url = DatabaseUrl::parse(&url)?;
    seed(&url).await?;
    let app = Application::build(Config::for_local(url, dir.clone())).await?;
    let base = app.public_base().to_owned();
    let server = tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    sign_in(&client, &base).await?;

    for (name, path) in [
        ("Live tab, by votes", "/mod/e/bench"),
        (
            "Live tab, by moderator votes",
            "/mod/e/bench?sort=moderators",
        ),
        ("Answered tab", "/mod/e/bench?tab=answered"),
        ("public event page", "/e/bench"),
    ] {
        measure(&client, &format!("{base}{path}"), name, requests).await?;
    }
    server.abort();
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

async fn argon2_rate() -> Result<(), Box<dyn std::error::Error>> {
    let stored = passwords::hash(&Password::parse(PASSWORD)?).await?;
    for parallel in [
        1,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
    ] {
        let started = Instant::now();
        let window = Duration::from_secs(3);
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..parallel {
            let stored = stored.clone();
            tasks.spawn(async move {
                let mut done = 0u32;
                while started.elapsed() < window {
                    if passwords::verify(Some(stored.clone()), PASSWORD.to_owned()).await? {
                        done += 1;
                    }
                }
                Ok::<u32, faqtory::error::AppError>(done)
            });
        }
        let mut total = 0;
        while let Some(done) = tasks.join_next().await {
            total += done??;
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "argon2id (m=19 MiB, t=2, p=1) verifications: {:.1}/s with {parallel} in parallel ({:.1} ms each)",
            f64::from(total) / seconds,
            seconds * 1_000.0 * parallel as f64 / f64::from(total)
        );
    }
    Ok(())
}

fn question_texts() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/quantumcomputing-se/questions.jsonl"
    );
    let titles: Vec<String> = std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter_map(|row| row["title"].as_str().map(str::to_owned))
        .filter(|title| title.chars().count() >= 10)
        .collect();
    (0..QUESTIONS)
        .map(|n| match titles.get(n % titles.len().max(1)) {
            Some(title) if n < titles.len() => title.clone(),
            Some(title) => format!("{title} (again, #{n})"),
            None => format!("Benchmark question number {n}: how does faqtory handle load?"),
        })
        .collect()
}

async fn seed(url: &DatabaseUrl) -> Result<(), Box<dyn std::error::Error>> {
    // Seeding only: nobody listens.
    let bus = faqtory::bus::Bus::in_process();
    let started = Instant::now();
    let db = open_database(url).await?;
    let votes = VoteQueue::start(db.clone(), bus.clone());
    app::events::lifecycle::create_event(
        &db,
        NewEventInput {
            slug: EventSlug::parse("bench")?,
            title: EventTitle::parse("Moderation benchmark")?,
            description: String::new(),
            starts_at: None,
            premoderation: false,
            recording_url: Some(url::Url::parse("https://www.youtube.com/watch?v=bench")?),
            labels: LabelName::parse_event_list("algorithms, hardware, theory")?,
            status: EventStatus::Live,
        },
    )
    .await?;
    let moderator = app::accounts::moderators::add_moderator(
        &db,
        None,
        Username::parse("bench")?,
        &Password::parse(PASSWORD)?,
        Role::Moderator,
    )
    .await?;
    let voters: Vec<_> = (0..50)
        .map(|_| Token::generate().map(|token| token.hash()))
        .collect::<Result<_, _>>()
        .map_err(|error| format!("no randomness: {error}"))?;
    for (n, text) in question_texts().into_iter().enumerate() {
        let asked = app::asking::ask::ask(
            &db,
            &bus,
            "bench",
            AskInput::parse(&text, Some("Asker"), None)?,
        )
        .await?;
        let id = asked.question_id;
        for voter in voters.iter().take(n % voters.len()) {
            let ballot = Ballot::own_network(voter.clone());
            let rule = BurstRule::default();
            votes.cast(id, ballot, VoteAction::Upvote, rule).await?;
        }
        if n % 5 == 0 {
            let labels = LabelName::parse_list(["algorithms", "hardware", "theory"][n % 3])?;
            app::moderation::editing::set_labels(&db, &bus, moderator.id, id, labels).await?;
        }
        if n % 7 == 0 {
            app::moderation::editing::moderator_vote(&db, moderator.id, id, true).await?;
        }
        if n % 10 == 0 {
            let answer = app::moderation::answers::AnswerInput::parse(
                "Short answer: **yes**, with caveats. See [the docs](https://example.org).",
                "12:34",
                true,
            )?;
            app::moderation::answers::answer(&db, &bus, moderator.id, id, answer).await?;
        }
    }
    println!(
        "seeded {QUESTIONS} questions (votes, labels, moderator votes, answers) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

async fn sign_in(client: &reqwest::Client, base: &str) -> Result<(), Box<dyn std::error::Error>> {
    let page = client
        .get(format!("{base}/sign-in"))
        .send()
        .await?
        .text()
        .await?;
    let marker = "name=\"csrf\" value=\"";
    let start = page
        .find(marker)
        .ok_or("no CSRF token on the sign-in page")?
        + marker.len();
    let csrf = &page[start..start + page[start..].find('"').ok_or("unterminated token")?];
    let response = client
        .post(format!("{base}/sign-in"))
        .form(&[
            ("username", "bench"),
            ("password", PASSWORD),
            ("next", "/mod"),
            ("csrf", csrf),
        ])
        .send()
        .await?;
    if response.status() != 303 {
        return Err(format!("sign-in failed: {}", response.status()).into());
    }
    Ok(())
}

async fn measure(
    client: &reqwest::Client,
    url: &str,
    name: &str,
    requests: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut bytes = 0;
    for _ in 0..20 {
        bytes = client.get(url).send().await?.bytes().await?.len();
    }
    let mut timings = Vec::with_capacity(requests);
    for _ in 0..requests {
        let started = Instant::now();
        let response = client.get(url).send().await?;
        if response.status() != 200 {
            return Err(format!("{url}: {}", response.status()).into());
        }
        response.bytes().await?;
        timings.push(started.elapsed());
    }
    timings.sort_unstable();
    let at = |q: f64| timings[((timings.len() as f64 * q) as usize).min(timings.len() - 1)];
    let ms = |d: Duration| d.as_secs_f64() * 1_000.0;
    println!(
        "{name}: {} KiB, {requests} loads: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        bytes / 1024,
        ms(at(0.50)),
        ms(at(0.90)),
        ms(at(0.99)),
        ms(timings[timings.len() - 1])
    );
    Ok(())
}
