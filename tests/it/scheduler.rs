//! The release scheduler against a real database, on SQLite and PostgreSQL, with an injected clock:
//! release times across DST, catch-up after downtime, racing schedulers, restarts, pack pinning.

use std::path::{Path, PathBuf};

use crate::support::{TestDb, people_csv, services_over, utc};
use chrono::Duration;
use muster::app::Services;
use muster::app::cohort::{self, CohortRequest, PackChange};
use muster::app::enrol::enrol_csv;
use muster::app::jobs::Lease;
use muster::app::jobs::anonymous::AnonymousBatches;
use muster::app::jobs::release::Release;
use muster::app::release::release_due;
use muster::clock::Clock;
use muster::store::{Store, instant, releases};

fn packs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges")
}

fn request(start: &str, tz: &str, cron: &str) -> CohortRequest {
    CohortRequest {
        pack: "wellbeing-on-shift".into(),
        name: format!("Cohort from {start} in {tz}"),
        start: start.parse().unwrap(),
        time_zone: tz.into(),
        release_cron: cron.into(),
        grace: Duration::hours(6),
        anonymity_k: muster::app::cohort::DEFAULT_ANONYMITY_K,
        reminders: Default::default(),
    }
}

async fn create(services: &Services, start: &str, tz: &str, cron: &str, people: usize) -> i64 {
    let id = cohort::create(
        &services.at(utc("2026-11-01T00:00:00Z")),
        &packs_dir(),
        &request(start, tz, cron),
    )
    .await
    .unwrap();
    enrol_csv(
        &services.at(utc("2026-11-01T00:00:00Z")),
        id,
        &people_csv(people, 2),
    )
    .await
    .unwrap();
    id
}

/// (day, scheduled instant) of every release of a cohort, in day order.
async fn released(store: &Store, cohort: i64) -> Vec<(i64, String)> {
    releases::list(store.pool(), cohort)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (i64::from(r.day), instant(r.scheduled_for).to_rfc3339()))
        .collect()
}

async fn london_dst(db: &TestDb) {
    let services = db.services(Clock::System);
    let id = create(&services, "2027-03-26", "Europe/London", "0 6 * * *", 3).await;
    release_due(&services, utc("2027-03-26T05:59:59Z"))
        .await
        .unwrap();
    assert!(
        released(&db.store, id).await.is_empty(),
        "nothing before 06:00 local on day 1"
    );
    // Clocks go forward on 28 March: 06:00 BST is 05:00 UTC.
    release_due(&services, utc("2027-03-28T05:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        released(&db.store, id).await,
        vec![
            (1, "2027-03-26T06:00:00+00:00".to_string()),
            (2, "2027-03-27T06:00:00+00:00".to_string()),
            (3, "2027-03-28T05:00:00+00:00".to_string()),
        ]
    );
    release_due(&services, utc("2027-03-29T04:59:59Z"))
        .await
        .unwrap();
    assert_eq!(
        released(&db.store, id).await.len(),
        3,
        "06:00 BST on the 29th is 05:00 UTC, not yet"
    );
}
on_both_backends!(
    releases_at_six_local_across_the_london_spring_change,
    london_dst
);

async fn london_autumn_and_ambiguous_time(db: &TestDb) {
    let services = db.services(Clock::System);
    // 01:30 happens twice on 31 October 2027: the cohort gets one release, at the first.
    let id = create(&services, "2027-10-30", "Europe/London", "30 1 * * *", 2).await;
    release_due(&services, utc("2027-10-31T03:00:00Z"))
        .await
        .unwrap();
    assert_eq!(
        released(&db.store, id).await,
        vec![
            (1, "2027-10-30T00:30:00+00:00".to_string()),
            (2, "2027-10-31T00:30:00+00:00".to_string())
        ]
    );
}
on_both_backends!(
    an_ambiguous_local_time_releases_once,
    london_autumn_and_ambiguous_time
);

async fn sydney(db: &TestDb) {
    let services = db.services(Clock::System);
    // Sydney's clocks go forward on 3 October 2027: 06:00 AEST is 20:00 UTC, 06:00 AEDT 19:00 UTC.
    let id = create(&services, "2027-10-02", "Australia/Sydney", "0 6 * * *", 2).await;
    release_due(&services, utc("2027-10-03T18:59:59Z"))
        .await
        .unwrap();
    assert_eq!(
        released(&db.store, id).await,
        vec![
            (1, "2027-10-01T20:00:00+00:00".to_string()),
            (2, "2027-10-02T19:00:00+00:00".to_string())
        ]
    );
}
on_both_backends!(
    releases_at_six_local_across_a_southern_hemisphere_change,
    sydney
);

async fn catch_up(db: &TestDb) {
    let services = db.services(Clock::System);
    let id = create(&services, "2027-01-04", "Europe/London", "0 6 * * *", 4).await;
    let clock = Clock::manual(utc("2027-01-04T06:00:30Z"));
    let scheduler = Release::new(Lease::new(db.store.clone(), "a".into()));
    assert_eq!(
        scheduler
            .tick(&services, clock.now())
            .await
            .unwrap()
            .unwrap()
            .len(),
        1
    );
    // Down for almost a week: the next pass releases every missed day at once, in order.
    clock.set(utc("2027-01-10T09:00:00Z"));
    let caught_up: Vec<u32> = scheduler
        .tick(&services, clock.now())
        .await
        .unwrap()
        .unwrap()
        .iter()
        .map(|r| r.day.get())
        .collect();
    assert_eq!(caught_up, vec![2, 3, 4, 5, 6, 7]);
    let rows = releases::list(db.store.pool(), id).await.unwrap();
    assert!(
        rows.windows(2).all(|w| w[0].id < w[1].id),
        "released in day order"
    );
    assert!(
        scheduler
            .tick(&services, clock.now())
            .await
            .unwrap()
            .unwrap()
            .is_empty(),
        "nothing twice"
    );
}
on_both_backends!(catches_up_after_downtime_in_order, catch_up);

async fn racing(db: &TestDb) {
    let services = db.services(Clock::System);
    let id = create(&services, "2027-01-04", "Europe/London", "0 6 * * *", 20).await;
    let now = utc("2027-01-20T12:00:00Z");
    // Eight passes at once, as if from eight processes that all missed the lease: the database
    // constraint alone must keep each day to one release.
    let passes: Vec<_> = (0..8)
        .map(|_| {
            let services = services.clone();
            tokio::spawn(async move { release_due(&services, now).await })
        })
        .collect();
    let mut total = 0;
    for pass in passes {
        total += pass.await.unwrap().unwrap().len();
    }
    assert_eq!(
        total, 17,
        "each of days 1 to 17 released by exactly one pass"
    );
    let days: Vec<i64> = released(&db.store, id)
        .await
        .into_iter()
        .map(|(d, _)| d)
        .collect();
    assert_eq!(days, (1..=17).collect::<Vec<_>>());
}
on_both_backends!(racing_schedulers_release_each_day_once, racing);

async fn lease(db: &TestDb) {
    let services = db.services(Clock::System);
    create(&services, "2027-01-04", "Europe/London", "0 6 * * *", 2).await;
    let clock = Clock::manual(utc("2027-01-05T07:00:00Z"));
    let a = Release::new(Lease::new(db.store.clone(), "a".into()));
    let b = Release::new(Lease::new(db.store.clone(), "b".into()));
    assert_eq!(
        a.tick(&services, clock.now())
            .await
            .unwrap()
            .map(|r| r.len()),
        Some(2)
    );
    assert_eq!(
        b.tick(&services, clock.now()).await.unwrap(),
        None,
        "b waits while a holds the lease"
    );
    // a stops renewing (crashed): after the lease runs out b takes over and releases what is due.
    clock.advance(Duration::days(1));
    assert_eq!(
        b.tick(&services, clock.now())
            .await
            .unwrap()
            .map(|r| r.len()),
        Some(1)
    );
    assert_eq!(a.tick(&services, clock.now()).await.unwrap(), None);
}
on_both_backends!(one_scheduler_holds_the_lease_until_it_lapses, lease);

/// The leased jobs share one lease: another process's job waits while this one's holds it.
async fn shared_lease(db: &TestDb) {
    let services = db.services(Clock::System);
    let now = utc("2027-01-05T07:00:00Z");
    let release = Release::new(Lease::new(db.store.clone(), "a".into()));
    assert_eq!(release.tick(&services, now).await.unwrap(), Some(vec![]));
    let elsewhere = AnonymousBatches::new(Lease::new(db.store.clone(), "b".into()));
    assert_eq!(elsewhere.tick(&services, now).await.unwrap(), None);
    let here = AnonymousBatches::new(Lease::new(db.store.clone(), "a".into()));
    assert_eq!(here.tick(&services, now).await.unwrap(), Some(vec![]));
}
on_both_backends!(the_leased_jobs_share_one_lease, shared_lease);

async fn restart(db: &TestDb) {
    let services = db.services(Clock::System);
    let id = create(&services, "2027-01-04", "Europe/London", "0 6 * * *", 2).await;
    release_due(&services, utc("2027-01-08T06:30:00Z"))
        .await
        .unwrap();
    // A new process on the same database carries on where the old one stopped.
    let again = Store::connect(&db.url).await.unwrap();
    again.migrate().await.unwrap();
    let clock = Clock::manual(utc("2027-01-09T06:30:00Z"));
    let days: Vec<u32> = Release::new(Lease::new(again.clone(), "restarted".into()))
        .tick(&services_over(again.clone(), clock.clone()), clock.now())
        .await
        .unwrap()
        .unwrap()
        .iter()
        .map(|r| r.day.get())
        .collect();
    assert_eq!(days, vec![6]);
    assert_eq!(released(&again, id).await.len(), 6);
    again.close().await;
}
on_both_backends!(a_restart_mid_cohort_carries_on, restart);

async fn pinning(db: &TestDb) {
    let services = db.services(Clock::System);
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &packs_dir().join("wellbeing-on-shift"),
        &dir.path().join("wellbeing-on-shift"),
    );
    let mut req = request("2027-01-04", "Europe/London", "0 6 * * *");
    req.pack = "wellbeing-on-shift".into();
    let id = cohort::create(&services.at(utc("2026-12-01T00:00:00Z")), dir.path(), &req)
        .await
        .unwrap();
    release_due(&services, utc("2027-01-04T07:00:00Z"))
        .await
        .unwrap();

    // The change lead rewords days 1 and 2 and bumps the version.
    let pack = dir.path().join("wellbeing-on-shift");
    for day in ["01", "02"] {
        let file = pack.join(format!("days/{day}.toml"));
        let text = std::fs::read_to_string(&file).unwrap();
        let text = text.replacen("title = \"", "title = \"Reworded: ", 1);
        std::fs::write(&file, text).unwrap();
    }
    let toml = std::fs::read_to_string(pack.join("pack.toml"))
        .unwrap()
        .replace("version = \"1.0.0\"", "version = \"1.1.0\"");
    std::fs::write(pack.join("pack.toml"), toml).unwrap();

    let status = cohort::status(&services.at(utc("2027-01-04T08:00:00Z")), dir.path(), id)
        .await
        .unwrap();
    assert_eq!(
        status.pack_on_disk,
        Some(PackChange::Changed {
            version: "1.1.0".into()
        })
    );
    // Until the change lead applies it, day 2 is released with the pinned wording...
    assert_eq!(
        cohort::get(&services, id).await.unwrap().pack_pin().1,
        "1.0.0"
    );
    cohort::apply_pack_update(&services, dir.path(), id)
        .await
        .unwrap();
    release_due(&services, utc("2027-01-05T07:00:00Z"))
        .await
        .unwrap();
    let rows = releases::list(db.store.pool(), id).await.unwrap();
    // ...and after it, day 2 has the new wording while released day 1 keeps the old.
    assert!(
        !rows[0].day_json.contains("Reworded"),
        "a released day is never rewritten"
    );
    assert_eq!(rows[0].pack_version, "1.0.0");
    assert!(rows[1].day_json.contains("Reworded"));
    assert_eq!(rows[1].pack_version, "1.1.0");
    let status = cohort::status(&services.at(utc("2027-01-05T08:00:00Z")), dir.path(), id)
        .await
        .unwrap();
    assert_eq!(status.pack_on_disk, None);
}
on_both_backends!(a_running_cohort_pins_its_pack_version, pinning);

/// A cohort stored before pack digests were kept (`pack_hash` empty) is decoded from its pack,
/// gets its digest written, and is not mistaken for one whose pack changed.
async fn digest_backfill(db: &TestDb) {
    let services = db.services(Clock::System);
    let id = cohort::create(
        &services.at(utc("2026-12-01T00:00:00Z")),
        &packs_dir(),
        &request("2027-01-04", "Europe/London", "0 6 * * *"),
    )
    .await
    .unwrap();
    let stored = || async {
        sqlx::query_scalar::<_, String>("SELECT pack_hash FROM cohorts WHERE id = $1")
            .bind(id)
            .fetch_one(db.store.pool())
            .await
            .unwrap()
    };
    let digest = stored().await;
    assert_eq!(digest.len(), 64, "a new cohort's digest is written with it");
    sqlx::query("UPDATE cohorts SET pack_hash = '' WHERE id = $1")
        .bind(id)
        .execute(db.store.pool())
        .await
        .unwrap();
    let loaded = cohort::get(&services, id).await.unwrap();
    assert_eq!(loaded.pack_hash(), digest);
    assert_eq!(loaded.pack.id, "wellbeing-on-shift");
    assert_eq!(stored().await, digest, "the digest is filled in");
    let status = cohort::status(&services.at(utc("2027-01-04T08:00:00Z")), &packs_dir(), id)
        .await
        .unwrap();
    assert_eq!(status.pack_on_disk, None);
}
on_both_backends!(a_cohort_without_a_pack_digest_gets_one, digest_backfill);

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
