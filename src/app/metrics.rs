//! What Prometheus reads at `/metrics`: the counts this process kept ([`crate::metrics`]) and the
//! values read at each scrape: the caches' hits and misses ([`super::kept`]), the database pool,
//! and the outbox's queue (how many messages wait, how old the oldest is). Nothing about a person.

use std::time::Duration;

use super::{AppError, Services};
use crate::metrics::Sampled;
use crate::store::{Backend, millis, outbox};

/// The metrics' text, read now.
pub async fn render(services: &Services) -> Result<String, AppError> {
    let (waiting, oldest) = outbox::queue(services.store.pool()).await?;
    let now = millis(services.clock.now());
    let (db_in_use, db_idle, db_max) = services.store.connections();
    let sampled = Sampled {
        caches: caches(&services.kept.snapshot()),
        db_in_use,
        db_idle,
        db_max,
        mail_waiting: u64::try_from(waiting).unwrap_or(0),
        mail_oldest: Duration::from_millis(
            oldest.map_or(0, |queued| u64::try_from(now - queued).unwrap_or(0)),
        ),
        backend: match services.store.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        },
        boards: services.board.describe(),
    };
    Ok(services.metrics.render(&sampled))
}

/// Each cache's (name, hits, misses), named as [`super::kept::Snapshot`]'s fields are, so a
/// cache added there is measured without a change here.
fn caches(snapshot: &super::kept::Snapshot) -> Vec<(String, u64, u64)> {
    let serde_json::Value::Object(fields) = serde_json::json!(snapshot) else {
        return Vec::new();
    };
    fields
        .into_iter()
        .filter_map(|(cache, counts)| {
            Some((
                cache,
                counts.get("hits")?.as_u64()?,
                counts.get("misses")?.as_u64()?,
            ))
        })
        .collect()
}
