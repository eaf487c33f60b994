//! Privacy monitoring (`MonitoringStore` for both backends): the rules' facts gathered as events
//! arrive, alerts, the queue and reviews. A run of the rules holds the one progress row for its
//! transaction, so two instances never check the same events.

use super::*;
use app::domain::monitoring::{self, AlertStatus, Facts, MonitoringSettings, ReferralOutcome, Rule};
use app::domain::record_alerts::{wanted, AlertWhen, Look, ALERT_REFERENCE};
use std::collections::{HashMap, HashSet};

#[derive(sqlx::FromRow)]
struct AlertRow {
    id: i64,
    area_id: i64,
    event_id: i64,
    rule: String,
    explanation: String,
    person_key: String,
    person_name: String,
    person_role: Option<String>,
    org_ods: Option<String>,
    org_name: Option<String>,
    nhs_number: String,
    recorded_at: DateTime<Utc>,
    purpose: String,
    raised_at: DateTime<Utc>,
    case_id: Option<i64>,
    case_reference: Option<String>,
    status: String,
    reason: Option<String>,
    reviewed_by: Option<String>,
    reviewed_at: Option<DateTime<Utc>>,
    referral_id: Option<i64>,
}

impl TryFrom<AlertRow> for AlertRecord {
    type Error = StoreError;
    fn try_from(r: AlertRow) -> StoreResult<Self> {
        Ok(AlertRecord {
            id: r.id,
            area_id: r.area_id,
            event_id: r.event_id,
            rule: Rule::parse(&r.rule).ok_or_else(|| corrupt(format!("alert rule {:?}", r.rule)))?,
            explanation: r.explanation,
            person_key: r.person_key,
            person_name: r.person_name,
            person_role: r.person_role,
            org_ods: r.org_ods,
            org_name: r.org_name,
            nhs_number: NhsNumber::parse(&r.nhs_number).map_err(corrupt)?,
            recorded_at: r.recorded_at,
            purpose: r.purpose,
            raised_at: r.raised_at,
            case_id: r.case_id,
            case_reference: r.case_reference,
            status: AlertStatus::parse(&r.status).ok_or_else(|| corrupt(format!("alert status {:?}", r.status)))?,
            reason: r.reason,
            reviewed_by: r.reviewed_by,
            reviewed_at: r.reviewed_at,
            referral_id: r.referral_id,
        })
    }
}

/// An alert's columns as read: a member organisation by the area's name for it, whatever name
/// the event gave (the person's page, the investigation pack and the referral say the same).
const ALERT_COLUMNS: &str = "id, area_id, event_id, rule, explanation, person_key, person_name, person_role, org_ods,
     COALESCE((SELECT o.name FROM area_organisations o WHERE o.area_id = alerts.area_id AND o.ods_code = alerts.org_ods), alerts.org_name) AS org_name, nhs_number,
     recorded_at, purpose, raised_at, case_id, case_reference, status, reason, reviewed_by, reviewed_at, referral_id";

/// An arriving event as the rules read it.
#[derive(sqlx::FromRow)]
struct Arrival {
    id: i64,
    area_id: i64,
    nhs_number: String,
    recorded_at: DateTime<Utc>,
    received_at: DateTime<Utc>,
    agent_name: String,
    agent_id: Option<String>,
    agent_role: Option<String>,
    org_ods: Option<String>,
    org_name: Option<String>,
    purpose: String,
    emergency: bool,
    automated: bool,
    /// The event's outcome code: `0` when the look succeeded.
    outcome: String,
}

/// A new alert, as the rules or a patient's concern raise it.
struct NewAlert<'a> {
    area_id: i64,
    event_id: i64,
    rule: Rule,
    explanation: String,
    person_key: String,
    person_name: &'a str,
    person_role: Option<&'a str>,
    org_ods: Option<&'a str>,
    org_name: Option<&'a str>,
    nhs_number: &'a str,
    recorded_at: DateTime<Utc>,
    purpose: &'a str,
    raised_at: DateTime<Utc>,
    case_id: Option<i64>,
    case_reference: Option<&'a str>,
}

/// Inserts an alert (one per event and rule); returns whether it was new.
macro_rules! insert_alert {
    ($ex:expr, $a:expr) => {{
        let a: &NewAlert = $a;
        sqlx::query(
            "INSERT INTO alerts (area_id, event_id, rule, explanation, person_key, person_name, person_role, org_ods, org_name,
                 nhs_number, recorded_at, purpose, raised_at, case_id, case_reference, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 'open')
             ON CONFLICT (event_id, rule) DO NOTHING",
        )
        .bind(a.area_id)
        .bind(a.event_id)
        .bind(a.rule.as_str())
        .bind(&a.explanation)
        .bind(&a.person_key)
        .bind(a.person_name)
        .bind(a.person_role)
        .bind(a.org_ods)
        .bind(a.org_name)
        .bind(a.nhs_number)
        .bind(a.recorded_at)
        .bind(a.purpose)
        .bind(a.raised_at)
        .bind(a.case_id)
        .bind(a.case_reference)
        .execute($ex)
        .await?
        .rows_affected()
            > 0
    }};
}

/// The facts about one arriving event the rules need from what came before it, kept up to date
/// as it is read (inside the run's transaction).
macro_rules! gather_facts {
    ($tx:expr, $e:expr, $person:expr, $settings:expr) => {{
        let e: &Arrival = $e;
        let person: &str = $person;
        let settings: &MonitoringSettings = $settings;
        let emergency = monitoring::is_emergency(e.emergency, &e.purpose);
        // Only a person's look that succeeded makes an organisation one that has seen the
        // patient: a system's automated check is no look (and meets no rule), and after a failed
        // attempt the first real look is still the first.
        let organisation_seen_before = match &e.org_ods {
            Some(_) if e.automated => None,
            Some(ods) if e.outcome == "0" => Some(
                sqlx::query("INSERT INTO monitoring_org_patients (org_ods, nhs_number) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                    .bind(ods)
                    .bind(&e.nhs_number)
                    .execute(&mut *$tx)
                    .await?
                    .rows_affected()
                    == 0,
            ),
            Some(ods) => Some(
                sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM monitoring_org_patients WHERE org_ods = $1 AND nhs_number = $2")
                    .bind(ods)
                    .bind(&e.nhs_number)
                    .fetch_one(&mut *$tx)
                    .await?
                    > 0,
            ),
            None => None,
        };
        let (mut patients_that_day, mut days_with_patient, mut any_care_purpose) = (0u32, 0u32, true);
        if !e.automated {
            let day = app::domain::uk_date(e.recorded_at);
            let care = emergency || e.purpose.lines().any(|p| monitoring::is_care_purpose(p.trim()));
            let new_patient_day = sqlx::query("INSERT INTO monitoring_person_days (person_key, day, nhs_number, care) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
                .bind(person)
                .bind(day)
                .bind(&e.nhs_number)
                .bind(care)
                .execute(&mut *$tx)
                .await?
                .rows_affected()
                > 0;
            if new_patient_day {
                // Only a patient new to this person today counts towards the day's total, and
                // only a new day with this patient towards repeated looks.
                let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM monitoring_person_days WHERE person_key = $1 AND day = $2")
                    .bind(person)
                    .bind(day)
                    .fetch_one(&mut *$tx)
                    .await?;
                patients_that_day = u32::try_from(n).unwrap_or(u32::MAX);
                let since = day - chrono::Duration::days(i64::from(settings.repeated_window_days.max(1)) - 1);
                let (days, cared): (i64, i64) = sqlx::query_as(
                    "SELECT COUNT(*), CAST(COALESCE(MAX(CASE WHEN care THEN 1 ELSE 0 END), 0) AS BIGINT) FROM monitoring_person_days
                     WHERE person_key = $1 AND nhs_number = $2 AND day >= $3 AND day <= $4",
                )
                .bind(person)
                .bind(&e.nhs_number)
                .bind(since)
                .bind(day)
                .fetch_one(&mut *$tx)
                .await?;
                days_with_patient = u32::try_from(days).unwrap_or(u32::MAX);
                any_care_purpose = cared > 0;
            } else if care {
                sqlx::query("UPDATE monitoring_person_days SET care = TRUE WHERE person_key = $1 AND day = $2 AND nhs_number = $3 AND care = FALSE")
                    .bind(person)
                    .bind(day)
                    .bind(&e.nhs_number)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        (emergency, organisation_seen_before, patients_that_day, days_with_patient, any_care_purpose)
    }};
}

/// A patient who asked to be told when their record is looked at: if this look is one they
/// asked about and nothing was queued for them yet today (UK day), a message is queued, in the
/// run's transaction, so that each look is considered once and each day's message queued once
/// however many instances run. Returns whether one was queued.
macro_rules! tell_patient {
    ($tx:expr, $e:expr, $emergency:expr, $seen_before:expr, $now:expr) => {{
        let e: &Arrival = $e;
        let seen_before: Option<bool> = $seen_before;
        let look = Look { automated: e.automated, succeeded: e.outcome == "0", emergency: $emergency, organisation_first: seen_before.map(|seen| !seen) };
        let mut told = false;
        if look.counts() && (look.emergency || look.organisation_first == Some(true)) {
            let choice: Option<(i64, bool, bool, String, String)> =
                sqlx::query_as("SELECT id, first_look, emergency, channel, recipient FROM record_alerts WHERE nhs_number = $1")
                    .bind(&e.nhs_number)
                    .fetch_optional(&mut *$tx)
                    .await?;
            if let Some((id, first_look, emergency, channel, recipient)) = choice {
                if wanted(&AlertWhen::from_flags(first_look, emergency), look) {
                    let today = app::domain::uk_date($now);
                    let first_today = sqlx::query("UPDATE record_alerts SET last_alert_on = $1 WHERE id = $2 AND (last_alert_on IS NULL OR last_alert_on < $1)")
                        .bind(today)
                        .bind(id)
                        .execute(&mut *$tx)
                        .await?
                        .rows_affected()
                        == 1;
                    if first_today {
                        sqlx::query(
                            "INSERT INTO outbox (record_alert_id, channel, recipient, template, reference, created_at, next_attempt_at)
                             VALUES ($1, $2, $3, $4, $5, $6, $6)",
                        )
                        .bind(id)
                        .bind(&channel)
                        .bind(&recipient)
                        .bind(MessageTemplate::RecordLooked.as_str())
                        .bind(ALERT_REFERENCE)
                        .bind($now)
                        .execute(&mut *$tx)
                        .await?;
                        told = true;
                    }
                }
            }
        }
        told
    }};
}

/// The whole run, inside one transaction: `$tx` holds the progress row throughout.
macro_rules! run_rules {
    ($tx:expr, $settled:expr, $limit:expr, $holidays:expr, $now:expr) => {{
        sqlx::query("UPDATE monitoring_progress SET id = id WHERE id = 1").execute(&mut *$tx).await?;
        let after: i64 = sqlx::query_scalar("SELECT last_event_id FROM monitoring_progress WHERE id = 1").fetch_one(&mut *$tx).await?;
        let arrivals: Vec<Arrival> = sqlx::query_as(
            "SELECT e.id, COALESCE(s.area_id, 0) AS area_id, e.nhs_number, e.recorded_at, e.received_at, e.agent_name, e.agent_id,
                    e.agent_role, e.org_ods, e.org_name, e.purpose, e.emergency, e.automated, e.outcome
             FROM access_events e LEFT JOIN event_sources s ON s.id = e.source_id
             WHERE e.id > $1 ORDER BY e.id LIMIT $2",
        )
        .bind(after)
        .bind($limit)
        .fetch_all(&mut *$tx)
        .await?;
        // Only an unbroken run of events that have settled (see `crate::audit::seal`).
        let arrivals: Vec<Arrival> = arrivals.into_iter().take_while(|e| e.received_at <= $settled).collect();
        let mut run = MonitoringRun::default();
        if let Some(last) = arrivals.last().map(|e| e.id) {
            let mut settings: HashMap<i64, MonitoringSettings> = HashMap::new();
            for (area, json) in sqlx::query_as::<_, (i64, String)>("SELECT area_id, settings FROM monitoring_settings").fetch_all(&mut *$tx).await? {
                settings.insert(area, serde_json::from_str(&json).unwrap_or_default());
            }
            let watched: HashSet<(i64, String)> =
                sqlx::query_as::<_, (i64, String)>("SELECT area_id, nhs_number FROM watch_list").fetch_all(&mut *$tx).await?.into_iter().collect();
            // When each organisation confirmed it stopped sharing each patient's record after
            // an upheld objection, per area.
            let mut stopped: HashMap<(i64, String, String), DateTime<Utc>> = HashMap::new();
            for (area, nhs, ods, applied) in sqlx::query_as::<_, (i64, String, String, DateTime<Utc>)>(
                "SELECT c.area_id, c.patient_nhs_number, f.ods_code, f.applied_at FROM objection_effects f JOIN cases c ON c.id = f.case_id
                 WHERE c.status IN ('upheld','partly_upheld') AND f.applied_at IS NOT NULL",
            )
            .fetch_all(&mut *$tx)
            .await?
            {
                let at = stopped.entry((area, nhs, ods)).or_insert(applied);
                *at = (*at).min(applied);
            }
            for e in &arrivals {
                run.events_checked += 1;
                // Events from no area's system (the portal's own) are not monitored.
                if e.area_id == 0 {
                    continue;
                }
                let s = settings.get(&e.area_id).cloned().unwrap_or_default();
                let person = monitoring::person_key(e.agent_id.as_deref(), &e.agent_name, e.org_ods.as_deref());
                let (emergency, organisation_seen_before, patients_that_day, days_with_patient, any_care_purpose) = gather_facts!($tx, e, &person, &s);
                // The patient's own alert, whatever the area's rules are set to.
                if tell_patient!($tx, e, emergency, organisation_seen_before, $now) {
                    run.patients_told += 1;
                }
                let facts = Facts {
                    recorded_at: e.recorded_at,
                    emergency,
                    automated: e.automated,
                    watch_listed: watched.contains(&(e.area_id, e.nhs_number.clone())),
                    objection_in_effect: e
                        .org_ods
                        .as_ref()
                        .and_then(|ods| stopped.get(&(e.area_id, e.nhs_number.clone(), ods.clone())))
                        .is_some_and(|applied| *applied <= e.recorded_at),
                    organisation_seen_before,
                    patients_that_day,
                    days_with_patient,
                    any_care_purpose,
                    late: e.received_at - e.recorded_at > chrono::Duration::days(monitoring::LATE_DAYS),
                };
                for rule in monitoring::evaluate(&facts, &s, $holidays) {
                    let alert = NewAlert {
                        area_id: e.area_id,
                        event_id: e.id,
                        rule,
                        explanation: rule.explanation(&s),
                        person_key: person.clone(),
                        person_name: &e.agent_name,
                        person_role: e.agent_role.as_deref(),
                        org_ods: e.org_ods.as_deref(),
                        org_name: e.org_name.as_deref(),
                        nhs_number: &e.nhs_number,
                        recorded_at: e.recorded_at,
                        purpose: &e.purpose,
                        raised_at: $now,
                        case_id: None,
                        case_reference: None,
                    };
                    if insert_alert!(&mut *$tx, &alert) {
                        run.alerts_raised += 1;
                    }
                }
            }
            sqlx::query("UPDATE monitoring_progress SET last_event_id = $1 WHERE id = 1").bind(last).execute(&mut *$tx).await?;
        }
        run
    }};
}

/// Alerts read per slice when looking for the newest people (see [`queue_order`]).
const QUEUE_SLICE: usize = 500;

/// Who is on a page of the queue, in order, decided in the database so that only the page's
/// people are read in full, and so that the queue costs the same at 100 alerts as at 100,000:
///
/// 1. everyone with alerts waiting (unless the view is of reviewed alerts only): a patient's
///    concern first, then whoever has waited longest, then the newest — grouped over the
///    waiting alerts alone, which a partial index holds (the backlog, not the history);
/// 2. then, in the views that show them, people with nothing waiting (or, in the reviewed
///    view, everyone with a reviewed alert), newest first: the alerts are read newest first,
///    a slice at a time, until the page is full — rather than grouping the whole history to
///    sort it. A person's first alert in that order is their newest, so the order is the
///    same as grouping would give; between people whose newest alerts were raised in the same
///    run of the rules (the same moment), the one whose alert was raised last comes first.
async fn queue_order(db: &Db, shared: &str, binds: &[Bind], state: AlertState, limit: usize) -> StoreResult<Vec<String>> {
    let mut order: Vec<String> = Vec::new();
    if state != AlertState::Reviewed {
        let sql = format!(
            "SELECT person_key FROM alerts WHERE {shared} AND {} GROUP BY person_key
             ORDER BY MAX(CASE WHEN rule = 'patient_concern' THEN 1 ELSE 0 END) DESC, MIN(raised_at), MAX(raised_at) DESC, person_key
             LIMIT {}",
            state_condition(AlertState::Waiting, "status"),
            i64::try_from(limit).unwrap_or(i64::MAX)
        );
        order = on_pool!(db, p => bind_all!(sqlx::query_scalar(&sql), binds.iter().cloned()).fetch_all(p).await)?;
    }
    if state == AlertState::Waiting || order.len() >= limit {
        return Ok(order);
    }
    // Fewer than a page are waiting, so `order` holds everyone waiting: the rest are the others.
    let status = if state == AlertState::Reviewed { format!(" AND {}", state_condition(AlertState::Reviewed, "status")) } else { String::new() };
    let mut listed: HashSet<String> = order.iter().cloned().collect();
    let mut after: Option<(DateTime<Utc>, i64)> = None;
    loop {
        let mut binds = binds.to_vec();
        let from = match after {
            Some((at, id)) => {
                let (a, b, i) = (param(&mut binds, Bind::Time(at)), param(&mut binds, Bind::Time(at)), param(&mut binds, Bind::Int(id)));
                format!(" AND (raised_at < {a} OR (raised_at = {b} AND id < {i}))")
            }
            None => String::new(),
        };
        let sql = format!("SELECT id, raised_at, person_key FROM alerts WHERE {shared}{status}{from} ORDER BY raised_at DESC, id DESC LIMIT {QUEUE_SLICE}");
        let slice: Vec<(i64, DateTime<Utc>, String)> = on_pool!(db, p => bind_all!(sqlx::query_as(&sql), binds).fetch_all(p).await)?;
        for (id, at, key) in &slice {
            if listed.insert(key.clone()) {
                order.push(key.clone());
                if order.len() >= limit {
                    return Ok(order);
                }
            }
            after = Some((*at, *id));
        }
        if slice.len() < QUEUE_SLICE {
            return Ok(order);
        }
    }
}

/// The statuses of a view, on the status column named.
fn state_condition(state: AlertState, column: &str) -> String {
    match state {
        AlertState::Waiting => format!("{column} IN ('open','needs_information')"),
        AlertState::Reviewed => format!("{column} IN ('appropriate','inappropriate','referred')"),
        AlertState::All => "1 = 1".into(),
    }
}

#[derive(sqlx::FromRow)]
struct QueueRow {
    person_key: String,
    person_name: String,
    person_role: Option<String>,
    org_name: Option<String>,
    org_ods: Option<String>,
    rule: String,
    waiting: i64,
    n: i64,
    first_waiting: Option<DateTime<Utc>>,
    last_raised: DateTime<Utc>,
    last_id: i64,
}

#[async_trait::async_trait]
impl MonitoringStore for Db {
    async fn monitoring_settings(&self, area_id: i64) -> StoreResult<MonitoringSettings> {
        let json: Option<String> = on_pool!(self, p => sqlx::query_scalar("SELECT settings FROM monitoring_settings WHERE area_id = $1")
            .bind(area_id).fetch_optional(p).await)?;
        Ok(json.and_then(|j| serde_json::from_str(&j).ok()).unwrap_or_default())
    }

    async fn set_monitoring_settings(&self, area_id: i64, settings: &MonitoringSettings, action: &StaffAction) -> StoreResult<()> {
        let json = to_json(settings)?;
        in_tx!(self, tx => {
            sqlx::query(
                "INSERT INTO monitoring_settings (area_id, settings, updated_at) VALUES ($1, $2, $3)
                 ON CONFLICT (area_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at",
            )
            .bind(area_id).bind(&json).bind(action.at).execute(&mut *tx).await?;
            record_action!(&mut *tx, action);
        })
    }

    async fn watch_list(&self, area_id: i64) -> StoreResult<Vec<WatchEntry>> {
        let rows: Vec<(String, String, String, DateTime<Utc>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT nhs_number, reason, added_by, added_at FROM watch_list WHERE area_id = $1 ORDER BY added_at DESC, nhs_number")
            .bind(area_id).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(n, reason, added_by, added_at)| Ok(WatchEntry { nhs_number: NhsNumber::parse(&n).map_err(corrupt)?, reason, added_by, added_at }))
            .collect()
    }

    async fn add_to_watch_list(&self, area_id: i64, entry: &WatchEntry, action: &StaffAction) -> StoreResult<()> {
        in_tx!(self, tx => {
            sqlx::query("INSERT INTO watch_list (area_id, nhs_number, reason, added_by, added_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(area_id).bind(entry.nhs_number.expose()).bind(&entry.reason).bind(&entry.added_by).bind(entry.added_at)
                .execute(&mut *tx).await?;
            record_action!(&mut *tx, action);
        })
    }

    async fn remove_from_watch_list(&self, area_id: i64, nhs_number: &NhsNumber, action: &StaffAction) -> StoreResult<u64> {
        in_tx!(self, tx => {
            let n = sqlx::query("DELETE FROM watch_list WHERE area_id = $1 AND nhs_number = $2")
                .bind(area_id).bind(nhs_number.expose()).execute(&mut *tx).await?.rows_affected();
            if n > 0 {
                record_action!(&mut *tx, action);
            }
            n
        })
    }

    async fn run_monitoring(&self, settled_before: DateTime<Utc>, limit: i64, holidays: &BankHolidays, now: DateTime<Utc>) -> StoreResult<MonitoringRun> {
        in_tx!(self, tx => run_rules!(tx, settled_before, limit, holidays, now))
    }

    async fn raise_concern_alert(&self, area_id: i64, event: &AccessEvent, case_id: i64, case_reference: &str, at: DateTime<Utc>) -> StoreResult<()> {
        // The alert belongs with the other alerts about the person who looked: the area of the
        // system that sent the event, when it has one; otherwise the patient's.
        let source_area: Option<i64> = match event.source_id {
            Some(source) => on_pool!(self, p => sqlx::query_scalar::<_, Option<i64>>("SELECT area_id FROM event_sources WHERE id = $1")
                .bind(source).fetch_optional(p).await)?.flatten(),
            None => None,
        };
        let alert = NewAlert {
            area_id: source_area.unwrap_or(area_id),
            event_id: event.id,
            rule: Rule::PatientConcern,
            explanation: Rule::PatientConcern.explanation(&MonitoringSettings::default()),
            person_key: monitoring::person_key(event.agent_id.as_deref(), &event.agent_name, event.org_ods.as_deref()),
            person_name: &event.agent_name,
            person_role: event.agent_role.as_deref(),
            org_ods: event.org_ods.as_deref(),
            org_name: event.org_name.as_deref(),
            nhs_number: event.nhs_number.expose(),
            recorded_at: event.recorded_at,
            purpose: &event.purpose,
            raised_at: at,
            case_id: Some(case_id),
            case_reference: Some(case_reference),
        };
        on_writer!(self, p => {
            let _already_held_or_new = insert_alert!(p, &alert);
            Ok::<_, sqlx::Error>(())
        })
    }

    async fn alert_queue(&self, area_id: i64, filter: &AlertFilter, limit: usize) -> StoreResult<Vec<PersonAlerts>> {
        // What every part of the queue shares: the area and the filters on each alert.
        let mut binds: Vec<Bind> = Vec::new();
        let mut each = vec![format!("area_id = {}", param(&mut binds, Bind::Int(area_id)))];
        if let Some(org) = &filter.org_ods {
            each.push(format!("org_ods = {}", param(&mut binds, Bind::Text(Some(org.clone())))));
        }
        if let Some(before) = filter.raised_before {
            each.push(format!("raised_at < {}", param(&mut binds, Bind::Time(before))));
        }
        let each_binds = binds.clone();
        let mut shared = each.clone();
        if let Some(rule) = filter.rule {
            // Everyone with an alert under the rule that is itself in view (its status, its
            // organisation, its age); their other alerts show beside it. Asked per alert read
            // (an index probe), not as a list of everyone the rule ever met.
            let on_r: Vec<String> = each.iter().map(|c| format!("r.{c}")).collect();
            shared.push(format!(
                "EXISTS (SELECT 1 FROM alerts r WHERE {} AND r.person_key = alerts.person_key AND r.rule = {} AND {})",
                on_r.join(" AND "),
                param(&mut binds, Bind::Text(Some(rule.as_str().into()))),
                state_condition(filter.state, "r.status")
            ));
        }
        let order = queue_order(self, &shared.join(" AND "), &binds, filter.state, limit).await?;
        if order.is_empty() {
            return Ok(Vec::new());
        }
        // The status and the rule decide who is listed; each person's figures are of all their
        // alerts the organisation and age let through, so that "2 of 7 waiting" and "waiting
        // since" stay true in the views of reviewed alerts too.
        let mut binds = each_binds;
        let keys: Vec<String> = order.iter().map(|k| param(&mut binds, Bind::Text(Some(k.clone())))).collect();
        let sql = format!(
            "SELECT person_key, MAX(person_name) AS person_name, MAX(person_role) AS person_role, org_name, MAX(org_ods) AS org_ods, rule,
                    CAST(SUM(CASE WHEN status IN ('open','needs_information') THEN 1 ELSE 0 END) AS BIGINT) AS waiting,
                    COUNT(*) AS n, MIN(CASE WHEN status IN ('open','needs_information') THEN raised_at END) AS first_waiting,
                    MAX(raised_at) AS last_raised, MAX(id) AS last_id
             FROM alerts WHERE {} AND person_key IN ({}) GROUP BY person_key, org_name, rule",
            each.join(" AND "),
            keys.join(", ")
        );
        let rows: Vec<QueueRow> = on_pool!(self, p => bind_all!(sqlx::query_as(&sql), binds).fetch_all(p).await)?;
        // A member organisation by the area's name for it, whatever name each event gave.
        let registered: HashMap<String, String> = on_pool!(self, p => sqlx::query_as("SELECT ods_code, name FROM area_organisations WHERE area_id = $1")
            .bind(area_id).fetch_all(p).await)?
        .into_iter()
        .collect();
        let mut people: HashMap<String, PersonAlerts> = HashMap::new();
        for r in rows {
            let rule = Rule::parse(&r.rule).ok_or_else(|| corrupt(format!("alert rule {:?}", r.rule)))?;
            let p = people.entry(r.person_key.clone()).or_insert_with(|| PersonAlerts {
                person_key: r.person_key.clone(),
                alert_id: r.last_id,
                person_name: r.person_name.clone(),
                person_role: r.person_role.clone(),
                organisations: Vec::new(),
                rules: Vec::new(),
                open: 0,
                total: 0,
                oldest_open: None,
                latest: r.last_raised,
                concern: false,
            });
            let org = r.org_ods.as_ref().and_then(|code| registered.get(code)).cloned().or(r.org_name);
            if let Some(org) = org.filter(|o| !p.organisations.contains(o)) {
                p.organisations.push(org);
            }
            if !p.rules.contains(&rule) {
                p.rules.push(rule);
            }
            p.open += r.waiting;
            p.total += r.n;
            if let Some(first) = r.first_waiting {
                p.oldest_open = Some(p.oldest_open.map_or(first, |o| o.min(first)));
            }
            p.latest = p.latest.max(r.last_raised);
            p.alert_id = p.alert_id.max(r.last_id);
            p.concern |= rule == Rule::PatientConcern && r.waiting > 0;
        }
        let mut list: Vec<PersonAlerts> = order.iter().filter_map(|k| people.remove(k)).collect();
        for p in &mut list {
            p.rules.sort();
            p.organisations.sort();
        }
        Ok(list)
    }

    async fn alert(&self, area_id: i64, id: i64) -> StoreResult<Option<AlertRecord>> {
        let sql = format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE area_id = $1 AND id = $2");
        let row: Option<AlertRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(area_id).bind(id).fetch_optional(p).await)?;
        row.map(AlertRecord::try_from).transpose()
    }

    async fn person_alerts(&self, area_id: i64, person_key: &str) -> StoreResult<Vec<AlertRecord>> {
        let sql = format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE area_id = $1 AND person_key = $2 ORDER BY recorded_at DESC, id DESC LIMIT 1000");
        let rows: Vec<AlertRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(area_id).bind(person_key).fetch_all(p).await)?;
        rows.into_iter().map(AlertRecord::try_from).collect()
    }

    async fn review_alerts(&self, area_id: i64, person_key: &str, ids: &[i64], status: AlertStatus, reason: &str, action: &StaffAction) -> StoreResult<u64> {
        if ids.is_empty() || status == AlertStatus::Open {
            return Ok(0);
        }
        let mut binds: Vec<Bind> = vec![
            Bind::Text(Some(status.as_str().into())),
            Bind::Text(Some(reason.into())),
            Bind::Text(Some(action.actor_subject.clone())),
            Bind::Time(action.at),
            Bind::Int(area_id),
            Bind::Text(Some(person_key.into())),
        ];
        let list: Vec<String> = ids.iter().map(|id| param(&mut binds, Bind::Int(*id))).collect();
        let sql = format!(
            // Waiting for information is not yet a review: the figures count it when decided.
            "UPDATE alerts SET status = $1, reason = $2, reviewed_by = $3,
                 reviewed_at = CASE WHEN $1 = 'needs_information' THEN reviewed_at ELSE $4 END
             WHERE area_id = $5 AND person_key = $6 AND status IN ('open','needs_information') AND id IN ({})",
            list.join(", ")
        );
        in_tx!(self, tx => {
            let n = bind_all!(sqlx::query(&sql), binds).execute(&mut *tx).await?.rows_affected();
            if n > 0 {
                record_action!(&mut *tx, action);
            }
            n
        })
    }

    async fn refer_alerts(&self, area_id: i64, person_key: &str, ids: &[i64], referral: &NewReferral, action: &StaffAction) -> StoreResult<Option<i64>> {
        if ids.is_empty() {
            return Ok(None);
        }
        let mut binds: Vec<Bind> = vec![Bind::Int(area_id), Bind::Text(Some(person_key.into())), Bind::Text(Some(action.actor_subject.clone())), Bind::Time(action.at)];
        let list: Vec<String> = ids.iter().map(|id| param(&mut binds, Bind::Int(*id))).collect();
        let referral_param = param(&mut binds, Bind::Int(0));
        // The referral is the IG lead's review: the figures count it as reviewed then.
        let sql = format!(
            "UPDATE alerts SET status = 'referred', referral_id = {referral_param}, reviewed_by = $3, reviewed_at = $4
             WHERE area_id = $1 AND person_key = $2 AND status IN ('open','needs_information') AND id IN ({})",
            list.join(", ")
        );
        let n = binds.len() - 1;
        let outcome = in_tx!(self, tx => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO monitoring_referrals (area_id, person_key, person_name, org_ods, org_name, contact, due_on, referred_by, referred_at, note)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(area_id).bind(person_key).bind(&referral.person_name).bind(&referral.org_ods).bind(&referral.org_name)
            .bind(&referral.contact).bind(referral.due_on).bind(&action.actor_subject).bind(action.at).bind(&referral.note)
            .fetch_one(&mut *tx).await?;
            let mut binds = std::mem::take(&mut binds);
            binds[n] = Bind::Int(id);
            let moved = bind_all!(sqlx::query(&sql), binds).execute(&mut *tx).await?.rows_affected();
            if moved == 0 {
                // Nothing still waited: nothing to refer (the transaction is rolled back).
                return Err(DbError::Store(StoreError::NotFound));
            }
            let mut a = action.clone();
            a.detail = format!("referral {id}: {}", action.detail);
            record_action!(&mut *tx, &a);
            id
        });
        match outcome {
            Ok(id) => Ok(Some(id)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn referral(&self, area_id: i64, id: i64) -> StoreResult<Option<Referral>> {
        let sql = format!("SELECT {REFERRAL_COLUMNS} FROM monitoring_referrals WHERE area_id = $1 AND id = $2");
        let row: Option<ReferralRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(area_id).bind(id).fetch_optional(p).await)?;
        row.map(Referral::try_from).transpose()
    }

    async fn referrals(&self, area_id: i64) -> StoreResult<Vec<Referral>> {
        let sql = format!(
            "SELECT {REFERRAL_COLUMNS} FROM monitoring_referrals WHERE area_id = $1
             ORDER BY CASE WHEN outcome IS NULL THEN 0 ELSE 1 END, due_on, id LIMIT 200"
        );
        let rows: Vec<ReferralRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(area_id).fetch_all(p).await)?;
        rows.into_iter().map(Referral::try_from).collect()
    }

    async fn referral_alerts(&self, area_id: i64, referral_id: i64) -> StoreResult<Vec<AlertRecord>> {
        let sql = format!("SELECT {ALERT_COLUMNS} FROM alerts WHERE area_id = $1 AND referral_id = $2 ORDER BY recorded_at, id");
        let rows: Vec<AlertRow> = on_pool!(self, p => sqlx::query_as(&sql).bind(area_id).bind(referral_id).fetch_all(p).await)?;
        rows.into_iter().map(AlertRecord::try_from).collect()
    }

    async fn record_referral_outcome(&self, area_id: i64, id: i64, outcome: ReferralOutcome, note: &str, action: &StaffAction) -> StoreResult<bool> {
        in_tx!(self, tx => {
            let n = sqlx::query(
                "UPDATE monitoring_referrals SET outcome = $1, outcome_note = $2, outcome_by = $3, outcome_at = $4
                 WHERE area_id = $5 AND id = $6 AND outcome IS NULL",
            )
            .bind(outcome.as_str()).bind(note).bind(&action.actor_subject).bind(action.at).bind(area_id).bind(id)
            .execute(&mut *tx).await?.rows_affected();
            if n > 0 {
                sqlx::query("UPDATE alerts SET status = $1, reason = $2, reviewed_by = $3, reviewed_at = COALESCE(reviewed_at, $4) WHERE area_id = $5 AND referral_id = $6")
                    .bind(outcome.alert_status().as_str()).bind(note).bind(&action.actor_subject).bind(action.at).bind(area_id).bind(id)
                    .execute(&mut *tx).await?;
                record_action!(&mut *tx, action);
            }
            n > 0
        })
    }

    async fn record_patient_told(&self, area_id: i64, id: i64, told: bool, on: Option<NaiveDate>, note: &str, action: &StaffAction) -> StoreResult<bool> {
        in_tx!(self, tx => {
            let n = sqlx::query(
                "UPDATE monitoring_referrals SET patient_told = $1, patient_told_on = $2, patient_told_note = $3
                 WHERE area_id = $4 AND id = $5 AND outcome = 'confirmed' AND patient_told IS NULL",
            )
            .bind(if told { "told" } else { "not_told" }).bind(on).bind(note).bind(area_id).bind(id)
            .execute(&mut *tx).await?.rows_affected();
            if n > 0 {
                record_action!(&mut *tx, action);
            }
            n > 0
        })
    }

    async fn delete_monitoring_days_before(&self, day: NaiveDate) -> StoreResult<u64> {
        on_writer!(self, p => sqlx::query("DELETE FROM monitoring_person_days WHERE day < $1").bind(day).execute(p).await.map(|r| r.rows_affected()))
    }

    async fn alert_figures(&self, area_id: i64) -> StoreResult<Vec<AlertFigure>> {
        let rows: Vec<(DateTime<Utc>, Option<DateTime<Utc>>, String, Option<i64>)> = on_pool!(self, p => sqlx::query_as(
            "SELECT raised_at, reviewed_at, status, referral_id FROM alerts WHERE area_id = $1")
            .bind(area_id).fetch_all(p).await)?;
        rows.into_iter()
            .map(|(raised_at, reviewed_at, status, referral)| {
                Ok(AlertFigure {
                    raised_at,
                    reviewed_at,
                    status: AlertStatus::parse(&status).ok_or_else(|| corrupt(format!("alert status {status:?}")))?,
                    referred: referral.is_some(),
                })
            })
            .collect()
    }
}

const REFERRAL_COLUMNS: &str = "id, area_id, person_key, person_name, org_ods, org_name, contact, due_on, note, referred_by, referred_at,
     outcome, outcome_note, outcome_by, outcome_at, patient_told, patient_told_on, patient_told_note";

#[derive(sqlx::FromRow)]
struct ReferralRow {
    id: i64,
    area_id: i64,
    person_key: String,
    person_name: String,
    org_ods: String,
    org_name: String,
    contact: String,
    due_on: NaiveDate,
    note: String,
    referred_by: String,
    referred_at: DateTime<Utc>,
    outcome: Option<String>,
    outcome_note: Option<String>,
    outcome_by: Option<String>,
    outcome_at: Option<DateTime<Utc>>,
    patient_told: Option<String>,
    patient_told_on: Option<NaiveDate>,
    patient_told_note: Option<String>,
}

impl TryFrom<ReferralRow> for Referral {
    type Error = StoreError;
    fn try_from(r: ReferralRow) -> StoreResult<Self> {
        Ok(Referral {
            id: r.id,
            area_id: r.area_id,
            person_key: r.person_key,
            person_name: r.person_name,
            org_ods: r.org_ods,
            org_name: r.org_name,
            contact: r.contact,
            due_on: r.due_on,
            note: r.note,
            referred_by: r.referred_by,
            referred_at: r.referred_at,
            outcome: match r.outcome {
                None => None,
                Some(o) => Some(ReferralOutcome::parse(&o).ok_or_else(|| corrupt(format!("referral outcome {o:?}")))?),
            },
            outcome_note: r.outcome_note,
            outcome_by: r.outcome_by,
            outcome_at: r.outcome_at,
            patient_told: r.patient_told.map(|t| t == "told"),
            patient_told_on: r.patient_told_on,
            patient_told_note: r.patient_told_note,
        })
    }
}
