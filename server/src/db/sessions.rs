//! Server-side sessions, and OIDC sign-ins under way. (`SessionStore` for both backends.)

use super::*;

#[derive(sqlx::FromRow)]
struct SessionRow {
    id_hash: String,
    holder: String,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    idle_timeout_secs: i64,
    absolute_expires_at: DateTime<Utc>,
}

impl TryFrom<SessionRow> for SessionRecord {
    type Error = StoreError;
    fn try_from(r: SessionRow) -> StoreResult<Self> {
        let holder: SignedIn = serde_json::from_str(&r.holder).map_err(corrupt)?;
        Ok(SessionRecord {
            id_hash: r.id_hash,
            holder,
            created_at: r.created_at,
            last_seen_at: r.last_seen_at,
            idle_timeout_secs: r.idle_timeout_secs,
            absolute_expires_at: r.absolute_expires_at,
        })
    }
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

#[async_trait::async_trait]
impl SessionStore for Db {
    async fn create_session(&self, s: &SessionRecord) -> StoreResult<()> {
        let holder = serde_json::to_string(&s.holder).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        on_writer!(self, p => sqlx::query(
            "INSERT INTO sessions (id_hash, kind, subject, holder, created_at, last_seen_at, idle_expires_at, idle_timeout_secs, absolute_expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(&s.id_hash).bind(s.holder.kind()).bind(s.holder.subject()).bind(holder)
            .bind(s.created_at).bind(s.last_seen_at)
            .bind(s.last_seen_at + chrono::Duration::seconds(s.idle_timeout_secs)).bind(s.idle_timeout_secs).bind(s.absolute_expires_at)
            .execute(p).await.map(|_| ()))
    }

    async fn session(&self, id_hash: &str) -> StoreResult<Option<SessionRecord>> {
        let row: Option<SessionRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id_hash, holder, created_at, last_seen_at, idle_timeout_secs, absolute_expires_at
             FROM sessions WHERE id_hash = $1")
            .bind(id_hash).fetch_optional(p).await)?;
        row.map(SessionRecord::try_from).transpose()
    }

    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>, idle_expires_at: DateTime<Utc>) -> StoreResult<()> {
        on_writer!(self, p => sqlx::query(
            "UPDATE sessions SET last_seen_at = $1, idle_expires_at = $2 WHERE id_hash = $3")
            .bind(at).bind(idle_expires_at).bind(id_hash).execute(p).await.map(|_| ()))
    }

    async fn delete_session(&self, id_hash: &str) -> StoreResult<()> {
        on_writer!(self, p => sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash).execute(p).await.map(|_| ()))
    }

    async fn sessions_of(&self, subject: &str) -> StoreResult<Vec<SessionRecord>> {
        let rows: Vec<SessionRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id_hash, holder, created_at, last_seen_at, idle_timeout_secs, absolute_expires_at
             FROM sessions WHERE subject = $1 ORDER BY last_seen_at DESC, created_at DESC")
            .bind(subject).fetch_all(p).await)?;
        rows.into_iter().map(SessionRecord::try_from).collect()
    }

    async fn end_other_sessions(&self, subject: &str, keep: &str) -> StoreResult<u64> {
        on_writer!(self, p => sqlx::query("DELETE FROM sessions WHERE subject = $1 AND id_hash <> $2")
            .bind(subject).bind(keep).execute(p).await.map(|r| r.rows_affected()))
    }

    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64> {
        let gone = on_writer!(self, p => sqlx::query(
            "DELETE FROM sessions WHERE absolute_expires_at <= $1 OR idle_expires_at <= $1")
            .bind(now).execute(p).await.map(|r| r.rows_affected()))?;
        on_writer!(self, p => sqlx::query("DELETE FROM login_flows WHERE expires_at <= $1")
            .bind(now).execute(p).await.map(|_| ()))?;
        Ok(gone)
    }

    async fn put_login_flow(&self, f: &LoginFlow) -> StoreResult<()> {
        on_writer!(self, p => sqlx::query(
            "INSERT INTO login_flows (state_hash, audience, pkce_verifier, nonce, browser_hash, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&f.state_hash).bind(&f.audience).bind(&f.pkce_verifier).bind(&f.nonce)
            .bind(&f.browser_hash).bind(f.expires_at)
            .execute(p).await.map(|_| ()))
    }

    async fn take_login_flow(&self, state_hash: &str) -> StoreResult<Option<LoginFlow>> {
        // DELETE … RETURNING takes it atomically: two callbacks racing with one state get one flow.
        let row: Option<LoginFlowRow> = on_writer!(self, p => sqlx::query_as(
            "DELETE FROM login_flows WHERE state_hash = $1
             RETURNING state_hash, audience, pkce_verifier, nonce, browser_hash, expires_at")
            .bind(state_hash).fetch_optional(p).await)?;
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
