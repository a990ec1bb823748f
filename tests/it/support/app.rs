//! A real muster server for HTTP tests: the whole router on a random port, over a test database,
//! with a manual clock, mail written to a temporary outbox, and a small browser-like client that
//! keeps cookies and reads form tokens from pages.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use muster::app::cohort::{self, CohortRequest};
use muster::app::reminders::CohortReminders;
use muster::app::{Outside, Services, enrol, release, signin};
use muster::board::Board;
use muster::clock::Clock;
use muster::domain::CohortId;
use muster::mail::Mailer;
use muster::rules::safeguarding::Checker;
use muster::web::{AppState, app};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

use super::TestDb;

/// The use cases' services for a test: mail to `outbox`, the standard safeguarding checker.
pub fn services(
    store: muster::store::Store,
    clock: Clock,
    outbox: &std::path::Path,
    base: &str,
) -> Services {
    Services::new(Outside {
        store,
        clock,
        mailer: Mailer::new(None, outbox.to_path_buf(), "muster <muster@localhost>")
            .expect("outbox mailer"),
        safeguarding: Checker::standard(),
        board: Board::in_memory(),
        live: muster::live::Live::local(),
        base_url: base.to_string(),
    })
}

pub struct TestApp {
    pub base: String,
    pub clock: Clock,
    pub services: Services,
    pub outbox: tempfile::TempDir,
    server: tokio::task::JoinHandle<()>,
    /// The mail sender, as `muster serve` runs it.
    mail: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        self.mail.abort();
    }
}

impl TestApp {
    /// Serves muster over `db` with the clock at `now`, mail to a temporary outbox.
    pub async fn spawn(db: &TestDb, now: DateTime<Utc>) -> TestApp {
        Self::spawn_configured(db, now, |_| {}).await
    }

    /// The same, with mail sent through the SMTP relay at `smtp_url`.
    pub async fn spawn_with_smtp(db: &TestDb, now: DateTime<Utc>, smtp_url: &str) -> TestApp {
        Self::spawn_configured(db, now, |services| {
            services.mailer = Arc::new(
                Mailer::new(
                    Some(smtp_url),
                    std::env::temp_dir(),
                    "muster <muster@localhost>",
                )
                .expect("SMTP mailer"),
            );
        })
        .await
    }

    /// The same, with the leaderboards on `board`.
    pub async fn spawn_with_board(db: &TestDb, now: DateTime<Utc>, board: Board) -> TestApp {
        Self::spawn_configured(db, now, |services| services.board = board).await
    }

    /// The same, with live updates through `live` (e.g. Redis, shared with another app).
    pub async fn spawn_with_live(
        db: &TestDb,
        now: DateTime<Utc>,
        live: muster::live::Live,
    ) -> TestApp {
        Self::spawn_configured(db, now, |services| services.live = live).await
    }

    /// The same, trusting `X-Forwarded-For` from 127.0.0.1 (as behind a proxy on this machine).
    pub async fn spawn_behind_proxy(db: &TestDb, now: DateTime<Utc>) -> TestApp {
        Self::start(db, now, vec![[127, 0, 0, 1].into()], |_| {}).await
    }

    /// Serves muster with the test services changed by `configure`.
    pub async fn spawn_configured(
        db: &TestDb,
        now: DateTime<Utc>,
        configure: impl FnOnce(&mut Services),
    ) -> TestApp {
        Self::start(db, now, Vec::new(), configure).await
    }

    async fn start(
        db: &TestDb,
        now: DateTime<Utc>,
        trusted_proxies: Vec<std::net::IpAddr>,
        configure: impl FnOnce(&mut Services),
    ) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let outbox = tempfile::tempdir().expect("outbox");
        let clock = Clock::manual(now);
        let mut services = services(db.store.clone(), clock.clone(), outbox.path(), &base);
        configure(&mut services);
        let app = app(AppState::behind(services.clone(), trusted_proxies));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let (_stop, stopped) = tokio::sync::watch::channel(false);
        // One holder name for every test app: apps on one database (dropped or not) share the
        // sender's lease instead of waiting for a dropped one's to run out on a manual clock.
        let sender = muster::app::jobs::outbox::Sender::new(services.clone(), "test apps".into());
        let mail = tokio::spawn(async move {
            let _stop = _stop;
            sender.run(stopped).await
        });
        TestApp {
            base,
            clock,
            services,
            outbox,
            server,
            mail,
        }
    }

    /// A digital-confidence cohort starting on `start` (06:00 Europe/London releases, 6 h grace),
    /// with `csv` enrolled the day before it starts.
    pub async fn cohort(&self, start: &str, csv: &str) -> i64 {
        self.cohort_named(&format!("Cohort from {start}"), start, csv)
            .await
    }

    /// [`TestApp::cohort`] with a name of its own, for two cohorts starting on one day. It has
    /// no quiet hours, so a reminder goes as soon as it is queued.
    pub async fn cohort_named(&self, name: &str, start: &str, csv: &str) -> i64 {
        let reminders = CohortReminders {
            quiet_hours: None,
            ..CohortReminders::default()
        };
        self.cohort_with(name, start, csv, reminders).await
    }

    /// [`TestApp::cohort_named`] with reminder settings of its own.
    pub async fn cohort_with(
        &self,
        name: &str,
        start: &str,
        csv: &str,
        reminders: CohortReminders,
    ) -> i64 {
        let request = CohortRequest {
            pack: "digital-confidence".into(),
            name: name.into(),
            start: start.parse().expect("a date"),
            time_zone: "Europe/London".into(),
            release_cron: "0 6 * * *".into(),
            grace: Duration::hours(6),
            anonymity_k: muster::app::cohort::DEFAULT_ANONYMITY_K,
            reminders,
        };
        let packs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
        let start_at = super::utc(&format!("{start}T00:00:00Z"));
        let id = cohort::create(&self.services.at(start_at), &packs, &request)
            .await
            .expect("create cohort");
        enrol::enrol_csv(&self.services.at(start_at - Duration::days(1)), id, csv)
            .await
            .expect("enrol");
        id
    }

    /// Stops the mail sender this app runs, for a test that drives its own
    /// ([`muster::app::jobs::outbox::Sender::tick`]) pass by pass.
    pub fn stop_mail_sender(&self) {
        self.mail.abort();
    }

    /// Releases whatever is due at the clock's time.
    pub async fn release_due(&self) {
        release::release_due(&self.services, self.clock.now())
            .await
            .expect("release");
    }

    /// Publishes the anonymous reflections whose crowd is large enough, as the scheduler's pass
    /// does; returns how many.
    pub async fn publish_anonymous(&self) -> u64 {
        muster::app::anonymity::publish_due(&self.services, self.clock.now())
            .await
            .expect("publish anonymous reflections")
            .iter()
            .map(|p| p.reflections)
            .sum()
    }

    /// The person with this email.
    pub async fn person(&self, email: &str) -> muster::app::people::Person {
        muster::store::people::by_email(self.services.store.pool(), email)
            .await
            .expect("query")
            .unwrap_or_else(|| panic!("no person {email}"))
            .into()
    }

    /// The person with this email and what they may do in `cohort`, as a request would have them.
    pub async fn member(
        &self,
        email: &str,
        cohort: i64,
    ) -> (
        muster::app::people::Person,
        muster::app::people::CohortAccess,
    ) {
        let person = self.person(email).await;
        let access = muster::app::people::access(&self.services, &person, CohortId(cohort))
            .await
            .expect("access to the cohort");
        (person, access)
    }

    /// Waits until the mail queued so far has been sent (it goes after the answer).
    pub async fn mail_sent(&self) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let unsent = muster::store::outbox::pending(self.services.store.pool())
                .await
                .expect("count unsent mail");
            if unsent == 0 {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{unsent} emails still unsent after 10 s"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// The sign-in mails in the outbox folder (releases put reminders there too).
    pub fn sign_in_mail(&self) -> Vec<std::path::PathBuf> {
        sign_in_mail_in(self.outbox.path())
    }

    /// A browser signed in as `email`, through a real sign-in link.
    pub async fn browser(&self, email: &str) -> Browser {
        let person = self.person(email).await;
        let link = signin::issue_link(&self.services, person.id, Duration::minutes(20))
            .await
            .expect("link");
        let mut browser = Browser::new(&self.base);
        browser.follow_signin_link(&link).await;
        browser
    }

    /// `GET path` on the JSON API as `token`'s owner: the status and the body as JSON (null when
    /// it is not JSON).
    pub async fn api(&self, path: &str, token: &str) -> (u16, serde_json::Value) {
        let response = reqwest::Client::new()
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .expect("the API answers");
        let status = response.status().as_u16();
        let body = response.text().await.expect("the API's answer");
        (status, serde_json::from_str(&body).unwrap_or_default())
    }

    /// `method path` on the JSON API as `token`'s owner with a JSON `body`: the status and the
    /// answer as JSON (null when there is none).
    pub async fn api_send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let response = reqwest::Client::new()
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("the API answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("the API's answer");
        (status, serde_json::from_str(&text).unwrap_or_default())
    }

    /// An API token for `email`.
    pub async fn token(&self, email: &str) -> String {
        let person = self.person(email).await;
        signin::create_api_token(&self.services, &person, "test")
            .await
            .expect("token")
            .1
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
}

/// A cookie-keeping client that does not follow redirects (so tests see them).
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    cookies: Vec<(String, String)>,
}

impl Browser {
    pub fn new(base: &str) -> Browser {
        Browser {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            base: base.to_string(),
            cookies: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn read(&mut self, response: reqwest::Response) -> Page {
        for value in response.headers().get_all(SET_COOKIE) {
            let text = value.to_str().unwrap_or_default();
            let pair = text.split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.retain(|(k, _)| k != name);
                if !value.is_empty() {
                    self.cookies.push((name.to_string(), value.to_string()));
                }
            }
        }
        Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get(LOCATION)
                .and_then(|v| v.to_str().ok())
                .map(String::from),
            body: response.text().await.unwrap_or_default(),
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.base)
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let response = self
            .client
            .get(self.url(path))
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .expect("GET");
        self.read(response).await
    }

    /// Posts a urlencoded form, as a browser would.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.post_raw(path, body).await
    }

    pub async fn post_raw(&mut self, path: &str, body: String) -> Page {
        let response = self
            .client
            .post(self.url(path))
            .header(COOKIE, self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST");
        self.read(response).await
    }

    /// Opens a sign-in link and presses its button.
    pub async fn follow_signin_link(&mut self, link: &str) -> Page {
        let page = self.get(link).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let token = form_token(&page.body);
        let path = link.strip_prefix(&self.base).unwrap_or(link).to_string();
        let done = self.post(&path, &[("csrf", &token)]).await;
        if done.status == 303 {
            assert_eq!(done.location.as_deref(), Some("/today"));
        }
        done
    }

    /// The session's form token, read from any signed-in page.
    pub async fn csrf(&mut self) -> String {
        form_token(&self.get("/account").await.body)
    }

    /// Makes a read-only briefing link named `name` through the links form, as a manager or
    /// change lead of `cohort`, and returns its URL, read from the page that shows it once.
    pub async fn briefing_link(&mut self, cohort: i64, name: &str) -> String {
        let links = format!("/c/{cohort}/briefing/links");
        let page = self.get(&links).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let made = self
            .post(&links, &[("csrf", &form_token(&page.body)), ("name", name)])
            .await;
        assert_eq!(made.status, 303, "{}", made.body);
        assert_eq!(made.location.as_deref(), Some(links.as_str()));
        let shown = self.get(&links).await.body;
        regex::Regex::new(
            r#"id="tv-url" type="text" readonly value="([^"]+/briefing/[0-9a-f]{64})""#,
        )
        .expect("a pattern")
        .captures(&shown)
        .unwrap_or_else(|| panic!("no link shown in {shown}"))[1]
            .to_string()
    }

    /// A fresh idempotency key and form token for a day's form.
    pub async fn day_form(&mut self, cohort: i64, day: u32) -> (String, String) {
        let page = self.get(&format!("/c/{cohort}/day/{day}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        (form_token(&page.body), hidden(&page.body, "key"))
    }
}

/// The value of the first hidden input named `name`.
pub fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} field in {html}"))
        + marker.len();
    html[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_string()
}

pub fn form_token(html: &str) -> String {
    hidden(html, "csrf")
}

impl Browser {
    /// The value of a cookie the browser holds.
    pub fn cookie_value(&self, name: &str) -> String {
        self.cookies
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

/// The `.eml` files in `outbox` that are sign-in mails.
pub fn sign_in_mail_in(outbox: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(outbox)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|path| {
                    std::fs::read_to_string(path).is_ok_and(|mail| {
                        mail.contains("\r\nSubject: Your muster sign-in link\r\n")
                    })
                })
                .collect()
        })
        .unwrap_or_default()
}
