//! A small W3C WebDriver client over reqwest, enough for the browser journeys: sessions in
//! headless Chromium through Debian's chromedriver, navigation, elements, scripts, screenshots.
//! Our own rather than a crate: a dozen JSON commands, no extra async stack to build.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use serde_json::{json, Value};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
/// How long a wait for something on the page may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(60);

/// The chromedriver process, stopped when dropped.
pub struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    pub async fn start(chromedriver: &str) -> Driver {
        let port = crate::support::free_port();
        let child = Command::new(chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("starting {chromedriver}: {error}"));
        let driver = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        };
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(response) = driver
                .http
                .get(format!("{}/status", driver.base))
                .send()
                .await
            {
                if response.status().is_success() {
                    return driver;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A new headless browser window of the given size.
    pub async fn session(&self, width: u32, height: u32) -> Browser {
        let binary =
            std::env::var("FAQTORY_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let mut options = json!({
            "binary": binary,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-dev-shm-usage",
                     format!("--window-size={width},{height}")]
        });
        // Windows narrower than Chromium's smallest are phones: emulate one (viewport, touch).
        if width < 500 {
            options["mobileEmulation"] = json!({"deviceMetrics": {
                "width": width, "height": height, "pixelRatio": 2, "touch": true
            }});
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options
        }}});
        let reply: Value = self
            .http
            .post(format!("{}/session", self.base))
            .json(&capabilities)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let id = reply["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no browser session: {reply}"))
            .to_owned();
        let browser = Browser {
            url: format!("{}/session/{id}", self.base),
            http: self.http.clone(),
        };
        if width >= 500 {
            browser.fit_viewport(width, height).await;
        }
        browser
    }
}

/// One browser window.
pub struct Browser {
    url: String,
    http: reqwest::Client,
}

#[derive(Clone)]
pub struct Element(String);

impl Browser {
    async fn command(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self.http.request(method, format!("{}{path}", self.url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let reply: Value = request.send().await.unwrap().json().await.unwrap();
        if let Some(error) = reply["value"]["error"].as_str() {
            panic!("WebDriver {path}: {error}: {}", reply["value"]["message"]);
        }
        reply["value"].clone()
    }

    async fn try_command(&self, path: &str, body: Value) -> Option<Value> {
        let reply: Value = self
            .http
            .post(format!("{}{path}", self.url))
            .json(&body)
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        reply["value"]["error"]
            .is_null()
            .then(|| reply["value"].clone())
    }

    pub async fn goto(&self, url: &str) {
        self.command(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    pub async fn current_url(&self) -> String {
        self.command(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn find(&self, css: &str) -> Option<Element> {
        let found = self
            .try_command("/element", json!({"using": "css selector", "value": css}))
            .await?;
        found[ELEMENT_KEY].as_str().map(|id| Element(id.to_owned()))
    }

    /// Waits for an element to be there (the page may still be loading or updating).
    pub async fn wait_for(&self, css: &str) -> Element {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(element) = self.find(css).await {
                return element;
            }
            assert!(
                Instant::now() < deadline,
                "no `{css}` on {}",
                self.current_url().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until a script returns true.
    pub async fn wait_until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if self.run(script, json!([])).await == json!(true) {
                return;
            }
            assert!(Instant::now() < deadline, "gave up waiting: {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, element: &Element) {
        self.command(
            reqwest::Method::POST,
            &format!("/element/{}/click", element.0),
            Some(json!({})),
        )
        .await;
    }

    /// Clicks the element `css` finds, finding it again when a live update replaced it between
    /// finding and clicking.
    pub async fn click_on(&self, css: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(element) = self.find(css).await {
                let path = format!("/element/{}/click", element.0);
                if self.try_command(&path, json!({})).await.is_some() {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "could not click `{css}`");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Goes into an iframe: finding, clicking and scripts work on its page until
    /// [`Browser::leave_frame`].
    pub async fn enter_frame(&self, frame: &Element) {
        self.command(
            reqwest::Method::POST,
            "/frame",
            Some(json!({ "id": { ELEMENT_KEY: frame.0 } })),
        )
        .await;
    }

    pub async fn leave_frame(&self) {
        self.command(reqwest::Method::POST, "/frame/parent", Some(json!({})))
            .await;
    }

    pub async fn type_into(&self, element: &Element, text: &str) {
        self.command(
            reqwest::Method::POST,
            &format!("/element/{}/value", element.0),
            Some(json!({ "text": text })),
        )
        .await;
    }

    pub async fn text(&self, element: &Element) -> String {
        self.command(
            reqwest::Method::GET,
            &format!("/element/{}/text", element.0),
            None,
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Runs a script (`arguments[0]`… are `args`) and returns its value.
    pub async fn run(&self, script: &str, args: Value) -> Value {
        self.command(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    /// Runs a script that calls `arguments[arguments.length - 1]` with its result.
    pub async fn run_async(&self, script: &str, args: Value) -> Value {
        self.command(
            reqwest::Method::POST,
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
        .await
    }

    pub async fn set_timeouts(&self, script_ms: u64) {
        self.command(
            reqwest::Method::POST,
            "/timeouts",
            Some(json!({ "script": script_ms })),
        )
        .await;
    }

    pub async fn screenshot(&self, path: &std::path::Path) {
        let encoded = self
            .command(reqwest::Method::GET, "/screenshot", None)
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().unwrap())
            .unwrap();
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(path, png).unwrap();
    }

    /// Headless Chromium's window size includes room for a toolbar it does not draw: grow the
    /// window until the page itself is `width` × `height`, as on a stream or a laptop.
    async fn fit_viewport(&self, width: u32, height: u32) {
        let set = |w: i64, h: i64| {
            self.command(
                reqwest::Method::POST,
                "/window/rect",
                Some(json!({ "width": w, "height": h })),
            )
        };
        set(i64::from(width), i64::from(height)).await;
        let inner = self
            .run("return [window.innerWidth, window.innerHeight];", json!([]))
            .await;
        let missing = |i: usize, wanted: u32| i64::from(wanted) - inner[i].as_i64().unwrap();
        let (extra_width, extra_height) = (missing(0, width), missing(1, height));
        if extra_width != 0 || extra_height != 0 {
            set(
                i64::from(width) + extra_width,
                i64::from(height) + extra_height,
            )
            .await;
        }
    }

    /// Pages from now on see `prefers-color-scheme: dark` (Chromium's DevTools protocol).
    pub async fn prefer_dark(&self) {
        self.command(
            reqwest::Method::POST,
            "/goog/cdp/execute",
            Some(json!({
                "cmd": "Emulation.setEmulatedMedia",
                "params": {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}
            })),
        )
        .await;
    }

    pub async fn close(self) {
        let _ = self.http.delete(&self.url).send().await;
    }
}
