//! The two storage backends behind `app::server::store::Store`: SQLite (the embedded default)
//! and PostgreSQL (for several instances sharing one database). The backend is chosen from the
//! database URL; each has its own migrations, run at start-up.
//!
//! Each concern of the contract is implemented in its own file, beside its SQL and row types.
//! The SQL is written once in the dialect both share (`$n` parameters in order, `RETURNING`),
//! and [`on_pool!`] and [`in_tx!`] expand it for whichever pool this is, type-checked on both.
//! `sqlx::Error` becomes a `StoreError` in one place, [`DbError`]'s conversion.

mod access_events;
mod areas;
mod audit_chain;
mod case_documents;
mod cases;
mod drafts;
mod engagement;
mod holidays;
mod monitoring;
mod notices;
mod objection_decisions;
mod outbox;
mod record_alerts;
mod sessions;
mod sources;
mod staff;

pub(crate) use app::domain::{AreaSlug, BankHolidays, CaseEventKind, CaseKind, CaseReference, CaseStatus, Contact, MessageTemplate, NhsNumber, NoticeVariant, OdsCode, Role};
pub(crate) use app::domain::people::{Grant, SignedIn};
pub(crate) use app::server::store::*;
pub(crate) use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Db {
    /// SQLite: reads share a pool; writes take turns on a second pool of one connection, the
    /// writer. SQLite lets one connection write at a time, and a connection waiting for the
    /// lock only polls for it (backing off to 100 ms between tries), so under a flood of
    /// writes (a system sending events as fast as it can) a patient's form could poll past the
    /// busy timeout and fail. Queued on the one writer connection instead, every write waits its
    /// turn in the order it asked (sqlx's pool lends connections fairly) and then finds the lock
    /// free.
    Sqlite(SqlitePool, SqlitePool),
    Postgres(PgPool),
}

/// What can go wrong inside a statement or a transaction. It becomes a [`StoreError`] at the
/// edge of each method, in this one conversion: a missing row is `NotFound`, a unique key
/// already taken is `Conflict`, anything else a database error whose text stays server-side.
pub(crate) enum DbError {
    Sql(sqlx::Error),
    Store(StoreError),
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        DbError::Sql(e)
    }
}

impl From<StoreError> for DbError {
    fn from(e: StoreError) -> Self {
        DbError::Store(e)
    }
}

/// Whether an error means the database cannot serve just now (rather than a fault in a
/// statement): no connection, the server stopping or restarting, or no room to write.
fn unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::WorkerCrashed | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(d) => {
            let code = d.code().map(|c| c.into_owned()).unwrap_or_default();
            if d.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // SQLite (primary code of an extended one): busy or locked past the timeout,
                // disk I/O error, disk full, cannot open the file.
                code.parse::<i32>().is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 10 | 13 | 14))
            } else {
                // PostgreSQL: connection exceptions (08…), shutting down (57P…), out of
                // resources such as disk (53…), read-only after a failover (25006).
                code.starts_with("08") || code.starts_with("57P") || code.starts_with("53") || code == "25006"
            }
        }
        _ => false,
    }
}

impl From<DbError> for StoreError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Store(s) => s,
            DbError::Sql(sqlx::Error::RowNotFound) => StoreError::NotFound,
            DbError::Sql(sqlx::Error::Database(d)) if d.is_unique_violation() => StoreError::Conflict,
            DbError::Sql(other) if unavailable(&other) => StoreError::Unavailable(other.to_string()),
            DbError::Sql(other) => StoreError::Database(other.to_string()),
        }
    }
}

/// Runs the same statement on whichever pool this is; its `sqlx::Error` becomes a `StoreError`.
/// Inside the body, `?` may be used on statements.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        async {
            let out = match $db {
                Db::Sqlite($pool, _) => $body,
                Db::Postgres($pool) => $body,
            };
            out.map_err($crate::db::DbError::from)
        }
        .await
        .map_err(StoreError::from)
    };
}

/// [`on_pool!`] for a statement that writes: on SQLite it runs on the writer connection.
macro_rules! on_writer {
    ($db:expr, $pool:ident => $body:expr) => {
        async {
            let out = match $db {
                Db::Sqlite(_, $pool) => $body,
                Db::Postgres($pool) => $body,
            };
            out.map_err($crate::db::DbError::from)
        }
        .await
        .map_err(StoreError::from)
    };
}

/// How a write transaction begins on SQLite: `BEGIN IMMEDIATE` takes the database's one write
/// lock at once, waiting for it up to the busy timeout. sqlx's plain `begin()` is `BEGIN
/// DEFERRED`: a transaction that reads before it writes (most of ours: check a case's state,
/// then change it) holds a read snapshot, and if another connection commits meanwhile its first
/// write fails at once with "database is locked" (SQLITE_BUSY_SNAPSHOT) — no waiting helps, as
/// the snapshot is stale. Two writers then surface as an error to one of them: a patient's form
/// answered 503 while the monitoring job catches up. PostgreSQL needs nothing of the kind.
pub(crate) const SQLITE_WRITE: &str = "BEGIN IMMEDIATE";

/// The same statements inside one write transaction on either backend. The body gives the
/// value; `?` inside it rolls the transaction back.
macro_rules! in_tx {
    ($db:expr, $tx:ident => $body:expr) => {
        match $db {
            Db::Sqlite(_, p) => {
                async {
                    let mut $tx = p.begin_with($crate::db::SQLITE_WRITE).await?;
                    let out = $body;
                    $tx.commit().await?;
                    Ok::<_, $crate::db::DbError>(out)
                }
                .await
            }
            Db::Postgres(p) => {
                async {
                    let mut $tx = p.begin().await?;
                    let out = $body;
                    $tx.commit().await?;
                    Ok::<_, $crate::db::DbError>(out)
                }
                .await
            }
        }
        .map_err(StoreError::from)
    };
}

/// Adds a case's timeline line inside a transaction.
macro_rules! record_event {
    ($tx:expr, $case_id:expr, $e:expr) => {{
        let e: &CaseEvent = $e;
        sqlx::query(
            "INSERT INTO case_events (case_id, at, actor, actor_subject, actor_name, kind, public, text)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind($case_id)
        .bind(e.at)
        .bind(e.actor.as_str())
        .bind(&e.actor_subject)
        .bind(&e.actor_name)
        .bind(e.kind.as_str())
        .bind(e.public)
        .bind(&e.text)
        .execute($tx)
        .await?;
    }};
}

/// Queues a message to the patient inside a transaction.
macro_rules! queue_message {
    ($tx:expr, $case_id:expr, $m:expr, $at:expr) => {{
        let m: &NewMessage = $m;
        sqlx::query(
            "INSERT INTO outbox (case_id, channel, recipient, template, reference, created_at, next_attempt_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind($case_id)
        .bind(m.contact.method())
        .bind(m.contact.value())
        .bind(m.template.as_str())
        .bind(m.reference.as_str())
        .bind($at)
        .execute($tx)
        .await?;
    }};
}

/// Appends to the staff actions (append-only) inside a transaction or on a pool.
macro_rules! record_action {
    ($ex:expr, $a:expr) => {{
        let a: &StaffAction = $a;
        sqlx::query("INSERT INTO staff_actions (at, actor_subject, area_id, case_id, action, detail) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(a.at)
            .bind(&a.actor_subject)
            .bind(a.area_id)
            .bind(a.case_id)
            .bind(&a.action)
            .bind(&a.detail)
            .execute($ex)
            .await?;
    }};
}

pub(crate) use {in_tx, on_pool, on_writer, queue_message, record_action, record_event};

#[derive(Debug, thiserror::Error)]
pub enum DbStartError {
    #[error("the database URL is not one this portal can use (expected sqlite://… or postgres://…)")]
    UnknownScheme,
    #[error("could not open the database: {0}")]
    Connect(#[source] sqlx::Error),
    #[error("could not create the folder for the SQLite database: {0}")]
    Folder(#[source] std::io::Error),
    #[error("database migration failed, so the portal has not started: {0}")]
    Migrate(#[source] sqlx::migrate::MigrateError),
}

impl Db {
    /// Opens the database the URL names and brings its schema up to date.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbStartError> {
        let db = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // Every statement has a deadline on the server; a connection is checked before each
            // use, so one left dead by a failover is replaced, not handed out.
            let options = PgConnectOptions::from_str(url)
                .map_err(DbStartError::Connect)?
                .options([("statement_timeout", "15s"), ("idle_in_transaction_session_timeout", "30s")]);
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                // Within about two seconds a request knows the database is out, and says so (503).
                .acquire_timeout(Duration::from_secs(2))
                .test_before_acquire(true)
                .idle_timeout(Duration::from_secs(300))
                .connect_with(options)
                .await
                .map_err(DbStartError::Connect)?;
            Db::Postgres(pool)
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(DbStartError::Connect)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: a submission acknowledged to a patient survives a power loss, not only a
                // crash of the process (NORMAL can roll back the last commits). The cost is
                // measured by `scr-bench` (see the README's Operations section).
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                // Reads go through the OS page cache by memory map rather than a copy per page.
                .pragma("mmap_size", "1073741824")
                .pragma("cache_size", "-32000");
            if let Some(parent) = options.get_filename().parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(DbStartError::Folder)?;
                }
            }
            // The writer first: it makes the file and sets the journal mode.
            let write = SqlitePoolOptions::new()
                .max_connections(1)
                // Waiting for the writer is waiting in a queue, not polling: a write that has
                // waited this long answers "try again shortly" (503) rather than hanging.
                .acquire_timeout(Duration::from_secs(20))
                .connect_with(options.clone())
                .await
                .map_err(DbStartError::Connect)?;
            // The readers cannot write (query_only), so a write sent to them by mistake fails
            // in every test rather than bypassing the writer's queue in service.
            let read = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .connect_with(options.pragma("query_only", "ON"))
                .await
                .map_err(DbStartError::Connect)?;
            Db::Sqlite(read, write)
        } else {
            return Err(DbStartError::UnknownScheme);
        };
        db.migrate().await?;
        Ok(db)
    }

    pub async fn migrate(&self) -> Result<(), DbStartError> {
        match self {
            Db::Sqlite(_, p) => sqlx::migrate!("./migrations/sqlite").run(p).await,
            Db::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await,
        }
        .map_err(DbStartError::Migrate)
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(read, write) => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }
}


pub(crate) fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(corrupt)
}

/// Binds every value of a statement built at run time, in order, whatever the backend's query type.
macro_rules! bind_all {
    ($q:expr, $binds:expr) => {{
        let mut q = $q;
        for b in $binds {
            q = match b {
                Bind::Text(v) => q.bind(v),
                Bind::Date(v) => q.bind(v),
                Bind::Time(v) => q.bind(v),
                Bind::Int(v) => q.bind(v),
            };
        }
        q
    }};
}

/// Adds a value to bind and gives its placeholder.
pub(crate) fn param(binds: &mut Vec<Bind>, b: Bind) -> String {
    binds.push(b);
    format!("${}", binds.len())
}

/// A value bound into a statement built at run time.
#[derive(Clone)]
pub(crate) enum Bind {
    Text(Option<String>),
    Date(Option<NaiveDate>),
    Time(DateTime<Utc>),
    Int(i64),
}

pub(crate) use bind_all;

#[async_trait::async_trait]
impl Store for Db {
    fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(..) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    async fn ping(&self) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|_| ()))
    }

    async fn check_writable(&self, now: DateTime<Utc>) -> StoreResult<()> {
        on_writer!(self, p => sqlx::query(
            "INSERT INTO readiness (id, checked_at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at")
            .bind(now).execute(p).await.map(|_| ()))
    }
}
