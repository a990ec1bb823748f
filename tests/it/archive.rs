//! Backups and moving house through the real binary: `muster export` of a SQLite pilot and
//! `muster import` into PostgreSQL carry every row of every table that holds state (the derived
//! tables come out equal too), the boards are rebuilt from the ledger and equal it; a truncated,
//! altered or conflicting archive is refused and writes nothing; and a `pg_dump` restored into a
//! new database serves a signed-in request with the restored data.

use crate::support;

use std::process::Output;

use crate::support::TestDb;
use crate::support::process::{self, RunningCohort, ServerProcess};
use muster::app::cohort;
use muster::app::leaderboard::{self, Check};

/// Tables an archive does not carry (transient; `store::archive::NOT_CARRIED` says why), and the
/// callers' version, which an import moves.
const NOT_COMPARED: &[&str] = &[
    "sessions",
    "signin_links",
    "signin_requests",
    "leases",
    "_sqlx_migrations",
    "caller_changes",
];

/// Runs the `muster` binary with `args` on `db_url` (and Redis under `prefix`, when given).
fn muster(db_url: &str, redis: Option<(&str, &str)>, args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("a data dir");
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_muster"));
    command
        .args(args)
        .current_dir(dir.path())
        .env("DATABASE_URL", db_url)
        .env("MUSTER_DATA_DIR", dir.path())
        .env("RUST_LOG", "warn")
        .env_remove("MUSTER_CONFIG");
    match redis {
        Some((url, prefix)) => command
            .env("REDIS_URL", url)
            .env("MUSTER_REDIS_PREFIX", prefix),
        None => command
            .env_remove("REDIS_URL")
            .env_remove("MUSTER_REDIS_PREFIX"),
    };
    command.output().expect("run muster")
}

fn said(output: &Output) -> String {
    format!(
        "status {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Every table's columns, by name, as the database's catalogue has them.
async fn tables(db: &TestDb) -> Vec<(String, Vec<String>)> {
    let names = muster::store::archive::table_names(&db.store)
        .await
        .expect("the tables");
    let mut out = Vec::new();
    for name in names {
        let sql = if db.url.starts_with("sqlite") {
            "SELECT name FROM pragma_table_info($1) ORDER BY name"
        } else {
            "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY 1"
        };
        let columns: Vec<String> = sqlx::query_scalar(sql)
            .bind(&name)
            .fetch_all(db.store.pool())
            .await
            .expect("the columns");
        out.push((name, columns));
    }
    out
}

/// Every row of `table` (every column as text, in `columns`' order), sorted; the outbox without
/// sign-in mail and senders' claims, which an archive leaves behind.
async fn rows(db: &TestDb, table: &str, columns: &[String]) -> Vec<Vec<Option<String>>> {
    let list: Vec<String> = columns
        .iter()
        .filter(|c| !(table == "outbox" && (*c == "claimed_by" || *c == "claimed_until")))
        .map(|c| format!("CAST(\"{c}\" AS TEXT)"))
        .collect();
    let filter = if table == "outbox" {
        "kind <> 'signin'"
    } else {
        "1 = 1"
    };
    let sql = format!("SELECT {} FROM {table} WHERE {filter}", list.join(", "));
    let rows = sqlx::query(&sql)
        .fetch_all(db.store.pool())
        .await
        .unwrap_or_else(|e| panic!("read {table}: {e}"));
    let mut out: Vec<Vec<Option<String>>> = rows
        .iter()
        .map(|row| {
            (0..list.len())
                .map(|i| sqlx::Row::try_get::<Option<String>, _>(row, i).expect("a text value"))
                .collect()
        })
        .collect();
    out.sort();
    out
}

/// A pilot on `db`: a running cohort whose participants submitted and reacted over HTTP.
async fn pilot(db: &TestDb, people: usize) -> RunningCohort {
    let cohort = RunningCohort::seed(db, people, 3).await;
    let server = ServerProcess::start(&db.url, None).await;
    let client = process::client();
    for (person, token) in &cohort.people {
        let answer = process::submit(
            &client,
            &server.base,
            cohort.id,
            cohort.day,
            token,
            &format!("move-{person}"),
            &format!("Reflection of officer {person} before the move."),
        )
        .await;
        assert!(
            process::acknowledged(&answer),
            "submission: {answer:?}\n{}",
            server.log()
        );
    }
    let reflections = process::reflections(db, cohort.id).await;
    for (i, (_, token)) in cohort.people.iter().enumerate() {
        let (handle, author) = reflections[(i + 1) % reflections.len()];
        if author != cohort.people[i].0 {
            let answer =
                process::react_helpful(&client, &server.base, cohort.id, handle, token).await;
            assert!(process::acknowledged(&answer), "reaction: {answer:?}");
        }
    }
    drop(server);
    cohort
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sqlite_pilot_moves_to_postgres_with_every_row_and_board() {
    let name = "a_sqlite_pilot_moves_to_postgres_with_every_row_and_board";
    let Some(target) = TestDb::postgres(name).await else {
        return;
    };
    let Some((_, sweep)) = support::redis_board(name, None, None).await else {
        target.cleanup().await;
        return;
    };
    let source = TestDb::sqlite().await;
    let cohort = pilot(&source, 24).await;
    let dir = tempfile::tempdir().expect("a folder for the archive");
    let archive = dir.path().join("pilot.tar");
    let archive_arg = archive.to_str().expect("a UTF-8 path");

    let out = muster(&source.url, None, &["export", "--output", archive_arg]);
    assert!(out.status.success(), "export: {}", said(&out));
    let out = muster(
        &target.url,
        Some((&sweep.url, &sweep.prefix)),
        &["import", archive_arg],
    );
    assert!(out.status.success(), "import: {}", said(&out));

    // Every row of every table, the derived ones included.
    let (from, to) = (tables(&source).await, tables(&target).await);
    assert_eq!(
        from.iter().map(|(t, _)| t).collect::<Vec<_>>(),
        to.iter().map(|(t, _)| t).collect::<Vec<_>>(),
        "the same tables on both backends"
    );
    let known = |t: &str| {
        muster::store::archive::TABLES.iter().any(|c| c.name == t)
            || muster::store::archive::NOT_CARRIED
                .iter()
                .any(|(n, _)| *n == t)
    };
    let unknown: Vec<&String> = from.iter().map(|(t, _)| t).filter(|t| !known(t)).collect();
    assert!(
        unknown.is_empty(),
        "tables neither carried nor said why not: {unknown:?}"
    );
    let mut compared = Vec::new();
    for ((table, columns), (_, target_columns)) in from.iter().zip(&to) {
        if NOT_COMPARED.contains(&table.as_str()) {
            continue;
        }
        assert_eq!(columns, target_columns, "the columns of {table}");
        let (a, b) = (
            rows(&source, table, columns).await,
            rows(&target, table, columns).await,
        );
        assert!(
            a == b,
            "{table} differs after the move:\nSQLite {a:?}\nPostgreSQL {b:?}"
        );
        compared.push(format!("{table} {}", a.len()));
    }
    for table in [
        "people",
        "submissions",
        "reflections",
        "reactions",
        "points_ledger",
        "team_days",
        "cohort_team_sizes",
        "api_tokens",
    ] {
        assert!(
            compared
                .iter()
                .any(|c| c.starts_with(&format!("{table} ")) && !c.ends_with(" 0")),
            "the pilot has rows in {table}: {compared:?}"
        );
    }
    println!("rows compared: {}", compared.join(", "));

    // The boards in Redis were rebuilt by the import and equal the ledger, which equals the
    // SQLite pilot's.
    let board = muster::board::Board::redis(&sweep.url, &sweep.prefix)
        .await
        .expect("Redis");
    let mut moved = support::services_over(target.store.clone(), muster::clock::Clock::System);
    moved.board = board;
    let moved_cohort = cohort::get(&moved, cohort.id)
        .await
        .expect("the moved cohort");
    assert_eq!(
        leaderboard::check(&moved, &moved_cohort)
            .await
            .expect("check"),
        Check::Equal,
        "the boards after the import equal the ledger"
    );
    let old_cohort = cohort::get(&cohort.services, cohort.id)
        .await
        .expect("the cohort");
    assert_eq!(
        leaderboard::view(&cohort.services, &old_cohort)
            .await
            .expect("the view"),
        leaderboard::view(&moved, &moved_cohort)
            .await
            .expect("the view"),
        "every board of the pilot equals every board after the move"
    );
    // A participant's boards as they see them, from Redis after the move and from the pilot.
    let person = cohort.people[0].0;
    leaderboard::rebuild(&cohort.services, &old_cohort)
        .await
        .expect("rebuild");
    assert_eq!(
        process::sql_leaderboards(&moved, cohort.id, person).await,
        process::sql_leaderboards(&cohort.services, cohort.id, person).await,
        "a participant's boards after the move"
    );

    drop(sweep);
    target.cleanup().await;
}

/// Counts the rows of every table an archive writes to, summed.
async fn stored_rows(db: &TestDb) -> i64 {
    let mut total = 0;
    for table in muster::store::archive::TABLES {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", table.name))
            .fetch_one(db.store.pool())
            .await
            .expect("count");
        total += n;
    }
    total
}

async fn damaged_or_conflicting_archives_are_refused(target: &TestDb) {
    let source = TestDb::sqlite().await;
    let cohort = pilot(&source, 6).await;
    let dir = tempfile::tempdir().expect("a folder");
    let good = dir.path().join("cohort.tar");
    let id = cohort.id.to_string();
    let out = muster(
        &source.url,
        None,
        &[
            "export",
            "--cohort",
            &id,
            "--output",
            good.to_str().expect("UTF-8"),
        ],
    );
    assert!(out.status.success(), "export: {}", said(&out));
    let bytes = std::fs::read(&good).expect("the archive");
    let empty = stored_rows(target).await;

    let refuse = |name: &str, bytes: Vec<u8>, expected: &'static str| {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let out = muster(
            &target.url,
            None,
            &["import", path.to_str().expect("UTF-8")],
        );
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!out.status.success(), "{name} was imported: {}", said(&out));
        assert!(
            stderr.contains(expected),
            "{name}: expected `{expected}`: {}",
            said(&out)
        );
        println!("{name}: {}", stderr.trim());
    };
    refuse(
        "truncated.tar",
        bytes[..bytes.len() * 2 / 3].to_vec(),
        "damaged or truncated",
    );
    // One name changed in the data, the same length: the tar is whole, the checksum is not.
    let mut altered = bytes.clone();
    let at = altered
        .windows(9)
        .position(|w| w == b"Officer 1")
        .expect("a name in the archive");
    altered[at + 8] = b'7';
    refuse("altered.tar", altered, "does not match its checksum");
    refuse("not-a-tar.tar", b"hello".to_vec(), "damaged or truncated");
    assert_eq!(stored_rows(target).await, empty, "nothing was written");

    let out = muster(
        &target.url,
        None,
        &["import", good.to_str().expect("UTF-8")],
    );
    assert!(out.status.success(), "import: {}", said(&out));
    let imported = stored_rows(target).await;
    assert!(imported > empty);
    refuse("again.tar", bytes, "conflicts with what the database holds");
    assert_eq!(
        stored_rows(target).await,
        imported,
        "nothing more was written"
    );
}

on_both_backends!(
    damaged_or_conflicting_archives_are_refused,
    damaged_or_conflicting_archives_are_refused
);

/// Whether a command is on this machine (CI installs postgresql-client, `.ci/run`).
fn have(tool: &str) -> bool {
    std::process::Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pg_dump_restored_into_a_new_database_serves() {
    let name = "a_pg_dump_restored_into_a_new_database_serves";
    let Some(db) = TestDb::postgres(name).await else {
        return;
    };
    assert!(
        have("pg_dump") && have("pg_restore"),
        "pg_dump and pg_restore are needed (Debian's postgresql-client)"
    );
    let cohort = pilot(&db, 6).await;
    let base = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
    let schema: String = sqlx::query_scalar("SELECT CAST(current_schema() AS TEXT)")
        .fetch_one(db.store.pool())
        .await
        .expect("the schema");
    let dir = tempfile::tempdir().expect("a folder");
    let dump = dir.path().join("muster.dump");
    let out = std::process::Command::new("pg_dump")
        .args([
            "--format=custom",
            "--no-owner",
            "--schema",
            &schema,
            "--file",
        ])
        .arg(&dump)
        .arg(&base)
        .output()
        .expect("pg_dump");
    assert!(out.status.success(), "pg_dump: {}", said(&out));

    // A new database, restored from the dump, and a server on it.
    let restored_db = format!("restored_{schema}");
    let admin = muster::store::Store::connect(&base).await.expect("admin");
    sqlx::query(&format!("CREATE DATABASE {restored_db}"))
        .execute(admin.pool())
        .await
        .expect("create a database");
    let (prefix, _) = base.rsplit_once('/').expect("a database in the URL");
    let restored = format!("{prefix}/{restored_db}");
    let out = std::process::Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error", "--dbname", &restored])
        .arg(&dump)
        .output()
        .expect("pg_restore");
    assert!(out.status.success(), "pg_restore: {}", said(&out));
    let url = format!("{restored}?options=-c%20search_path%3D{schema}");
    let server = ServerProcess::start(&url, None).await;
    let (person, token) = &cohort.people[0];
    let answer = process::client()
        .get(format!("{}/api/v1/cohorts/{}/feed", server.base, cohort.id))
        .bearer_auth(token)
        .send()
        .await
        .expect("the feed");
    let status = answer.status().as_u16();
    let body = answer.text().await.expect("the body");
    assert_eq!(status, 200, "{body}\n{}", server.log());
    assert!(
        body.contains(&format!("Reflection of officer {person} before the move.")),
        "the restored reflection is served: {body}"
    );
    drop(server);
    let _ = sqlx::query(&format!("DROP DATABASE {restored_db} WITH (FORCE)"))
        .execute(admin.pool())
        .await;
    admin.close().await;
    db.cleanup().await;
}
