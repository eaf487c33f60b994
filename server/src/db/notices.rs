//! Privacy notices: published versions, changes on their way through review, and page views. (`NoticeStore` for both backends.)

use super::*;

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

fn variant(s: &str) -> StoreResult<NoticeVariant> {
    NoticeVariant::parse(s).ok_or_else(|| corrupt(format!("notice variant {s}")))
}

impl TryFrom<NoticeRow> for Notice {
    type Error = StoreError;
    fn try_from(r: NoticeRow) -> StoreResult<Self> {
        Ok(Notice {
            id: r.id,
            area_id: r.area_id,
            variant: variant(&r.variant)?,
            version: r.version,
            title: r.title,
            body_markdown: r.body_markdown,
            published_at: r.published_at,
            author_name: r.author_name,
            approver_name: r.approver_name,
            submitted_at: r.submitted_at,
            approved_at: r.approved_at,
        })
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
            variant: variant(&r.variant)?,
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

#[async_trait::async_trait]
impl NoticeStore for Db {
    async fn publish_notice(&self, area_id: i64, variant: NoticeVariant, title: &str, body: &str, at: DateTime<Utc>) -> StoreResult<Notice> {
        let sql = format!(
            "INSERT INTO notices (area_id, variant, version, title, body_markdown, published_at)
             VALUES ($1, $2, (SELECT COALESCE(MAX(version), 0) + 1 FROM notices WHERE area_id = $1 AND variant = $2), $3, $4, $5)
             RETURNING {NOTICE_COLUMNS}"
        );
        let row: NoticeRow = on_writer!(self, p => sqlx::query_as(&sql)
            .bind(area_id).bind(variant.as_str()).bind(title).bind(body).bind(at).fetch_one(p).await)?;
        row.try_into()
    }

    async fn current_notice(&self, area_id: i64, variant: NoticeVariant, now: DateTime<Utc>) -> StoreResult<Option<Notice>> {
        let sql = format!(
            "SELECT {NOTICE_COLUMNS} FROM notices WHERE area_id = $1 AND variant = $2 AND published_at <= $3 ORDER BY version DESC LIMIT 1"
        );
        let row: Option<NoticeRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(area_id).bind(variant.as_str()).bind(now).fetch_optional(p).await)?;
        row.map(TryInto::try_into).transpose()
    }

    async fn notice_versions(&self, area_id: i64) -> StoreResult<Vec<Notice>> {
        let sql = format!("SELECT {NOTICE_COLUMNS} FROM notices WHERE area_id = $1 ORDER BY variant, version");
        let rows: Vec<NoticeRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(area_id).fetch_all(p).await)?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn start_notice_draft(&self, area_id: i64, variant: NoticeVariant, title: &str, body: &str, author: (&str, &str), now: DateTime<Utc>) -> StoreResult<NoticeDraft> {
        let sql = format!(
            "INSERT INTO notice_drafts (area_id, variant, title, body_markdown, status, author_subject, author_name, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $7) RETURNING {DRAFT_COLUMNS}"
        );
        let row: NoticeDraftRow = on_writer!(self, p => sqlx::query_as(&sql)
            .bind(area_id).bind(variant.as_str()).bind(title).bind(body).bind(author.0).bind(author.1).bind(now)
            .fetch_one(p).await)?;
        row.try_into()
    }

    async fn notice_draft(&self, id: i64) -> StoreResult<Option<NoticeDraft>> {
        let sql = format!("SELECT {DRAFT_COLUMNS} FROM notice_drafts WHERE id = $1");
        let row: Option<NoticeDraftRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)?;
        row.map(TryInto::try_into).transpose()
    }

    async fn open_notice_drafts(&self, area_id: i64) -> StoreResult<Vec<NoticeDraft>> {
        let sql = format!(
            "SELECT {DRAFT_COLUMNS} FROM notice_drafts WHERE area_id = $1 AND status IN ('draft','submitted','returned','approved') ORDER BY variant"
        );
        let rows: Vec<NoticeDraftRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(area_id).fetch_all(p).await)?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn save_notice_draft(&self, id: i64, author_subject: &str, title: &str, body: &str, now: DateTime<Utc>) -> StoreResult<()> {
        let changed = on_writer!(self, p => sqlx::query(
            "UPDATE notice_drafts SET title = $1, body_markdown = $2, updated_at = $3
             WHERE id = $4 AND author_subject = $5 AND status IN ('draft', 'returned')")
            .bind(title).bind(body).bind(now).bind(id).bind(author_subject)
            .execute(p).await.map(|r| r.rows_affected()))?;
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
            let changed = update.execute(&mut *tx).await?.rows_affected();
            if changed != 1 {
                return Err(StoreError::NotFound.into());
            }
            sqlx::query("INSERT INTO notice_reviews (draft_id, at, actor_name, action, comment) VALUES ($1, $2, $3, $4, $5)")
                .bind(id).bind(now).bind(actor.1).bind(action).bind(comment)
                .execute(&mut *tx).await?;
        })
    }

    async fn notice_reviews(&self, draft_id: i64) -> StoreResult<Vec<NoticeReview>> {
        let rows: Vec<(DateTime<Utc>, String, String, Option<String>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT at, actor_name, action, comment FROM notice_reviews WHERE draft_id = $1 ORDER BY at, id")
            .bind(draft_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|(at, actor_name, action, comment)| NoticeReview { at, actor_name, action, comment }).collect())
    }

    async fn publish_due_notices(&self, now: DateTime<Utc>) -> StoreResult<Vec<Notice>> {
        let due: Vec<i64> = on_pool!(self, p => sqlx::query_scalar(
            "SELECT id FROM notice_drafts WHERE status = 'approved' AND publish_at <= $1 ORDER BY publish_at, id")
            .bind(now).fetch_all(p).await)?;
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
                    .bind(now).bind(id).execute(&mut *tx).await?.rows_affected();
                if claimed == 1 {
                    let row: NoticeRow = sqlx::query_as(&insert).bind(now).bind(id).fetch_one(&mut *tx).await?;
                    sqlx::query("UPDATE notice_drafts SET notice_id = $1 WHERE id = $2").bind(row.id).bind(id)
                        .execute(&mut *tx).await?;
                    sqlx::query("INSERT INTO notice_reviews (draft_id, at, actor_name, action) VALUES ($1, $2, 'The portal', 'published')")
                        .bind(id).bind(now).execute(&mut *tx).await?;
                    Some(row)
                } else {
                    None
                }
            })?;
            published.extend(notice.map(Notice::try_from).transpose()?);
        }
        Ok(published)
    }

    async fn add_notice_views(&self, views: &[(i64, NaiveDate, i64)]) -> StoreResult<()> {
        // In one transaction, in key order (concurrent flushes from several instances then
        // lock rows in the same order); a notice deleted since is skipped.
        let mut sorted = views.to_vec();
        sorted.sort();
        in_tx!(self, tx => {
            for (notice_id, day, n) in &sorted {
                sqlx::query(
                    "INSERT INTO notice_views (notice_id, day, views) SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM notices WHERE id = $1)
                     ON CONFLICT (notice_id, day) DO UPDATE SET views = notice_views.views + excluded.views")
                    .bind(notice_id).bind(day).bind(n).execute(&mut *tx).await?;
            }
        })
    }

    async fn notice_views(&self, area_id: i64, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<(i64, NaiveDate, i64)>> {
        on_pool!(self, p => sqlx::query_as(
            "SELECT v.notice_id, v.day, v.views FROM notice_views v JOIN notices n ON n.id = v.notice_id
             WHERE n.area_id = $1 AND v.day >= $2 AND v.day <= $3 ORDER BY v.day, v.notice_id")
            .bind(area_id).bind(from).bind(to).fetch_all(p).await)
    }
}
