//! The one storage trait. The server implements it for SQLite and PostgreSQL; the same
//! conformance suite runs on both. Errors are the store's own: callers never see SQL.

use crate::domain::{AreaSlug, OdsCode, Role};
use crate::people::{Grant, SignedIn};
use chrono::{DateTime, Utc};

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
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub id: i64,
    pub slug: AreaSlug,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    pub ods_code: OdsCode,
    pub name: String,
    pub area_id: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub ods_code: OdsCode,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub area_id: i64,
    pub version: i64,
    pub title: String,
    pub body_markdown: String,
    pub published_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StaffRecord {
    pub subject: String,
    pub name: String,
    pub grants: Vec<Grant>,
}

/// A server-side session. `id_hash` is a keyed hash of the cookie's token: the token itself is never stored.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id_hash: String,
    pub holder: SignedIn,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub idle_timeout_secs: i64,
    pub absolute_expires_at: DateTime<Utc>,
}

/// An OIDC sign-in under way: what the callback needs to check `state`, `nonce` and PKCE.
#[derive(Clone)]
pub struct LoginFlow {
    pub state_hash: String,
    pub audience: String,
    pub pkce_verifier: String,
    pub nonce: String,
    pub browser_hash: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for LoginFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginFlow")
            .field("audience", &self.audience)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is, for logs and `/readyz`.
    fn backend(&self) -> &'static str;
    async fn ping(&self) -> StoreResult<()>;

    // Areas
    async fn list_areas(&self) -> StoreResult<Vec<Area>>;
    async fn area_by_slug(&self, slug: &AreaSlug) -> StoreResult<Option<Area>>;
    async fn create_area(&self, slug: &AreaSlug, name: &str) -> StoreResult<Area>;
    async fn add_practice(&self, area_id: i64, ods: &OdsCode, name: &str) -> StoreResult<()>;
    async fn practice(&self, ods: &OdsCode) -> StoreResult<Option<Practice>>;
    async fn add_organisation(&self, area_id: i64, ods: &OdsCode, name: &str) -> StoreResult<()>;
    async fn organisations(&self, area_id: i64) -> StoreResult<Vec<Organisation>>;

    // Privacy notices
    async fn publish_notice(&self, area_id: i64, title: &str, body_markdown: &str, at: DateTime<Utc>) -> StoreResult<Notice>;
    async fn current_notice(&self, area_id: i64, now: DateTime<Utc>) -> StoreResult<Option<Notice>>;

    // Staff directory
    async fn add_staff_grant(&self, subject: &str, name: &str, role: Role, area: &AreaSlug) -> StoreResult<()>;
    /// Removes one grant, or with `None` every grant and the person. Returns how many grants went.
    async fn remove_staff(&self, subject: &str, grant: Option<(Role, &AreaSlug)>) -> StoreResult<u64>;
    async fn staff_member(&self, subject: &str) -> StoreResult<Option<StaffRecord>>;
    async fn list_staff(&self) -> StoreResult<Vec<StaffRecord>>;

    // Sessions
    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()>;
    async fn session(&self, id_hash: &str) -> StoreResult<Option<SessionRecord>>;
    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>, idle_expires_at: DateTime<Utc>) -> StoreResult<()>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;

    // OIDC sign-ins under way
    async fn put_login_flow(&self, flow: &LoginFlow) -> StoreResult<()>;
    /// Takes the flow out, so a callback can be used once only.
    async fn take_login_flow(&self, state_hash: &str) -> StoreResult<Option<LoginFlow>>;
}
