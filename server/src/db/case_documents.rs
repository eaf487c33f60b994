//! Documents on a case: evidence staff add, and the response sent to the patient. (`CaseDocumentStore` for both backends.)

use super::*;
use app::domain::withholding::{Exemption, WithheldItem, Withholding};

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

#[async_trait::async_trait]
impl CaseDocumentStore for Db {
    async fn add_document(&self, d: &NewDocument, e: &CaseEvent, a: Option<&StaffAction>) -> StoreResult<i64> {
        in_tx!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO case_documents (case_id, role, file_name, content_type, content, added_by, added_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
                .bind(d.case_id).bind(&d.role).bind(&d.file_name).bind(&d.content_type).bind(&d.content).bind(&d.added_by).bind(d.at)
                .fetch_one(&mut *tx).await?;
            record_event!(&mut *tx, d.case_id, e);
            if let Some(a) = a {
                record_action!(&mut *tx, a);
            }
            id
        })
    }

    async fn documents(&self, case_id: i64) -> StoreResult<Vec<DocumentMeta>> {
        let rows: Vec<DocumentRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, role, file_name, content_type, CAST(LENGTH(content) AS BIGINT) AS size, added_by, added_at
             FROM case_documents WHERE case_id = $1 ORDER BY id")
            .bind(case_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(DocumentMeta::from).collect())
    }

    async fn document(&self, case_id: i64, id: i64) -> StoreResult<Option<(DocumentMeta, Vec<u8>)>> {
        let row: Option<(i64, Vec<u8>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, content FROM case_documents WHERE case_id = $1 AND id = $2")
            .bind(case_id).bind(id).fetch_optional(p).await)?;
        let Some((_, content)) = row else { return Ok(None) };
        let meta = self.documents(case_id).await?.into_iter().find(|d| d.id == id).ok_or(StoreError::NotFound)?;
        Ok(Some((meta, content)))
    }

    async fn withhold(&self, case_id: i64, w: &Withholding, described: &str, e: &CaseEvent, a: &StaffAction) -> StoreResult<bool> {
        // The `passage` column keeps how the item was described: where a passage was, or what a
        // document or look was, so the record reads back after the case has closed.
        let passage = match &w.item {
            WithheldItem::Passage(where_) => Some(where_.clone()),
            _ => Some(described.to_string()),
        };
        in_tx!(self, tx => {
            // Only while the response is still to be compiled: a claim on the case's row first.
            let open = sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2 AND kind = 'access_request' AND status = 'received'")
                .bind(e.at).bind(case_id).execute(&mut *tx).await?.rows_affected() == 1;
            if open {
                sqlx::query(
                    "INSERT INTO case_withholdings (case_id, item, passage, exemption, note, withheld_by, withheld_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                    .bind(case_id).bind(w.item.key()).bind(&passage).bind(w.exemption.as_str()).bind(w.note.as_str()).bind(&a.actor_subject).bind(e.at)
                    .execute(&mut *tx).await?;
                record_event!(&mut *tx, case_id, e);
                record_action!(&mut *tx, a);
            }
            open
        })
    }

    async fn withholdings(&self, case_id: i64) -> StoreResult<Vec<WithholdingRecord>> {
        type Row = (i64, String, Option<String>, String, String, String, DateTime<Utc>);
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, item, passage, exemption, note, withheld_by, withheld_at FROM case_withholdings WHERE case_id = $1 ORDER BY id")
            .bind(case_id).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(id, item, passage, exemption, note, withheld_by, withheld_at)| {
                let number = |s: &str| s.parse::<i64>().map_err(corrupt);
                let item = match item.split_once(':') {
                    Some(("document", n)) => WithheldItem::Document(number(n)?),
                    Some(("access", n)) => WithheldItem::AccessEvent(number(n)?),
                    _ if item == "passage" => WithheldItem::Passage(passage.clone().unwrap_or_default()),
                    _ => return Err(corrupt("withheld item")),
                };
                let exemption = Exemption::parse(&exemption).ok_or_else(|| corrupt("exemption"))?;
                Ok(WithholdingRecord { id, item, exemption, described: passage.unwrap_or_default(), note, withheld_by, withheld_at })
            })
            .collect()
    }
}
