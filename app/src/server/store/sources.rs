//! Systems registered to send access events, and their bearer tokens.

use super::StoreResult;
use chrono::{DateTime, Utc};

/// A system registered to send access events: a client with a secret (stored hashed).
#[derive(Clone, PartialEq)]
pub struct EventSource {
    pub id: i64,
    pub name: String,
    pub client_id: String,
    pub secret_hash: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub first_event_at: Option<DateTime<Utc>>,
    pub latest_event_at: Option<DateTime<Utc>>,
    /// The area whose shared care record this system is (its retention period applies).
    pub area_id: Option<i64>,
}

impl std::fmt::Debug for EventSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventSource").field("id", &self.id).field("client_id", &self.client_id).finish_non_exhaustive()
    }
}

#[async_trait::async_trait]
pub trait SourceStore: Send + Sync {
    async fn add_source(&self, name: &str, client_id: &str, secret_hash: &str, at: DateTime<Utc>) -> StoreResult<EventSource>;
    async fn sources(&self) -> StoreResult<Vec<EventSource>>;
    async fn source_by_client_id(&self, client_id: &str) -> StoreResult<Option<EventSource>>;
    async fn revoke_source(&self, client_id: &str, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Links a source to the area whose shared care record it is, so the area's retention
    /// period applies to its events.
    async fn set_source_area(&self, source_id: i64, area_id: Option<i64>) -> StoreResult<()>;
    async fn put_source_token(&self, token_hash: &str, source_id: i64, expires_at: DateTime<Utc>) -> StoreResult<()>;
    /// The live, unrevoked source a bearer token belongs to.
    async fn source_for_token(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<EventSource>>;
}
