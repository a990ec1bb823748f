//! The rows an archive carries (`muster export` and `muster import`, `app::archive`), read and
//! written table by table in one transaction.
//!
//! What is carried is the state people made: [`TABLES`], in the order their references need.
//! What is not: the tables SQL derives from that state (`team_days`, kept by a trigger as
//! submissions are inserted; `cohort_team_sizes`, counted again from the enrolments; the callers'
//! version, moved once) and what is transient (sessions, sign-in links and the sign-in rate
//! limit's counts, leases, outbox claims, sign-in mail). Secrets are carried only as the hashes
//! the tables already hold (API tokens, briefing links, unsubscribe links), so a copy of an
//! archive cannot be used to sign in, and the links people hold keep working after a move.
//!
//! Columns are read from the database's own catalogue, so a migration that adds one is carried
//! without a change here; the schema version in the archive keeps both ends on one schema.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sqlx::Row as _;

use super::{Backend, Conn, Store, StoreError, Tx};
use crate::domain::CohortId;

/// A table the archive carries, and which of its rows belong to one cohort (`$1`).
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    cohort_rows: &'static str,
    /// Which rows a whole-database archive leaves out, if any.
    all_rows: &'static str,
    /// Columns written as NULL: a claim by a sender that will never come back.
    cleared: &'static [&'static str],
}

const ENROLLED: &str = "person_id IN (SELECT person_id FROM enrolments WHERE cohort_id = $1)";
const OF_COHORT: &str = "cohort_id = $1";
const ON_COHORT_REFLECTIONS: &str =
    "reflection_id IN (SELECT id FROM reflections WHERE cohort_id = $1)";

const fn table(name: &'static str, cohort_rows: &'static str) -> Table {
    Table {
        name,
        cohort_rows,
        all_rows: "1 = 1",
        cleared: &[],
    }
}

/// The tables an archive carries, each after the tables it refers to. People and teams of one
/// cohort are those enrolled in it (a person in two cohorts is in both cohorts' archives).
pub const TABLES: &[Table] = &[
    table(
        "people",
        "id IN (SELECT person_id FROM enrolments WHERE cohort_id = $1)",
    ),
    table(
        "teams",
        "id IN (SELECT team_id FROM enrolments WHERE cohort_id = $1)",
    ),
    table("cohorts", "id = $1"),
    table("enrolments", OF_COHORT),
    table("releases", OF_COHORT),
    table("submissions", OF_COHORT),
    table("reflections", OF_COHORT),
    table("reactions", ON_COHORT_REFLECTIONS),
    table("replies", ON_COHORT_REFLECTIONS),
    table("reports", ON_COHORT_REFLECTIONS),
    table("points_ledger", OF_COHORT),
    table("badge_awards", OF_COHORT),
    table("team_badge_awards", OF_COHORT),
    table("rest_days", OF_COHORT),
    table("anonymous_batches", OF_COHORT),
    table("briefing_links", OF_COHORT),
    table("api_tokens", ENROLLED),
    table("mail_unsubscribes", OF_COHORT),
    table("unsubscribe_tokens", OF_COHORT),
    table("quiet_hours", OF_COHORT),
    table("drafts", OF_COHORT),
    table("audit_log", OF_COHORT),
    // A cohort's mail, sent or not: a sent closing reminder or digest is what keeps the next
    // one from going twice (`outbox_once`). Sign-in mail belongs to the old server's links.
    Table {
        name: "outbox",
        cohort_rows: "cohort_id = $1 AND kind <> 'signin'",
        all_rows: "kind <> 'signin'",
        cleared: &["claimed_by", "claimed_until"],
    },
];

/// The tables an archive leaves out, and why; every table of the schema is here or in
/// [`TABLES`] (a test checks it).
pub const NOT_CARRIED: &[(&str, &str)] = &[
    (
        "team_days",
        "derived: counted by a trigger as submissions are imported",
    ),
    (
        "cohort_team_sizes",
        "derived: counted again from the imported enrolments",
    ),
    (
        "caller_changes",
        "derived: a version servers cache against, moved by the import",
    ),
    (
        "sessions",
        "transient: people sign in again on the new server",
    ),
    ("signin_links", "transient: links expire within minutes"),
    (
        "signin_requests",
        "transient: the sign-in rate limit's counts",
    ),
    (
        "cohort_channels",
        "a secret stored as given (the team channel's webhook URL): set it again on the new server",
    ),
    (
        "leases",
        "transient: which process runs a background job now",
    ),
    (
        "_sqlx_migrations",
        "the schema itself: the new database is migrated by muster",
    ),
];

/// One value of a row: every column is BIGINT or TEXT (the types the `Any` driver decodes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    Int(i64),
    Text(String),
}

/// A row by column name; a NULL is `None`.
pub type Row = BTreeMap<String, Option<Value>>;

/// A column's type as the catalogue says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Text,
}

/// Which rows to read: one cohort's or all.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    All,
    Cohort(CohortId),
}

/// The latest migration applied: both ends of a move must be on the same schema.
pub async fn schema_version<'e>(db: impl Conn<'e>) -> Result<i64, StoreError> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(MAX(version) AS BIGINT) FROM _sqlx_migrations WHERE success",
    )
    .fetch_one(db)
    .await?)
}

/// Every table of the schema, by name.
pub async fn table_names(store: &Store) -> Result<Vec<String>, StoreError> {
    let sql = match store.backend() {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        }
    };
    Ok(sqlx::query_scalar(sql).fetch_all(store.pool()).await?)
}

/// A table's columns and their kinds, from the catalogue.
async fn columns(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    table: &str,
) -> Result<Vec<(String, Kind)>, StoreError> {
    let sql = match backend {
        Backend::Sqlite => "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
        Backend::Postgres => {
            "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position"
        }
    };
    let rows: Vec<(String, String)> = sqlx::query_as(sql).bind(table).fetch_all(conn).await?;
    rows.into_iter()
        .map(|(name, ty)| {
            let kind = match ty.to_ascii_lowercase().as_str() {
                "bigint" | "integer" => Kind::Int,
                "text" => Kind::Text,
                other => {
                    return Err(StoreError::Conflict(format!(
                        "{table}.{name} is of type {other}, which an archive cannot carry"
                    )));
                }
            };
            Ok((name, kind))
        })
        .collect()
}

/// Opens a transaction that sees one moment of the database for every table it reads.
pub async fn begin_snapshot(store: &Store) -> Result<Tx, StoreError> {
    Ok(Tx(match store.backend() {
        Backend::Sqlite => store.pool().begin().await?,
        Backend::Postgres => {
            store
                .pool()
                .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .await?
        }
    }))
}

/// The rows of `table` in `scope`, in primary-key order (the first column).
pub async fn read(
    tx: &mut Tx,
    backend: Backend,
    table: &Table,
    scope: Scope,
) -> Result<Vec<Row>, StoreError> {
    let columns = columns(tx.conn(), backend, table.name).await?;
    let list = column_list(&columns);
    let order = (1..=columns.len())
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let (filter, cohort) = match scope {
        Scope::All => (table.all_rows, None),
        Scope::Cohort(id) => (table.cohort_rows, Some(id)),
    };
    let sql = format!(
        "SELECT {list} FROM {} WHERE {filter} ORDER BY {order}",
        table.name
    );
    let mut query = sqlx::query(&sql);
    if let Some(id) = cohort {
        query = query.bind(id.0);
    }
    let rows = query.fetch_all(tx.conn()).await?;
    rows.iter()
        .map(|row| {
            columns
                .iter()
                .enumerate()
                .map(|(i, (name, kind))| {
                    let value = if table.cleared.contains(&name.as_str()) {
                        None
                    } else {
                        match kind {
                            Kind::Int => row.try_get::<Option<i64>, _>(i)?.map(Value::Int),
                            Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
                        }
                    };
                    Ok((name.clone(), value))
                })
                .collect::<Result<Row, sqlx::Error>>()
                .map_err(StoreError::from)
        })
        .collect()
}

fn column_list(columns: &[(String, Kind)]) -> String {
    columns
        .iter()
        .map(|(name, _)| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Why rows could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The rows do not have the table's columns, or a value is not of its column's type.
    #[error("{0}")]
    Shape(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Inserts `rows` into `table` as they are, ids included; every row must have exactly the
/// table's columns.
pub async fn write(
    tx: &mut Tx,
    backend: Backend,
    table: &Table,
    rows: &[Row],
) -> Result<(), WriteError> {
    let columns = columns(tx.conn(), backend, table.name).await?;
    let list = column_list(&columns);
    let placeholders = (1..=columns.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO {} ({list}) VALUES ({placeholders})",
        table.name
    );
    for (n, row) in rows.iter().enumerate() {
        let line = n + 1;
        if row.len() != columns.len() || columns.iter().any(|(c, _)| !row.contains_key(c)) {
            return Err(WriteError::Shape(format!(
                "{} line {line} has the columns {:?}, but the table has {:?}",
                table.name,
                row.keys().collect::<Vec<_>>(),
                columns.iter().map(|(c, _)| c).collect::<Vec<_>>()
            )));
        }
        let mut query = sqlx::query(&sql);
        for (name, kind) in &columns {
            query = match (kind, &row[name]) {
                (Kind::Int, Some(Value::Int(v))) => query.bind(*v),
                (Kind::Int, None) => query.bind(None::<i64>),
                (Kind::Text, Some(Value::Text(v))) => query.bind(v.as_str()),
                (Kind::Text, None) => query.bind(None::<String>),
                (_, Some(value)) => {
                    return Err(WriteError::Shape(format!(
                        "{} line {line}: {name} is {value:?}, not of the column's type",
                        table.name
                    )));
                }
            };
        }
        query
            .execute(tx.conn())
            .await
            .map_err(|e| match StoreError::from(e) {
                StoreError::Conflict(why) => WriteError::Shape(format!(
                    "{} line {line} conflicts with what the database holds ({why})",
                    table.name
                )),
                other => WriteError::Store(other),
            })?;
    }
    if backend == Backend::Postgres && !rows.is_empty() && columns.iter().any(|(c, _)| c == "id") {
        // Rows came with their ids: the identity's sequence must start after them.
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{0}', 'id'), (SELECT MAX(id) FROM {0}))",
            table.name
        ))
        .execute(tx.conn())
        .await
        .map_err(StoreError::from)?;
    }
    Ok(())
}

/// After the rows of `cohorts` were written: the derived table counted again and the callers'
/// version moved (servers drop what they kept of callers).
pub async fn derive(tx: &mut Tx, cohorts: &[CohortId]) -> Result<(), StoreError> {
    for cohort in cohorts {
        sqlx::query(
            "INSERT INTO cohort_team_sizes (cohort_id, team_id, participants) \
             SELECT cohort_id, team_id, COUNT(*) FROM enrolments \
             WHERE cohort_id = $1 AND role = 'participant' AND team_id IS NOT NULL \
             GROUP BY cohort_id, team_id",
        )
        .bind(cohort.0)
        .execute(tx.conn())
        .await?;
    }
    super::callers::changed(tx.conn()).await
}
