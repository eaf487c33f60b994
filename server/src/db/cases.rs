//! Cases (objections, requests for a copy, access concerns), their timelines and queues. (`CaseStore` for both backends.)

use super::*;

const CASE_COLUMNS: &str = "id, reference, area_id, kind, status, patient_subject, patient_nhs_number, patient_name,
     patient_birth_date, details, contact, received_on, due_on, clock, assignee, outcome, created_at, updated_at, barred_subject";

#[derive(sqlx::FromRow)]
struct CaseRow {
    id: i64,
    reference: String,
    area_id: i64,
    kind: String,
    status: String,
    patient_subject: String,
    patient_nhs_number: String,
    patient_name: String,
    patient_birth_date: Option<String>,
    details: String,
    contact: String,
    received_on: NaiveDate,
    due_on: Option<NaiveDate>,
    clock: String,
    assignee: Option<String>,
    outcome: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    barred_subject: Option<String>,
}

impl TryFrom<CaseRow> for CaseRecord {
    type Error = StoreError;
    fn try_from(r: CaseRow) -> Result<Self, Self::Error> {
        Ok(CaseRecord {
            id: r.id,
            reference: CaseReference::parse(&r.reference).ok_or_else(|| corrupt("case reference"))?,
            area_id: r.area_id,
            kind: CaseKind::parse(&r.kind).ok_or_else(|| corrupt("case kind"))?,
            status: CaseStatus::parse(&r.status).ok_or_else(|| corrupt("case status"))?,
            patient: CasePatient {
                subject: r.patient_subject,
                nhs_number: NhsNumber::parse(&r.patient_nhs_number).map_err(corrupt)?,
                name: r.patient_name,
                birth_date: r.patient_birth_date,
            },
            details: serde_json::from_str::<CaseDetails>(&r.details).map_err(corrupt)?,
            contact: serde_json::from_str::<Contact>(&r.contact).map_err(corrupt)?,
            received_on: r.received_on,
            due_on: r.due_on,
            clock: serde_json::from_str::<StoredClock>(&r.clock).map_err(corrupt)?,
            assignee: r.assignee,
            outcome: r.outcome.map(|o| serde_json::from_str::<CaseOutcome>(&o)).transpose().map_err(corrupt)?,
            created_at: r.created_at,
            updated_at: r.updated_at,
            barred_subject: r.barred_subject,
        })
    }
}

#[derive(sqlx::FromRow)]
struct CaseEventRow {
    at: DateTime<Utc>,
    actor: String,
    actor_subject: Option<String>,
    actor_name: Option<String>,
    kind: String,
    public: bool,
    text: String,
}

#[async_trait::async_trait]
impl CaseStore for Db {
    async fn open_case(&self, c: &NewCase) -> StoreResult<(CaseRecord, bool)> {
        let details = to_json(&c.details)?;
        let contact = to_json(&c.contact)?;
        let clock = to_json(&StoredClock::default())?;
        let sql = format!(
            "INSERT INTO cases (reference, area_id, kind, status, patient_subject, patient_nhs_number, patient_name,
                 patient_birth_date, details, contact, received_on, due_on, clock, idempotency_key, created_at, updated_at)
             VALUES ($1, $2, $3, 'received', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)
             ON CONFLICT (patient_subject, idempotency_key) DO NOTHING
             RETURNING {CASE_COLUMNS}");
        let created: Option<CaseRow> = in_tx!(self, tx => {
            let row: Option<CaseRow> = sqlx::query_as(&sql)
                .bind(c.reference.as_str()).bind(c.area_id).bind(c.kind.as_str()).bind(&c.patient.subject)
                .bind(c.patient.nhs_number.expose()).bind(&c.patient.name).bind(&c.patient.birth_date)
                .bind(&details).bind(&contact).bind(c.received_on).bind(c.due_on).bind(&clock)
                .bind(&c.idempotency_key).bind(c.at)
                .fetch_optional(&mut *tx).await?;
            if let Some(row) = &row {
                let e = &c.event;
                record_event!(&mut *tx, row.id, e);
                if let Some(m) = &c.message {
                    queue_message!(&mut *tx, row.id, m, c.at);
                }
            }
            row
        })?;
        match created {
            Some(row) => Ok((row.try_into()?, true)),
            None => {
                let existing = self
                    .case_by_idempotency_key(&c.patient.subject, &c.idempotency_key)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                Ok((existing, false))
            }
        }
    }

    async fn case_by_reference(&self, reference: &CaseReference) -> StoreResult<Option<CaseRecord>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE reference = $1");
        let row: Option<CaseRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(reference.as_str()).fetch_optional(p).await)?;
        row.map(CaseRecord::try_from).transpose()
    }

    async fn case_by_idempotency_key(&self, subject: &str, key: &str) -> StoreResult<Option<CaseRecord>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE patient_subject = $1 AND idempotency_key = $2");
        let row: Option<CaseRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(subject).bind(key).fetch_optional(p).await)?;
        row.map(CaseRecord::try_from).transpose()
    }

    async fn cases_for_patient(&self, subject: &str) -> StoreResult<Vec<CaseRecord>> {
        let sql = format!("SELECT {CASE_COLUMNS} FROM cases WHERE patient_subject = $1 ORDER BY created_at DESC, id DESC");
        let rows: Vec<CaseRow> = on_pool!(self, p => sqlx::query_as(&sql)
            .bind(subject).fetch_all(p).await)?;
        rows.into_iter().map(CaseRecord::try_from).collect()
    }

    async fn case_events(&self, case_id: i64) -> StoreResult<Vec<CaseEvent>> {
        let rows: Vec<CaseEventRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT at, actor, actor_subject, actor_name, kind, public, text FROM case_events WHERE case_id = $1 ORDER BY at, id")
            .bind(case_id).fetch_all(p).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(CaseEvent {
                    at: r.at,
                    actor: match r.actor.as_str() {
                        "patient" => Actor::Patient,
                        "staff" => Actor::Staff,
                        "system" => Actor::System,
                        _ => return Err(corrupt("event actor")),
                    },
                    actor_subject: r.actor_subject,
                    actor_name: r.actor_name,
                    kind: CaseEventKind::parse(&r.kind).ok_or_else(|| corrupt("event kind"))?,
                    public: r.public,
                    text: r.text,
                })
            })
            .collect()
    }

    async fn update_case(&self, u: &CaseUpdate) -> StoreResult<bool> {
        // The statement is built from the parts this update changes; values are always bound.
        let mut sets = vec!["updated_at = $1".to_string()];
        let mut binds: Vec<Bind> = vec![Bind::Time(u.event.at)];
        if let Some(status) = u.status {
            let p = param(&mut binds, Bind::Text(Some(status.as_str().into())));
            sets.push(format!("status = {p}"));
        }
        if let Some((clock, due)) = &u.clock {
            let p = param(&mut binds, Bind::Text(Some(to_json(clock)?)));
            let d = param(&mut binds, Bind::Date(*due));
            sets.push(format!("clock = {p}, due_on = {d}"));
        }
        if let Some(assignee) = &u.assignee {
            let p = param(&mut binds, Bind::Text(assignee.clone()));
            sets.push(format!("assignee = {p}"));
        }
        if let Some(outcome) = &u.outcome {
            let p = param(&mut binds, Bind::Text(Some(to_json(outcome)?)));
            sets.push(format!("outcome = {p}"));
        }
        if let Some(barred) = &u.reopen_barring {
            let p = param(&mut binds, Bind::Text(Some(barred.clone())));
            sets.push(format!("outcome = NULL, assignee = NULL, barred_subject = {p}"));
        }
        let id = param(&mut binds, Bind::Int(u.case_id));
        let statuses: Vec<String> = u
            .expect_status
            .iter()
            .map(|st| param(&mut binds, Bind::Text(Some(st.as_str().into()))))
            .collect();
        let mut sql = format!("UPDATE cases SET {} WHERE id = {id} AND status IN ({})", sets.join(", "), statuses.join(", "));
        match &u.expect_assignee {
            None => {}
            Some(None) => sql.push_str(" AND assignee IS NULL"),
            Some(Some(who)) => {
                let p = param(&mut binds, Bind::Text(Some(who.clone())));
                sql.push_str(&format!(" AND assignee = {p}"));
            }
        }
        in_tx!(self, tx => {
            let mut q = sqlx::query(&sql);
            q = bind_all!(q, &binds);
            let changed = q.execute(&mut *tx).await?.rows_affected() == 1;
            if changed {
                let e = &u.event;
                record_event!(&mut *tx, u.case_id, e);
                if let Some(m) = &u.message {
                    queue_message!(&mut *tx, u.case_id, m, e.at);
                }
                for (code, name, detail) in &u.effects {
                    sqlx::query("INSERT INTO objection_effects (case_id, ods_code, name, detail) VALUES ($1, $2, $3, $4)")
                        .bind(u.case_id).bind(code).bind(name).bind(detail)
                        .execute(&mut *tx).await?;
                }
                if let Some(a) = &u.action {
                    record_action!(&mut *tx, a);
                }
            }
            changed
        })
    }

    async fn queue(&self, qq: &QueueQuery) -> StoreResult<Vec<CaseRecord>> {
        if qq.area_ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut binds: Vec<Bind> = Vec::new();
        let areas: Vec<String> = qq.area_ids.iter().map(|a| param(&mut binds, Bind::Int(*a))).collect();
        let mut conditions = vec![format!("area_id IN ({})", areas.join(", "))];
        match qq.status {
            Some(st) => conditions.push(format!("status = {}", param(&mut binds, Bind::Text(Some(st.as_str().into()))))),
            None => conditions.push("status IN ('received', 'information_needed', 'acknowledged')".into()),
        }
        if let Some(kind) = qq.kind {
            conditions.push(format!("kind = {}", param(&mut binds, Bind::Text(Some(kind.as_str().into())))));
        }
        match &qq.assignee {
            AssigneeFilter::Anyone => {}
            AssigneeFilter::Unassigned => conditions.push("assignee IS NULL".into()),
            AssigneeFilter::Person(p) => conditions.push(format!("assignee = {}", param(&mut binds, Bind::Text(Some(p.clone()))))),
        }
        if let Some(day) = qq.due_by {
            conditions.push(format!("due_on <= {}", param(&mut binds, Bind::Date(Some(day)))));
        }
        let limit = param(&mut binds, Bind::Int(qq.limit));
        // Cases whose clock is stopped have no due date: they come after those with one.
        let sql = format!(
            "SELECT {CASE_COLUMNS} FROM cases WHERE {} ORDER BY CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, created_at, id LIMIT {limit}",
            conditions.join(" AND ")
        );
        let rows: Vec<CaseRow> = on_pool!(self, p => {
            let mut q = sqlx::query_as::<_, CaseRow>(&sql);
            q = bind_all!(q, &binds);
            q.fetch_all(p).await
        })?;
        rows.into_iter().map(CaseRecord::try_from).collect()
    }

    async fn queue_counts(&self, area_ids: &[i64]) -> StoreResult<Vec<(CaseKind, CaseStatus, i64)>> {
        if area_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=area_ids.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT kind, status, COUNT(*) AS n FROM cases WHERE area_id IN ({}) AND status IN ('received', 'information_needed', 'acknowledged')
             GROUP BY kind, status ORDER BY kind, status",
            placeholders.join(", ")
        );
        let rows: Vec<(String, String, i64)> = on_pool!(self, p => {
            let mut q = sqlx::query_as::<_, (String, String, i64)>(&sql);
            for a in area_ids {
                q = q.bind(a);
            }
            q.fetch_all(p).await
        })?;
        rows.into_iter()
            .map(|(k, st, n)| {
                Ok((CaseKind::parse(&k).ok_or_else(|| corrupt("case kind"))?, CaseStatus::parse(&st).ok_or_else(|| corrupt("case status"))?, n))
            })
            .collect()
    }

    async fn case_figures(&self, area_id: i64) -> StoreResult<Vec<CaseFigure>> {
        type Row = (String, String, NaiveDate, Option<NaiveDate>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);
        let rows: Vec<Row> = on_pool!(self, p => sqlx::query_as(
            "SELECT c.kind, c.status, c.received_on, c.due_on,
                    (SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND e.kind IN ('decided', 'fulfilled')),
                    (SELECT MIN(e.at) FROM case_events e WHERE e.case_id = c.id AND e.kind IN ('acknowledged', 'decided'))
             FROM cases c WHERE c.area_id = $1")
            .bind(area_id).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(kind, status, received_on, due_on, closed_at, acknowledged_at)| {
                Ok(CaseFigure {
                    kind: CaseKind::parse(&kind).ok_or_else(|| StoreError::Corrupt(format!("case kind {kind}")))?,
                    status: CaseStatus::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("case status {status}")))?,
                    received_on,
                    due_on,
                    closed_at,
                    acknowledged_at,
                })
            })
            .collect()
    }
}
