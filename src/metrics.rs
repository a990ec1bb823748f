//! Prometheus metrics: what this process counts as it works (requests, submissions, board
//! repairs, release runs, mail) and the values read when it is scraped (the caches, the
//! database pool, the outbox), rendered in Prometheus' text format by
//! `metrics-exporter-prometheus` (whose output `promtool check metrics` accepts; prometheus-client's
//! OpenMetrics counters it does not).
//!
//! The recorder is this process's own, held in the services, not the `metrics` crate's global one:
//! each server a test starts counts apart. Labels are routes (the matched template, never the
//! path), methods, statuses and outcomes: never anything about a person.

use std::time::Duration;

use axum::http::Method;
use metrics::{Key, Label, Metadata, Recorder, Unit};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

/// Request latency buckets, in seconds: a board read takes about a millisecond, a page a few.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];
/// Submissions per batch: at most 32 ([`crate::app::submit_queue`]).
const BATCH_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0];

const HTTP_REQUESTS: &str = "muster_http_request_duration_seconds";
const SUBMISSIONS: &str = "muster_submissions_total";
const BATCH_SIZE: &str = "muster_submission_batch_size";
const BOARD_REPAIRS: &str = "muster_board_repairs_total";
const RELEASE_RUNS: &str = "muster_release_runs_total";
const DAYS_RELEASED: &str = "muster_releases_total";
const MAIL: &str = "muster_mail_total";
const MAIL_WAITING: &str = "muster_mail_queue_messages";
const MAIL_OLDEST: &str = "muster_mail_queue_oldest_age_seconds";
const CACHE: &str = "muster_cache_lookups_total";
const DB_CONNECTIONS: &str = "muster_db_pool_connections";
const DB_MAX: &str = "muster_db_pool_max_connections";
const BUILD_INFO: &str = "muster_build_info";

/// Every metric's name, unit and help, described once so each gets its `# HELP`.
const DESCRIBED: &[(Kind, &str, Option<Unit>, &str)] = &[
    (
        Kind::Histogram,
        HTTP_REQUESTS,
        Some(Unit::Seconds),
        "HTTP requests by method, route (the matched template) and status, with their latency.",
    ),
    (
        Kind::Counter,
        SUBMISSIONS,
        None,
        "Submissions written by outcome: stored, not_stored (refused by a rule, or a repeat), failed.",
    ),
    (
        Kind::Histogram,
        BATCH_SIZE,
        Some(Unit::Count),
        "Submissions per batch written in one transaction.",
    ),
    (
        Kind::Counter,
        BOARD_REPAIRS,
        None,
        "Boards rebuilt from the ledger, by why: drift (they differed and stayed different) or missed_change (marked behind, e.g. Redis away).",
    ),
    (
        Kind::Counter,
        RELEASE_RUNS,
        None,
        "Passes of the release job, by outcome: ran (this process held the lease), not_holder, failed.",
    ),
    (
        Kind::Counter,
        DAYS_RELEASED,
        None,
        "Challenge days released to their cohorts by this process.",
    ),
    (
        Kind::Counter,
        MAIL,
        None,
        "Messages the outbox sender handled, by outcome: sent, failed (given up for good), retry (refused for now), relay_away.",
    ),
    (
        Kind::Gauge,
        MAIL_WAITING,
        Some(Unit::Count),
        "Messages in the outbox neither sent nor given up (read when scraped).",
    ),
    (
        Kind::Gauge,
        MAIL_OLDEST,
        Some(Unit::Seconds),
        "Age of the oldest message in the outbox neither sent nor given up; 0 when none (read when scraped).",
    ),
    (
        Kind::Counter,
        CACHE,
        None,
        "Lookups in what the process keeps in memory, by cache and result (hit or miss).",
    ),
    (
        Kind::Gauge,
        DB_CONNECTIONS,
        Some(Unit::Count),
        "Database pool connections by state: in_use or idle (read when scraped).",
    ),
    (
        Kind::Gauge,
        DB_MAX,
        Some(Unit::Count),
        "The database pool's largest size.",
    ),
    (
        Kind::Gauge,
        BUILD_INFO,
        None,
        "Always 1: the version, the database backend and where the boards are kept.",
    ),
];

#[derive(Clone, Copy)]
enum Kind {
    Counter,
    Gauge,
    Histogram,
}

/// The process's metrics. One per [`crate::app::Services`]; cheap to share behind an `Arc`.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// What is read afresh at each scrape, for [`Metrics::render`].
#[derive(Debug, Clone, Default)]
pub struct Sampled {
    /// (cache, hits, misses) for each cache the process keeps.
    pub caches: Vec<(String, u64, u64)>,
    pub db_in_use: u32,
    pub db_idle: u32,
    pub db_max: u32,
    pub mail_waiting: u64,
    pub mail_oldest: Duration,
    /// `sqlite` or `postgres`.
    pub backend: &'static str,
    /// `Redis` or `in-process` ([`crate::board::Board::describe`]).
    pub boards: &'static str,
}

fn metadata() -> Metadata<'static> {
    Metadata::new(module_path!(), metrics::Level::INFO, Some(module_path!()))
}

impl Metrics {
    pub fn new() -> Metrics {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(HTTP_REQUESTS.into()), LATENCY_BUCKETS)
            .and_then(|b| b.set_buckets_for_metric(Matcher::Full(BATCH_SIZE.into()), BATCH_BUCKETS))
            .expect("the bucket lists are not empty")
            .build_recorder();
        for &(kind, name, unit, help) in DESCRIBED {
            let name = metrics::KeyName::from_const_str(name);
            match kind {
                Kind::Counter => recorder.describe_counter(name, unit, help.into()),
                Kind::Gauge => recorder.describe_gauge(name, unit, help.into()),
                Kind::Histogram => recorder.describe_histogram(name, unit, help.into()),
            }
        }
        let handle = recorder.handle();
        Metrics { recorder, handle }
    }

    fn counter(&self, name: &'static str, labels: Vec<Label>) -> metrics::Counter {
        self.recorder
            .register_counter(&Key::from_parts(name, labels), &metadata())
    }

    fn gauge(&self, name: &'static str, labels: Vec<Label>) -> metrics::Gauge {
        self.recorder
            .register_gauge(&Key::from_parts(name, labels), &metadata())
    }

    fn histogram(&self, name: &'static str, labels: Vec<Label>) -> metrics::Histogram {
        self.recorder
            .register_histogram(&Key::from_parts(name, labels), &metadata())
    }

    /// One HTTP request answered: `route` is the matched route's template (`/c/{cohort}/feed`),
    /// `None` when no route matched (counted as `unmatched`, so a scan of random paths adds no
    /// series).
    pub fn request(&self, method: &Method, route: Option<&str>, status: u16, took: Duration) {
        let route: metrics::SharedString =
            route.map_or("unmatched".into(), |r| r.to_owned().into());
        self.histogram(
            HTTP_REQUESTS,
            vec![
                Label::from_static_parts("method", method_label(method)),
                Label::new("route", route),
                Label::new("status", status.to_string()),
            ],
        )
        .record(took.as_secs_f64());
    }

    /// A batch of submissions written: its size, and how many had each outcome.
    pub fn batch(&self, size: usize, outcomes: &[(&'static str, u64)]) {
        self.histogram(BATCH_SIZE, Vec::new()).record(size as f64);
        for &(outcome, n) in outcomes.iter().filter(|(_, n)| *n > 0) {
            self.counter(
                SUBMISSIONS,
                vec![Label::from_static_parts("outcome", outcome)],
            )
            .increment(n);
        }
    }

    /// A cohort's boards rebuilt from the ledger: `drift` when they differed without being
    /// known to have missed a change.
    pub fn board_repaired(&self, drift: bool) {
        let why = if drift { "drift" } else { "missed_change" };
        self.counter(BOARD_REPAIRS, vec![Label::from_static_parts("reason", why)])
            .increment(1);
    }

    /// A pass of the release job: `released` is how many days it released, `None` when another
    /// process held the lease, `Err` when it failed.
    pub fn release_run(&self, released: Result<Option<usize>, ()>) {
        let outcome = match released {
            Ok(Some(days)) => {
                self.counter(DAYS_RELEASED, Vec::new())
                    .increment(days as u64);
                "ran"
            }
            Ok(None) => "not_holder",
            Err(()) => "failed",
        };
        self.counter(
            RELEASE_RUNS,
            vec![Label::from_static_parts("outcome", outcome)],
        )
        .increment(1);
    }

    /// What became of one message the outbox sender claimed (`sent`, `failed`, `retry`,
    /// `relay_away`).
    pub fn mail(&self, outcome: &'static str) {
        self.counter(MAIL, vec![Label::from_static_parts("outcome", outcome)])
            .increment(1);
    }

    /// Folds histogram samples into their buckets. Rendering does it too; between scrapes (or
    /// with none) a job calls this every few seconds so samples do not pile up.
    pub fn upkeep(&self) {
        self.handle.run_upkeep();
    }

    /// The text Prometheus scrapes, with the values read at this scrape.
    pub fn render(&self, sampled: &Sampled) -> String {
        for (cache, hits, misses) in &sampled.caches {
            for (result, n) in [("hit", *hits), ("miss", *misses)] {
                self.counter(
                    CACHE,
                    vec![
                        Label::new("cache", cache.clone()),
                        Label::from_static_parts("result", result),
                    ],
                )
                .absolute(n);
            }
        }
        for (state, n) in [("in_use", sampled.db_in_use), ("idle", sampled.db_idle)] {
            self.gauge(
                DB_CONNECTIONS,
                vec![Label::from_static_parts("state", state)],
            )
            .set(n);
        }
        self.gauge(DB_MAX, Vec::new()).set(sampled.db_max);
        self.gauge(MAIL_WAITING, Vec::new())
            .set(sampled.mail_waiting as f64);
        self.gauge(MAIL_OLDEST, Vec::new())
            .set(sampled.mail_oldest.as_secs_f64());
        self.gauge(
            BUILD_INFO,
            vec![
                Label::from_static_parts("version", env!("CARGO_PKG_VERSION")),
                Label::from_static_parts("backend", sampled.backend),
                Label::from_static_parts("boards", sampled.boards),
            ],
        )
        .set(1.0);
        self.handle.render()
    }
}

/// The method as a label: the standard ones by name, anything else as `other` (a client's
/// invented methods add no series).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_counted_by_route_template_method_and_status() {
        let metrics = Metrics::new();
        let took = Duration::from_millis(3);
        metrics.request(&Method::GET, Some("/c/{cohort}/feed"), 200, took);
        metrics.request(&Method::GET, Some("/c/{cohort}/feed"), 200, took);
        metrics.request(&Method::from_bytes(b"BREW").unwrap(), None, 404, took);
        let text = metrics.render(&Sampled::default());
        assert!(
            text.contains(r#"muster_http_request_duration_seconds_count{method="GET",route="/c/{cohort}/feed",status="200"} 2"#),
            "{text}"
        );
        assert!(
            text.contains(r#"muster_http_request_duration_seconds_count{method="other",route="unmatched",status="404"} 1"#),
            "{text}"
        );
        assert!(text.contains("# HELP muster_http_request_duration_seconds HTTP requests"));
    }
}
