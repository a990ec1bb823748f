//! Reads shared by requests that arrive together, without ever answering from the past.
//!
//! Two hundred people opening the leaderboard at once need the same top ten; reading it from
//! Redis and SQL two hundred times is wasted work. A [`Coalesced`] read runs one fetch per key at
//! a time: a request that arrives while a fetch is running waits, then takes the next fetch, which
//! starts after it arrived. So every answer was read after its request arrived (whatever was
//! committed before then is in it, as if it had read alone), and under load one fetch serves
//! every request that arrived during the one before.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What the last fetches of a key did.
struct Fetched<V> {
    /// The newest value, and when its fetch started.
    newest: Option<(Instant, Arc<V>)>,
    /// When the newest failed fetch started.
    failed: Option<Instant>,
}

impl<V> Default for Fetched<V> {
    fn default() -> Self {
        Fetched {
            newest: None,
            failed: None,
        }
    }
}

type Slot<V> = Arc<tokio::sync::Mutex<Fetched<V>>>;

pub struct Coalesced<V> {
    slots: Mutex<HashMap<i64, Slot<V>>>,
}

impl<V> Default for Coalesced<V> {
    fn default() -> Self {
        Coalesced {
            slots: Mutex::new(HashMap::new()),
        }
    }
}

impl<V> Coalesced<V> {
    /// The value of `key` as read by a fetch that started no earlier than this call. Runs `fetch`
    /// unless another caller's fetch started after this call did. When such a fetch failed, this
    /// call fails too, with `failed()`, rather than try again: behind a service that hangs, the
    /// callers waiting in line would otherwise each wait out its timeout in turn.
    pub async fn get<E, Fut>(
        &self,
        key: i64,
        fetch: impl FnOnce() -> Fut,
        failed: impl FnOnce() -> E,
    ) -> Result<Arc<V>, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        let arrived = Instant::now();
        let slot = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            slots.entry(key).or_default().clone()
        };
        // Tokio's mutex is fair: waiters are served in arrival order.
        let mut fetched = slot.lock().await;
        if let Some((started, value)) = fetched.newest.as_ref()
            && *started >= arrived
        {
            return Ok(value.clone());
        }
        if fetched.failed.is_some_and(|started| started >= arrived) {
            return Err(failed());
        }
        let started = Instant::now();
        match fetch().await {
            Ok(value) => {
                let value = Arc::new(value);
                fetched.newest = Some((started, value.clone()));
                Ok(value)
            }
            Err(e) => {
                fetched.failed = Some(started);
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_request_alone_always_fetches() {
        let reads = Coalesced::default();
        let fetches = AtomicU32::new(0);
        for expected in 1..=3 {
            let value = reads
                .get(
                    7,
                    || async { Ok::<_, ()>(fetches.fetch_add(1, Ordering::SeqCst) + 1) },
                    || (),
                )
                .await
                .unwrap();
            assert_eq!(
                *value, expected,
                "a later request never gets an older value"
            );
        }
    }

    // On tokio's paused clock, like the next test: the sleeps order the requests exactly.
    #[tokio::test(start_paused = true)]
    async fn requests_arriving_during_a_fetch_share_the_next_one() {
        let reads = Arc::new(Coalesced::default());
        let fetches = Arc::new(AtomicU32::new(0));
        let fetch = |fetches: Arc<AtomicU32>| async move {
            let n = fetches.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok::<_, ()>(n)
        };
        let first = {
            let (reads, fetches) = (reads.clone(), fetches.clone());
            tokio::spawn(async move { *reads.get(1, || fetch(fetches), || ()).await.unwrap() })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        // Twenty requests arrive while the first fetch runs: none may take its value (it started
        // before they arrived), and one more fetch serves them all.
        let waiting: Vec<_> = (0..20)
            .map(|_| {
                let (reads, fetches) = (reads.clone(), fetches.clone());
                tokio::spawn(async move { *reads.get(1, || fetch(fetches), || ()).await.unwrap() })
            })
            .collect();
        assert_eq!(first.await.unwrap(), 1);
        for request in waiting {
            assert_eq!(request.await.unwrap(), 2);
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
        // Another key is fetched on its own.
        assert_eq!(
            *reads
                .get(2, || fetch(fetches.clone()), || ())
                .await
                .unwrap(),
            3
        );
    }

    #[tokio::test]
    async fn a_failed_fetch_is_not_kept() {
        let reads = Coalesced::<u32>::default();
        assert_eq!(
            reads.get(1, || async { Err("down") }, || "shared").await,
            Err("down")
        );
        assert_eq!(
            *reads
                .get(1, || async { Ok::<_, &str>(5) }, || "shared")
                .await
                .unwrap(),
            5,
            "a later request fetches again"
        );
    }

    // On tokio's paused clock the sleeps below order the requests exactly, however loaded the
    // machine: on the wall clock a slow spawn once let the first fetch end before the others came.
    #[tokio::test(start_paused = true)]
    async fn requests_waiting_for_a_fetch_that_fails_fail_with_it() {
        let reads = Arc::new(Coalesced::<u32>::default());
        let fetches = Arc::new(AtomicU32::new(0));
        // A service that hangs: every fetch fails after 50 ms.
        let fetch = |fetches: Arc<AtomicU32>| async move {
            fetches.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            Err::<u32, _>("timed out")
        };
        let first = {
            let (reads, fetches) = (reads.clone(), fetches.clone());
            tokio::spawn(async move { reads.get(1, || fetch(fetches), || "shared").await })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        let waiting: Vec<_> = (0..20)
            .map(|_| {
                let (reads, fetches) = (reads.clone(), fetches.clone());
                tokio::spawn(async move { reads.get(1, || fetch(fetches), || "shared").await })
            })
            .collect();
        assert_eq!(first.await.unwrap(), Err("timed out"));
        let mut answers = Vec::new();
        for request in waiting {
            answers.push(request.await.unwrap());
        }
        // One of them fetched again (the first fetch started before they arrived); the others
        // share its failure instead of each waiting 50 ms in turn.
        assert_eq!(
            answers.iter().filter(|a| **a == Err("timed out")).count(),
            1
        );
        assert_eq!(answers.iter().filter(|a| **a == Err("shared")).count(), 19);
        assert_eq!(fetches.load(Ordering::SeqCst), 2);
    }
}
