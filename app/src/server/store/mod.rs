//! The storage contract, split by concern. Each concern is a trait of its own, beside its record
//! types; [`Store`] gathers them, so `Arc<dyn Store>` reaches everything and a caller can take
//! only the part it needs (`&dyn CaseStore`). The server implements every part for SQLite and
//! PostgreSQL (`server/src/db/`), and the same conformance tests run on both. Errors are the
//! store's own: callers never see SQL.

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

pub use access_events::*;
pub use areas::*;
pub use audit_chain::*;
pub use case_documents::*;
pub use cases::*;
pub use drafts::*;
pub use engagement::*;
pub use holidays::*;
pub use monitoring::*;
pub use notices::*;
pub use objection_decisions::*;
pub use outbox::*;
pub use record_alerts::*;
pub use sessions::*;
pub use sources::*;
pub use staff::*;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    Conflict,
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(String),
    /// The database cannot be reached or will not take writes just now (stopped, restarting,
    /// out of connections, disk full): a moment's outage, answered 503, never "signed out".
    #[error("database unavailable: {0}")]
    Unavailable(String),
}

impl StoreError {
    pub fn is_unavailable(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }
}

/// How an unavailable database reads in an error's words (for errors carried as text).
pub const UNAVAILABLE: &str = "database unavailable";

pub type StoreResult<T> = Result<T, StoreError>;

/// Every part of the storage contract, from one backend.
#[async_trait::async_trait]
pub trait Store:
    AreaStore
    + NoticeStore
    + EngagementStore
    + StaffStore
    + SessionStore
    + DraftStore
    + CaseStore
    + ObjectionDecisionStore
    + CaseDocumentStore
    + OutboxStore
    + RecordAlertStore
    + SourceStore
    + AccessEventStore
    + AuditChainStore
    + MonitoringStore
    + HolidayStore
    + Send
    + Sync
    + 'static
{
    /// Which backend this is, for logs and `/readyz`.
    fn backend(&self) -> &'static str;
    async fn ping(&self) -> StoreResult<()>;
    /// A small write: whether the database takes writes now (for `/readyz`).
    async fn check_writable(&self, now: chrono::DateTime<chrono::Utc>) -> StoreResult<()>;
}
