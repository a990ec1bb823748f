//! Storage against real databases, on SQLite and PostgreSQL: migrations, the constraints the
//! database itself enforces, cohort creation refusing bad input, and CSV enrolment.

use std::path::{Path, PathBuf};

use crate::support::{TestDb, people_csv, utc};
use chrono::Duration;
use muster::app::AppError;
use muster::app::cohort::{self, CohortRequest};
use muster::app::enrol::{EnrolError, enrol_csv};
use muster::domain::Day;
use muster::store::{StoreError, badges, cohorts, enrolments, points, submissions};

fn packs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("challenges")
}

fn request() -> CohortRequest {
    CohortRequest {
        pack: "digital-confidence".into(),
        name: "Birmingham East, January".into(),
        start: "2027-01-04".parse().unwrap(),
        time_zone: "Europe/London".into(),
        release_cron: "0 6 * * *".into(),
        grace: Duration::hours(6),
        anonymity_k: muster::app::cohort::DEFAULT_ANONYMITY_K,
        reminders: Default::default(),
    }
}

async fn count(db: &TestDb, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"))
        .fetch_one(db.store.pool())
        .await
        .unwrap()
}

async fn migrations_are_idempotent(db: &TestDb) {
    db.store.migrate().await.unwrap();
    db.store.migrate().await.unwrap();
    assert_eq!(count(db, "cohorts").await, 0);
}
on_both_backends!(migrating_twice_is_harmless, migrations_are_idempotent);

async fn constraints(db: &TestDb) {
    let id = cohort::create(
        &db.services_at(utc("2026-12-01T00:00:00Z")),
        &packs_dir(),
        &request(),
    )
    .await
    .unwrap();
    enrol_csv(
        &db.services_at(utc("2026-12-01T00:00:00Z")),
        id,
        &people_csv(1, 1),
    )
    .await
    .unwrap();
    let pool = db.store.pool();
    let person: i64 =
        sqlx::query_scalar("SELECT id FROM people WHERE email = 'officer0@force.police.uk'")
            .fetch_one(pool)
            .await
            .unwrap();

    // The database refuses, whatever the code above it does:
    let again = sqlx::query("INSERT INTO enrolments (cohort_id, person_id, role, enrolled_at) VALUES ($1, $2, 'participant', 0)")
        .bind(id)
        .bind(person)
        .execute(pool)
        .await;
    assert!(
        matches!(
            again.map_err(StoreError::from),
            Err(StoreError::Conflict(_))
        ),
        "one enrolment per person and cohort"
    );
    let release = "INSERT INTO releases (cohort_id, day, scheduled_for, released_at, closes_at, pack_version, day_json) \
                   VALUES ($1, 1, 0, 0, 0, '1.0.0', '{}')";
    sqlx::query(release).bind(id).execute(pool).await.unwrap();
    let twice = sqlx::query(release).bind(id).execute(pool).await;
    assert!(
        matches!(
            twice.map_err(StoreError::from),
            Err(StoreError::Conflict(_))
        ),
        "one release per cohort and day"
    );
    let bad_role =
        sqlx::query("UPDATE enrolments SET role = 'chief' WHERE cohort_id = $1 AND person_id = $2")
            .bind(id)
            .bind(person)
            .execute(pool)
            .await;
    assert!(bad_role.is_err(), "roles are checked by the database");
    let orphan = sqlx::query("INSERT INTO enrolments (cohort_id, person_id, role, enrolled_at) VALUES (999, $1, 'participant', 0)")
        .bind(person)
        .execute(pool)
        .await;
    assert!(
        matches!(
            orphan.map_err(StoreError::from),
            Err(StoreError::Conflict(_))
        ),
        "foreign keys are on"
    );
}
on_both_backends!(the_database_enforces_its_constraints, constraints);

async fn refusals(db: &TestDb) {
    let now = utc("2026-12-01T00:00:00Z");
    let cases: Vec<(CohortRequest, &str)> = vec![
        (
            CohortRequest {
                release_cron: "0 6 * *".into(),
                ..request()
            },
            "is not a cron expression",
        ),
        (
            CohortRequest {
                release_cron: "*/10 * * * *".into(),
                ..request()
            },
            "fires more than once a day",
        ),
        (
            CohortRequest {
                time_zone: "Europe/Lundon".into(),
                ..request()
            },
            "is not a time zone",
        ),
        (
            CohortRequest {
                start: "2026-10-01".parse().unwrap(),
                ..request()
            },
            "would already be over",
        ),
        (
            CohortRequest {
                pack: "no-such-pack".into(),
                ..request()
            },
            "no pack `no-such-pack`",
        ),
        (
            CohortRequest {
                name: "  ".into(),
                ..request()
            },
            "needs a name",
        ),
        (
            CohortRequest {
                grace: Duration::hours(30),
                anonymity_k: muster::app::cohort::DEFAULT_ANONYMITY_K,
                reminders: Default::default(),
                ..request()
            },
            "grace period",
        ),
    ];
    for (req, expected) in cases {
        match cohort::create(&db.services_at(now), &packs_dir(), &req).await {
            Err(AppError::Refused(_, message)) => assert!(
                message.contains(expected),
                "{message:?} should say {expected:?}"
            ),
            other => panic!("expected a refusal saying {expected:?}, got {other:?}"),
        }
    }
    assert_eq!(count(db, "cohorts").await, 0, "nothing written");

    // A pack with errors is refused too.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken");
    std::fs::create_dir_all(broken.join("days")).unwrap();
    std::fs::write(broken.join("pack.toml"), "id = \"broken\"\n").unwrap();
    let req = CohortRequest {
        pack: "broken".into(),
        ..request()
    };
    let err = cohort::create(&db.services_at(now), dir.path(), &req)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("error(s); run `muster pack check"), "{err}");

    cohort::create(&db.services_at(now), &packs_dir(), &request())
        .await
        .unwrap();
    let err = cohort::create(&db.services_at(now), &packs_dir(), &request())
        .await
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "a cohort named \"Birmingham East, January\" already exists; choose another name"
    );
    assert_eq!(count(db, "cohorts").await, 1);
}
on_both_backends!(bad_cohorts_are_refused_and_nothing_is_written, refusals);

async fn enrolment(db: &TestDb) {
    let now = utc("2026-12-01T00:00:00Z");
    let id = cohort::create(&db.services_at(now), &packs_dir(), &request())
        .await
        .unwrap();
    let csv = people_csv(40, 3);
    let first = enrol_csv(&db.services_at(now), id, &csv).await.unwrap();
    assert_eq!((first.rows, first.newly_enrolled), (43, 43));
    let snapshot = dump(db).await;
    let second = enrol_csv(&db.services_at(now + Duration::hours(1)), id, &csv)
        .await
        .unwrap();
    assert_eq!((second.newly_enrolled, second.changed), (0, 0));
    assert_eq!(
        dump(db).await,
        snapshot,
        "re-running the same import changes nothing"
    );
    let teams = cohorts::team_counts(db.store.pool(), id).await.unwrap();
    let team0: Vec<(String, i64)> = teams
        .iter()
        .filter(|t| t.team.as_deref() == Some("Team 0"))
        .map(|t| (t.role.clone(), t.people))
        .collect();
    assert_eq!(
        team0,
        vec![("manager".into(), 1), ("participant".into(), 14)]
    );

    // One bad row anywhere: every bad row reported with its line, and nothing imported.
    let bad = format!(
        "{}new@force.police.uk,New,Team 0,participant\nbroken-email,B,Team 0,participant\nz@f.uk,Z,Team 1,inspector\n",
        people_csv(2, 1)
    );
    match enrol_csv(&db.services_at(now), id, &bad).await {
        Err(EnrolError::BadRows(problems)) => {
            let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
            assert_eq!(lines, vec![6, 7]);
        }
        other => panic!("expected bad rows, got {other:?}"),
    }
    assert_eq!(dump(db).await, snapshot, "nothing half-imported");
    assert!(matches!(
        enrol_csv(&db.services_at(now), 999, &csv).await,
        Err(EnrolError::App(AppError::NotFound(_)))
    ));
    assert_eq!(enrolments::count(db.store.pool(), id).await.unwrap(), 43);
}
on_both_backends!(csv_enrolment_is_idempotent_and_all_or_nothing, enrolment);

/// Team sizes (kept for per-member team scores) follow enrolment: people added, moved between
/// teams or roles, and a team left empty.
async fn team_sizes_follow_enrolment(db: &TestDb) {
    let now = utc("2026-12-01T00:00:00Z");
    let id = cohort::create(&db.services_at(now), &packs_dir(), &request())
        .await
        .unwrap();
    let sizes = || async { points::team_sizes(db.store.pool(), id).await.unwrap() };
    let names = |sizes: Vec<(i64, String, i64)>| -> Vec<(String, i64)> {
        sizes.into_iter().map(|(_, name, n)| (name, n)).collect()
    };
    let header = "email,name,team,role\n";
    let csv = format!(
        "{header}a@f.uk,A,Alpha,participant\nb@f.uk,B,Alpha,participant\n\
         c@f.uk,C,Bravo,participant\nm@f.uk,M,Bravo,manager\n"
    );
    enrol_csv(&db.services_at(now), id, &csv).await.unwrap();
    assert_eq!(
        names(sizes().await),
        vec![("Alpha".into(), 2), ("Bravo".into(), 1)],
        "managers are not counted"
    );
    enrol_csv(
        &db.services_at(now),
        id,
        &format!("{header}b@f.uk,B,Bravo,participant\n"),
    )
    .await
    .unwrap();
    assert_eq!(
        names(sizes().await),
        vec![("Alpha".into(), 1), ("Bravo".into(), 2)]
    );
    enrol_csv(
        &db.services_at(now),
        id,
        &format!("{header}a@f.uk,A,Bravo,participant\n"),
    )
    .await
    .unwrap();
    assert_eq!(names(sizes().await), vec![("Bravo".into(), 3)]);
    // A participant made a manager is no longer counted; the manager made a participant is.
    let made_manager = enrol_csv(
        &db.services_at(now),
        id,
        &format!(
            "{header}c@f.uk,C,Bravo,manager
"
        ),
    )
    .await
    .unwrap();
    assert_eq!((made_manager.newly_enrolled, made_manager.changed), (0, 1));
    assert_eq!(names(sizes().await), vec![("Bravo".into(), 2)]);
    enrol_csv(
        &db.services_at(now),
        id,
        &format!(
            "{header}m@f.uk,M,Alpha,participant
"
        ),
    )
    .await
    .unwrap();
    assert_eq!(
        names(sizes().await),
        vec![("Alpha".into(), 1), ("Bravo".into(), 2)]
    );
}
on_both_backends!(
    team_sizes_follow_enrolment_changes,
    team_sizes_follow_enrolment
);

/// Everything enrolment writes, as comparable text.
async fn dump(db: &TestDb) -> Vec<String> {
    let rows: Vec<(String, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT p.email, p.display_name, t.name, e.role, e.enrolled_at FROM enrolments e \
         JOIN people p ON p.id = e.person_id LEFT JOIN teams t ON t.id = e.team_id ORDER BY p.email",
    )
    .fetch_all(db.store.pool())
    .await
    .unwrap();
    rows.into_iter().map(|r| format!("{r:?}")).collect()
}

/// A session is read with its person's memberships, each with its cohort's row, in one query:
/// every cohort and team of someone in several, none (and still the person) for someone in no
/// cohort, and nothing for an expired session.
async fn sessions_carry_memberships(db: &TestDb) {
    use muster::store::{auth, people};
    let now = utc("2026-12-01T00:00:00Z");
    let first = cohort::create(&db.services_at(now), &packs_dir(), &request())
        .await
        .unwrap();
    let second_request = CohortRequest {
        name: "Birmingham West, January".into(),
        ..request()
    };
    let second = cohort::create(&db.services_at(now), &packs_dir(), &second_request)
        .await
        .unwrap();
    let header = "email,name,team,role\n";
    enrol_csv(
        &db.services_at(now),
        first,
        &format!("{header}a@f.uk,A,Alpha,participant\n"),
    )
    .await
    .unwrap();
    enrol_csv(
        &db.services_at(now),
        second,
        &format!("{header}a@f.uk,A,,change_lead\n"),
    )
    .await
    .unwrap();
    sqlx::query("INSERT INTO people (email, display_name, created_at) VALUES ($1, $2, $3)")
        .bind("lead@f.uk")
        .bind("Lead")
        .bind(0_i64)
        .execute(db.store.pool())
        .await
        .unwrap();
    let a = people::by_email(db.store.pool(), "a@f.uk")
        .await
        .unwrap()
        .unwrap();
    let lead = people::by_email(db.store.pool(), "lead@f.uk")
        .await
        .unwrap()
        .unwrap();
    let at = 1_000_i64;
    auth::insert_session(db.store.pool(), "hash-a", a.id, "csrf-a", at, at + 10)
        .await
        .unwrap();
    auth::insert_session(db.store.pool(), "hash-lead", lead.id, "csrf-l", at, at + 10)
        .await
        .unwrap();

    let (caller, session) = auth::session(db.store.pool(), "hash-a", at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            caller.person.clone(),
            session.csrf_token.as_str(),
            session.expires_at
        ),
        (a.clone(), "csrf-a", at + 10)
    );
    let seen: Vec<(i64, String, String, Option<String>)> = caller
        .memberships
        .iter()
        .map(|m| {
            (
                m.cohort.id,
                m.cohort.name.clone(),
                m.role.clone(),
                m.team_name.clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                first,
                "Birmingham East, January".into(),
                "participant".into(),
                Some("Alpha".into())
            ),
            (
                second,
                "Birmingham West, January".into(),
                "change_lead".into(),
                None
            ),
        ]
    );
    assert_eq!(
        caller.memberships[0].cohort,
        cohorts::get(db.store.pool(), first).await.unwrap().unwrap(),
        "the whole cohort row comes with the membership"
    );
    let (caller, _) = auth::session(db.store.pool(), "hash-lead", at)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((caller.person, caller.memberships), (lead, Vec::new()));
    assert!(
        auth::session(db.store.pool(), "hash-a", at + 10)
            .await
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(
        auth::session(db.store.pool(), "hash-b", at)
            .await
            .unwrap()
            .is_none(),
        "unknown"
    );
}
on_both_backends!(
    a_session_is_read_with_its_memberships,
    sessions_carry_memberships
);

/// Token uses are written in batches of a few hundred per statement: every token of a batch
/// larger than one statement gets its own moment, and other tokens are untouched.
async fn token_uses_are_recorded_in_batches(db: &TestDb) {
    use muster::store::auth;
    enrol_csv(
        &db.services_at(utc("2026-12-01T00:00:00Z")),
        cohort::create(
            &db.services_at(utc("2026-12-01T00:00:00Z")),
            &packs_dir(),
            &request(),
        )
        .await
        .unwrap(),
        &people_csv(1, 1),
    )
    .await
    .unwrap();
    let pool = db.store.pool();
    let person: i64 = sqlx::query_scalar("SELECT id FROM people")
        .fetch_one(pool)
        .await
        .unwrap();
    for n in 0..251 {
        auth::insert_api_token(
            pool,
            muster::domain::PersonId(person),
            "app",
            &format!("hash-{n}"),
            0,
        )
        .await
        .unwrap();
    }
    let uses: Vec<(String, i64)> = (0..250).map(|n| (format!("hash-{n}"), 1_000 + n)).collect();
    auth::record_token_uses(pool, &uses).await.unwrap();
    let recorded: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT token_hash, last_used_at FROM api_tokens ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap();
    let expected: Vec<(String, Option<i64>)> = (0..251)
        .map(|n| (format!("hash-{n}"), (n < 250).then_some(1_000 + n)))
        .collect();
    assert_eq!(recorded, expected);
}
on_both_backends!(token_uses_in_batches, token_uses_are_recorded_in_batches);

/// The database keeps each team's completions of a day as submissions arrive, in one statement
/// of many rows or one at a time; a refused duplicate, and a submission with no team, count for
/// nothing; a day is full when every participant of the team completed it.
async fn team_days_follow_submissions(db: &TestDb) {
    let at = utc("2026-12-01T00:00:00Z");
    let id = cohort::create(&db.services_at(at), &packs_dir(), &request())
        .await
        .unwrap();
    enrol_csv(&db.services_at(at), id, &people_csv(6, 2))
        .await
        .unwrap();
    let pool = db.store.pool();
    let people: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT person_id, team_id FROM enrolments WHERE cohort_id = $1 AND role = 'participant' \
         ORDER BY person_id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .unwrap();
    let keys: Vec<String> = (0..20).map(|n| format!("key{n}")).collect();
    let row = |(person, team): (i64, i64), day: i64, key: usize| submissions::NewSubmission {
        cohort_id: id,
        person_id: muster::domain::PersonId(person),
        team_id: Some(muster::domain::TeamId(team)),
        day: Day::try_from(day).unwrap(),
        now: 0,
        late: false,
        idempotency_key: &keys[key],
        checkin: None,
        request_hash: "",
    };
    // Day 1: everyone, in one statement. Day 2: three people of team A one at a time, one of
    // them twice (refused), and one submission made with no team.
    let mut batches = vec![
        people
            .iter()
            .enumerate()
            .map(|(n, p)| row(*p, 1, n))
            .collect(),
    ];
    for n in [0, 2, 4, 0] {
        batches.push(vec![row(people[n], 2, 10 + n)]);
    }
    batches.push(vec![submissions::NewSubmission {
        team_id: None,
        ..row(people[1], 2, 19)
    }]);
    for rows in &batches {
        submissions::insert_if_absent(pool, rows).await.unwrap();
    }
    let kept: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT team_id, day, completions FROM team_days WHERE cohort_id = $1 ORDER BY team_id, day",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .unwrap();
    let counted: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT team_id, day, CAST(COUNT(*) AS BIGINT) FROM submissions \
         WHERE cohort_id = $1 AND team_id IS NOT NULL GROUP BY team_id, day ORDER BY team_id, day",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(kept, counted);
    let (team_a, team_b) = (people[0].1, people[1].1);
    assert_eq!(
        kept,
        vec![(team_a, 1, 3), (team_a, 2, 3), (team_b, 1, 3)],
        "{people:?}"
    );
    assert_eq!(
        badges::team_full_days(pool, id, muster::domain::TeamId(team_a))
            .await
            .unwrap(),
        vec![Day::FIRST, Day::FIRST.next()]
    );
    assert_eq!(
        badges::team_full_days(pool, id, muster::domain::TeamId(team_b))
            .await
            .unwrap(),
        vec![Day::FIRST]
    );
}
on_both_backends!(
    team_days_are_kept_by_the_database,
    team_days_follow_submissions
);
