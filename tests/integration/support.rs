//! `spawn_app()`: the real application on a random port with its own data directory (and, on
//! PostgreSQL, its own database), and a client that keeps cookies like a browser.

use std::path::PathBuf;
use std::process::Output;

use actix_web::dev::ServerHandle;
use diesel::{Connection, PgConnection, RunQueryDsl};
use faqtory::config::Config;
use faqtory::db::DatabaseUrl;
use faqtory::startup::Application;
use reqwest::redirect::Policy;

/// Where a test runs: SQLite always; PostgreSQL too when `FAQTORY_TEST_POSTGRES` names a server.
#[derive(Debug, Clone)]
pub enum Backend {
    Sqlite,
    Postgres { server: String },
}

pub fn backends() -> Vec<Backend> {
    let mut all = vec![Backend::Sqlite];
    if let Ok(server) = std::env::var("FAQTORY_TEST_POSTGRES") {
        if !server.trim().is_empty() {
            all.push(Backend::Postgres {
                server: server.trim().to_owned(),
            });
        }
    }
    all
}

/// Every instance of a test's deployment signs cookies with this key, as a real deployment's do.
const TEST_SECRET_KEY: &str = "test-secret-key-that-is-long-enough-0123456789";

pub struct TestApp {
    pub base: String,
    pub backend: &'static str,
    pub database_url: String,
    pub data_dir: PathBuf,
    /// A browser: keeps cookies, does not follow redirects (tests look at them).
    pub client: reqwest::Client,
    handle: ServerHandle,
    postgres_cleanup: Option<(String, String)>,
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).unwrap();
    hex::encode(bytes)
}

fn create_postgres_database(server: &str) -> (String, String) {
    let mut admin_url = url::Url::parse(server).expect("FAQTORY_TEST_POSTGRES is a URL");
    admin_url.set_path("/postgres");
    let name = format!("faqtory_test_{}", random_suffix());
    let mut admin = PgConnection::establish(admin_url.as_str())
        .unwrap_or_else(|error| panic!("connecting to {admin_url}: {error}"));
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .unwrap();
    let mut db_url = admin_url.clone();
    db_url.set_path(&format!("/{name}"));
    (db_url.to_string(), admin_url.to_string())
}

/// A port nothing listens on right now (for a server the test starts itself).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .default_headers(from_our_pages())
        .build()
        .unwrap()
}

/// What every current browser says of a request its page on our site makes: it comes from
/// the same origin. (Forms on pages rendered for everyone carry no token; see `web::security::csrf`.)
fn from_our_pages() -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "sec-fetch-site",
        reqwest::header::HeaderValue::from_static("same-origin"),
    );
    headers
}

/// A client that says nothing of where its requests come from (a script, or an old browser):
/// its forms need the token.
pub fn headerless_browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// A browser on another machine: its connections come from `address` (any 127.x.y.z works on
/// Linux's loopback), so the server sees another client address.
pub fn browser_from(address: std::net::IpAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .default_headers(from_our_pages())
        .local_address(address)
        .build()
        .unwrap()
}

pub async fn spawn_app(backend: &Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: &Backend, adjust: impl FnOnce(&mut Config)) -> TestApp {
    let data_dir = std::env::temp_dir().join(format!("faqtory-test-{}", random_suffix()));
    let (database_url, postgres_cleanup) = match backend {
        Backend::Sqlite => (
            format!("sqlite://{}", data_dir.join("faqtory.db").display()),
            None,
        ),
        Backend::Postgres { server } => {
            let server = server.clone();
            let (db_url, admin_url) =
                tokio::task::spawn_blocking(move || create_postgres_database(&server))
                    .await
                    .unwrap();
            let name = db_url.rsplit('/').next().unwrap().to_owned();
            (db_url, Some((admin_url, name)))
        }
    };
    start(database_url, data_dir, postgres_cleanup, backend, adjust).await
}

async fn start(
    database_url: String,
    data_dir: PathBuf,
    postgres_cleanup: Option<(String, String)>,
    backend: &Backend,
    adjust: impl FnOnce(&mut Config),
) -> TestApp {
    let mut config =
        Config::for_local(DatabaseUrl::parse(&database_url).unwrap(), data_dir.clone());
    config.secret_key = Some(TEST_SECRET_KEY.into());
    adjust(&mut config);
    let app = Application::build(config)
        .await
        .expect("the application starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    TestApp {
        base,
        backend: match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres { .. } => "postgres",
        },
        database_url,
        data_dir,
        client: browser(),
        handle,
        postgres_cleanup,
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        // Stopping is asynchronous; the runtime ends with the test anyway.
        drop(handle.stop(false));
        let _ = std::fs::remove_dir_all(&self.data_dir);
        if let Some((admin_url, name)) = self.postgres_cleanup.take() {
            if let Ok(mut admin) = PgConnection::establish(&admin_url) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut admin);
            }
        }
    }
}

/// A `faqtory serve` process, for what only a real process shows: restarts and kills.
pub struct ServeProcess {
    child: Option<std::process::Child>,
    pub base: String,
}

impl ServeProcess {
    /// Stops it: `-TERM` lets it shut down, `-KILL` does not.
    pub async fn stop(mut self, signal: &str) {
        let mut child = self.child.take().unwrap();
        let killed = std::process::Command::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        tokio::task::spawn_blocking(move || child.wait())
            .await
            .unwrap()
            .unwrap();
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl TestApp {
    /// Another instance on this app's database, with its own data directory (and so its own
    /// search index), as a second server behind a load balancer.
    pub async fn second_instance(&self, backend: &Backend) -> TestApp {
        self.second_instance_with(backend, |_| {}).await
    }

    /// Stops this instance's server (its database stays, for another instance to use).
    pub async fn stop_server(&self) {
        self.handle.stop(true).await;
    }

    /// The same, with its configuration adjusted.
    pub async fn second_instance_with(
        &self,
        backend: &Backend,
        adjust: impl FnOnce(&mut Config),
    ) -> TestApp {
        let data_dir = std::env::temp_dir().join(format!("faqtory-test-{}", random_suffix()));
        start(self.database_url.clone(), data_dir, None, backend, adjust).await
    }

    /// Starts `faqtory serve` on this app's database with the given data directory.
    pub fn serve_process(&self, data_dir: &std::path::Path) -> ServeProcess {
        use std::io::{BufRead, BufReader};
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_faqtory"))
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("FAQTORY_DATABASE_URL", &self.database_url)
            .env("FAQTORY_DATA_DIR", data_dir)
            .env("FAQTORY_SECRET_KEY", TEST_SECRET_KEY)
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the faqtory binary runs");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let base = line
            .trim()
            .strip_prefix("faqtory is serving on ")
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_owned();
        ServeProcess {
            child: Some(child),
            base,
        }
    }

    /// Runs `sql` on the app's database behind its back: for a state no request can make (an
    /// instance that died mid-job). Answers the rows changed.
    pub fn execute_sql(&self, sql: &str) -> usize {
        match self.database_url.strip_prefix("sqlite://") {
            Some(path) => {
                let mut conn = diesel::SqliteConnection::establish(path).unwrap();
                diesel::sql_query(sql).execute(&mut conn).unwrap()
            }
            None => {
                let mut conn = PgConnection::establish(&self.database_url).unwrap();
                diesel::sql_query(sql).execute(&mut conn).unwrap()
            }
        }
    }

    /// How many rows `table` holds.
    pub fn count_rows(&self, table: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct Count {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            rows: i64,
        }
        let sql = format!("SELECT COUNT(*) AS rows FROM {table}");
        let counted: Count = match self.database_url.strip_prefix("sqlite://") {
            Some(path) => {
                let mut conn = diesel::SqliteConnection::establish(path).unwrap();
                diesel::sql_query(sql).get_result(&mut conn).unwrap()
            }
            None => {
                let mut conn = PgConnection::establish(&self.database_url).unwrap();
                diesel::sql_query(sql).get_result(&mut conn).unwrap()
            }
        };
        counted.rows
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Runs the real `faqtory` binary against this app's database.
    pub fn cli(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_faqtory"))
            .args(args)
            .env("FAQTORY_DATABASE_URL", &self.database_url)
            .env("FAQTORY_DATA_DIR", &self.data_dir)
            .env("RUST_LOG", "warn")
            .output()
            .expect("the faqtory binary runs")
    }

    /// Creates an event through the command line, as an organiser does.
    pub fn create_event(&self, slug: &str, extra: &[&str]) {
        let title = format!("Hangout {slug}");
        let mut args = vec!["event", "create", "--slug", slug, "--title", &title];
        args.extend_from_slice(extra);
        let output = self.cli(&args);
        assert!(
            output.status.success(),
            "event create failed ({:?}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Runs the binary with `input` on its standard input.
    pub fn cli_with_input(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_faqtory"))
            .args(args)
            .env("FAQTORY_DATABASE_URL", &self.database_url)
            .env("FAQTORY_DATA_DIR", &self.data_dir)
            .env("RUST_LOG", "warn")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the faqtory binary runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// Adds a moderator through the command line, the password on standard input.
    pub fn add_moderator(&self, name: &str, password: &str, admin: bool) {
        let mut args = vec!["moderator", "add", name, "--password-stdin"];
        if admin {
            args.push("--admin");
        }
        let output = self.cli_with_input(&args, &format!("{password}\n"));
        assert!(
            output.status.success(),
            "moderator add failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Adds a moderator and creates an API token for them; returns the token.
    pub fn api_token(&self, name: &str) -> String {
        self.add_moderator(name, "correct horse battery staple", false);
        let output = self.cli(&["moderator", "token", "create", name, "--label", "tests"]);
        assert!(
            output.status.success(),
            "token create failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    }

    /// Sends a moderator API request with a bearer token and a JSON body.
    pub async fn moderator_api(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let response = browser()
            .request(method, self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text));
        (status, json)
    }

    /// A browser signed in as a new (non-admin) moderator of that name.
    pub async fn signed_in_moderator(&self, username: &str) -> reqwest::Client {
        self.add_moderator(username, "correct horse battery", false);
        let client = browser();
        let response = self
            .sign_in(&client, username, "correct horse battery")
            .await;
        assert_eq!(response.status(), 303, "signing in {username}");
        client
    }

    /// Signs in through the form, as a browser does.
    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        username: &str,
        password: &str,
    ) -> reqwest::Response {
        let (status, page) = self.get_text(client, "/sign-in").await;
        assert_eq!(status, 200);
        let csrf = hidden_value(&page, "csrf").unwrap();
        client
            .post(self.url("/sign-in"))
            .form(&[
                ("username", username),
                ("password", password),
                ("next", "/mod"),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap()
    }

    pub fn set_status(&self, slug: &str, status: &str) {
        let output = self.cli(&["event", "set-status", slug, status]);
        assert!(
            output.status.success(),
            "set-status failed ({:?}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Changes an event's status through the server, as a moderator does: pages the server keeps
    /// learn of it at once, where a change by `faqtory event set-status` shows within seconds.
    pub async fn set_status_through_server(&self, slug: &str, status: &str) {
        let token = self.api_token(&format!("keeper{}", &random_suffix()[..8]));
        let (code, body) = self
            .moderator_api(
                reqwest::Method::PATCH,
                &format!("/api/v1/events/{slug}"),
                &token,
                serde_json::json!({ "status": status }),
            )
            .await;
        assert_eq!(code, 200, "setting {slug} {status}: {body}");
    }

    pub async fn get(&self, client: &reqwest::Client, path: &str) -> reqwest::Response {
        client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_text(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let response = self.get(client, path).await;
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// Loads an event page the way a browser does and reads the form's CSRF token: none, since
    /// the page is rendered once for everyone, but the page gave the browser its cookies.
    pub async fn csrf_token(&self, client: &reqwest::Client, slug: &str) -> String {
        let (status, page) = self.get_text(client, &format!("/e/{slug}")).await;
        assert_eq!(status, 200, "event page {slug}");
        hidden_value(&page, "csrf").unwrap_or_default()
    }

    /// Submits the ask form as a browser does.
    pub async fn ask_form(
        &self,
        client: &reqwest::Client,
        slug: &str,
        body: &str,
        author_name: &str,
    ) -> reqwest::Response {
        let csrf = self.csrf_token(client, slug).await;
        client
            .post(self.url(&format!("/e/{slug}/ask")))
            .form(&[
                ("body", body),
                ("author_name", author_name),
                ("csrf", &csrf),
            ])
            .send()
            .await
            .unwrap()
    }

    /// Posts a JSON body to an event's questions, as an API client asks.
    pub async fn post_question(
        &self,
        client: &reqwest::Client,
        slug: &str,
        body: serde_json::Value,
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/v1/events/{slug}/questions")))
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    /// Asks through the API; returns the new question's id.
    pub async fn ask_api(&self, client: &reqwest::Client, slug: &str, body: &str) -> i64 {
        let response = self
            .post_question(client, slug, serde_json::json!({ "body": body }))
            .await;
        let status = response.status();
        let answer: serde_json::Value = response.json().await.unwrap();
        assert_eq!(status, 201, "asking {body:?} on {}: {answer}", self.backend);
        answer["id"].as_i64().unwrap()
    }

    pub async fn vote_api(
        &self,
        client: &reqwest::Client,
        question_id: i64,
        up: bool,
    ) -> reqwest::Response {
        // A voter identity comes with looking at the events (once per client).
        self.get(client, "/api/v1/events").await;
        let url = self.url(&format!("/api/v1/questions/{question_id}/vote"));
        let request = if up {
            client.post(url)
        } else {
            client.delete(url)
        };
        request
            .header("content-type", "application/json")
            .send()
            .await
            .unwrap()
    }

    pub async fn events(&self) -> Vec<serde_json::Value> {
        let response = self.get(&browser(), "/api/v1/events").await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub async fn questions(&self, client: &reqwest::Client, slug: &str) -> Vec<serde_json::Value> {
        let response = self
            .get(client, &format!("/api/v1/events/{slug}/questions"))
            .await;
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }

    pub async fn vote_count(&self, question_id: i64, slug: &str) -> i64 {
        self.questions(&browser(), slug)
            .await
            .iter()
            .find(|q| q["id"] == question_id)
            .map(|q| q["vote_count"].as_i64().unwrap())
            .expect("the question is listed")
    }
}

/// The value of a hidden input, as rendered by our templates.
pub fn hidden_value(page: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker)? + marker.len();
    let end = page[start..].find('"')? + start;
    Some(page[start..end].to_owned())
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .expect("a redirect")
        .to_str()
        .unwrap()
        .to_owned()
}
