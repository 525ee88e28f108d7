//! Seeds a running faqtory for the load benchmark: asks N questions in one event through the API,
//! and writes the voter cookies of M distinct voters (signed with the server's secret, as the
//! server would sign them) and the question ids for the load generator.
//!
//! cargo run --release --example bench_seed -- BASE_URL EVENT QUESTIONS VOTERS SECRET OUT_DIR

use std::io::Write;

use faqtory::domain::Token;
use faqtory::web::security::cookies::voter_cookie;
use faqtory::web::security::keys::Keys;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [base, event, questions, voters, secret, out_dir] = args.as_slice() else {
        return Err("usage: bench_seed BASE_URL EVENT QUESTIONS VOTERS SECRET OUT_DIR".into());
    };
    let questions: usize = questions.parse()?;
    let voters: usize = voters.parse()?;
    let out_dir = std::path::Path::new(out_dir);
    std::fs::create_dir_all(out_dir)?;

    let client = reqwest::Client::new();
    let url = format!("{base}/api/v1/events/{event}/questions");
    let mut ids = Vec::with_capacity(questions);
    for n in 0..questions {
        let response = client
            .post(&url)
            .json(&serde_json::json!({
                "body": format!("Benchmark question number {n}: how does faqtory handle load?")
            }))
            .send()
            .await?;
        if response.status() != 201 {
            return Err(format!(
                "asking failed: {} {}",
                response.status(),
                response.text().await?
            )
            .into());
        }
        let asked: serde_json::Value = response.json().await?;
        ids.push(asked["id"].as_i64().ok_or("no id in the answer")?);
    }
    let mut id_file = std::fs::File::create(out_dir.join("question_ids.txt"))?;
    for id in &ids {
        writeln!(id_file, "{id}")?;
    }

    let keys = Keys::derive(secret.as_bytes());
    let mut cookie_file = std::fs::File::create(out_dir.join("voter_cookies.txt"))?;
    for _ in 0..voters {
        let token = Token::generate().map_err(|error| format!("no randomness: {error}"))?;
        let cookie = voter_cookie(&token, &keys, false);
        writeln!(cookie_file, "{}={}", cookie.name(), cookie.value())?;
    }
    println!(
        "seeded {} questions and {voters} voters into {}",
        ids.len(),
        out_dir.display()
    );
    Ok(())
}
