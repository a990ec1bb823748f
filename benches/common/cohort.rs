//! A benchmark's cohort: the shipped digital-confidence pack, started at a chosen moment, with
//! `people` participants in 40 teams enrolled from a CSV. Shared by the release and mail benches.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use muster::app::Services;
use muster::app::cohort::{self, CohortRequest};
use muster::app::enrol::{EnrolSummary, enrol_csv};

/// Creates the cohort on `services.at(created)`, starting on 2027-01-04 (day 1 released at
/// 06:00 London time). Returns its id.
pub async fn create(services: &Services, created: DateTime<Utc>) -> i64 {
    let packs = Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges");
    let request = CohortRequest {
        pack: "digital-confidence".into(),
        name: "Benchmark".into(),
        start: "2027-01-04".parse().expect("date"),
        time_zone: "Europe/London".into(),
        release_cron: "0 6 * * *".into(),
        grace: Duration::hours(6),
        anonymity_k: cohort::DEFAULT_ANONYMITY_K,
        // Mail is measured as it is queued, at 06:00, without waiting for quiet hours to end.
        reminders: muster::app::reminders::CohortReminders::none(),
    };
    cohort::create(&services.at(created), &packs, &request)
        .await
        .expect("cohort")
}

/// Enrols `people` participants (officerN@force.police.uk, in 40 teams) at `services`' time.
pub async fn enrol(services: &Services, id: i64, people: usize) -> EnrolSummary {
    let mut csv = String::from("email,name,team,role\n");
    for i in 0..people {
        csv += &format!(
            "officer{i}@force.police.uk,Officer {i},Team {},participant\n",
            i % 40
        );
    }
    enrol_csv(services, id, &csv).await.expect("enrol")
}
