//! The two storage backends behind `app::ssr::Store`: SQLite (the embedded default) and
//! PostgreSQL (for several instances sharing one database). The backend is chosen from the
//! database URL; each has its own migrations, run at start-up.
//!
//! The SQL is written once in the dialect both share (`$n` parameters in order, `RETURNING`),
//! and [`on_pool!`] expands it for whichever pool this is.

use app::domain::{AreaSlug, BankHolidays, CaseKind, CaseReference, CaseStatus, Contact, NhsNumber, OdsCode, Role};
use app::people::{Grant, SignedIn};
use app::ssr::{
    AccessEvent, AccessQuery, EventSource,
    AssigneeFilter, CaseOutcome, CaseUpdate, DecisionTemplate, DocumentMeta, ObjectionEffect, NewDocument, QueueQuery, StaffAction,
    Actor, Area, CaseDetails, CaseEvent, CasePatient, CaseRecord, Draft, LoginFlow, MessageStatus, NewCase,
    NewMessage, Notice, NoticeDraft, NoticeReview, DraftStatus, ReviewStep, EngagementItem, CaseFigure, Organisation, OutboxMessage, Practice, SessionRecord, StaffRecord, Store,
    StoreError, StoreResult, StoredClock,
};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
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
                .busy_timeout(Duration::from_secs(5))
                // Reads go through the OS page cache by memory map rather than a copy per page.
                .pragma("mmap_size", "1073741824")
                .pragma("cache_size", "-32000");
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
    show_staff_names: bool,
    concern_working_days: i64,
    retention_months: i64,
}

impl TryFrom<AreaRow> for Area {
    type Error = StoreError;
    fn try_from(r: AreaRow) -> Result<Self, Self::Error> {
        Ok(Area {
            id: r.id,
            slug: AreaSlug::parse(&r.slug).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            name: r.name,
            show_staff_names: r.show_staff_names,
            concern_working_days: r.concern_working_days,
            retention_months: r.retention_months,
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

const NOTICE_COLUMNS: &str =
    "id, area_id, variant, version, title, body_markdown, published_at, author_name, approver_name, submitted_at, approved_at";

#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: i64,
    area_id: i64,
    variant: String,
    version: i64,
    title: String,
    body_markdown: String,
    published_at: DateTime<Utc>,
    author_name: Option<String>,
    approver_name: Option<String>,
    submitted_at: Option<DateTime<Utc>>,
    approved_at: Option<DateTime<Utc>>,
}

impl From<NoticeRow> for Notice {
    fn from(r: NoticeRow) -> Self {
        Notice {
            id: r.id,
            area_id: r.area_id,
            variant: r.variant,
            version: r.version,
            title: r.title,
            body_markdown: r.body_markdown,
            published_at: r.published_at,
            author_name: r.author_name,
            approver_name: r.approver_name,
            submitted_at: r.submitted_at,
            approved_at: r.approved_at,
        }
    }
}

const ENGAGEMENT_COLUMNS: &str = "id, area_id, kind, title, summary, starts_at, ends_at, place, online_url, accessibility,
     how_to_respond, publish_at, withdrawn_at, withdrawn_reason, created_by_name, created_at";

#[derive(sqlx::FromRow)]
struct EngagementRow {
    id: i64,
    area_id: i64,
    kind: String,
    title: String,
    summary: String,
    starts_at: Option<DateTime<Utc>>,
    ends_at: Option<DateTime<Utc>>,
    place: Option<String>,
    online_url: Option<String>,
    accessibility: Option<String>,
    how_to_respond: Option<String>,
    publish_at: DateTime<Utc>,
    withdrawn_at: Option<DateTime<Utc>>,
    withdrawn_reason: Option<String>,
    created_by_name: String,
    created_at: DateTime<Utc>,
}

impl From<EngagementRow> for EngagementItem {
    fn from(r: EngagementRow) -> Self {
        EngagementItem {
            id: r.id,
            area_id: r.area_id,
            kind: r.kind,
            title: r.title,
            summary: r.summary,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            place: r.place,
            online_url: r.online_url,
            accessibility: r.accessibility,
            how_to_respond: r.how_to_respond,
            publish_at: r.publish_at,
            withdrawn_at: r.withdrawn_at,
            withdrawn_reason: r.withdrawn_reason,
            created_by_name: r.created_by_name,
            created_at: r.created_at,
        }
    }
}

const DRAFT_COLUMNS: &str = "id, area_id, variant, title, body_markdown, status, author_subject, author_name, approver_subject,
     approver_name, publish_at, submitted_at, approved_at, created_at, updated_at, notice_id";

#[derive(sqlx::FromRow)]
struct NoticeDraftRow {
    id: i64,
    area_id: i64,
    variant: String,
    title: String,
    body_markdown: String,
    status: String,
    author_subject: String,
    author_name: String,
    approver_subject: Option<String>,
    approver_name: Option<String>,
    publish_at: Option<DateTime<Utc>>,
    submitted_at: Option<DateTime<Utc>>,
    approved_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    notice_id: Option<i64>,
}

impl TryFrom<NoticeDraftRow> for NoticeDraft {
    type Error = StoreError;
    fn try_from(r: NoticeDraftRow) -> StoreResult<Self> {
        Ok(NoticeDraft {
            id: r.id,
            area_id: r.area_id,
            variant: r.variant,
            title: r.title,
            body_markdown: r.body_markdown,
            status: DraftStatus::parse(&r.status).ok_or_else(|| StoreError::Corrupt(format!("draft status {}", r.status)))?,
            author_subject: r.author_subject,
            author_name: r.author_name,
            approver_subject: r.approver_subject,
            approver_name: r.approver_name,
            publish_at: r.publish_at,
            submitted_at: r.submitted_at,
            approved_at: r.approved_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            notice_id: r.notice_id,
        })
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


fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(corrupt)
}

#[derive(sqlx::FromRow)]
struct DraftRow {
    key: String,
    owner_subject: String,
    form: String,
    answers: String,
    errors: String,
    updated_at: DateTime<Utc>,
}

impl TryFrom<DraftRow> for Draft {
    type Error = StoreError;
    fn try_from(r: DraftRow) -> Result<Self, Self::Error> {
        Ok(Draft {
            key: r.key,
            owner_subject: r.owner_subject,
            form: r.form,
            answers: serde_json::from_str(&r.answers).map_err(corrupt)?,
            errors: serde_json::from_str(&r.errors).map_err(corrupt)?,
            updated_at: r.updated_at,
        })
    }
}

const CASE_COLUMNS: &str = "id, reference, area_id, kind, status, patient_subject, patient_nhs_number, patient_name,
     patient_birth_date, details, contact, received_on, due_on, clock, assignee, outcome, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    reference: String,
    area_id: i64,
    kind: String,
    status: String,
    patient_subject: String,
    patient_nhs_number: String,
    patient_name: String,
    patient_birth_date: Option<String>,
    details: String,
    contact: String,
    received_on: NaiveDate,
    due_on: Option<NaiveDate>,
    clock: String,
    assignee: Option<String>,
    outcome: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<CaseRow> for CaseRecord {
    type Error = StoreError;
    fn try_from(r: CaseRow) -> Result<Self, Self::Error> {
        Ok(CaseRecord {
            id: r.id,
            reference: CaseReference::parse(&r.reference).ok_or_else(|| corrupt("case reference"))?,
            area_id: r.area_id,
            kind: CaseKind::parse(&r.kind).ok_or_else(|| corrupt("case kind"))?,
            status: CaseStatus::parse(&r.status).ok_or_else(|| corrupt("case status"))?,
            patient: CasePatient {
                subject: r.patient_subject,
                nhs_number: NhsNumber::parse(&r.patient_nhs_number).map_err(corrupt)?,
                name: r.patient_name,
                birth_date: r.patient_birth_date,
            },
            details: serde_json::from_str::<CaseDetails>(&r.details).map_err(corrupt)?,
            contact: serde_json::from_str::<Contact>(&r.contact).map_err(corrupt)?,
            received_on: r.received_on,
            due_on: r.due_on,
            clock: serde_json::from_str::<StoredClock>(&r.clock).map_err(corrupt)?,
            assignee: r.assignee,
            outcome: r.outcome.map(|o| serde_json::from_str::<CaseOutcome>(&o)).transpose().map_err(corrupt)?,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct CaseEventRow {
    at: DateTime<Utc>,
    actor: String,
    actor_subject: Option<String>,
    actor_name: Option<String>,
    kind: String,
    public: bool,
    text: String,
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    id: i64,
    case_id: i64,
    channel: String,
    recipient: String,
    template: String,
    reference: String,
    attempts: i32,
}

#[derive(sqlx::FromRow)]
struct MessageStatusRow {
    template: String,
    channel: String,
    attempts: i32,
    sent: bool,
    failed: bool,
}

/// The same statements inside one transaction on either backend.
macro_rules! in_tx {
    ($db:expr, $tx:ident => $body:expr) => {
        match $db {
            Db::Sqlite(p) => {
                let mut $tx = p.begin().await.map_err(db_err)?;
                let out = $body;
                $tx.commit().await.map_err(db_err)?;
                out
            }
            Db::Postgres(p) => {
                let mut $tx = p.begin().await.map_err(db_err)?;
                let out = $body;
                $tx.commit().await.map_err(db_err)?;
                out
            }
        }
    };
}

#[derive(sqlx::FromRow)]
struct SourceRow {
    id: i64,
    name: String,
    client_id: String,
    secret_hash: String,
    created_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    first_event_at: Option<DateTime<Utc>>,
    latest_event_at: Option<DateTime<Utc>>,
    area_id: Option<i64>,
}

impl From<SourceRow> for EventSource {
    fn from(r: SourceRow) -> Self {
        EventSource {
            id: r.id,
            name: r.name,
            client_id: r.client_id,
            secret_hash: r.secret_hash,
            created_at: r.created_at,
            revoked_at: r.revoked_at,
            first_event_at: r.first_event_at,
            latest_event_at: r.latest_event_at,
            area_id: r.area_id,
        }
    }
}

const SOURCE_COLUMNS: &str = "id, name, client_id, secret_hash, created_at, revoked_at, first_event_at, latest_event_at, area_id";

#[derive(sqlx::FromRow)]
struct AccessRow {
    id: i64,
    source_id: Option<i64>,
    source_event_id: String,
    nhs_number: String,
    recorded_at: DateTime<Utc>,
    agent_name: String,
    agent_id: Option<String>,
    agent_role: Option<String>,
    org_ods: Option<String>,
    org_name: Option<String>,
    purpose: String,
    emergency: bool,
    viewed: String,
    outcome: String,
    automated: bool,
    observer: String,
}

impl From<AccessRow> for AccessEvent {
    fn from(r: AccessRow) -> Self {
        AccessEvent {
            id: r.id,
            source_id: r.source_id,
            source_event_id: r.source_event_id,
            nhs_number: r.nhs_number,
            recorded_at: r.recorded_at,
            agent_name: r.agent_name,
            agent_id: r.agent_id,
            agent_role: r.agent_role,
            org_ods: r.org_ods,
            org_name: r.org_name,
            purpose: r.purpose,
            emergency: r.emergency,
            viewed: r.viewed,
            outcome: r.outcome,
            automated: r.automated,
            observer: r.observer,
        }
    }
}

const ACCESS_COLUMNS: &str = "id, source_id, source_event_id, nhs_number, recorded_at, agent_name, agent_id, agent_role,
     org_ods, org_name, purpose, emergency, viewed, outcome, automated, observer";

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
fn param(binds: &mut Vec<Bind>, b: Bind) -> String {
    binds.push(b);
    format!("${}", binds.len())
}

/// A value bound into a statement built at run time.
enum Bind {
    Text(Option<String>),
    Date(Option<NaiveDate>),
    Time(DateTime<Utc>),
    Int(i64),
}

#[derive(sqlx::FromRow)]
struct DocumentRow {
    id: i64,
    role: String,
    file_name: String,
    content_type: String,
    size: i64,
    added_by: String,
    added_at: DateTime<Utc>,
}

impl From<DocumentRow> for DocumentMeta {
    fn from(r: DocumentRow) -> Self {
        DocumentMeta { id: r.id, role: r.role, file_name: r.file_name, content_type: r.content_type, size: r.size, added_by: r.added_by, added_at: r.added_at }
    }
}

const INSERT_ACTION: &str = "INSERT INTO staff_actions (at, actor_subject, area_id, case_id, action, detail) VALUES ($1, $2, $3, $4, $5, $6)";

const INSERT_EVENT: &str = "INSERT INTO case_events (case_id, at, actor, actor_subject, actor_name, kind, public, text)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const INSERT_MESSAGE: &str = "INSERT INTO outbox (case_id, channel, recipient, template, reference, created_at, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)";

fn recipient(c: &Contact) -> &str {
    match c {
        Contact::Email(s) | Contact::Text(s) | Contact::Post(s) => s,
    }
}

fn message_binds(m: &NewMessage) -> (&'static str, &str, &str, &str) {
    (m.contact.method(), recipient(&m.contact), m.template.as_str(), m.reference.as_str())
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
        let rows: Vec<AreaRow> = on_pool!(self, p => sqlx::query_as("SELECT id, slug, name, show_staff_names, CAST(concern_working_days AS BIGINT) AS concern_working_days, CAST(retention_months AS BIGINT) AS retention_months FROM areas ORDER BY name")
            .fetch_all(p).await.map_err(db_err))?;
        rows.into_iter().map(Area::try_from).collect()
    }

    async fn area_by_slug(&self, slug: &AreaSlug) -> StoreResult<Option<Area>> {
        let row: Option<AreaRow> = on_pool!(self, p => sqlx::query_as("SELECT id, slug, name, show_staff_names, CAST(concern_working_days AS BIGINT) AS concern_working_days, CAST(retention_months AS BIGINT) AS retention_months FROM areas WHERE slug = $1")
            .bind(slug.as_str()).fetch_optional(p).await.map_err(db_err))?;
        row.map(Area::try_from).transpose()
    }

    async fn create_area(&self, slug: &AreaSlug, name: &str) -> StoreResult<Area> {
        let row: AreaRow = on_pool!(self, p => sqlx::query_as(
            "INSERT INTO areas (slug, name, created_at) VALUES ($1, $2, $3) RETURNING id, slug, name, show_staff_names, CAST(concern_working_days AS BIGINT) AS concern_working_days, CAST(retention_months AS BIGINT) AS retention_months")
            .bind(slug.as_str()).bind(name).bind(Utc::now()).fetch_one(p).await.map_err(db_err))?;
        row.try_into()
    }

    async fn set_area_access_settings(&self, area_id: i64, show_staff_names: bool, concern_working_days: i64) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("UPDATE areas SET show_staff_names = $1, concern_working_days = $2 WHERE id = $3")
            .bind(show_staff_names).bind(concern_working_days).bind(area_id).execute(p).await.map(|_| ()).map_err(db_err))
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

    async fn rename_area(&self, area_id: i64, name: &str) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("UPDATE areas SET name = $1 WHERE id = $2")
            .bind(name).bind(area_id).execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn set_area_retention(&self, area_id: i64, months: i64) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("UPDATE areas SET retention_months = $1 WHERE id = $2")
            .bind(months).bind(area_id).execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn practices(&self, area_id: i64) -> StoreResult<Vec<Practice>> {
        let rows: Vec<PracticeRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT ods_code, name, area_id FROM area_practices WHERE area_id = $1 ORDER BY name")
            .bind(area_id).fetch_all(p).await.map_err(db_err))?;
        rows.into_iter().map(|r| Ok(Practice { ods_code: ods(&r.ods_code)?, name: r.name, area_id: r.area_id })).collect()
    }

    async fn remove_practice(&self, area_id: i64, code: &OdsCode) -> StoreResult<u64> {
        on_pool!(self, p => sqlx::query("DELETE FROM area_practices WHERE area_id = $1 AND ods_code = $2")
            .bind(area_id).bind(code.as_str()).execute(p).await.map(|r| r.rows_affected()).map_err(db_err))
    }

    async fn remove_organisation(&self, area_id: i64, code: &OdsCode) -> StoreResult<u64> {
        on_pool!(self, p => sqlx::query("DELETE FROM area_organisations WHERE area_id = $1 AND ods_code = $2")
            .bind(area_id).bind(code.as_str()).execute(p).await.map(|r| r.rows_affected()).map_err(db_err))
    }

    async fn set_source_area(&self, source_id: i64, area_id: Option<i64>) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("UPDATE event_sources SET area_id = $1 WHERE id = $2")
            .bind(area_id).bind(source_id).execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn delete_area_access_events_before(&self, area_id: i64, cutoff: DateTime<Utc>, limit: i64) -> StoreResult<u64> {
        on_pool!(self, p => sqlx::query(
            "DELETE FROM access_events WHERE id IN (
                 SELECT id FROM access_events WHERE source_id IN (SELECT id FROM event_sources WHERE area_id = $1)
                 AND recorded_at < $2 ORDER BY id LIMIT $3)")
            .bind(area_id).bind(cutoff).bind(limit).execute(p).await.map(|r| r.rows_affected()).map_err(db_err))
    }

    async fn organisations(&self, area_id: i64) -> StoreResult<Vec<Organisation>> {
        let rows: Vec<OrganisationRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT ods_code, name FROM area_organisations WHERE area_id = $1 ORDER BY name")
            .bind(area_id).fetch_all(p).await.map_err(db_err))?;
        rows.into_iter().map(|r| Ok(Organisation { ods_code: ods(&r.ods_code)?, name: r.name })).collect()
    }

    async fn publish_notice(&self, area_id: i64, variant: &str, title: &str, body: &str, at: DateTime<Utc>) -> StoreResult<Notice> {
        let sql = format!(
            "INSERT INTO notices (area_id, variant, version, title, body_markdown, published_at)
             VALUES ($1, $2, (SELECT COALESCE(MAX(version), 0) + 1 FROM notices WHERE area_id = $1 AND variant = $2), $3, $4, $5)
             RETURNING {NOTICE_COLUMNS}"
        );
        let row: NoticeRow = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(area_id).bind(variant).bind(title).bind(body).bind(at).fetch_one(p).await.map_err(db_err))?;
        Ok(row.into())
    }

    async fn current_notice(&self, area_id: i64, variant: &str, now: DateTime<Utc>) -> StoreResult<Option<Notice>> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM notices WHERE area_id = $1 AND variant = $2 AND published_at <= $3 ORDER BY version DESC LIMIT 1"
        );
        let row: Option<NoticeRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(area_id).bind(variant).bind(now).fetch_optional(p).await.map_err(db_err))?;
        Ok(row.map(Into::into))
    }

    async fn notice_versions(&self, area_id: i64) -> StoreResult<Vec<Notice>> {
        let sql = format!("SELECT {NOTICE_COLUMNS} FROM notices WHERE area_id = $1 ORDER BY variant, version");
        let rows: Vec<NoticeRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(area_id).fetch_all(p).await.map_err(db_err))?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn start_notice_draft(&self, area_id: i64, variant: &str, title: &str, body: &str, author: (&str, &str), now: DateTime<Utc>) -> StoreResult<NoticeDraft> {
        let sql = format!(
            "INSERT INTO notice_drafts (area_id, variant, title, body_markdown, status, author_subject, author_name, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $7) RETURNING {DRAFT_COLUMNS}"
        );
        let row: NoticeDraftRow = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(area_id).bind(variant).bind(title).bind(body).bind(author.0).bind(author.1).bind(now)
            .fetch_one(p).await.map_err(db_err))?;
        row.try_into()
    }

    async fn notice_draft(&self, id: i64) -> StoreResult<Option<NoticeDraft>> {
        let sql = format!("SELECT {DRAFT_COLUMNS} FROM notice_drafts WHERE id = $1");
        let row: Option<NoticeDraftRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await.map_err(db_err))?;
        row.map(TryInto::try_into).transpose()
    }

    async fn open_notice_drafts(&self, area_id: i64) -> StoreResult<Vec<NoticeDraft>> {
        let sql = format!(
            "SELECT {DRAFT_COLUMNS} FROM notice_drafts WHERE area_id = $1 AND status IN ('draft','submitted','returned','approved') ORDER BY variant"
        );
        let rows: Vec<NoticeDraftRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(area_id).fetch_all(p).await.map_err(db_err))?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn save_notice_draft(&self, id: i64, author_subject: &str, title: &str, body: &str, now: DateTime<Utc>) -> StoreResult<()> {
        let changed = on_pool!(self, p => sqlx::query(
            "UPDATE notice_drafts SET title = $1, body_markdown = $2, updated_at = $3
             WHERE id = $4 AND author_subject = $5 AND status IN ('draft', 'returned')")
            .bind(title).bind(body).bind(now).bind(id).bind(author_subject)
            .execute(p).await.map(|r| r.rows_affected()).map_err(db_err))?;
        if changed == 1 { Ok(()) } else { Err(StoreError::NotFound) }
    }

    async fn review_notice_draft(&self, id: i64, actor: (&str, &str), step: &ReviewStep, now: DateTime<Utc>) -> StoreResult<()> {
        // Each move's guard is in its WHERE clause, so two people acting at once cannot both win.
        let (sql, action, comment, publish_at): (&str, &str, Option<&str>, Option<DateTime<Utc>>) = match step {
            ReviewStep::Submit => (
                "UPDATE notice_drafts SET status = 'submitted', submitted_at = $1, updated_at = $1
                 WHERE id = $2 AND author_subject = $3 AND status IN ('draft', 'returned')",
                "submitted", None, None,
            ),
            ReviewStep::Discard => (
                "UPDATE notice_drafts SET status = 'discarded', updated_at = $1
                 WHERE id = $2 AND author_subject = $3 AND status IN ('draft', 'returned')",
                "discarded", None, None,
            ),
            ReviewStep::Return { comment } => (
                "UPDATE notice_drafts SET status = 'returned', updated_at = $1
                 WHERE id = $2 AND author_subject <> $3 AND status = 'submitted'",
                "returned", Some(comment.as_str()), None,
            ),
            ReviewStep::Approve { publish_at } => (
                "UPDATE notice_drafts SET status = 'approved', approved_at = $1, updated_at = $1, publish_at = $4,
                     approver_subject = $3, approver_name = (SELECT name FROM staff WHERE subject = $3)
                 WHERE id = $2 AND author_subject <> $3 AND status = 'submitted'",
                "approved", None, Some(*publish_at),
            ),
        };
        in_tx!(self, tx => {
            let mut update = sqlx::query(sql).bind(now).bind(id).bind(actor.0);
            if let Some(at) = publish_at {
                update = update.bind(at);
            }
            let changed = update.execute(&mut *tx).await.map_err(db_err)?.rows_affected();
            if changed != 1 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("INSERT INTO notice_reviews (draft_id, at, actor_name, action, comment) VALUES ($1, $2, $3, $4, $5)")
                .bind(id).bind(now).bind(actor.1).bind(action).bind(comment)
                .execute(&mut *tx).await.map_err(db_err)?;
            Ok(())
        })
    }

    async fn notice_reviews(&self, draft_id: i64) -> StoreResult<Vec<NoticeReview>> {
        let rows: Vec<(DateTime<Utc>, String, String, Option<String>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT at, actor_name, action, comment FROM notice_reviews WHERE draft_id = $1 ORDER BY at, id")
            .bind(draft_id).fetch_all(p).await.map_err(db_err))?;
        Ok(rows.into_iter().map(|(at, actor_name, action, comment)| NoticeReview { at, actor_name, action, comment }).collect())
    }

    async fn publish_due_notices(&self, now: DateTime<Utc>) -> StoreResult<Vec<Notice>> {
        let due: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT id FROM notice_drafts WHERE status = 'approved' AND publish_at <= $1 ORDER BY publish_at, id")
            .bind(now).fetch_all(p).await.map_err(db_err))?;
        let mut published = Vec::new();
        let insert = format!(
            "INSERT INTO notices (area_id, variant, version, title, body_markdown, published_at, author_name, approver_name, submitted_at, approved_at)
             SELECT area_id, variant, (SELECT COALESCE(MAX(version), 0) + 1 FROM notices n WHERE n.area_id = d.area_id AND n.variant = d.variant),
                    title, body_markdown, $1, author_name, approver_name, submitted_at, approved_at
             FROM notice_drafts d WHERE id = $2
             RETURNING {NOTICE_COLUMNS}"
        );
        for id in due {
            // The guarded update is the claim: of several instances, one changes the row and
            // publishes; the others change nothing and move on.
            let notice: Option<NoticeRow> = in_tx!(self, tx => {
                let claimed = sqlx::query("UPDATE notice_drafts SET status = 'published', updated_at = $1 WHERE id = $2 AND status = 'approved'")
                    .bind(now).bind(id).execute(&mut *tx).await.map_err(db_err)?.rows_affected();
                if claimed == 1 {
                    let row: NoticeRow = sqlx::query_as(&insert).bind(now).bind(id).fetch_one(&mut *tx).await.map_err(db_err)?;
                    sqlx::query("UPDATE notice_drafts SET notice_id = $1 WHERE id = $2").bind(row.id).bind(id)
                        .execute(&mut *tx).await.map_err(db_err)?;
                    sqlx::query("INSERT INTO notice_reviews (draft_id, at, actor_name, action) VALUES ($1, $2, 'The portal', 'published')")
                        .bind(id).bind(now).execute(&mut *tx).await.map_err(db_err)?;
                    Some(row)
                } else {
                    None
                }
            });
            published.extend(notice.map(Notice::from));
        }
        Ok(published)
    }

    async fn add_engagement_item(&self, i: &EngagementItem) -> StoreResult<EngagementItem> {
        let sql = format!(
            "INSERT INTO engagement_items (area_id, kind, title, summary, starts_at, ends_at, place, online_url, accessibility,
                 how_to_respond, publish_at, created_by_name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING {ENGAGEMENT_COLUMNS}"
        );
        let row: EngagementRow = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(i.area_id).bind(&i.kind).bind(&i.title).bind(&i.summary).bind(i.starts_at).bind(i.ends_at).bind(&i.place)
            .bind(&i.online_url).bind(&i.accessibility).bind(&i.how_to_respond).bind(i.publish_at).bind(&i.created_by_name).bind(i.created_at)
            .fetch_one(p).await.map_err(db_err))?;
        Ok(row.into())
    }

    async fn engagement_items(&self, area_id: i64) -> StoreResult<Vec<EngagementItem>> {
        let sql = format!("SELECT {ENGAGEMENT_COLUMNS} FROM engagement_items WHERE area_id = $1 ORDER BY publish_at DESC, id DESC");
        let rows: Vec<EngagementRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(area_id).fetch_all(p).await.map_err(db_err))?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn withdraw_engagement_item(&self, area_id: i64, id: i64, reason: &str, now: DateTime<Utc>) -> StoreResult<()> {
        let changed = on_pool!(self, p => sqlx::query(
            "UPDATE engagement_items SET withdrawn_at = $1, withdrawn_reason = $2 WHERE id = $3 AND area_id = $4 AND withdrawn_at IS NULL")
            .bind(now).bind(reason).bind(id).bind(area_id).execute(p).await.map(|r| r.rows_affected()).map_err(db_err))?;
        if changed == 1 { Ok(()) } else { Err(StoreError::NotFound) }
    }

    async fn case_figures(&self, area_id: i64) -> StoreResult<Vec<CaseFigure>> {
        let rows: Vec<(String, String, NaiveDate, Option<NaiveDate>, Option<DateTime<Utc>>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT c.kind, c.status, c.received_on, c.due_on,
                    (SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND e.kind IN ('decided', 'fulfilled'))
             FROM cases c WHERE c.area_id = $1")
            .bind(area_id).fetch_all(p).await.map_err(db_err))?;
        rows.into_iter()
            .map(|(kind, status, received_on, due_on, closed_at)| {
                Ok(CaseFigure {
                    kind: CaseKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("case kind {kind}")))?,
                    status: CaseStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("case status {status}")))?,
                    received_on,
                    due_on,
                    closed_at,
                })
            })
            .collect()
    }

    async fn count_notice_view(&self, notice_id: i64, day: NaiveDate) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query(
            "INSERT INTO notice_views (notice_id, day, views) VALUES ($1, $2, 1)
             ON CONFLICT (notice_id, day) DO UPDATE SET views = notice_views.views + 1")
            .bind(notice_id).bind(day).execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn notice_views(&self, area_id: i64, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<(i64, NaiveDate, i64)>> {
        on_pool!(self, p => sqlx::query_as(
            "SELECT v.notice_id, v.day, v.views FROM notice_views v JOIN notices n ON n.id = v.notice_id
             WHERE n.area_id = $1 AND v.day >= $2 AND v.day <= $3 ORDER BY v.day, v.notice_id")
            .bind(area_id).bind(from).bind(to).fetch_all(p).await.map_err(db_err))
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

    async fn save_draft(&self, d: &Draft) -> StoreResult<()> {
        let answers = to_json(&d.answers)?;
        let errors = to_json(&d.errors)?;
        let n = on_pool!(self, p => sqlx::query(
            "INSERT INTO form_drafts (key, owner_subject, form, answers, errors, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (key) DO UPDATE SET answers = excluded.answers, errors = excluded.errors, updated_at = excluded.updated_at
             WHERE form_drafts.owner_subject = excluded.owner_subject AND form_drafts.form = excluded.form")
            .bind(&d.key).bind(&d.owner_subject).bind(&d.form).bind(answers).bind(errors).bind(d.updated_at)
            .execute(p).await.map(|r| r.rows_affected()).map_err(db_err))?;
        if n == 0 {
            return Err(StoreError::Conflict);
        }
        Ok(())
    }

    async fn draft(&self, key: &str, owner: &str) -> StoreResult<Option<Draft>> {
        let row: Option<DraftRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT key, owner_subject, form, answers, errors, updated_at FROM form_drafts WHERE key = $1 AND owner_subject = $2")
            .bind(key).bind(owner).fetch_optional(p).await.map_err(db_err))?;
        row.map(Draft::try_from).transpose()
    }

    async fn take_draft(&self, key: &str, owner: &str) -> StoreResult<Option<Draft>> {
        let row: Option<DraftRow> = on_pool!(self, p => sqlx::query_as(
            "DELETE FROM form_drafts WHERE key = $1 AND owner_subject = $2 RETURNING key, owner_subject, form, answers, errors, updated_at")
            .bind(key).bind(owner).fetch_optional(p).await.map_err(db_err))?;
        row.map(Draft::try_from).transpose()
    }

    async fn delete_old_drafts(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        on_pool!(self, p => sqlx::query("DELETE FROM form_drafts WHERE updated_at < $1")
            .bind(before).execute(p).await.map(|r| r.rows_affected()).map_err(db_err))
    }

    async fn open_case(&self, c: &NewCase) -> StoreResult<(CaseRecord, bool)> {
        let details = to_json(&c.details)?;
        let contact = to_json(&c.contact)?;
        let clock = to_json(&StoredClock::default())?;
        let sql = format!(
            "INSERT INTO cases (reference, area_id, kind, status, patient_subject, patient_nhs_number, patient_name,
                 patient_birth_date, details, contact, received_on, due_on, clock, idempotency_key, created_at, updated_at)
             VALUES ($1, $2, $3, 'received', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
             ON CONFLICT (patient_subject, idempotency_key) DO NOTHING
             RETURNING {CASE_COLUMNS}");
        let created: Option<CaseRow> = in_tx!(self, tx => {
            let row: Option<CaseRow> = sqlx::query_as(&sql)
                .bind(c.reference.as_str()).bind(c.area_id).bind(c.kind.as_str()).bind(&c.patient.subject)
                .bind(c.patient.nhs_number.expose()).bind(&c.patient.name).bind(&c.patient.birth_date)
                .bind(&details).bind(&contact).bind(c.received_on).bind(c.due_on).bind(&clock)
                .bind(&c.idempotency_key).bind(c.at)
                .fetch_optional(&mut *tx).await.map_err(db_err)?;
            if let Some(row) = &row {
                let e = &c.event;
                sqlx::query(INSERT_EVENT)
                    .bind(row.id).bind(e.at).bind(e.actor.as_str()).bind(&e.actor_subject).bind(&e.actor_name)
                    .bind(&e.kind).bind(e.public).bind(&e.text)
                    .execute(&mut *tx).await.map_err(db_err)?;
                if let Some(m) = &c.message {
                    let (channel, to, template, reference) = message_binds(m);
                    sqlx::query(INSERT_MESSAGE)
                        .bind(row.id).bind(channel).bind(to).bind(template).bind(reference).bind(c.at)
                        .execute(&mut *tx).await.map_err(db_err)?;
                }
            }
            row
        });
        match created {
            Some(row) => Ok((row.try_into()?, true)),
            None => {
                let existing = self
                    .case_by_idempotency_key(&c.patient.subject, &c.idempotency_key)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                Ok((existing, false))
            }
        }
    }

    async fn case_by_reference(&self, reference: &CaseReference) -> StoreResult<Option<CaseRecord>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE reference = $1");
        let row: Option<CaseRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(reference.as_str()).fetch_optional(p).await.map_err(db_err))?;
        row.map(CaseRecord::try_from).transpose()
    }

    async fn case_by_idempotency_key(&self, subject: &str, key: &str) -> StoreResult<Option<CaseRecord>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE patient_subject = $1 AND idempotency_key = $2");
        let row: Option<CaseRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(subject).bind(key).fetch_optional(p).await.map_err(db_err))?;
        row.map(CaseRecord::try_from).transpose()
    }

    async fn cases_for_patient(&self, subject: &str) -> StoreResult<Vec<CaseRecord>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE patient_subject = $1 ORDER BY created_at DESC, id DESC");
        let rows: Vec<CaseRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(subject).fetch_all(p).await.map_err(db_err))?;
        rows.into_iter().map(CaseRecord::try_from).collect()
    }

    async fn case_events(&self, case_id: i64) -> StoreResult<Vec<CaseEvent>> {
        let rows: Vec<CaseEventRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT at, actor, actor_subject, actor_name, kind, public, text FROM case_events WHERE case_id = $1 ORDER BY at, id")
            .bind(case_id).fetch_all(p).await.map_err(db_err))?;
        rows.into_iter()
            .map(|r| {
                Ok(CaseEvent {
                    at: r.at,
                    actor: match r.actor.as_str() {
                        "patient" => Actor::Patient,
                        "staff" => Actor::Staff,
                        "system" => Actor::System,
                        _ => return Err(corrupt("event actor")),
                    },
                    actor_subject: r.actor_subject,
                    actor_name: r.actor_name,
                    kind: r.kind,
                    public: r.public,
                    text: r.text,
                })
            })
            .collect()
    }

    async fn update_case(&self, u: &CaseUpdate) -> StoreResult<bool> {
        // The statement is built from the parts this update changes; values are always bound.
        let mut sets = vec!["updated_at = $1".to_string()];
        let mut binds: Vec<Bind> = vec![Bind::Time(u.event.at)];
        if let Some(status) = u.status {
            let p = param(&mut binds, Bind::Text(Some(status.as_str().into())));
            sets.push(format!("status = {p}"));
        }
        if let Some((clock, due)) = &u.clock {
            let p = param(&mut binds, Bind::Text(Some(to_json(clock)?)));
            let d = param(&mut binds, Bind::Date(*due));
            sets.push(format!("clock = {p}, due_on = {d}"));
        }
        if let Some(assignee) = &u.assignee {
            let p = param(&mut binds, Bind::Text(assignee.clone()));
            sets.push(format!("assignee = {p}"));
        }
        if let Some(outcome) = &u.outcome {
            let p = param(&mut binds, Bind::Text(Some(to_json(outcome)?)));
            sets.push(format!("outcome = {p}"));
        }
        let id = param(&mut binds, Bind::Int(u.case_id));
        let statuses: Vec<String> = u
            .expect_status
            .iter()
            .map(|st| param(&mut binds, Bind::Text(Some(st.as_str().into()))))
            .collect();
        let mut sql = format!("UPDATE cases SET {} WHERE id = {id} AND status IN ({})", sets.join(", "), statuses.join(", "));
        match &u.expect_assignee {
            None => {}
            Some(None) => sql.push_str(" AND assignee IS NULL"),
            Some(Some(who)) => {
                let p = param(&mut binds, Bind::Text(Some(who.clone())));
                sql.push_str(&format!(" AND assignee = {p}"));
            }
        }
        in_tx!(self, tx => {
            let mut q = sqlx::query(&sql);
            q = bind_all!(q, &binds);
            let changed = q.execute(&mut *tx).await.map_err(db_err)?.rows_affected() == 1;
            if changed {
                let e = &u.event;
                sqlx::query(INSERT_EVENT)
                    .bind(u.case_id).bind(e.at).bind(e.actor.as_str()).bind(&e.actor_subject).bind(&e.actor_name)
                    .bind(&e.kind).bind(e.public).bind(&e.text)
                    .execute(&mut *tx).await.map_err(db_err)?;
                if let Some(m) = &u.message {
                    let (channel, to, template, reference) = message_binds(m);
                    sqlx::query(INSERT_MESSAGE)
                        .bind(u.case_id).bind(channel).bind(to).bind(template).bind(reference).bind(e.at)
                        .execute(&mut *tx).await.map_err(db_err)?;
                }
                for (code, name, detail) in &u.effects {
                    sqlx::query("INSERT INTO objection_effects (case_id, ods_code, name, detail) VALUES ($1, $2, $3, $4)")
                        .bind(u.case_id).bind(code).bind(name).bind(detail)
                        .execute(&mut *tx).await.map_err(db_err)?;
                }
                if let Some(a) = &u.action {
                    sqlx::query(INSERT_ACTION)
                        .bind(a.at).bind(&a.actor_subject).bind(a.area_id).bind(a.case_id).bind(&a.action).bind(&a.detail)
                        .execute(&mut *tx).await.map_err(db_err)?;
                }
            }
            Ok(changed)
        })
    }

    async fn queue(&self, qq: &QueueQuery) -> StoreResult<Vec<CaseRecord>> {
        if qq.area_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut binds: Vec<Bind> = Vec::new();
        let areas: Vec<String> = qq.area_ids.iter().map(|a| param(&mut binds, Bind::Int(*a))).collect();
        let mut conditions = vec![format!("area_id IN ({})", areas.join(", "))];
        match qq.status {
            Some(st) => conditions.push(format!("status = {}", param(&mut binds, Bind::Text(Some(st.as_str().into()))))),
            None => conditions.push("status IN ('received', 'information_needed')".into()),
        }
        if let Some(kind) = qq.kind {
            conditions.push(format!("kind = {}", param(&mut binds, Bind::Text(Some(kind.as_str().into())))));
        }
        match &qq.assignee {
            AssigneeFilter::Anyone => {}
            AssigneeFilter::Unassigned => conditions.push("assignee IS NULL".into()),
            AssigneeFilter::Person(p) => conditions.push(format!("assignee = {}", param(&mut binds, Bind::Text(Some(p.clone()))))),
        }
        if let Some(day) = qq.due_by {
            conditions.push(format!("due_on <= {}", param(&mut binds, Bind::Date(Some(day)))));
        }
        let limit = param(&mut binds, Bind::Int(qq.limit));
        // Cases whose clock is stopped have no due date: they come after those with one.
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE {} ORDER BY CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, created_at, id LIMIT {limit}",
            conditions.join(" AND ")
        );
        let rows: Vec<CaseRow> = on_pool!(self, p => {
            let mut q = sqlx::query_as::<_, CaseRow>(&sql);
            q = bind_all!(q, &binds);
            q.fetch_all(p).await.map_err(db_err)
        })?;
        rows.into_iter().map(CaseRecord::try_from).collect()
    }

    async fn queue_counts(&self, area_ids: &[i64]) -> StoreResult<Vec<(CaseKind, CaseStatus, i64)>> {
        if area_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=area_ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT kind, status, COUNT(*) AS n FROM cases WHERE area_id IN ({}) AND status IN ('received', 'information_needed')
             GROUP BY kind, status ORDER BY kind, status",
            placeholders.join(", ")
        );
        let rows: Vec<(String, String, i64)> = on_pool!(self, p => {
            let mut q = sqlx::query_as::<_, (String, String, i64)>(&sql);
            for a in area_ids {
                q = q.bind(a);
            }
            q.fetch_all(p).await.map_err(db_err)
        })?;
        rows.into_iter()
            .map(|(k, st, n)| {
                Ok((CaseKind::parse(&k).ok_or_else(|| corrupt("case kind"))?, CaseStatus::parse(&st).ok_or_else(|| corrupt("case status"))?, n))
            })
            .collect()
    }

    async fn record_staff_action(&self, a: &StaffAction) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query(INSERT_ACTION)
            .bind(a.at).bind(&a.actor_subject).bind(a.area_id).bind(a.case_id).bind(&a.action).bind(&a.detail)
            .execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn staff_actions(&self, case_id: i64) -> StoreResult<Vec<StaffAction>> {
        let rows: Vec<(DateTime<Utc>, String, i64, Option<i64>, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT at, actor_subject, area_id, case_id, action, detail FROM staff_actions WHERE case_id = $1 ORDER BY id")
            .bind(case_id).fetch_all(p).await.map_err(db_err))?;
        Ok(rows
            .into_iter()
            .map(|(at, actor_subject, area_id, case_id, action, detail)| StaffAction { at, actor_subject, area_id, case_id, action, detail })
            .collect())
    }

    async fn effects(&self, case_id: i64) -> StoreResult<Vec<ObjectionEffect>> {
        let rows: Vec<(String, String, String, Option<DateTime<Utc>>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT ods_code, name, detail, applied_at FROM objection_effects WHERE case_id = $1 ORDER BY name")
            .bind(case_id).fetch_all(p).await.map_err(db_err))?;
        Ok(rows.into_iter().map(|(ods_code, name, detail, applied_at)| ObjectionEffect { ods_code, name, detail, applied_at }).collect())
    }

    async fn mark_effect_applied(&self, case_id: i64, ods_code: &str, e: &CaseEvent, a: &StaffAction) -> StoreResult<bool> {
        in_tx!(self, tx => {
            let changed = sqlx::query("UPDATE objection_effects SET applied_at = $1 WHERE case_id = $2 AND ods_code = $3 AND applied_at IS NULL")
                .bind(e.at).bind(case_id).bind(ods_code).execute(&mut *tx).await.map_err(db_err)?.rows_affected() == 1;
            if changed {
                sqlx::query(INSERT_EVENT)
                    .bind(case_id).bind(e.at).bind(e.actor.as_str()).bind(&e.actor_subject).bind(&e.actor_name)
                    .bind(&e.kind).bind(e.public).bind(&e.text)
                    .execute(&mut *tx).await.map_err(db_err)?;
                sqlx::query(INSERT_ACTION)
                    .bind(a.at).bind(&a.actor_subject).bind(a.area_id).bind(a.case_id).bind(&a.action).bind(&a.detail)
                    .execute(&mut *tx).await.map_err(db_err)?;
            }
            Ok(changed)
        })
    }

    async fn decision_templates(&self, area_id: i64) -> StoreResult<Vec<DecisionTemplate>> {
        let rows: Vec<(i64, i64, String, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, area_id, outcome, title, body FROM decision_templates WHERE area_id = $1 ORDER BY outcome, title, id")
            .bind(area_id).fetch_all(p).await.map_err(db_err))?;
        rows.into_iter()
            .map(|(id, area_id, outcome, title, body)| {
                Ok(DecisionTemplate { id, area_id, outcome: CaseStatus::parse(&outcome).ok_or_else(|| corrupt("template outcome"))?, title, body })
            })
            .collect()
    }

    async fn add_decision_template(&self, area_id: i64, outcome: CaseStatus, title: &str, body: &str) -> StoreResult<DecisionTemplate> {
        let id: i64 = on_pool!(self, p => sqlx::query_scalar(
            "INSERT INTO decision_templates (area_id, outcome, title, body) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(area_id).bind(outcome.as_str()).bind(title).bind(body).fetch_one(p).await.map_err(db_err))?;
        Ok(DecisionTemplate { id, area_id, outcome, title: title.into(), body: body.into() })
    }

    async fn remove_decision_template(&self, area_id: i64, id: i64) -> StoreResult<u64> {
        on_pool!(self, p => sqlx::query("DELETE FROM decision_templates WHERE area_id = $1 AND id = $2")
            .bind(area_id).bind(id).execute(p).await.map(|r| r.rows_affected()).map_err(db_err))
    }

    async fn add_document(&self, d: &NewDocument, e: &CaseEvent, a: Option<&StaffAction>) -> StoreResult<i64> {
        in_tx!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO case_documents (case_id, role, file_name, content_type, content, added_by, added_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(d.case_id).bind(&d.role).bind(&d.file_name).bind(&d.content_type).bind(&d.content).bind(&d.added_by).bind(d.at)
                .fetch_one(&mut *tx).await.map_err(db_err)?;
            sqlx::query(INSERT_EVENT)
                .bind(d.case_id).bind(e.at).bind(e.actor.as_str()).bind(&e.actor_subject).bind(&e.actor_name)
                .bind(&e.kind).bind(e.public).bind(&e.text)
                .execute(&mut *tx).await.map_err(db_err)?;
            if let Some(a) = a {
                sqlx::query(INSERT_ACTION)
                    .bind(a.at).bind(&a.actor_subject).bind(a.area_id).bind(a.case_id).bind(&a.action).bind(&a.detail)
                    .execute(&mut *tx).await.map_err(db_err)?;
            }
            Ok(id)
        })
    }

    async fn documents(&self, case_id: i64) -> StoreResult<Vec<DocumentMeta>> {
        let rows: Vec<DocumentRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, role, file_name, content_type, CAST(LENGTH(content) AS BIGINT) AS size, added_by, added_at
             FROM case_documents WHERE case_id = $1 ORDER BY id")
            .bind(case_id).fetch_all(p).await.map_err(db_err))?;
        Ok(rows.into_iter().map(DocumentMeta::from).collect())
    }

    async fn document(&self, case_id: i64, id: i64) -> StoreResult<Option<(DocumentMeta, Vec<u8>)>> {
        let row: Option<(i64, Vec<u8>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, content FROM case_documents WHERE case_id = $1 AND id = $2")
            .bind(case_id).bind(id).fetch_optional(p).await.map_err(db_err))?;
        let Some((_, content)) = row else { return Ok(None) };
        let meta = self.documents(case_id).await?.into_iter().find(|d| d.id == id).ok_or(StoreError::NotFound)?;
        Ok(Some((meta, content)))
    }

    async fn claim_messages(&self, now: DateTime<Utc>, lease: chrono::Duration, limit: i64) -> StoreResult<Vec<OutboxMessage>> {
        let until = now + lease;
        let rows: Vec<OutboxRow> = match self {
            // One writer at a time in SQLite: the UPDATE itself is the claim.
            Db::Sqlite(p) => sqlx::query_as(
                "UPDATE outbox SET claimed_until = $1 WHERE id IN (
                     SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2
                       AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3)
                 RETURNING id, case_id, channel, recipient, template, reference, attempts")
                .bind(until).bind(now).bind(limit).fetch_all(p).await.map_err(db_err)?,
            // Several instances: SKIP LOCKED lets each take different rows without waiting.
            Db::Postgres(p) => sqlx::query_as(
                "UPDATE outbox SET claimed_until = $1 WHERE id IN (
                     SELECT id FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2
                       AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
                 RETURNING id, case_id, channel, recipient, template, reference, attempts")
                .bind(until).bind(now).bind(limit).fetch_all(p).await.map_err(db_err)?,
        };
        rows.into_iter()
            .map(|r| {
                let contact = match r.channel.as_str() {
                    "email" => Contact::Email(r.recipient),
                    "text" => Contact::Text(r.recipient),
                    "post" => Contact::Post(r.recipient),
                    _ => return Err(corrupt("message channel")),
                };
                Ok(OutboxMessage { id: r.id, case_id: r.case_id, contact, template: r.template, reference: r.reference, attempts: r.attempts })
            })
            .collect()
    }

    async fn message_sent(&self, id: i64, provider_id: &str, at: DateTime<Utc>) -> StoreResult<()> {
        // The address is not needed once the message has gone: keep no more personal data than we use.
        on_pool!(self, p => sqlx::query(
            "UPDATE outbox SET sent_at = $1, provider_id = $2, recipient = '', attempts = attempts + 1, claimed_until = NULL WHERE id = $3")
            .bind(at).bind(provider_id).bind(id).execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn message_failed(&self, id: i64, error: &str, retry_at: Option<DateTime<Utc>>, at: DateTime<Utc>) -> StoreResult<()> {
        match retry_at {
            Some(next) => on_pool!(self, p => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, claimed_until = NULL WHERE id = $3")
                .bind(error).bind(next).bind(id).execute(p).await.map(|_| ()).map_err(db_err)),
            None => on_pool!(self, p => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1, failed_at = $2, claimed_until = NULL WHERE id = $3")
                .bind(error).bind(at).bind(id).execute(p).await.map(|_| ()).map_err(db_err)),
        }
    }

    async fn messages_for_case(&self, case_id: i64) -> StoreResult<Vec<MessageStatus>> {
        let rows: Vec<MessageStatusRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT template, channel, attempts, sent_at IS NOT NULL AS sent, failed_at IS NOT NULL AS failed
             FROM outbox WHERE case_id = $1 ORDER BY id")
            .bind(case_id).fetch_all(p).await.map_err(db_err))?;
        Ok(rows
            .into_iter()
            .map(|r| MessageStatus { template: r.template, channel: r.channel, attempts: r.attempts, sent: r.sent, failed: r.failed })
            .collect())
    }

    async fn bank_holidays(&self) -> StoreResult<BankHolidays> {
        let days: Vec<(NaiveDate,)> = on_pool!(self, p => sqlx::query_as("SELECT day FROM bank_holidays")
            .fetch_all(p).await.map_err(db_err))?;
        Ok(BankHolidays::new(days.into_iter().map(|(d,)| d)))
    }

    async fn add_source(&self, name: &str, client_id: &str, secret_hash: &str, at: DateTime<Utc>) -> StoreResult<EventSource> {
        let sql = format!("INSERT INTO event_sources (name, client_id, secret_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING {SOURCE_COLUMNS}");
        let row: SourceRow = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(name).bind(client_id).bind(secret_hash).bind(at).fetch_one(p).await.map_err(db_err))?;
        Ok(row.into())
    }

    async fn sources(&self) -> StoreResult<Vec<EventSource>> {
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM event_sources ORDER BY name, id");
        let rows: Vec<SourceRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await.map_err(db_err))?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn source_by_client_id(&self, client_id: &str) -> StoreResult<Option<EventSource>> {
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM event_sources WHERE client_id = $1");
        let row: Option<SourceRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(client_id).fetch_optional(p).await.map_err(db_err))?;
        Ok(row.map(Into::into))
    }

    async fn revoke_source(&self, client_id: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        in_tx!(self, tx => {
            let id: Option<i64> = sqlx::query_scalar("UPDATE event_sources SET revoked_at = $1 WHERE client_id = $2 AND revoked_at IS NULL RETURNING id")
                .bind(at).bind(client_id).fetch_optional(&mut *tx).await.map_err(db_err)?;
            if let Some(id) = id {
                sqlx::query("DELETE FROM source_tokens WHERE source_id = $1").bind(id).execute(&mut *tx).await.map_err(db_err)?;
            }
            Ok(id.is_some())
        })
    }

    async fn put_source_token(&self, token_hash: &str, source_id: i64, expires_at: DateTime<Utc>) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("INSERT INTO source_tokens (token_hash, source_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash).bind(source_id).bind(expires_at).execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn source_for_token(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<EventSource>> {
        let sql = format!(
            "SELECT {} FROM event_sources s JOIN source_tokens t ON t.source_id = s.id
             WHERE t.token_hash = $1 AND t.expires_at > $2 AND s.revoked_at IS NULL",
            SOURCE_COLUMNS.split(", ").map(|c| format!("s.{c}")).collect::<Vec<_>>().join(", ")
        );
        let row: Option<SourceRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(token_hash).bind(now).fetch_optional(p).await.map_err(db_err))?;
        Ok(row.map(Into::into))
    }

    async fn ingest_access_events(&self, events: &[AccessEvent], received_at: DateTime<Utc>) -> StoreResult<Vec<String>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let stored: Vec<String> = match self {
            // One statement for the whole batch: arrays unnested into rows.
            Db::Postgres(p) => {
                let col = |f: fn(&AccessEvent) -> Option<String>| events.iter().map(f).collect::<Vec<_>>();
                let mut tx = p.begin().await.map_err(db_err)?;
                let ids: Vec<String> = sqlx::query_scalar(
                    "INSERT INTO access_events (source_id, source_event_id, nhs_number, recorded_at, agent_name, agent_id, agent_role,
                         org_ods, org_name, purpose, emergency, viewed, outcome, automated, observer, received_at)
                     SELECT u.*, $16 FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
                         $8::text[], $9::text[], $10::text[], $11::bool[], $12::text[], $13::text[], $14::bool[], $15::text[]) AS u
                     ON CONFLICT (source_id, source_event_id) DO NOTHING
                     RETURNING source_event_id",
                )
                .bind(events.iter().map(|e| e.source_id).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.source_event_id.clone()).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.nhs_number.clone()).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.recorded_at).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.agent_name.clone()).collect::<Vec<_>>())
                .bind(col(|e| e.agent_id.clone()))
                .bind(col(|e| e.agent_role.clone()))
                .bind(col(|e| e.org_ods.clone()))
                .bind(col(|e| e.org_name.clone()))
                .bind(events.iter().map(|e| e.purpose.clone()).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.emergency).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.viewed.clone()).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.outcome.clone()).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.automated).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.observer.clone()).collect::<Vec<_>>())
                .bind(received_at)
                .fetch_all(&mut *tx)
                .await
                .map_err(db_err)?;
                let pairs = organisation_pairs(events);
                sqlx::query(
                    "INSERT INTO access_event_organisations (nhs_number, org_ods, org_name)
                     SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING",
                )
                .bind(pairs.iter().map(|p| p.0.clone()).collect::<Vec<_>>())
                .bind(pairs.iter().map(|p| p.1.clone()).collect::<Vec<_>>())
                .bind(pairs.iter().map(|p| p.2.clone()).collect::<Vec<_>>())
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
                tx.commit().await.map_err(db_err)?;
                ids
            }
            // SQLite: multi-row inserts of up to 500 rows in one transaction.
            Db::Sqlite(p) => {
                let mut tx = p.begin().await.map_err(db_err)?;
                let mut ids = Vec::new();
                for chunk in events.chunks(500) {
                    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                        "INSERT INTO access_events (source_id, source_event_id, nhs_number, recorded_at, agent_name, agent_id, agent_role,
                             org_ods, org_name, purpose, emergency, viewed, outcome, automated, observer, received_at) ",
                    );
                    q.push_values(chunk, |mut b, e| {
                        b.push_bind(e.source_id)
                            .push_bind(&e.source_event_id)
                            .push_bind(&e.nhs_number)
                            .push_bind(e.recorded_at)
                            .push_bind(&e.agent_name)
                            .push_bind(&e.agent_id)
                            .push_bind(&e.agent_role)
                            .push_bind(&e.org_ods)
                            .push_bind(&e.org_name)
                            .push_bind(&e.purpose)
                            .push_bind(e.emergency)
                            .push_bind(&e.viewed)
                            .push_bind(&e.outcome)
                            .push_bind(e.automated)
                            .push_bind(&e.observer)
                            .push_bind(received_at);
                    });
                    q.push(" ON CONFLICT (source_id, source_event_id) DO NOTHING RETURNING source_event_id");
                    let stored: Vec<String> = q.build_query_scalar().fetch_all(&mut *tx).await.map_err(db_err)?;
                    ids.extend(stored);
                }
                for chunk in organisation_pairs(events).chunks(300) {
                    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new("INSERT INTO access_event_organisations (nhs_number, org_ods, org_name) ");
                    q.push_values(chunk, |mut b, (n, o, name)| {
                        b.push_bind(n).push_bind(o).push_bind(name);
                    });
                    q.push(" ON CONFLICT DO NOTHING");
                    q.build().execute(&mut *tx).await.map_err(db_err)?;
                }
                tx.commit().await.map_err(db_err)?;
                ids
            }
        };
        touch_sources(self, events).await?;
        Ok(stored)
    }

    async fn access_events(&self, q: &AccessQuery) -> StoreResult<Vec<AccessEvent>> {
        let mut binds: Vec<Bind> = Vec::new();
        let conditions = access_conditions(q, &mut binds);
        let limit = param(&mut binds, Bind::Int(q.limit));
        let sql = format!("SELECT {ACCESS_COLUMNS} FROM access_events WHERE {conditions} ORDER BY recorded_at DESC, id DESC LIMIT {limit}");
        let rows: Vec<AccessRow> = on_pool!(self, p => {
            let mut query = sqlx::query_as::<_, AccessRow>(&sql);
            query = bind_all!(query, &binds);
            query.fetch_all(p).await.map_err(db_err)
        })?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn automated_access_counts(&self, q: &AccessQuery) -> StoreResult<Vec<(DateTime<Utc>, String, i64)>> {
        let mut binds: Vec<Bind> = Vec::new();
        let conditions = access_conditions(&AccessQuery { include_automated: true, ..q.clone() }, &mut binds);
        // The hour as text, "YYYY-MM-DD HH", the same on both: SQLite keeps times as RFC 3339 text.
        let hour = match self {
            Db::Postgres(_) => "to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')",
            Db::Sqlite(_) => "replace(substr(recorded_at, 1, 13), 'T', ' ')",
        };
        let sql = format!(
            "SELECT {hour} AS hour, observer, COUNT(*) FROM access_events WHERE {conditions} AND automated = TRUE
             GROUP BY 1, 2 ORDER BY 1 DESC, 2"
        );
        let rows: Vec<(String, String, i64)> = on_pool!(self, p => {
            let mut query = sqlx::query_as::<_, (String, String, i64)>(&sql);
            query = bind_all!(query, &binds);
            query.fetch_all(p).await.map_err(db_err)
        })?;
        rows.into_iter()
            .map(|(hour, observer, n)| {
                let at = NaiveDateTime::parse_from_str(&format!("{hour}:00:00"), "%Y-%m-%d %H:%M:%S")
                    .map_err(|e| StoreError::Corrupt(format!("an hour the database gave: {e}")))?;
                Ok((at.and_utc(), observer, n))
            })
            .collect()
    }

    async fn delete_access_events_before(&self, cutoff: DateTime<Utc>, limit: i64) -> StoreResult<u64> {
        // In batches, so a big retention pass never holds a long lock.
        on_pool!(self, p => sqlx::query(
            "DELETE FROM access_events WHERE id IN (SELECT id FROM access_events WHERE recorded_at < $1 ORDER BY id LIMIT $2)")
            .bind(cutoff).bind(limit).execute(p).await.map(|r| r.rows_affected()).map_err(db_err))
    }

    async fn access_organisations(&self, nhs_number: &str) -> StoreResult<Vec<(String, String)>> {
        on_pool!(self, p => sqlx::query_as(
            "SELECT org_ods, org_name FROM access_event_organisations WHERE nhs_number = $1 ORDER BY org_name, org_ods")
            .bind(nhs_number).fetch_all(p).await.map_err(db_err))
    }

    async fn access_event(&self, nhs_number: &str, id: i64) -> StoreResult<Option<AccessEvent>> {
        let sql = format!("SELECT {ACCESS_COLUMNS} FROM access_events WHERE nhs_number = $1 AND id = $2");
        let row: Option<AccessRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(nhs_number).bind(id).fetch_optional(p).await.map_err(db_err))?;
        Ok(row.map(Into::into))
    }

    async fn bank_holiday_list(&self, from: NaiveDate) -> StoreResult<Vec<(NaiveDate, String)>> {
        on_pool!(self, p => sqlx::query_as("SELECT day, name FROM bank_holidays WHERE day >= $1 ORDER BY day")
            .bind(from).fetch_all(p).await.map_err(db_err))
    }

    async fn add_bank_holiday(&self, day: NaiveDate, name: &str) -> StoreResult<()> {
        on_pool!(self, p => sqlx::query("INSERT INTO bank_holidays (day, name) VALUES ($1, $2)")
            .bind(day).bind(name).execute(p).await.map(|_| ()).map_err(db_err))
    }

    async fn remove_bank_holiday(&self, day: NaiveDate) -> StoreResult<u64> {
        on_pool!(self, p => sqlx::query("DELETE FROM bank_holidays WHERE day = $1")
            .bind(day).execute(p).await.map(|r| r.rows_affected()).map_err(db_err))
    }
}

/// The WHERE clause of a page of one patient's access events (filters and keyset cursor).
fn access_conditions(q: &AccessQuery, binds: &mut Vec<Bind>) -> String {
    let mut conditions = vec![format!("nhs_number = {}", param(binds, Bind::Text(Some(q.nhs_number.clone()))))];
    if let Some(from) = q.from {
        conditions.push(format!("recorded_at >= {}", param(binds, Bind::Time(from))));
    }
    if let Some(to) = q.to {
        conditions.push(format!("recorded_at < {}", param(binds, Bind::Time(to))));
    }
    if let Some(org) = &q.org_ods {
        conditions.push(format!("org_ods = {}", param(binds, Bind::Text(Some(org.clone())))));
    }
    if !q.include_automated {
        conditions.push("automated = FALSE".into());
    }
    if let Some((at, id)) = q.before {
        // Keyset: strictly after the cursor in (recorded_at DESC, id DESC) order. The plain
        // upper bound on recorded_at lets both databases start the index scan at the cursor
        // instead of filtering everything newer.
        let t = param(binds, Bind::Time(at));
        let t2 = param(binds, Bind::Time(at));
        let i = param(binds, Bind::Int(id));
        conditions.push(format!("recorded_at <= {t} AND (recorded_at < {t2} OR id < {i})"));
    }
    conditions.join(" AND ")
}

/// Keeps each source's first and latest event time up to date, for the patient's "which
/// systems send us access records" panel (cheap here; a scan of 10^8 rows would not be). Run
/// after the events commit, and only when the span grows, so that concurrent batches from one
/// source do not queue behind each other on its row.
async fn touch_sources(db: &Db, events: &[AccessEvent]) -> StoreResult<()> {
    let mut spans: std::collections::BTreeMap<i64, (DateTime<Utc>, DateTime<Utc>)> = std::collections::BTreeMap::new();
    for e in events {
        if let Some(s) = e.source_id {
            let span = spans.entry(s).or_insert((e.recorded_at, e.recorded_at));
            span.0 = span.0.min(e.recorded_at);
            span.1 = span.1.max(e.recorded_at);
        }
    }
    for (source, (first, latest)) in spans {
        on_pool!(db, p => sqlx::query(
            "UPDATE event_sources SET
                 first_event_at = CASE WHEN first_event_at IS NULL OR first_event_at > $1 THEN $1 ELSE first_event_at END,
                 latest_event_at = CASE WHEN latest_event_at IS NULL OR latest_event_at < $2 THEN $2 ELSE latest_event_at END
             WHERE id = $3 AND (first_event_at IS NULL OR first_event_at > $1 OR latest_event_at IS NULL OR latest_event_at < $2)",
        )
        .bind(first)
        .bind(latest)
        .bind(source)
        .execute(p)
        .await
        .map(|_| ())
        .map_err(db_err))?;
    }
    Ok(())
}

/// The (patient, organisation) pairs in a batch, in key order: concurrent batches then take
/// their locks in the same order and cannot deadlock.
fn organisation_pairs(events: &[AccessEvent]) -> Vec<(String, String, String)> {
    let mut pairs: std::collections::BTreeMap<(&str, &str), &str> = std::collections::BTreeMap::new();
    for e in events {
        if let Some(ods) = &e.org_ods {
            pairs.entry((&e.nhs_number, ods)).or_insert(e.org_name.as_deref().unwrap_or(ods));
        }
    }
    pairs.into_iter().map(|((n, o), name)| (n.to_string(), o.to_string(), name.to_string())).collect()
}
