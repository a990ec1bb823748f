//! A real `muster serve` process on a free port of 127.0.0.1, started and waited for until
//! `/readyz` answers 200. Shared by `benches/http.rs`, `examples/loadgen.rs` and the reliability
//! tests (`tests/it/support/process.rs`), which include it by path; each says what to do when it
//! cannot start (panic, or an error for the load generator to report).

#![allow(dead_code)] // each includer uses its own part

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// How long a server may take to answer `/readyz` with 200.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// A running `muster serve`, killed (SIGKILL) when dropped. Its working and data directory holds
/// `server.log` (stderr, `RUST_LOG=warn`).
pub struct ServerProcess {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub pid: u32,
    child: tokio::process::Child,
    dir: tempfile::TempDir,
}

/// Why a server did not start.
#[derive(Debug)]
pub struct StartError(pub String);

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartError {}

enum Failure {
    /// Someone else bound the port between our look and the server's bind; the log says so.
    PortTaken(String),
    Fatal(String),
}

impl ServerProcess {
    /// Starts `binary serve` over `db_url`, with its boards in Redis when `redis` gives
    /// `(url, key prefix)` and in the process otherwise, and waits until it is ready. A taken
    /// port is retried (three tries); an exit or no readiness in 60 s is an error with the log.
    pub async fn start(
        binary: &Path,
        db_url: &str,
        redis: Option<(&str, &str)>,
    ) -> Result<ServerProcess, StartError> {
        let mut why = String::new();
        for _ in 0..3 {
            match Self::try_start(binary, db_url, redis).await {
                Ok(server) => return Ok(server),
                Err(Failure::PortTaken(log)) => why = log,
                Err(Failure::Fatal(message)) => return Err(StartError(message)),
            }
        }
        Err(StartError(format!(
            "muster serve could not listen on a free port in three tries; last log:\n{why}"
        )))
    }

    async fn try_start(
        binary: &Path,
        db_url: &str,
        redis: Option<(&str, &str)>,
    ) -> Result<Self, Failure> {
        let fatal = |what: &str, e: std::io::Error| Failure::Fatal(format!("{what}: {e}"));
        let dir = tempfile::tempdir().map_err(|e| fatal("a temp dir for the server", e))?;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| fatal("a free port", e))?
            .port();
        let listen = format!("127.0.0.1:{port}");
        let base = format!("http://{listen}");
        let log_path = dir.path().join("server.log");
        let log = std::fs::File::create(&log_path).map_err(|e| fatal("the server log", e))?;
        let mut command = tokio::process::Command::new(binary);
        command
            .args(["serve", "--listen", &listen])
            .current_dir(dir.path())
            .env("DATABASE_URL", db_url)
            .env("MUSTER_DATA_DIR", dir.path())
            .env(
                "MUSTER_PACKS_DIR",
                Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges"),
            )
            .env("MUSTER_BASE_URL", &base)
            .env("RUST_LOG", "warn")
            .env_remove("MUSTER_CONFIG")
            .env_remove("MUSTER_LISTEN")
            .env_remove("MUSTER_SMTP_URL")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .kill_on_drop(true);
        match redis {
            Some((url, prefix)) => command
                .env("REDIS_URL", url)
                .env("MUSTER_REDIS_PREFIX", prefix),
            None => command
                .env_remove("REDIS_URL")
                .env_remove("MUSTER_REDIS_PREFIX"),
        };
        let mut child = command
            .spawn()
            .map_err(|e| fatal(&format!("cannot run {}", binary.display()), e))?;
        let pid = child.id().unwrap_or(0);
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .map_err(|e| Failure::Fatal(format!("an HTTP client: {e}")))?;
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if let Some(status) = child
                .try_wait()
                .map_err(|e| fatal("the server's status", e))?
            {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                return Err(if log.contains("cannot listen on") {
                    Failure::PortTaken(log)
                } else {
                    Failure::Fatal(format!(
                        "muster serve exited before it was ready ({status}); its log:\n{log}"
                    ))
                });
            }
            if let Ok(response) = client.get(format!("{base}/readyz")).send().await
                && response.status().as_u16() == 200
            {
                return Ok(ServerProcess {
                    base,
                    pid,
                    child,
                    dir,
                });
            }
            if Instant::now() >= deadline {
                let _ = child.kill().await;
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                return Err(Failure::Fatal(format!(
                    "muster serve on {base} was not ready within {} s; its log:\n{log}",
                    READY_TIMEOUT.as_secs()
                )));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The server's working and data directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// SIGKILL (no graceful shutdown, nothing flushed), and waits until the process is gone.
    pub async fn kill(&mut self) -> std::io::Result<()> {
        // On Unix, tokio's `Child::kill` sends SIGKILL and then reaps the process.
        self.child.kill().await
    }

    /// What the server wrote to stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log"))
            .unwrap_or_else(|e| format!("(no server log: {e})"))
    }

    /// The log's distinct messages (without timestamps, so repeats show once), at most `n`,
    /// leaving out lines that contain any of `skip`: a summary to print.
    pub fn distinct_messages(&self, n: usize, skip: &[&str]) -> Vec<String> {
        let mut shown: Vec<String> = Vec::new();
        for line in self.log().lines() {
            if skip.iter().any(|s| line.contains(s)) {
                continue;
            }
            let message = line.split_once(' ').map_or(line, |(_, m)| m).to_string();
            if shown.len() < n && !shown.contains(&message) {
                shown.push(message);
            }
        }
        shown
    }
}
