//! The two storage backends behind `app::ssr::Store`: SQLite (the embedded default) and
//! PostgreSQL (for several instances sharing one database). The backend is chosen from the
//! database URL; each has its own migrations, run at start-up.
//!
//! The SQL is written once in the dialect both share (`$n` parameters in order, `RETURNING`),
//! and [`on_pool!`] expands it for whichever pool this is.

use app::domain::{AreaSlug, OdsCode, Role};
use app::people::{Grant, SignedIn};
use app::ssr::{
    Area, LoginFlow, Notice, Organisation, Practice, SessionRecord, StaffRecord, Store, StoreError,
    StoreResult,
};
use chrono::{DateTime, Utc};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same statement on whichever pool this is.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            Db::Sqlite($pool) => $body,
            Db::Postgres($pool) => $body,
        }
    };
}

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
            let options = PgConnectOptions::from_str(url).map_err(DbStartError::Connect)?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await
                .map_err(DbStartError::Connect)?;
            Db::Postgres(pool)
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(DbStartError::Connect)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5));
            if let Some(parent) = options.get_filename().parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(DbStartError::Folder)?;
                }
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .connect_with(options)
                .await
                .map_err(DbStartError::Connect)?;
            Db::Sqlite(pool)
        } else {
            return Err(DbStartError::UnknownScheme);
        };
        db.migrate().await?;
        Ok(db)
    }

    pub async fn migrate(&self) -> Result<(), DbStartError> {
        match self {
            Db::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await,
            Db::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await,
        }
        .map_err(DbStartError::Migrate)
    }

    pub async fn close(&self) {
        on_pool!(self, p => p.close().await)
    }
}

fn db_err(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict,
        other => StoreError::Database(other.to_string()),
    }
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    id: i64,
    slug: String,
    name: String,
}

impl TryFrom<AreaRow> for Area {
    type Error = StoreError;
    fn try_from(r: AreaRow) -> Result<Self, Self::Error> {
        Ok(Area {
            id: r.id,
            slug: AreaSlug::parse(&r.slug).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            name: r.name,
        })
    }
}

#[derive(sqlx::FromRow)]
struct PracticeRow {
    ods_code: String,
    name: String,
    area_id: i64,
}

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    ods_code: String,
    name: String,
}

#[derive(sqlx::FromRow)]
struct NoticeRow {
    area_id: i64,
    version: i64,
    title: String,
    body_markdown: String,
    published_at: DateTime<Utc>,
}

impl From<NoticeRow> for Notice {
    fn from(r: NoticeRow) -> Self {
        Notice { area_id: r.area_id, version: r.version, title: r.title, body_markdown: r.body_markdown, published_at: r.published_at }
    }
}

#[derive(sqlx::FromRow)]
struct StaffGrantRow {
    subject: String,
    name: String,
    role: Option<String>,
    area_slug: Option<String>,
    area_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    id_hash: String,
    holder: String,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    idle_timeout_secs: i64,
    absolute_expires_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct LoginFlowRow {
    state_hash: String,
    audience: String,
    pkce_verifier: String,
    nonce: String,
    browser_hash: String,
    expires_at: DateTime<Utc>,
}

fn ods(code: &str) -> StoreResult<OdsCode> {
    OdsCode::parse(code).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Folds one row per grant (LEFT JOINed, so people with no grant still appear) into people.
fn fold_staff(rows: Vec<StaffGrantRow>) -> StoreResult<Vec<StaffRecord>> {
    let mut out: Vec<StaffRecord> = Vec::new();
    for r in rows {
        if out.last().map(|s| s.subject != r.subject).unwrap_or(true) {
            out.push(StaffRecord { subject: r.subject.clone(), name: r.name.clone(), grants: Vec::new() });
        }
        if let (Some(role), Some(area_slug), Some(area_name)) = (r.role, r.area_slug, r.area_name) {
            let role = Role::parse(&role).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            if let Some(last) = out.last_mut() {
                last.grants.push(Grant { role, area_slug, area_name });
            }
        }
    }
    Ok(out)
}

const STAFF_SELECT: &str = "SELECT s.subject, s.name, r.role, a.slug AS area_slug, a.name AS area_name
     FROM staff s
     LEFT JOIN staff_roles r ON r.subject = s.subject
     LEFT JOIN areas a ON a.id = r.area_id";

#[async_trait::async_trait]
impl Store for Db {
    fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    async fn ping(&self) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("SELECT 1").execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn list_areas(&self) -> StoreResult<Vec<Area>> {
        let rows: Vec<AreaRow> = on_pool!(self, p => sqlx::query_as("SELECT id, slug, name FROM areas ORDER BY name")
            .fetch_all(p).await.map_err(db_err))?;
        rows.into_iter().map(Area::try_from).collect()
    }

    async fn area_by_slug(&self, slug: &AreaSlug) -> StoreResult<Option<Area>> {
        let row: Option<AreaRow> = on_pool!(self, p => sqlx::query_as("SELECT id, slug, name FROM areas WHERE slug = $1")
            .bind(slug.as_str()).fetch_optional(p).await.map_err(db_err))?;
        row.map(Area::try_from).transpose()
    }

    async fn create_area(&self, slug: &AreaSlug, name: &str) -> StoreResult<Area> {
        let row: AreaRow = on_pool!(self, p => sqlx::query_as(
            "INSERT INTO areas (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id, slug, name")
            .bind(slug.as_str()).bind(name).bind(Utc::now()).fetch_one(p).await.map_err(db_err))?;
        row.try_into()
    }

    async fn add_practice(&self, area_id: i64, code: &OdsCode, name: &str) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("INSERT INTO area_practices (ods_code, area_id, name) VALUES ($1, $2, $3)")
            .bind(code.as_str()).bind(area_id).bind(name).execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn practice(&self, code: &OdsCode) -> StoreResult<Option<Practice>> {
        let row: Option<PracticeRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT ods_code, name, area_id FROM area_practices WHERE ods_code = $1")
            .bind(code.as_str()).fetch_optional(p).await.map_err(db_err))?;
        row.map(|r| Ok(Practice { ods_code: ods(&r.ods_code)?, name: r.name, area_id: r.area_id })).transpose()
    }

    async fn add_organisation(&self, area_id: i64, code: &OdsCode, name: &str) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("INSERT INTO area_organisations (area_id, ods_code, name) VALUES ($1, $2, $3)")
            .bind(area_id).bind(code.as_str()).bind(name).execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn organisations(&self, area_id: i64) -> StoreResult<Vec<Organisation>> {
        let rows: Vec<OrganisationRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT ods_code, name FROM area_organisations WHERE area_id = $1 ORDER BY name")
            .bind(area_id).fetch_all(p).await.map_err(db_err))?;
        rows.into_iter().map(|r| Ok(Organisation { ods_code: ods(&r.ods_code)?, name: r.name })).collect()
    }

    async fn publish_notice(&self, area_id: i64, title: &str, body: &str, at: DateTime<Utc>) -> StoreResult<Notice> {
        let row: NoticeRow = on_pool!(self, p => sqlx::query_as(
            "INSERT INTO notices (area_id, version, title, body_markdown, published_at)
             VALUES ($1, (SELECT COALESCE(MAX(version), 0) + 1 FROM notices WHERE area_id = $1), $2, $3, $4)
             RETURNING area_id, version, title, body_markdown, published_at")
            .bind(area_id).bind(title).bind(body).bind(at).fetch_one(p).await.map_err(db_err))?;
        Ok(row.into())
    }

    async fn current_notice(&self, area_id: i64, now: DateTime<Utc>) -> StoreResult<Option<Notice>> {
        let row: Option<NoticeRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT area_id, version, title, body_markdown, published_at FROM notices
             WHERE area_id = $1 AND published_at <= $2 ORDER BY version DESC LIMIT 1")
            .bind(area_id).bind(now).fetch_optional(p).await.map_err(db_err))?;
        Ok(row.map(Into::into))
    }

    async fn add_staff_grant(&self, subject: &str, name: &str, role: Role, area: &AreaSlug) -> StoreResult<()> {
        let area = self.area_by_slug(area).await?.ok_or(StoreError::NotFound)?;
        on_pool!(self, p => {
            let mut tx = p.begin().await.map_err(db_err)?;
            sqlx::query("INSERT INTO staff (subject, name, created_at) VALUES ($1, $2, $3)
                         ON CONFLICT (subject) DO UPDATE SET name = excluded.name")
                .bind(subject).bind(name).bind(Utc::now()).execute(&mut *tx).await.map_err(db_err)?;
            sqlx::query("INSERT INTO staff_roles (subject, role, area_id) VALUES ($1, $2, $3)
                         ON CONFLICT DO NOTHING")
                .bind(subject).bind(role.as_str()).bind(area.id).execute(&mut *tx).await.map_err(db_err)?;
            tx.commit().await.map_err(db_err)
        })
    }

    async fn remove_staff(&self, subject: &str, grant: Option<(Role, &AreaSlug)>) -> StoreResult<u64> {
        match grant {
            Some((role, area)) => on_pool!(self, p => sqlx::query(
                "DELETE FROM staff_roles WHERE subject = $1 AND role = $2
                 AND area_id = (SELECT id FROM areas WHERE slug = $3)")
                .bind(subject).bind(role.as_str()).bind(area.as_str()).execute(p).await
                .map(|r| r.rows_affected()).map_err(db_err)),
            None => on_pool!(self, p => {
                let mut tx = p.begin().await.map_err(db_err)?;
                let n = sqlx::query("DELETE FROM staff_roles WHERE subject = $1")
                    .bind(subject).execute(&mut *tx).await.map_err(db_err)?.rows_affected();
                let people = sqlx::query("DELETE FROM staff WHERE subject = $1")
                    .bind(subject).execute(&mut *tx).await.map_err(db_err)?.rows_affected();
                tx.commit().await.map_err(db_err)?;
                Ok(n.max(people))
            }),
        }
    }

    async fn staff_member(&self, subject: &str) -> StoreResult<Option<StaffRecord>> {
        let sql = format!("{STAFF_SELECT} WHERE s.subject = $1 ORDER BY s.subject, a.name, r.role");
        let rows: Vec<StaffGrantRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(subject).fetch_all(p).await.map_err(db_err))?;
        Ok(fold_staff(rows)?.into_iter().next())
    }

    async fn list_staff(&self) -> StoreResult<Vec<StaffRecord>> {
        let sql = format!("{STAFF_SELECT} ORDER BY s.subject, a.name, r.role");
        let rows: Vec<StaffGrantRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await.map_err(db_err))?;
        fold_staff(rows)
    }

    async fn create_session(&self, s: &SessionRecord) -> StoreResult<()> {
        let holder = serde_json::to_string(&s.holder).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_pool!(self, p => sqlx::query(
            "INSERT INTO sessions (id_hash, kind, subject, holder, created_at, last_seen_at, idle_expires_at, idle_timeout_secs, absolute_expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(&s.id_hash).bind(s.holder.kind()).bind(s.holder.subject()).bind(holder)
            .bind(s.created_at).bind(s.last_seen_at)
            .bind(s.last_seen_at + chrono::Duration::seconds(s.idle_timeout_secs)).bind(s.idle_timeout_secs).bind(s.absolute_expires_at)
            .execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn session(&self, id_hash: &str) -> StoreResult<Option<SessionRecord>> {
        let row: Option<SessionRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id_hash, holder, created_at, last_seen_at, idle_timeout_secs, absolute_expires_at
             FROM sessions WHERE id_hash = $1")
            .bind(id_hash).fetch_optional(p).await.map_err(db_err))?;
        row.map(|r| {
            let holder: SignedIn = serde_json::from_str(&r.holder).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            Ok(SessionRecord {
                id_hash: r.id_hash,
                holder,
                created_at: r.created_at,
                last_seen_at: r.last_seen_at,
                idle_timeout_secs: r.idle_timeout_secs,
                absolute_expires_at: r.absolute_expires_at,
            })
        })
        .transpose()
    }

    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>, idle_expires_at: DateTime<Utc>) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query(
            "UPDATE sessions SET last_seen_at = $1, idle_expires_at = $2 WHERE id_hash = $3")
            .bind(at).bind(idle_expires_at).bind(id_hash).execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash).execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let gone = on_pool!(self, p => sqlx::query(
            "DELETE FROM sessions WHERE absolute_expires_at <= $1 OR idle_expires_at <= $1")
            .bind(now).execute(p).await.map(|r| r.rows_affected()).map_err(db_err))?;
        on_pool!(self, p => sqlx::query("DELETE FROM login_flows WHERE expires_at <= $1")
            .bind(now).execute(p).await.map(|_| ()).map_err(db_err))?;
        Ok(gone)
    }

    async fn put_login_flow(&self, f: &LoginFlow) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query(
            "INSERT INTO login_flows (state_hash, audience, pkce_verifier, nonce, browser_hash, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&f.state_hash).bind(&f.audience).bind(&f.pkce_verifier).bind(&f.nonce)
            .bind(&f.browser_hash).bind(f.expires_at)
            .execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn take_login_flow(&self, state_hash: &str) -> StoreResult<Option<LoginFlow>> {
        // DELETE … RETURNING takes it atomically: two callbacks racing with one state get one flow.
        let row: Option<LoginFlowRow> = on_pool!(self, p => sqlx::query_as(
            "DELETE FROM login_flows WHERE state_hash = $1
             RETURNING state_hash, audience, pkce_verifier, nonce, browser_hash, expires_at")
            .bind(state_hash).fetch_optional(p).await.map_err(db_err))?;
        Ok(row.map(|r| LoginFlow {
            state_hash: r.state_hash,
            audience: r.audience,
            pkce_verifier: r.pkce_verifier,
            nonce: r.nonce,
            browser_hash: r.browser_hash,
            expires_at: r.expires_at,
        }))
    }
}
