//! Storage: one set of SQL queries over the sqlx `Any` driver, on SQLite (the embedded default) or
//! PostgreSQL. Nothing outside this module writes SQL.
//!
//! Conventions the `Any` driver imposes: instants are BIGINT unix milliseconds, dates ISO TEXT,
//! booleans BIGINT 0/1; integer sums are cast to BIGINT (PostgreSQL would return NUMERIC).

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, ConnectOptions, Connection, Executor, Transaction};

/// How long a pooled connection may sit unused before it is pinged when next handed out.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

pub mod anonymity;
pub mod archive;
pub mod audit;
pub mod auth;
pub mod badges;
pub mod briefing;
pub mod callers;
pub mod channel;
pub mod cohorts;
pub mod digest;
pub mod drafts;
pub mod enrolments;
pub mod feed;
pub mod leases;
pub mod outbox;
mod params;
pub mod people;
pub mod points;
pub mod releases;
pub mod reminders;
pub mod submissions;
pub mod team;
mod types;

/// Which database is behind the pool; a few things (transactions, URLs) differ between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Why a storage call failed, sorted by what the caller should do about it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached right now; try again later.
    #[error("the database is unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// A uniqueness or foreign-key constraint refused the write.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("cannot apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL `{0}`: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    #[error("cannot create the data folder or database file {0}: {1}")]
    DataDir(String, #[source] std::io::Error),
}

impl StoreError {
    /// The database did not answer in time: unavailable, as when the pool times out.
    pub fn timed_out() -> StoreError {
        StoreError::Unavailable(sqlx::Error::PoolTimedOut)
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed => StoreError::Unavailable(e),
            sqlx::Error::Database(db)
                if db.is_unique_violation() || db.is_foreign_key_violation() =>
            {
                StoreError::Conflict(db.message().to_string())
            }
            _ => StoreError::Database(e),
        }
    }
}

/// What a query runs on: the pool ([`Store::pool`]) or an open transaction ([`Tx::conn`]). The
/// store's functions take this, so their callers never name a database driver's type.
pub trait Conn<'e>: Executor<'e, Database = Any> {}

impl<'e, T: Executor<'e, Database = Any>> Conn<'e> for T {}

/// A write transaction ([`Store::begin_write`]). Dropped without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub struct Tx(Transaction<'static, Any>);

impl Tx {
    /// The transaction's connection, for the store's functions to run on.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.0
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        Ok(self.0.commit().await?)
    }
}

/// A connection taken from the pool for several reads in a row ([`Store::hold`]); it goes back
/// when dropped.
#[derive(Debug)]
pub struct Held(PoolConnection<Any>);

impl Held {
    /// The connection, for the store's functions to run on.
    pub fn conn(&mut self) -> &mut AnyConnection {
        &mut self.0
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The pool and which backend it talks to. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects to `url` (`sqlite://data/muster.db` or `postgres://...`), creating a SQLite file and
    /// its folder on first use. Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        };
        let mut url = url.to_string();
        match backend {
            Backend::Sqlite => prepare_sqlite_file(&mut url)?,
            Backend::Postgres => make_room_for_batch_statements(&mut url),
        }
        let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
        let pool_options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(5))
            // sqlx pings every connection it hands out by default: one more round trip per
            // statement, a third of PostgreSQL's work on a busy page. Under load a connection
            // comes back to the pool within milliseconds, and sqlx already pings it then; only
            // one that sat idle (the database may have gone and come back since) is tested.
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= IDLE_BEFORE_PING {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            });
        let pool_options = if backend == Backend::Sqlite {
            pool_options.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;")
                        .await?;
                    Ok(())
                })
            })
        } else {
            pool_options
        };
        let pool = pool_options.connect_with(options).await?;
        Ok(Store { pool, backend })
    }

    /// Applies the backend's migrations (idempotent).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The pool's connections: (in use, idle, the most it opens).
    pub fn connections(&self) -> (u32, u32, u32) {
        let idle = u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX);
        let open = self.pool.size();
        (
            open.saturating_sub(idle),
            idle,
            self.pool.options().get_max_connections(),
        )
    }

    /// Takes one connection for several reads: each connection taken from the pool costs a round
    /// trip when it goes back (sqlx checks it).
    pub async fn hold(&self) -> Result<Held, StoreError> {
        Ok(Held(self.pool.acquire().await?))
    }

    /// Starts a transaction that will write. On SQLite it takes the write lock at once
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later fails with
    /// SQLITE_BUSY under concurrency, whatever the busy timeout.
    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        Ok(Tx(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        }))
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Prepared statements kept per PostgreSQL connection, unless the URL says otherwise. A batch of
/// n rows is a statement of its own for each n (up to 32) and each table, so sqlx's default of 100
/// evicted statements in turn, and PostgreSQL parsed and planned them again on every eviction.
const POSTGRES_STATEMENT_CACHE: usize = 1000;

fn make_room_for_batch_statements(url: &mut String) {
    if !url.contains("statement-cache-capacity=") {
        let separator = if url.contains('?') { '&' } else { '?' };
        url.push_str(&format!(
            "{separator}statement-cache-capacity={POSTGRES_STATEMENT_CACHE}"
        ));
    }
}

/// Makes sure a SQLite URL's folder exists (new folders 0700) and creates its file as 0600 before
/// SQLite opens it (SQLite would make it 0644). SQLite gives the `-wal` and `-shm` files the
/// database's mode, so all three are readable by muster's own user only.
fn prepare_sqlite_file(url: &mut String) -> Result<(), StoreError> {
    let path = url
        .trim_start_matches("sqlite://")
        .trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default().to_string();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = Path::new(&path)
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
    {
        crate::files::create_dir_all(parent)
            .map_err(|e| StoreError::DataDir(parent.display().to_string(), e))?;
    }
    if !url.contains("mode=") {
        url.push_str(if url.contains('?') {
            "&mode=rwc"
        } else {
            "?mode=rwc"
        });
    }
    if url.contains("mode=rwc") {
        match crate::files::create_new(Path::new(&path)) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(StoreError::DataDir(path, e));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Milliseconds since the Unix epoch, as stored.
pub fn millis(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

/// The instant stored as `ms`.
pub fn instant(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}
