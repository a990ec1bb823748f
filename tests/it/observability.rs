//! What an operator reads from a running `muster serve` (the real binary): `/metrics` on
//! `metrics_listen`, checked by `promtool check metrics` and scraped by a real Prometheus, with no
//! personal data in it; and the log on stderr, one JSON object per line with `log_format = "json"`,
//! carrying each request's id (the caller's, when sensible, and returned), route, status, latency
//! and cohort, and never an address, a name, a reflection or a token; and `muster health`, the
//! container's health check.
//!
//! `promtool` and `prometheus` come from Debian's `prometheus` package (`.ci/run` installs it);
//! without them the tests that need them print `skipped: ...`, unless
//! `MUSTER_REQUIRE_SERVICES=1`, when that is a failure.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::TestDb;
use crate::support::process::{RunningCohort, client, submit};

/// A `muster serve` process with metrics on a port of their own and its stderr in a file; killed
/// when dropped.
struct Observed {
    base: String,
    metrics: String,
    dir: tempfile::TempDir,
    child: std::process::Child,
}

impl Drop for Observed {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Observed {
    /// Starts the binary over `db_url` with `log_format` (none: the default), and waits until it
    /// says where it serves the site and the metrics.
    fn start(db_url: &str, log_format: Option<&str>) -> Observed {
        let dir = tempfile::tempdir().expect("a temp dir");
        let stderr = std::fs::File::create(dir.path().join("stderr.log")).expect("a log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_muster"));
        command
            .args(["serve", "--listen", "127.0.0.1:0"])
            .current_dir(dir.path())
            .env("DATABASE_URL", db_url)
            .env("MUSTER_DATA_DIR", dir.path())
            .env("MUSTER_METRICS_LISTEN", "127.0.0.1:0")
            .env(
                "MUSTER_PACKS_DIR",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges"),
            )
            .env_remove("RUST_LOG")
            .env_remove("REDIS_URL")
            .env_remove("MUSTER_CONFIG")
            .env_remove("MUSTER_LISTEN")
            .env_remove("MUSTER_SMTP_URL")
            .env_remove("MUSTER_LOG_FORMAT")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(stderr);
        if let Some(format) = log_format {
            command.env("MUSTER_LOG_FORMAT", format);
        }
        let mut child = command.spawn().expect("run muster serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let (mut base, mut metrics) = (None, None);
        while base.is_none() || metrics.is_none() {
            let Some(Ok(line)) = lines.next() else {
                let log = std::fs::read_to_string(dir.path().join("stderr.log"));
                panic!("muster serve stopped before it served: {log:?}");
            };
            if let Some(address) = line.strip_prefix("muster is serving on ") {
                base = Some(address.to_string());
            } else if let Some(url) = line.strip_prefix("metrics on ") {
                metrics = Some(url.to_string());
            }
        }
        Observed {
            base: base.expect("the site's address"),
            metrics: metrics.expect("the metrics' address"),
            dir,
            child,
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr.log")).expect("the server's log")
    }
}

/// A Debian `prometheus` package program ([`crate::support::installed`]).
fn prometheus_tool(name: &str, test: &str) -> Option<PathBuf> {
    crate::support::installed(
        PathBuf::from("/usr/bin").join(name),
        test,
        "apt-get install prometheus",
    )
}

/// Submits day `cohort.day` for the first `n` participants, each with `reflection`.
async fn submit_some(server: &Observed, cohort: &RunningCohort, n: usize, reflection: &str) {
    let client = client();
    for (i, (_, token)) in cohort.people.iter().take(n).enumerate() {
        let answer = submit(
            &client,
            &server.base,
            cohort.id,
            cohort.day,
            token,
            &format!("observability-{i}"),
            reflection,
        )
        .await;
        assert!(
            matches!(answer, Ok((201, _))),
            "submission {i}: {answer:?}\n{}",
            server.log()
        );
    }
}

async fn metrics_count_the_work_and_pass_promtool(db: &TestDb) {
    let cohort = RunningCohort::seed(db, 4, 2).await;
    let server = Observed::start(&db.url, None);
    let secret_words = "Sergeant Quimby's reflection about the custody suite";
    submit_some(&server, &cohort, 3, secret_words).await;
    let client = client();
    let feed = client
        .get(format!("{}/api/v1/cohorts/{}/feed", server.base, cohort.id))
        .bearer_auth(&cohort.people[0].1)
        .send()
        .await
        .expect("the feed");
    assert_eq!(feed.status(), 200);
    let response = client.get(&server.metrics).send().await.expect("/metrics");
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = response.text().await.unwrap();

    for expected in [
        r#"muster_submissions_total{outcome="stored"} 3"#,
        r#"muster_http_request_duration_seconds_count{method="POST",route="/api/v1/cohorts/{cohort}/days/{day}/submission",status="201"} 3"#,
        r#"muster_http_request_duration_seconds_count{method="GET",route="/api/v1/cohorts/{cohort}/feed",status="200"} 1"#,
        r#"muster_http_request_duration_seconds_bucket{method="POST",route="/api/v1/cohorts/{cohort}/days/{day}/submission",status="201",le="+Inf"} 3"#,
        "muster_submission_batch_size_count ",
        r#"muster_cache_lookups_total{cache="callers",result="hit"}"#,
        r#"muster_db_pool_connections{state="idle"}"#,
        "muster_mail_queue_messages ",
        "muster_mail_queue_oldest_age_seconds ",
        r#"muster_release_runs_total{outcome="ran"}"#,
        r#"muster_build_info{version=""#,
    ] {
        assert!(text.contains(expected), "no {expected:?} in:\n{text}");
    }
    let backend = if db.url.starts_with("sqlite") {
        "sqlite"
    } else {
        "postgres"
    };
    assert!(text.contains(&format!(r#"backend="{backend}""#)), "{text}");
    // Nothing about a person: no address, name, reflection, token or raw path with an id in it.
    for personal in [
        "@",
        "Officer",
        "Quimby",
        cohort.people[0].1.as_str(),
        &format!("/cohorts/{}/", cohort.id),
    ] {
        assert!(
            !text.contains(personal),
            "{personal:?} in /metrics:\n{text}"
        );
    }

    let test = "observability::metrics_count_the_work_and_pass_promtool";
    let Some(promtool) = prometheus_tool("promtool", test) else {
        return;
    };
    let mut check = Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run promtool");
    std::io::Write::write_all(&mut check.stdin.take().unwrap(), text.as_bytes()).unwrap();
    let checked = check.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "promtool check metrics: {}{}\n{text}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}

on_both_backends!(
    metrics_count_the_work_and_pass_promtool,
    metrics_count_the_work_and_pass_promtool
);

/// A free port on loopback, for Prometheus' own listener.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_prometheus_scrapes_the_metrics() {
    let test = "observability::a_real_prometheus_scrapes_the_metrics";
    let Some(prometheus) = prometheus_tool("prometheus", test) else {
        return;
    };
    let db = TestDb::sqlite().await;
    let cohort = RunningCohort::seed(&db, 2, 1).await;
    let server = Observed::start(&db.url, None);
    submit_some(&server, &cohort, 2, "a shift like any other").await;

    let target = server
        .metrics
        .trim_start_matches("http://")
        .trim_end_matches("/metrics")
        .to_string();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: muster\n    static_configs:\n      - targets: ['{target}']\n"
        ),
    )
    .unwrap();
    let port = free_port();
    let mut child = tokio::process::Command::new(prometheus)
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.path().join("data").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("prometheus.log")).unwrap())
        .kill_on_drop(true)
        .spawn()
        .expect("run prometheus");

    // Ask its HTTP API until the scrape has landed: the target up, and muster's series there.
    let client = client();
    let query = |q: &str| {
        client
            .get(format!(
                "http://127.0.0.1:{port}/api/v1/query?query={}",
                url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
            ))
            .send()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let stored = loop {
        if let Ok(answer) =
            query(r#"muster_submissions_total{job="muster",outcome="stored"}"#).await
            && let Ok(body) = answer.text().await
            && let Ok(body) = serde_json::from_str::<serde_json::Value>(&body)
            && let Some(first) = body["data"]["result"].get(0)
        {
            break first["value"][1].as_str().unwrap_or_default().to_string();
        }
        assert!(
            Instant::now() < deadline,
            "Prometheus did not scrape muster within 60 s; its log:\n{}",
            std::fs::read_to_string(dir.path().join("prometheus.log")).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    assert_eq!(
        stored, "2",
        "the two submissions, as Prometheus stored them"
    );
    let up: serde_json::Value = serde_json::from_str(
        &query(r#"up{job="muster"}"#)
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(up["data"]["result"][0]["value"][1], "1", "{up}");
    let _ = child.kill().await;
    db.cleanup().await;
}

/// The sign-in form's CSRF cookie and field, then the form sent for `email`.
async fn ask_for_a_sign_in_link(base: &str, email: &str) -> u16 {
    let client = client();
    let form = client.get(format!("{base}/signin")).send().await.unwrap();
    let cookies: Vec<String> = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok()?.split(';').next().map(str::to_string))
        .collect();
    let html = form.text().await.unwrap();
    let csrf = regex::Regex::new(r#"name="csrf" value="([^"]+)""#)
        .unwrap()
        .captures(&html)
        .map(|c| c[1].to_string())
        .expect("the sign-in form's CSRF field");
    client
        .post(format!("{base}/signin"))
        .header("cookie", cookies.join("; "))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "csrf={}&email={}",
            url::form_urlencoded::byte_serialize(csrf.as_bytes()).collect::<String>(),
            url::form_urlencoded::byte_serialize(email.as_bytes()).collect::<String>()
        ))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_carry_request_ids_routes_and_no_personal_data() {
    let db = TestDb::sqlite().await;
    let cohort = RunningCohort::seed(&db, 2, 1).await;
    let server = Observed::start(&db.url, Some("json"));
    let client = client();

    let kept = client
        .get(format!("{}/healthz", server.base))
        .header("x-request-id", "probe-7f3a.1:x")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "probe-7f3a.1:x");
    let replaced = client
        .get(format!("{}/healthz", server.base))
        .header("x-request-id", "not a good id\",\"status\":500")
        .send()
        .await
        .unwrap();
    let made = replaced.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        made.len() == 16 && made.bytes().all(|b| b.is_ascii_hexdigit()),
        "{made:?}"
    );
    let unnamed = client
        .get(format!("{}/nowhere/officer0@force.police.uk", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(unnamed.status(), 404);
    submit_some(
        &server,
        &cohort,
        1,
        "Sergeant Quimby said the night went well",
    )
    .await;
    let signin = ask_for_a_sign_in_link(&server.base, "officer1@force.police.uk").await;
    assert_eq!(signin, 200, "{}", server.log());

    // Every line written by then is one JSON object.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = server.log();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let access = |id: &str| {
        lines
            .iter()
            .find(|l| l["target"] == "muster::access" && l["request_id"] == id)
            .unwrap_or_else(|| panic!("no request line for {id} in:\n{log}"))
    };
    let probe = access("probe-7f3a.1:x");
    assert_eq!(probe["route"], "/healthz");
    assert_eq!(probe["status"], 200);
    assert_eq!(probe["method"], "GET");
    assert!(
        probe["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0),
        "{probe}"
    );
    assert_eq!(access(&made)["route"], "/healthz");
    let submitted = lines
        .iter()
        .find(|l| l["route"] == "/api/v1/cohorts/{cohort}/days/{day}/submission")
        .unwrap_or_else(|| panic!("no submission line in:\n{log}"));
    assert_eq!(submitted["status"], 201);
    assert_eq!(submitted["cohort"], cohort.id.to_string());
    assert_eq!(submitted["span"]["request_id"], submitted["request_id"]);
    assert!(
        lines
            .iter()
            .any(|l| l["route"] == "unmatched" && l["status"] == 404),
        "{log}"
    );
    for personal in [
        "officer0@force.police.uk",
        "officer1@force.police.uk",
        "Quimby",
        "Officer 0",
        cohort.people[0].1.as_str(),
    ] {
        assert!(!log.contains(personal), "{personal:?} in the log:\n{log}");
    }

    // Plain text by default.
    let plain = Observed::start(&db.url, None);
    client
        .get(format!("{}/healthz", plain.base))
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let text = plain.log();
    let request = text
        .lines()
        .find(|l| l.contains("muster::access"))
        .unwrap_or_else(|| panic!("no request line in:\n{text}"));
    assert!(
        !request.starts_with('{') && request.contains("route=\"/healthz\""),
        "{request}"
    );
    db.cleanup().await;
}

#[test]
fn a_bad_log_format_or_metrics_address_stops_start_up_naming_the_key() {
    for (var, value, says) in [
        (
            "MUSTER_LOG_FORMAT",
            "yaml",
            "`log_format` = \"yaml\" (from environment variable MUSTER_LOG_FORMAT) is not valid: use text or json",
        ),
        (
            "MUSTER_METRICS_LISTEN",
            "localhost",
            "`metrics_listen` = \"localhost\" (from environment variable MUSTER_METRICS_LISTEN) is not valid",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_muster"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("MUSTER_CONFIG")
            .env(var, value)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(says), "{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn muster_health_says_whether_the_server_at_listen_is_up() {
    let db = TestDb::sqlite().await;
    let server = Observed::start(&db.url, None);
    let health = |listen: &str| {
        Command::new(env!("CARGO_BIN_EXE_muster"))
            .arg("health")
            .env_remove("MUSTER_CONFIG")
            .env("MUSTER_LISTEN", listen)
            .output()
            .expect("run muster health")
    };
    let listen = server.base.trim_start_matches("http://");
    let up = health(listen);
    assert!(up.status.success(), "{up:?}");
    // A wildcard address is asked on loopback, as in the container.
    let port = listen.rsplit_once(':').unwrap().1;
    assert!(health(&format!("0.0.0.0:{port}")).status.success());
    let closed = health(&format!("127.0.0.1:{}", free_port()));
    assert_eq!(closed.status.code(), Some(1), "{closed:?}");
    assert!(
        String::from_utf8_lossy(&closed.stderr).contains("/healthz"),
        "{closed:?}"
    );
    db.cleanup().await;
}
