//! Forms between their steps. (`DraftStore` for both backends.)

use super::*;

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

#[async_trait::async_trait]
impl DraftStore for Db {
    async fn save_draft(&self, d: &Draft) -> StoreResult<()> {
        let answers = to_json(&d.answers)?;
        let errors = to_json(&d.errors)?;
        let n = on_writer!(self, p => sqlx::query(
            "INSERT INTO form_drafts (key, owner_subject, form, answers, errors, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (key) DO UPDATE SET answers = excluded.answers, errors = excluded.errors, updated_at = excluded.updated_at
             WHERE form_drafts.owner_subject = excluded.owner_subject AND form_drafts.form = excluded.form")
            .bind(&d.key).bind(&d.owner_subject).bind(&d.form).bind(answers).bind(errors).bind(d.updated_at)
            .execute(p).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(StoreError::Conflict);
        }
        Ok(())
    }

    async fn draft(&self, key: &str, owner: &str) -> StoreResult<Option<Draft>> {
        let row: Option<DraftRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT key, owner_subject, form, answers, errors, updated_at FROM form_drafts WHERE key = $1 AND owner_subject = $2")
            .bind(key).bind(owner).fetch_optional(p).await)?;
        row.map(Draft::try_from).transpose()
    }

    async fn take_draft(&self, key: &str, owner: &str) -> StoreResult<Option<Draft>> {
        let row: Option<DraftRow> = on_writer!(self, p => sqlx::query_as(
            "DELETE FROM form_drafts WHERE key = $1 AND owner_subject = $2 RETURNING key, owner_subject, form, answers, errors, updated_at")
            .bind(key).bind(owner).fetch_optional(p).await)?;
        row.map(Draft::try_from).transpose()
    }

    async fn delete_old_drafts(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        on_writer!(self, p => sqlx::query("DELETE FROM form_drafts WHERE updated_at < $1")
            .bind(before).execute(p).await.map(|r| r.rows_affected()))
    }
}
