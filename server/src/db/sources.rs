//! Systems registered to send access events, and their bearer tokens. (`SourceStore` for both backends.)

use super::*;

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

#[async_trait::async_trait]
impl SourceStore for Db {
    async fn add_source(&self, name: &str, client_id: &str, secret_hash: &str, at: DateTime<Utc>) -> StoreResult<EventSource> {
        let sql = format!("INSERT INTO event_sources (name, client_id, secret_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING {SOURCE_COLUMNS}");
        let row: SourceRow = on_writer!(self, p => sqlx::query_as(&sql)
            .bind(name).bind(client_id).bind(secret_hash).bind(at).fetch_one(p).await)?;
        Ok(row.into())
    }

    async fn sources(&self) -> StoreResult<Vec<EventSource>> {
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM event_sources ORDER BY name, id");
        let rows: Vec<SourceRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn source_by_client_id(&self, client_id: &str) -> StoreResult<Option<EventSource>> {
        let sql = format!("SELECT {SOURCE_COLUMNS} FROM event_sources WHERE client_id = $1");
        let row: Option<SourceRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(client_id).fetch_optional(p).await)?;
        Ok(row.map(Into::into))
    }

    async fn revoke_source(&self, client_id: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        in_tx!(self, tx => {
            let id: Option<i64> = sqlx::query_scalar("UPDATE event_sources SET revoked_at = $1 WHERE client_id = $2 AND revoked_at IS NULL RETURNING id")
                .bind(at).bind(client_id).fetch_optional(&mut *tx).await?;
            if let Some(id) = id {
                sqlx::query("DELETE FROM source_tokens WHERE source_id = $1").bind(id).execute(&mut *tx).await?;
            }
            id.is_some()
        })
    }

    async fn set_source_area(&self, source_id: i64, area_id: Option<i64>) -> StoreResult<()> {
        on_writer!(self, p => sqlx::query("UPDATE event_sources SET area_id = $1 WHERE id = $2")
            .bind(area_id).bind(source_id).execute(p).await.map(|_| ()))
    }

    async fn put_source_token(&self, token_hash: &str, source_id: i64, expires_at: DateTime<Utc>) -> StoreResult<()> {
        on_writer!(self, p => sqlx::query("INSERT INTO source_tokens (token_hash, source_id, expires_at) VALUES ($1, $2, $3)")
            .bind(token_hash).bind(source_id).bind(expires_at).execute(p).await.map(|_| ()))
    }

    async fn source_for_token(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<EventSource>> {
        let sql = format!(
            "SELECT {} FROM event_sources s JOIN source_tokens t ON t.source_id = s.id
             WHERE t.token_hash = $1 AND t.expires_at > $2 AND s.revoked_at IS NULL",
            SOURCE_COLUMNS.split(", ").map(|c| format!("s.{c}")).collect::<Vec<_>>().join(", ")
        );
        let row: Option<SourceRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(token_hash).bind(now).fetch_optional(p).await)?;
        Ok(row.map(Into::into))
    }
}
