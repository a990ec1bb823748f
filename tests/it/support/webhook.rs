//! A local HTTP server standing in for a team channel's incoming webhook: it records every request
//! it receives (path and JSON body) and answers each path with the statuses it was given, in
//! order, then 200.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Path, State};
use axum::http::StatusCode;

/// A request the hook received.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub body: serde_json::Value,
}

#[derive(Default)]
struct Log {
    received: Vec<Received>,
    /// Per path, the statuses still to answer before 200.
    script: HashMap<String, Vec<u16>>,
}

/// The running hook; stops when dropped.
pub struct Hook {
    pub base: String,
    log: Arc<Mutex<Log>>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Hook {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Hook {
    /// Starts on a free port of 127.0.0.1; `script` gives, per path, the statuses answered
    /// before 200 (e.g. `("/gone", vec![404; 20])`).
    pub async fn start(script: &[(&str, Vec<u16>)]) -> Hook {
        let log = Arc::new(Mutex::new(Log {
            received: Vec::new(),
            script: script
                .iter()
                .map(|(path, statuses)| (path.to_string(), statuses.clone()))
                .collect(),
        }));
        let app = axum::Router::new()
            .route("/{*path}", axum::routing::post(receive))
            .with_state(log.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Hook { base, log, server }
    }

    /// Everything received so far, oldest first.
    pub fn received(&self) -> Vec<Received> {
        self.log.lock().expect("the hook's log").received.clone()
    }

    /// Waits (up to 10 s) until `n` requests have arrived; returns them.
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} posts arrived: {got:?}",
                got.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

async fn receive(
    State(log): State<Arc<Mutex<Log>>>,
    Path(path): Path<String>,
    body: String,
) -> StatusCode {
    let path = format!("/{path}");
    let mut log = log.lock().expect("the hook's log");
    log.received.push(Received {
        path: path.clone(),
        body: serde_json::from_str(&body).unwrap_or(serde_json::Value::String(body)),
    });
    let status = match log.script.get_mut(&path) {
        Some(statuses) if !statuses.is_empty() => statuses.remove(0),
        _ => 200,
    };
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
