//! Live updates: "something changed in cohort N", fanned out to every open briefing screen.
//!
//! In one process a broadcast channel is enough. With Redis, each change is also published on a
//! Redis channel and every `muster serve` process subscribes to it, so a submission made through
//! one server moves the briefing screens connected to another within a second. Subscribers only
//! learn *that* a cohort changed; they re-read what they show, so a lost message costs at most a
//! stale screen until the next change (and the page reloads itself on reconnect).

use tokio::sync::broadcast;

/// The fan-out. Cheap to clone.
#[derive(Clone)]
pub struct Live {
    local: broadcast::Sender<i64>,
    redis: Option<Publisher>,
}

/// Where changes go in Redis: a connection and the channel, `<prefix>:live`. Pub/sub ignores
/// Redis database numbers, so the channel carries the same key prefix as the boards: two
/// deployments (or tests) sharing one Redis never wake each other's screens.
#[derive(Clone)]
struct Publisher {
    connection: redis::aio::ConnectionManager,
    channel: String,
}

impl Live {
    /// Fan-out inside this process only.
    pub fn local() -> Live {
        let (local, _) = broadcast::channel(1024);
        Live { local, redis: None }
    }

    /// Fan-out through Redis pub/sub: publishes there, and forwards what any process publishes to
    /// this process's subscribers (reconnecting by itself if Redis goes away). `prefix` is the
    /// deployment's key prefix, as for the boards.
    pub async fn redis(url: &str, prefix: &str) -> Result<Live, redis::RedisError> {
        let client = redis::Client::open(url)?;
        let connection = redis::aio::ConnectionManager::new(client.clone()).await?;
        let channel = format!("{prefix}:live");
        let (local, _) = broadcast::channel(1024);
        let forward = local.clone();
        let listened = channel.clone();
        tokio::spawn(async move {
            loop {
                if let Err(e) = subscribe(&client, &listened, &forward).await {
                    tracing::warn!(error = %e, "live updates from Redis interrupted; reconnecting");
                }
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        });
        Ok(Live {
            local,
            redis: Some(Publisher {
                connection,
                channel,
            }),
        })
    }

    /// Says that a cohort changed. Never fails the caller: live updates are a courtesy.
    pub async fn changed(&self, cohort_id: i64) {
        match &self.redis {
            Some(publisher) => {
                let mut connection = publisher.connection.clone();
                let sent: Result<i64, _> = redis::cmd("PUBLISH")
                    .arg(&publisher.channel)
                    .arg(cohort_id)
                    .query_async(&mut connection)
                    .await;
                if let Err(e) = sent {
                    tracing::warn!(error = %e, "cannot publish a live update; telling this process only");
                    let _ = self.local.send(cohort_id);
                }
            }
            None => {
                let _ = self.local.send(cohort_id);
            }
        }
    }

    /// A stream of changed cohort ids.
    pub fn subscribe(&self) -> broadcast::Receiver<i64> {
        self.local.subscribe()
    }
}

async fn subscribe(
    client: &redis::Client,
    channel: &str,
    forward: &broadcast::Sender<i64>,
) -> Result<(), redis::RedisError> {
    use tokio_stream::StreamExt;
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub.subscribe(channel).await?;
    let mut messages = pubsub.on_message();
    while let Some(message) = messages.next().await {
        if let Ok(cohort) = message.get_payload::<i64>() {
            let _ = forward.send(cohort);
        }
    }
    Ok(())
}
