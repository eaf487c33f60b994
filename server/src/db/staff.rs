//! The staff directory, and the append-only record of what staff did. (`StaffStore` for both backends.)

use super::*;

#[derive(sqlx::FromRow)]
struct StaffGrantRow {
    subject: String,
    name: String,
    role: Option<String>,
    area_slug: Option<String>,
    area_name: Option<String>,
}

/// Folds one row per grant (LEFT JOINed, so people with no grant still appear) into people.
fn fold_staff(rows: Vec<StaffGrantRow>) -> StoreResult<Vec<StaffRecord>> {
    let mut out: Vec<StaffRecord> = Vec::new();
    for r in rows {
        if out.last().map(|s| s.subject != r.subject).unwrap_or(true) {
            out.push(StaffRecord { subject: r.subject.clone(), name: r.name.clone(), grants: Vec::new() });
        }
        if let (Some(role), Some(area_slug), Some(area_name)) = (r.role, r.area_slug, r.area_name) {
            let role = Role::parse(&role).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            if let Some(last) = out.last_mut() {
                last.grants.push(Grant { role, area_slug, area_name });
            }
        }
    }
    Ok(out)
}

const STAFF_SELECT: &str = "SELECT s.subject, s.name, r.role, a.slug AS area_slug, a.name AS area_name
     FROM staff s
     LEFT JOIN staff_roles r ON r.subject = s.subject
     LEFT JOIN areas a ON a.id = r.area_id";


#[async_trait::async_trait]
impl StaffStore for Db {
    async fn add_staff_grant(&self, subject: &str, name: &str, role: Role, area: &AreaSlug) -> StoreResult<()> {
        let area = self.area_by_slug(area).await?.ok_or(StoreError::NotFound)?;
        in_tx!(self, tx => {
            sqlx::query("INSERT INTO staff (subject, name, created_at) VALUES ($1, $2, $3)
                         ON CONFLICT (subject) DO UPDATE SET name = excluded.name")
                .bind(subject).bind(name).bind(Utc::now()).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO staff_roles (subject, role, area_id) VALUES ($1, $2, $3)
                         ON CONFLICT DO NOTHING")
                .bind(subject).bind(role.as_str()).bind(area.id).execute(&mut *tx).await?;
        })
    }

    async fn remove_staff(&self, subject: &str, grant: Option<(Role, &AreaSlug)>) -> StoreResult<u64> {
        match grant {
            Some((role, area)) => on_writer!(self, p => sqlx::query(
                "DELETE FROM staff_roles WHERE subject = $1 AND role = $2
                 AND area_id = (SELECT id FROM areas WHERE slug = $3)")
                .bind(subject).bind(role.as_str()).bind(area.as_str()).execute(p).await
                .map(|r| r.rows_affected())),
            None => in_tx!(self, tx => {
                let n = sqlx::query("DELETE FROM staff_roles WHERE subject = $1")
                    .bind(subject).execute(&mut *tx).await?.rows_affected();
                let people = sqlx::query("DELETE FROM staff WHERE subject = $1")
                    .bind(subject).execute(&mut *tx).await?.rows_affected();
                n.max(people)
            }),
        }
    }

    async fn staff_member(&self, subject: &str) -> StoreResult<Option<StaffRecord>> {
        let sql = format!("{STAFF_SELECT} WHERE s.subject = $1 ORDER BY s.subject, a.name, r.role");
        let rows: Vec<StaffGrantRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(subject).fetch_all(p).await)?;
        Ok(fold_staff(rows)?.into_iter().next())
    }

    async fn list_staff(&self) -> StoreResult<Vec<StaffRecord>> {
        let sql = format!("{STAFF_SELECT} ORDER BY s.subject, a.name, r.role");
        let rows: Vec<StaffGrantRow> = on_pool!(self, p => sqlx::query_as(&sql).fetch_all(p).await)?;
        fold_staff(rows)
    }

    async fn record_staff_action(&self, a: &StaffAction) -> StoreResult<()> {
        on_writer!(self, p => {
            record_action!(p, a);
            Ok::<_, sqlx::Error>(())
        })
    }

    async fn staff_actions(&self, case_id: i64) -> StoreResult<Vec<StaffAction>> {
        let rows: Vec<(DateTime<Utc>, String, i64, Option<i64>, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT at, actor_subject, area_id, case_id, action, detail FROM staff_actions WHERE case_id = $1 ORDER BY id")
            .bind(case_id).fetch_all(p).await)?;
        Ok(rows
            .into_iter()
            .map(|(at, actor_subject, area_id, case_id, action, detail)| StaffAction { at, actor_subject, area_id, case_id, action, detail })
            .collect())
    }
}
