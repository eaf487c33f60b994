//! What an area publishes about its engagement with the public. (`EngagementStore` for both backends.)

use super::*;

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

#[async_trait::async_trait]
impl EngagementStore for Db {
    async fn add_engagement_item(&self, i: &EngagementItem) -> StoreResult<EngagementItem> {
        let sql = format!(
            "INSERT INTO engagement_items (area_id, kind, title, summary, starts_at, ends_at, place, online_url, accessibility,
                 how_to_respond, publish_at, created_by_name, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING {ENGAGEMENT_COLUMNS}"
        );
        let row: EngagementRow = on_writer!(self, p => sqlx::query_as(&sql)
            .bind(i.area_id).bind(&i.kind).bind(&i.title).bind(&i.summary).bind(i.starts_at).bind(i.ends_at).bind(&i.place)
            .bind(&i.online_url).bind(&i.accessibility).bind(&i.how_to_respond).bind(i.publish_at).bind(&i.created_by_name).bind(i.created_at)
            .fetch_one(p).await)?;
        Ok(row.into())
    }

    async fn engagement_items(&self, area_id: i64) -> StoreResult<Vec<EngagementItem>> {
        let sql = format!("SELECT {ENGAGEMENT_COLUMNS} FROM engagement_items WHERE area_id = $1 ORDER BY publish_at DESC, id DESC");
        let rows: Vec<EngagementRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(area_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn withdraw_engagement_item(&self, area_id: i64, id: i64, reason: &str, now: DateTime<Utc>) -> StoreResult<()> {
        let changed = on_writer!(self, p => sqlx::query(
            "UPDATE engagement_items SET withdrawn_at = $1, withdrawn_reason = $2 WHERE id = $3 AND area_id = $4 AND withdrawn_at IS NULL")
            .bind(now).bind(reason).bind(id).bind(area_id).execute(p).await.map(|r| r.rows_affected()))?;
        if changed == 1 { Ok(()) } else { Err(StoreError::NotFound) }
    }
}
