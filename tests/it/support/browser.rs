//! Headless Chromium for browser tests: Debian's `chromium` driven through its `chromedriver` on a
//! free local port, with a fresh profile per session, and the helpers the tests share (waiting for
//! elements, exact viewport sizes through DevTools, reduced motion, whole-page screenshots under
//! `target/screenshots/`).
//!
//! Without `chromium` and `chromium-driver` a test prints `skipped: ...` (see
//! [`browser_installed`]), unless `MUSTER_REQUIRE_SERVICES=1`, when that is a failure.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// How long any one page or element may take to appear.
pub const WAIT: Duration = Duration::from_secs(15);

/// A chromedriver on a free local port, stopped when dropped.
struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    /// Starts chromedriver and waits (up to 20 s) until it answers.
    async fn start() -> ChromeDriver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = http
                .get(format!("{}/status", driver.url))
                .timeout(Duration::from_secs(2))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if ready {
                return driver;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not answer on {} within 20 s",
                driver.url
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the browser is installed; prints `skipped:` for `test` (or panics when services are
/// required).
pub fn browser_installed(test: &str) -> bool {
    if Path::new(CHROMEDRIVER).exists() && Path::new(CHROMIUM).exists() {
        return true;
    }
    if std::env::var("MUSTER_REQUIRE_SERVICES").as_deref() == Ok("1") {
        panic!(
            "{test}: {CHROMEDRIVER} or {CHROMIUM} is missing and \
             MUSTER_REQUIRE_SERVICES=1: install chromium and chromium-driver"
        );
    }
    eprintln!("skipped: {test} (install chromium and chromium-driver)");
    false
}

/// A headless Chromium session with a fresh profile in `profile`, `width` CSS pixels wide.
async fn connect(driver: &ChromeDriver, profile: &Path, width: u32) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                format!("--user-data-dir={}", profile.display()),
                format!("--window-size={width},800"),
            ],
        }),
    );
    // chromedriver speaks plain HTTP on the loopback interface: no TLS needed.
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("a Chromium session")
}

/// Runs `body` in a fresh headless Chromium, `width` CSS pixels wide, and returns what it returns.
/// The body runs on its own task, so the session is closed and chromedriver stopped even when it
/// fails; its panic is then passed on.
pub async fn with_chromium<F, Fut, T>(width: u32, body: F) -> T
where
    F: FnOnce(Chromium) -> Fut,
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let driver = ChromeDriver::start().await;
    let profile = tempfile::tempdir().expect("a profile directory");
    let client = connect(&driver, profile.path(), width).await;
    let b = Chromium {
        session: client
            .session_id()
            .await
            .expect("session id")
            .expect("a session"),
        driver: driver.url.clone(),
        client: client.clone(),
    };
    let outcome = tokio::spawn(body(b)).await;
    let _ = client.close().await;
    drop(driver);
    match outcome {
        Ok(value) => value,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("the browser session did not finish: {e}"),
    }
}

/// The first element matching `css`, waiting for it to appear.
pub async fn wait_css(client: &Client, css: &str) -> Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css} within {WAIT:?}: {e}"))
}

/// The first element matching `xpath`, waiting for it to appear.
pub async fn wait_xpath(client: &Client, xpath: &str) -> Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("no {xpath} within {WAIT:?}: {e}"))
}

/// An element's text as written in the page, whitespace collapsed (not as styled: `text()` gives
/// what CSS shows, upper-cased labels included).
pub trait TextContent {
    async fn text_content(&self) -> String;
}

impl TextContent for Element {
    async fn text_content(&self) -> String {
        self.prop("textContent")
            .await
            .expect("textContent")
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Opens a sign-in `link` and presses its Sign in button (opening the link alone signs no one in).
pub async fn sign_in(client: &Client, link: &str) {
    client.goto(link).await.expect("open the sign-in link");
    wait_xpath(
        client,
        "//form[starts-with(@action, '/signin/')]//button[normalize-space() = 'Sign in']",
    )
    .await
    .click()
    .await
    .expect("press Sign in");
}

/// Runs `js` in the page and returns its result.
pub async fn script(client: &Client, js: &str) -> serde_json::Value {
    client.execute(js, Vec::new()).await.expect("run a script")
}

/// A Chromium session and the chromedriver that runs it.
#[derive(Clone)]
pub struct Chromium {
    pub client: Client,
    driver: String,
    session: String,
}

impl Chromium {
    /// Runs a Chrome DevTools Protocol command through chromedriver.
    pub async fn devtools(&self, cmd: &str, params: serde_json::Value) {
        let response = reqwest::Client::new()
            .post(format!(
                "{}/session/{}/goog/cdp/execute",
                self.driver, self.session
            ))
            .header("content-type", "application/json")
            .body(json!({ "cmd": cmd, "params": params }).to_string())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let status = response.status();
        assert!(
            status.is_success(),
            "{cmd}: {status} {}",
            response.text().await.unwrap_or_default()
        );
    }

    /// Asks pages for reduced motion, as some people do. The stylesheet scrolls smoothly and
    /// animates otherwise, and chromedriver clicks where an element is before a smooth scroll has
    /// finished (and screenshots catch bars mid-transition).
    pub async fn reduce_motion(&self) {
        self.devtools(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-reduced-motion", "value": "reduce" }] }),
        )
        .await;
    }
}

/// Makes the page's viewport `width` by `height` CSS pixels: resizes the window, then sets the
/// size exactly through DevTools (Chromium keeps windows at least 500 px wide, phones are less).
pub async fn set_viewport(b: &Chromium, width: u32, height: u32) {
    b.client
        .set_window_size(width.max(500), height)
        .await
        .expect("resize the window");
    b.devtools(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500 }),
    )
    .await;
    let inner = script(&b.client, "return window.innerWidth;").await;
    assert_eq!(inner.as_u64(), Some(u64::from(width)), "viewport width");
}

/// Saves a whole-page PNG of the current page at `width` CSS pixels as `target/screenshots/NAME`,
/// then leaves the window `width` by 800.
pub async fn screenshot(b: &Chromium, width: u32, name: &str) {
    let client = &b.client;
    set_viewport(b, width, 800).await;
    let height = script(client, "return document.documentElement.scrollHeight;")
        .await
        .as_u64()
        .unwrap_or(800)
        .clamp(800, 8000) as u32;
    set_viewport(b, width, height).await;
    let png = client.screenshot().await.expect("a screenshot");
    let dir = screenshots_dir();
    std::fs::create_dir_all(&dir).expect("create target/screenshots");
    std::fs::write(dir.join(name), png).expect("save a screenshot");
    set_viewport(b, width, 800).await;
}

pub fn screenshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

/// axe-core's script from `target/axe`, or `None` (with a line saying the test was skipped) when
/// it is not installed and services are not required; `test` names the caller.
pub fn axe_source(test: &str) -> Option<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/axe/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(axe) => Some(axe),
        Err(_) => {
            assert!(
                std::env::var("MUSTER_REQUIRE_SERVICES").as_deref() != Ok("1"),
                "no axe-core at {} and MUSTER_REQUIRE_SERVICES=1: run .ci/axe",
                path.display()
            );
            eprintln!("skipped: {test}: no axe-core (run .ci/axe)");
            None
        }
    }
}

/// The rules axe-core finds broken on the open page, as `rule (impact): nodes`.
pub async fn axe_violations(client: &Client, axe: &str) -> Vec<String> {
    client
        .execute(axe, Vec::new())
        .await
        .expect("load axe-core");
    let found = client
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             axe.run(document).then(\
               r => done(r.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.length}`)),\
               e => done([`axe failed: ${e}`]));",
            Vec::new(),
        )
        .await
        .expect("run axe-core");
    serde_json::from_value(found).expect("a list of violations")
}
