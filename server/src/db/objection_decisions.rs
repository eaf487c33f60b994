//! What upheld objections ask of organisations, and the reasons areas give for their decisions. (`ObjectionDecisionStore` for both backends.)

use super::*;

#[async_trait::async_trait]
impl ObjectionDecisionStore for Db {
    async fn effects(&self, case_id: i64) -> StoreResult<Vec<ObjectionEffect>> {
        let rows: Vec<(String, String, String, Option<DateTime<Utc>>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT ods_code, name, detail, applied_at FROM objection_effects WHERE case_id = $1 ORDER BY name")
            .bind(case_id).fetch_all(p).await)?;
        Ok(rows.into_iter().map(|(ods_code, name, detail, applied_at)| ObjectionEffect { ods_code, name, detail, applied_at }).collect())
    }

    async fn mark_effect_applied(&self, case_id: i64, ods_code: &str, e: &CaseEvent, a: &StaffAction) -> StoreResult<bool> {
        in_tx!(self, tx => {
            let changed = sqlx::query("UPDATE objection_effects SET applied_at = $1 WHERE case_id = $2 AND ods_code = $3 AND applied_at IS NULL")
                .bind(e.at).bind(case_id).bind(ods_code).execute(&mut *tx).await?.rows_affected() == 1;
            if changed {
                record_event!(&mut *tx, case_id, e);
                record_action!(&mut *tx, a);
            }
            changed
        })
    }

    async fn decision_templates(&self, area_id: i64) -> StoreResult<Vec<DecisionTemplate>> {
        let rows: Vec<(i64, i64, String, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, area_id, outcome, title, body FROM decision_templates WHERE area_id = $1 ORDER BY outcome, title, id")
            .bind(area_id).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(id, area_id, outcome, title, body)| {
                Ok(DecisionTemplate { id, area_id, outcome: CaseStatus::parse(&outcome).ok_or_else(|| corrupt("template outcome"))?, title, body })
            })
            .collect()
    }

    async fn add_decision_template(&self, area_id: i64, outcome: CaseStatus, title: &str, body: &str) -> StoreResult<DecisionTemplate> {
        let id: i64 = on_writer!(self, p => sqlx::query_scalar(
            "INSERT INTO decision_templates (area_id, outcome, title, body) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(area_id).bind(outcome.as_str()).bind(title).bind(body).fetch_one(p).await)?;
        Ok(DecisionTemplate { id, area_id, outcome, title: title.into(), body: body.into() })
    }

    async fn remove_decision_template(&self, area_id: i64, id: i64) -> StoreResult<u64> {
        on_writer!(self, p => sqlx::query("DELETE FROM decision_templates WHERE area_id = $1 AND id = $2")
            .bind(area_id).bind(id).execute(p).await.map(|r| r.rows_affected()))
    }
}
