//! What one submission costs the process, counted rather than timed: `N` participants each
//! complete day 1 with a reflection through `app::submission::submit`, one after another, on a
//! SQLite file in this process (the setup, a cohort of 40 teams, is the same whatever `N`).
//!
//! On a shared machine the wall clock lies, so count instructions under callgrind, at two sizes,
//! and divide the difference by the difference in submissions (setup and start-up cancel out):
//!
//! ```text
//! cargo build --release --example submit_cost
//! valgrind --tool=callgrind --callgrind-out-file=small.out target/release/examples/submit_cost 100
//! valgrind --tool=callgrind --callgrind-out-file=large.out target/release/examples/submit_cost 400
//! # instructions per submission = (Ir of large - Ir of small) / 300 (the "Collected" line)
//! callgrind_annotate large.out | head -40     # where they go
//! ```

use chrono::{DateTime, Duration, Utc};
use muster::app::people::{self, Person};
use muster::app::release::release_day;
use muster::app::submission::{self, SubmitOutcome, SubmitRequest};
use muster::clock::Clock;
use muster::domain::{CohortId, Day, Visibility};
use muster::store::Store;

#[path = "../benches/common/cohort.rs"]
mod cohort;
#[path = "../benches/common/services.rs"]
mod services;

/// Enrolled whatever `N`, so that the cohort the submissions land in is the same size.
const PEOPLE: usize = 1_000;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("N, a number of submissions"))
        .unwrap_or(100)
        .min(PEOPLE);
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("cost.db").display());
    let store = Store::connect(&url).await.expect("connect");
    store.migrate().await.expect("migrate");
    // Day 1 is released at 06:00 on 2027-01-04; people submit during the morning.
    let now: DateTime<Utc> = "2027-01-04T07:00:00Z".parse().expect("instant");
    let clock = Clock::manual(now - Duration::days(30));
    let services = services::services(&store, &clock, dir.path().join("outbox"));
    let id = cohort::create(&services, now - Duration::days(30)).await;
    clock.set(now);
    cohort::enrol(&services, id, PEOPLE).await;
    let cohort = muster::app::cohort::get(&services, id)
        .await
        .expect("cohort");
    release_day(&services, &cohort, Day::FIRST, now)
        .await
        .expect("release")
        .expect("released");

    for i in 0..n {
        let row =
            muster::store::people::by_email(store.pool(), &format!("officer{i}@force.police.uk"))
                .await
                .expect("read")
                .expect("enrolled");
        let person = Person::from(row);
        clock.set(now + Duration::seconds(i as i64));
        let access = people::access(&services, &person, CohortId(id))
            .await
            .expect("access");
        let request = SubmitRequest {
            day: Day::FIRST,
            reflection: "Checked the sender's address before opening the attachment.".into(),
            checkin: Some(4),
            visibility: Some(Visibility::Cohort),
            idempotency_key: format!("cost-{i}"),
            remove_flagged: false,
            version: None,
        };
        let outcome = submission::submit(&services, &person, &access, &request)
            .await
            .expect("submit");
        assert!(matches!(outcome, SubmitOutcome::Stored(_)), "{outcome:?}");
    }
    println!("{n} submissions");
    store.close().await;
}
