//! Server-side sessions, and OIDC sign-ins under way.

use super::StoreResult;
use crate::domain::people::SignedIn;
use chrono::{DateTime, Utc};

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
pub trait SessionStore: Send + Sync {
    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()>;
    async fn session(&self, id_hash: &str) -> StoreResult<Option<SessionRecord>>;
    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>, idle_expires_at: DateTime<Utc>) -> StoreResult<()>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    /// Every session of one person (a patient's or a member of staff's subject), newest first.
    async fn sessions_of(&self, subject: &str) -> StoreResult<Vec<SessionRecord>>;
    /// Ends every session of one person but `keep`; returns how many ended.
    async fn end_other_sessions(&self, subject: &str, keep: &str) -> StoreResult<u64>;
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;
    async fn put_login_flow(&self, flow: &LoginFlow) -> StoreResult<()>;
    /// Takes the flow out, so a callback can be used once only.
    async fn take_login_flow(&self, state_hash: &str) -> StoreResult<Option<LoginFlow>>;
}
