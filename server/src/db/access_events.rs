//! Access events: who looked at a patient's record, and why. (`AccessEventStore` for both backends.)

use super::*;
use super::audit_chain::{append_entry, hold_chain, pruning_entry};

#[derive(sqlx::FromRow)]
struct AccessRow {
    id: i64,
    source_id: Option<i64>,
    source_event_id: String,
    nhs_number: String,
    recorded_at: DateTime<Utc>,
    agent_name: String,
    agent_id: Option<String>,
    agent_role: Option<String>,
    org_ods: Option<String>,
    org_name: Option<String>,
    purpose: String,
    emergency: bool,
    viewed: String,
    outcome: String,
    automated: bool,
    observer: String,
    action: Option<String>,
    subtype: Option<String>,
    content_hash: Option<String>,
}

impl TryFrom<AccessRow> for AccessEvent {
    type Error = StoreError;
    fn try_from(r: AccessRow) -> StoreResult<Self> {
        Ok(AccessEvent {
            id: r.id,
            source_id: r.source_id,
            source_event_id: r.source_event_id,
            nhs_number: NhsNumber::parse(&r.nhs_number).map_err(corrupt)?,
            recorded_at: r.recorded_at,
            agent_name: r.agent_name,
            agent_id: r.agent_id,
            agent_role: r.agent_role,
            org_ods: r.org_ods,
            org_name: r.org_name,
            purpose: r.purpose,
            emergency: r.emergency,
            viewed: r.viewed,
            outcome: r.outcome,
            automated: r.automated,
            observer: r.observer,
            action: r.action,
            subtype: r.subtype,
            content_hash: r.content_hash,
        })
    }
}

/// One event as counted in `access_look_hours` (see its migration): only a look by a person that
/// succeeded counts.
struct CountedLook<'a> {
    nhs_number: &'a str,
    recorded_at: DateTime<Utc>,
    org_ods: Option<&'a str>,
    org_name: Option<&'a str>,
    automated: bool,
    outcome: &'a str,
}

/// The counts' key: patient, UTC hour as "YYYY-MM-DD HH" (what the migration's SQL makes of the
/// stored time), ODS code or "", and the name only when there is no ODS code.
type LookHour = (String, String, String, String);

/// The looks that count, grouped by key, with how many of each.
fn look_hours<'a>(events: impl IntoIterator<Item = CountedLook<'a>>) -> Vec<(LookHour, i64)> {
    let mut counts: std::collections::BTreeMap<LookHour, i64> = std::collections::BTreeMap::new();
    for e in events.into_iter().filter(|e| !e.automated && e.outcome == "0") {
        let key = (
            e.nhs_number.to_string(),
            e.recorded_at.format("%Y-%m-%d %H").to_string(),
            e.org_ods.unwrap_or_default().to_string(),
            if e.org_ods.is_none() { e.org_name.unwrap_or_default().to_string() } else { String::new() },
        );
        *counts.entry(key).or_default() += 1;
    }
    counts.into_iter().collect()
}

/// Adds counted looks inside a transaction (the counting job, as its progress passes them).
macro_rules! add_look_hours {
    ($tx:expr, $counts:expr) => {{
        for ((nhs, hour, ods, name), n) in $counts {
            sqlx::query(
                "INSERT INTO access_look_hours (nhs_number, hour, org_ods, org_name, looks) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (nhs_number, hour, org_ods, org_name) DO UPDATE SET looks = access_look_hours.looks + excluded.looks",
            )
            .bind(nhs).bind(hour).bind(ods).bind(name).bind(n)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

/// Takes deleted looks off the counts inside the deleting transaction: only those the counts
/// hold (up to the counting job's progress); an hour left with none goes.
macro_rules! subtract_look_hours {
    ($tx:expr, $deleted:expr) => {{
        let deleted: &[LookRow] = $deleted;
        // The counting job's progress row, held: it cannot count an event this pass is deleting.
        sqlx::query("UPDATE access_look_progress SET id = id WHERE id = 1").execute(&mut *$tx).await?;
        let counted_to: i64 = sqlx::query_scalar("SELECT last_event_id FROM access_look_progress WHERE id = 1").fetch_one(&mut *$tx).await?;
        let counts = look_hours(deleted.iter().filter(|d| d.id <= counted_to).map(LookRow::look));
        for ((nhs, hour, ods, name), n) in counts {
            sqlx::query("UPDATE access_look_hours SET looks = looks - $5 WHERE nhs_number = $1 AND hour = $2 AND org_ods = $3 AND org_name = $4")
                .bind(&nhs).bind(&hour).bind(&ods).bind(&name).bind(n)
                .execute(&mut *$tx)
                .await?;
            sqlx::query("DELETE FROM access_look_hours WHERE nhs_number = $1 AND hour = $2 AND org_ods = $3 AND org_name = $4 AND looks <= 0")
                .bind(&nhs).bind(&hour).bind(&ods).bind(&name)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

/// An event as the counts see it: arriving (to be counted) or deleted by retention (to be taken off).
#[derive(sqlx::FromRow)]
struct LookRow {
    id: i64,
    nhs_number: String,
    recorded_at: DateTime<Utc>,
    org_ods: Option<String>,
    org_name: Option<String>,
    automated: bool,
    outcome: String,
    received_at: DateTime<Utc>,
}

impl LookRow {
    fn look(&self) -> CountedLook<'_> {
        CountedLook {
            nhs_number: &self.nhs_number,
            recorded_at: self.recorded_at,
            org_ods: self.org_ods.as_deref(),
            org_name: self.org_name.as_deref(),
            automated: self.automated,
            outcome: &self.outcome,
        }
    }
}

const LOOK_COLUMNS: &str = "id, nhs_number, recorded_at, org_ods, org_name, automated, outcome, received_at";

const ACCESS_COLUMNS: &str = "id, source_id, source_event_id, nhs_number, recorded_at, agent_name, agent_id, agent_role,
     org_ods, org_name, purpose, emergency, viewed, outcome, automated, observer, action, subtype, content_hash";


/// The WHERE clause of a page of one patient's access events (filters and keyset cursor).
/// A look withheld from a response to one of the patient's requests for a copy is withheld from
/// their live log too (its list, counts, downloads and concern form): otherwise comparing the two
/// would show exactly what was withheld. Not correlated, so it is worked out once per query.
fn not_withheld(nhs: &str, binds: &mut Vec<Bind>) -> String {
    format!(
        "id NOT IN (SELECT CAST(substr(w.item, 8) AS BIGINT) FROM case_withholdings w JOIN cases c ON c.id = w.case_id
                    WHERE c.patient_nhs_number = {} AND w.item LIKE 'access:%')",
        param(binds, Bind::Text(Some(nhs.to_string())))
    )
}

fn access_conditions(q: &AccessQuery, binds: &mut Vec<Bind>) -> String {
    let mut conditions = vec![format!("nhs_number = {}", param(binds, Bind::Text(Some(q.nhs_number.expose().to_string()))))];
    conditions.push(not_withheld(q.nhs_number.expose(), binds));
    if let Some(from) = q.from {
        conditions.push(format!("recorded_at >= {}", param(binds, Bind::Time(from))));
    }
    if let Some(to) = q.to {
        conditions.push(format!("recorded_at < {}", param(binds, Bind::Time(to))));
    }
    if let Some(org) = &q.org_ods {
        conditions.push(format!("org_ods = {}", param(binds, Bind::Text(Some(org.clone())))));
    }
    if !q.include_automated {
        conditions.push("automated = FALSE".into());
    }
    if let Some((at, id)) = q.before {
        // Keyset: strictly after the cursor in (recorded_at DESC, id DESC) order. The plain
        // upper bound on recorded_at lets both databases start the index scan at the cursor
        // instead of filtering everything newer.
        let t = param(binds, Bind::Time(at));
        let t2 = param(binds, Bind::Time(at));
        let i = param(binds, Bind::Int(id));
        conditions.push(format!("recorded_at <= {t} AND (recorded_at < {t2} OR id < {i})"));
    }
    conditions.join(" AND ")
}

/// Keeps each source's first and latest event time up to date, for the patient's "which
/// systems send us access records" panel (cheap here; a scan of 10^8 rows would not be). Run
/// after the events commit, and only when the span grows, so that concurrent batches from one
/// source do not queue behind each other on its row.
async fn touch_sources(db: &Db, events: &[AccessEvent]) -> StoreResult<()> {
    let mut spans: std::collections::BTreeMap<i64, (DateTime<Utc>, DateTime<Utc>)> = std::collections::BTreeMap::new();
    for e in events {
        if let Some(s) = e.source_id {
            let span = spans.entry(s).or_insert((e.recorded_at, e.recorded_at));
            span.0 = span.0.min(e.recorded_at);
            span.1 = span.1.max(e.recorded_at);
        }
    }
    for (source, (first, latest)) in spans {
        on_writer!(db, p => sqlx::query(
            "UPDATE event_sources SET
                 first_event_at = CASE WHEN first_event_at IS NULL OR first_event_at > $1 THEN $1 ELSE first_event_at END,
                 latest_event_at = CASE WHEN latest_event_at IS NULL OR latest_event_at < $2 THEN $2 ELSE latest_event_at END
             WHERE id = $3 AND (first_event_at IS NULL OR first_event_at > $1 OR latest_event_at IS NULL OR latest_event_at < $2)",
        )
        .bind(first)
        .bind(latest)
        .bind(source)
        .execute(p)
        .await
        .map(|_| ()))?;
    }
    Ok(())
}

/// The (patient, organisation) pairs in a batch, in key order: concurrent batches then take
/// their locks in the same order and cannot deadlock.
/// A patient's organisation is known by its code alone until an event gives its name; after
/// that, its first name stands.
const NAME_WHEN_FIRST_GIVEN: &str = " ON CONFLICT (nhs_number, org_ods) DO UPDATE SET org_name = excluded.org_name WHERE access_event_organisations.org_name = access_event_organisations.org_ods AND excluded.org_name <> excluded.org_ods";

fn organisation_pairs(events: &[AccessEvent]) -> Vec<(String, String, String)> {
    let mut pairs: std::collections::BTreeMap<(&str, &str), &str> = std::collections::BTreeMap::new();
    for e in events {
        if let Some(ods) = &e.org_ods {
            let name = pairs.entry((e.nhs_number.expose(), ods)).or_insert(ods);
            // The first name given: an event that gave none does not stand for one.
            if *name == ods.as_str() {
                if let Some(given) = e.org_name.as_deref() {
                    *name = given;
                }
            }
        }
    }
    pairs.into_iter().map(|((n, o), name)| (n.to_string(), o.to_string(), name.to_string())).collect()
}

#[async_trait::async_trait]
impl AccessEventStore for Db {
    async fn ingest_access_events(&self, events: &[AccessEvent], received_at: DateTime<Utc>) -> StoreResult<Vec<String>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let stored: Vec<String> = async { Ok::<_, DbError>(match self {
            // One statement for the whole batch: arrays unnested into rows.
            Db::Postgres(p) => {
                let col = |f: fn(&AccessEvent) -> Option<String>| events.iter().map(f).collect::<Vec<_>>();
                let mut tx = p.begin().await?;
                let ids: Vec<String> = sqlx::query_scalar(
                    "INSERT INTO access_events (source_id, source_event_id, nhs_number, recorded_at, agent_name, agent_id, agent_role,
                         org_ods, org_name, purpose, emergency, viewed, outcome, automated, observer, action, subtype, content_hash, received_at)
                     SELECT u.*, $19 FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::text[], $7::text[],
                         $8::text[], $9::text[], $10::text[], $11::bool[], $12::text[], $13::text[], $14::bool[], $15::text[],
                         $16::text[], $17::text[], $18::text[]) AS u
                     ON CONFLICT (source_id, source_event_id) DO NOTHING
                     RETURNING source_event_id",
                )
                .bind(events.iter().map(|e| e.source_id).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.source_event_id.clone()).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.nhs_number.expose().to_string()).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.recorded_at).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.agent_name.clone()).collect::<Vec<_>>())
                .bind(col(|e| e.agent_id.clone()))
                .bind(col(|e| e.agent_role.clone()))
                .bind(col(|e| e.org_ods.clone()))
                .bind(col(|e| e.org_name.clone()))
                .bind(events.iter().map(|e| e.purpose.clone()).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.emergency).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.viewed.clone()).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.outcome.clone()).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.automated).collect::<Vec<_>>())
                .bind(events.iter().map(|e| e.observer.clone()).collect::<Vec<_>>())
                .bind(col(|e| e.action.clone()))
                .bind(col(|e| e.subtype.clone()))
                .bind(col(|e| e.content_hash.clone()))
                .bind(received_at)
                .fetch_all(&mut *tx)
                .await?;
                let pairs = organisation_pairs(events);
                sqlx::query(
                    &format!("INSERT INTO access_event_organisations (nhs_number, org_ods, org_name) SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[]){NAME_WHEN_FIRST_GIVEN}"),
                )
                .bind(pairs.iter().map(|p| p.0.clone()).collect::<Vec<_>>())
                .bind(pairs.iter().map(|p| p.1.clone()).collect::<Vec<_>>())
                .bind(pairs.iter().map(|p| p.2.clone()).collect::<Vec<_>>())
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                ids
            }
            // SQLite: multi-row inserts of up to 500 rows in one transaction.
            Db::Sqlite(_, p) => {
                let mut tx = p.begin_with(crate::db::SQLITE_WRITE).await?;
                let mut ids = Vec::new();
                for chunk in events.chunks(500) {
                    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
                        "INSERT INTO access_events (source_id, source_event_id, nhs_number, recorded_at, agent_name, agent_id, agent_role,
                             org_ods, org_name, purpose, emergency, viewed, outcome, automated, observer, action, subtype,
                             content_hash, received_at) ",
                    );
                    q.push_values(chunk, |mut b, e| {
                        b.push_bind(e.source_id)
                            .push_bind(&e.source_event_id)
                            .push_bind(e.nhs_number.expose())
                            .push_bind(e.recorded_at)
                            .push_bind(&e.agent_name)
                            .push_bind(&e.agent_id)
                            .push_bind(&e.agent_role)
                            .push_bind(&e.org_ods)
                            .push_bind(&e.org_name)
                            .push_bind(&e.purpose)
                            .push_bind(e.emergency)
                            .push_bind(&e.viewed)
                            .push_bind(&e.outcome)
                            .push_bind(e.automated)
                            .push_bind(&e.observer)
                            .push_bind(&e.action)
                            .push_bind(&e.subtype)
                            .push_bind(&e.content_hash)
                            .push_bind(received_at);
                    });
                    q.push(" ON CONFLICT (source_id, source_event_id) DO NOTHING RETURNING source_event_id");
                    let stored: Vec<String> = q.build_query_scalar().fetch_all(&mut *tx).await?;
                    ids.extend(stored);
                }
                for chunk in organisation_pairs(events).chunks(300) {
                    let mut q = sqlx::QueryBuilder::<sqlx::Sqlite>::new("INSERT INTO access_event_organisations (nhs_number, org_ods, org_name) ");
                    q.push_values(chunk, |mut b, (n, o, name)| {
                        b.push_bind(n).push_bind(o).push_bind(name);
                    });
                    q.push(NAME_WHEN_FIRST_GIVEN);
                    q.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                ids
            }
        }) }
        .await?;
        touch_sources(self, events).await?;
        Ok(stored)
    }

    async fn access_events(&self, q: &AccessQuery) -> StoreResult<Vec<AccessEvent>> {
        let mut binds: Vec<Bind> = Vec::new();
        let conditions = access_conditions(q, &mut binds);
        let limit = param(&mut binds, Bind::Int(q.limit));
        let sql = format!("SELECT {ACCESS_COLUMNS} FROM access_events WHERE {conditions} ORDER BY recorded_at DESC, id DESC LIMIT {limit}");
        let rows: Vec<AccessRow> = on_pool!(self, p => {
            let mut query = sqlx::query_as::<_, AccessRow>(&sql);
            query = bind_all!(query, &binds);
            query.fetch_all(p).await
        })?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    async fn automated_access_counts(&self, q: &AccessQuery) -> StoreResult<Vec<(DateTime<Utc>, String, i64)>> {
        let mut binds: Vec<Bind> = Vec::new();
        let conditions = access_conditions(&AccessQuery { include_automated: true, ..q.clone() }, &mut binds);
        // The hour as text, "YYYY-MM-DD HH", the same on both: SQLite keeps times as RFC 3339 text.
        let hour = match self {
            Db::Postgres(_) => "to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')",
            Db::Sqlite(..) => "replace(substr(recorded_at, 1, 13), 'T', ' ')",
        };
        let sql = format!(
            "SELECT {hour} AS hour, observer, COUNT(*) FROM access_events WHERE {conditions} AND automated = TRUE
             GROUP BY 1, 2 ORDER BY 1 DESC, 2"
        );
        let rows: Vec<(String, String, i64)> = on_pool!(self, p => {
            let mut query = sqlx::query_as::<_, (String, String, i64)>(&sql);
            query = bind_all!(query, &binds);
            query.fetch_all(p).await
        })?;
        rows.into_iter()
            .map(|(hour, observer, n)| {
                let at = NaiveDateTime::parse_from_str(&format!("{hour}:00:00"), "%Y-%m-%d %H:%M:%S")
                    .map_err(|e| StoreError::Corrupt(format!("an hour the database gave: {e}")))?;
                Ok((at.and_utc(), observer, n))
            })
            .collect()
    }

    async fn access_organisations(&self, nhs_number: &NhsNumber) -> StoreResult<Vec<(String, String)>> {
        on_pool!(self, p => sqlx::query_as(
            // One name per code: the area's own name for a member organisation (whatever name an
            // event gave it), or else the first name an event gave.
            "SELECT e.org_ods, COALESCE((SELECT MIN(o.name) FROM area_organisations o WHERE o.ods_code = e.org_ods), e.org_name) AS org_name
             FROM access_event_organisations e WHERE e.nhs_number = $1 ORDER BY 2, 1")
            .bind(nhs_number.expose()).fetch_all(p).await)
    }

    async fn count_access_looks(&self, settled_before: DateTime<Utc>, limit: i64) -> StoreResult<u64> {
        in_tx!(self, tx => {
            // The progress row, held for the transaction: each event is counted once, whatever
            // the number of instances.
            sqlx::query("UPDATE access_look_progress SET id = id WHERE id = 1").execute(&mut *tx).await?;
            let after: i64 = sqlx::query_scalar("SELECT last_event_id FROM access_look_progress WHERE id = 1").fetch_one(&mut *tx).await?;
            let arrivals: Vec<LookRow> = sqlx::query_as(&format!("SELECT {LOOK_COLUMNS} FROM access_events WHERE id > $1 ORDER BY id LIMIT $2"))
                .bind(after).bind(limit).fetch_all(&mut *tx).await?;
            // Only an unbroken run of settled events: a later one may yet be joined by events
            // with lower ids still being committed (as the audit trail's seal does).
            let settled: Vec<_> = arrivals.into_iter().take_while(|a| a.received_at <= settled_before).collect();
            if let Some(last) = settled.last().map(|a| a.id) {
                let counts = look_hours(settled.iter().map(LookRow::look));
                add_look_hours!(tx, counts);
                sqlx::query("UPDATE access_look_progress SET last_event_id = $1 WHERE id = 1").bind(last).execute(&mut *tx).await?;
            }
            settled.len() as u64
        })
    }

    async fn access_summary(&self, q: &AccessQuery) -> StoreResult<(i64, i64, Option<DateTime<Utc>>)> {
        // Looks by people that succeeded: an attempt that did not showed nobody anything (it is
        // listed, and says so, but is not counted), and automated checks are not looks.
        let nhs = q.nhs_number.expose();
        let withheld: i64 = on_pool!(self, p => sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_withholdings w JOIN cases c ON c.id = w.case_id WHERE c.patient_nhs_number = $1 AND w.item LIKE 'access:%'")
            .bind(nhs).fetch_one(p).await)?;
        if withheld > 0 {
            // Rare: looks withheld from a response are left out of the counts as well, so these
            // are counted from the events themselves.
            let mut binds: Vec<Bind> = Vec::new();
            let conditions = access_conditions(&AccessQuery { include_automated: false, before: None, ..q.clone() }, &mut binds);
            let sql = format!(
                "SELECT COUNT(CASE WHEN outcome = '0' THEN 1 END), COUNT(DISTINCT CASE WHEN outcome = '0' THEN COALESCE(org_ods, org_name) END),
                        MIN(CASE WHEN outcome = '0' THEN recorded_at END)
                 FROM access_events WHERE {conditions}"
            );
            return on_pool!(self, p => bind_all!(sqlx::query_as::<_, (i64, i64, Option<DateTime<Utc>>)>(&sql), binds).fetch_one(p).await);
        }
        // Counted per hour up to the counting job's progress (a row per organisation and hour,
        // however many looks), and from the events themselves after it: read in one snapshot,
        // so that an event the job counts meanwhile is counted once.
        let mut binds = vec![Bind::Text(Some(nhs.to_string()))];
        let mut counted = vec!["nhs_number = $1".to_string(), "looks > 0".to_string()];
        let mut recent = vec!["nhs_number = $1".to_string(), "automated = FALSE".to_string(), "outcome = '0'".to_string()];
        let hour = |t: DateTime<Utc>| t.format("%Y-%m-%d %H").to_string();
        if let Some(from) = q.from {
            // Periods start and end at UK midnight, a whole UTC hour.
            counted.push(format!("hour >= {}", param(&mut binds, Bind::Text(Some(hour(from))))));
            recent.push(format!("recorded_at >= {}", param(&mut binds, Bind::Time(from))));
        }
        if let Some(to) = q.to {
            counted.push(format!("hour < {}", param(&mut binds, Bind::Text(Some(hour(to))))));
            recent.push(format!("recorded_at < {}", param(&mut binds, Bind::Time(to))));
        }
        if let Some(org) = &q.org_ods {
            let o = param(&mut binds, Bind::Text(Some(org.clone())));
            counted.push(format!("org_ods = {o}"));
            recent.push(format!("org_ods = {o}"));
        }
        let counted_sql = format!(
            "SELECT CASE WHEN org_ods <> '' THEN org_ods ELSE org_name END, CAST(SUM(looks) AS BIGINT), MIN(hour)
             FROM access_look_hours WHERE {} GROUP BY 1",
            counted.join(" AND ")
        );
        let recent_sql = format!(
            "SELECT COALESCE(org_ods, org_name, ''), COUNT(*), MIN(recorded_at) FROM access_events WHERE {} AND id > ${} GROUP BY 1",
            recent.join(" AND "),
            binds.len() + 1
        );
        macro_rules! read_counts {
            ($tx:expr) => {{
                let counted_to: i64 = sqlx::query_scalar("SELECT last_event_id FROM access_look_progress WHERE id = 1").fetch_one(&mut *$tx).await?;
                let rows: Vec<(String, i64, String)> = bind_all!(sqlx::query_as(&counted_sql), binds.clone()).fetch_all(&mut *$tx).await?;
                let mut recent_binds = binds.clone();
                recent_binds.push(Bind::Int(counted_to));
                let recent: Vec<(String, i64, DateTime<Utc>)> = bind_all!(sqlx::query_as(&recent_sql), recent_binds).fetch_all(&mut *$tx).await?;
                (rows, recent)
            }};
        }
        let (rows, recent_rows) = async {
            Ok::<_, DbError>(match self {
                Db::Sqlite(p, _) => {
                    // A read transaction: one WAL snapshot for all three.
                    let mut tx = p.begin().await?;
                    let out = read_counts!(tx);
                    tx.commit().await?;
                    out
                }
                Db::Postgres(p) => {
                    let mut tx = p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
                    let out = read_counts!(tx);
                    tx.commit().await?;
                    out
                }
            })
        }
        .await
        .map_err(StoreError::from)?;
        let mut looks = 0;
        let mut organisations: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
        let mut first: Option<DateTime<Utc>> = None;
        for (org, n, hour) in rows {
            let at = NaiveDateTime::parse_from_str(&format!("{hour}:00:00"), "%Y-%m-%d %H:%M:%S")
                .map_err(|e| StoreError::Corrupt(format!("an hour the database gave: {e}")))?
                .and_utc();
            looks += n;
            organisations.insert(org);
            first = Some(first.map_or(at, |f| f.min(at)));
        }
        for (org, n, at) in recent_rows {
            looks += n;
            organisations.insert(org);
            first = Some(first.map_or(at, |f| f.min(at)));
        }
        // An organisation with neither code nor name is not counted as one (as COUNT DISTINCT
        // of a NULL would not).
        organisations.remove("");
        Ok((looks, organisations.len() as i64, first))
    }

    async fn access_event(&self, nhs_number: &NhsNumber, id: i64) -> StoreResult<Option<AccessEvent>> {
        let mut binds = vec![Bind::Text(Some(nhs_number.expose().to_string())), Bind::Int(id)];
        let hidden = not_withheld(nhs_number.expose(), &mut binds);
        let sql = format!("SELECT {ACCESS_COLUMNS} FROM access_events WHERE nhs_number = $1 AND id = $2 AND {hidden}");
        let row: Option<AccessRow> = on_pool!(self, p => {
            let mut query = sqlx::query_as::<_, AccessRow>(&sql);
            query = bind_all!(query, &binds);
            query.fetch_optional(p).await
        })?;
        row.map(TryInto::try_into).transpose()
    }

    async fn held_access_event_hashes(&self, source_id: i64, ids: &[String]) -> StoreResult<Vec<(String, Option<String>)>> {
        let mut held = Vec::new();
        // In chunks: SQLite allows a few thousand parameters per statement.
        for chunk in ids.chunks(500) {
            let mut binds = vec![Bind::Int(source_id)];
            let list: Vec<String> = chunk.iter().map(|id| param(&mut binds, Bind::Text(Some(id.clone())))).collect();
            let sql = format!(
                "SELECT source_event_id, content_hash FROM access_events WHERE source_id = $1 AND source_event_id IN ({})",
                list.join(", ")
            );
            let rows: Vec<(String, Option<String>)> = on_pool!(self, p => {
                let mut query = sqlx::query_as::<_, (String, Option<String>)>(&sql);
                query = bind_all!(query, &binds);
                query.fetch_all(p).await
            })?;
            held.extend(rows);
        }
        Ok(held)
    }

    async fn source_access_event(&self, source_id: i64, source_event_id: &str) -> StoreResult<Option<AccessEvent>> {
        let sql = format!("SELECT {ACCESS_COLUMNS} FROM access_events WHERE source_id = $1 AND source_event_id = $2");
        let row: Option<AccessRow> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(source_id).bind(source_event_id).fetch_optional(p).await)?;
        row.map(TryInto::try_into).transpose()
    }

    async fn delete_access_events_before(&self, cutoff: DateTime<Utc>, limit: i64) -> StoreResult<u64> {
        // In batches, so a big retention pass never holds a long lock; each batch is recorded in
        // the portal's own chain (area 0), so the events it removed are known to be pruned.
        let cutoff = crate::audit::chain::whole_seconds(cutoff);
        in_tx!(self, tx => {
            hold_chain!(tx);
            // Never the newest event: SQLite would hand its id out again, below the seals.
            let deleted: Vec<LookRow> = sqlx::query_as(&format!(
                "DELETE FROM access_events WHERE id IN (SELECT id FROM access_events WHERE recorded_at < $1
                     AND id < (SELECT MAX(id) FROM access_events) ORDER BY id LIMIT $2) RETURNING {LOOK_COLUMNS}"))
                .bind(cutoff).bind(limit).fetch_all(&mut *tx).await?;
            subtract_look_hours!(tx, &deleted);
            let mut ids: Vec<i64> = deleted.iter().map(|d| d.id).collect();
            ids.sort_unstable();
            if !ids.is_empty() {
                append_entry!(tx, &mut pruning_entry(0, &ids, cutoff, Utc::now()));
            }
            ids.len() as u64
        })
    }

    async fn delete_area_access_events_before(&self, area_id: i64, cutoff: DateTime<Utc>, limit: i64) -> StoreResult<u64> {
        let cutoff = crate::audit::chain::whole_seconds(cutoff);
        in_tx!(self, tx => {
            hold_chain!(tx);
            let deleted: Vec<LookRow> = sqlx::query_as(&format!(
                "DELETE FROM access_events WHERE id IN (
                     SELECT id FROM access_events WHERE source_id IN (SELECT id FROM event_sources WHERE area_id = $1)
                     AND recorded_at < $2 AND id < (SELECT MAX(id) FROM access_events) ORDER BY id LIMIT $3) RETURNING {LOOK_COLUMNS}"))
                .bind(area_id).bind(cutoff).bind(limit).fetch_all(&mut *tx).await?;
            subtract_look_hours!(tx, &deleted);
            let mut ids: Vec<i64> = deleted.iter().map(|d| d.id).collect();
            ids.sort_unstable();
            if !ids.is_empty() {
                append_entry!(tx, &mut pruning_entry(area_id, &ids, cutoff, Utc::now()));
            }
            ids.len() as u64
        })
    }
}
