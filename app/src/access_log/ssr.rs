//! The patient's access log, server side: raising a concern about one access (a case for the
//! IG lead), and downloading the log as CSV or as a FHIR Bundle of AuditEvents.

use super::describe::{done, organisation_in, summary, who, why};
use crate::domain::objection::FieldErrors;
use crate::domain::FreeText;
use crate::server::download::{attachment, Csv};
use crate::server::keys::{new_key, valid_key};
use crate::server::*;
use crate::your_requests::service;
use axum::extract::{FromRef, Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use serde_json::json;

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/access-log/{id}/concern", post(raise_concern))
        .route("/access-log/download.csv", get(download_csv))
        .route("/access-log/download.json", get(download_fhir))
}

/// `POST /access-log/{id}/concern`: one step, from the entry the patient does not recognise.
async fn raise_concern(State(services): State<Services>, me: EligiblePatient, Path(id): Path<i64>, fields: Fields) -> HandlerResult {
    let store = &*services.store;
    let EligiblePatient { patient, area } = me;
    // Only an event about this patient: anyone else's id is "not found".
    let event = store.access_event(&patient.nhs_number, id).await?.ok_or(HandlerError::NotFound)?;
    let one = |k: &str| fields.one(k);
    let key = if valid_key(one("key")) { one("key").to_string() } else { new_key() };
    if let Some(done) = store.case_by_idempotency_key(&patient.subject, &key).await? {
        // Sent again after a failure part-way: the concern still joins the monitoring alerts.
        store.raise_concern_alert(area.id, &event, done.id, done.reference.as_str(), Utc::now()).await?;
        return Ok(Redirect::to(&format!("/your-requests/{}/confirmation", done.reference)).into_response());
    }
    let mut errors: FieldErrors = Vec::new();
    let words = match FreeText::parse(one("words"), 2000) {
        Ok(w) => Some(w),
        Err(crate::domain::cases::FreeTextError::Empty) => {
            errors.push(("words".into(), "Tell us what you do not recognise".into()));
            None
        }
        Err(_) => {
            errors.push(("words".into(), "What you tell us must be 2,000 characters or fewer".into()));
            None
        }
    };
    let contact = crate::domain::objection::contact_from(one("contact"), one("email"), one("mobile"), one("address"), &mut errors);
    let (Some(words), Some(contact), true) = (words, contact, errors.is_empty()) else {
        let draft = Draft {
            key: key.clone(),
            owner_subject: patient.subject.clone(),
            form: "access_concern".into(),
            answers: serde_json::to_value(&fields).unwrap_or_default(),
            errors,
            updated_at: Utc::now(),
        };
        return match store.save_draft(&draft).await {
            Ok(()) => Ok(Redirect::to(&format!("/access-log/{id}/concern?draft={key}")).into_response()),
            Err(StoreError::Conflict) => Ok(Redirect::to(&format!("/access-log/{id}/concern")).into_response()),
            Err(e) => Err(e.into()),
        };
    };
    let details = CaseDetails::AccessConcern(AccessConcern { event_id: event.id, summary: summary(&event, Some(&area)), words });
    let (case, _) = service::open(store, &patient, &area, details, contact, &key, Utc::now()).await?;
    // The concern joins the alerts about the person who looked, for the area's IG lead.
    store.raise_concern_alert(area.id, &event, case.id, case.reference.as_str(), Utc::now()).await?;
    Ok(Redirect::to(&format!("/your-requests/{}/confirmation", case.reference)).into_response())
}

/// Every access event the portal holds about a patient, newest first, read a page at a time
/// (so that no cap cuts the list short): for the patient's downloads and for the response to a
/// subject access request.
pub async fn every_event(store: &dyn AccessEventStore, nhs_number: &crate::domain::NhsNumber) -> StoreResult<Vec<AccessEvent>> {
    const PAGE: i64 = 10_000;
    let mut all: Vec<AccessEvent> = Vec::new();
    loop {
        let page = store
            .access_events(&AccessQuery {
                nhs_number: nhs_number.clone(),
                from: None,
                to: None,
                org_ods: None,
                include_automated: true,
                before: all.last().map(|e| (e.recorded_at, e.id)),
                limit: PAGE,
            })
            .await?;
        let last_page = i64::try_from(page.len()).unwrap_or(i64::MAX) < PAGE;
        all.extend(page);
        if last_page {
            return Ok(all);
        }
    }
}

/// `GET /access-log/download.csv`.
async fn download_csv(State(services): State<Services>, me: EligiblePatient) -> HandlerResult {
    let store = &*services.store;
    let events = every_event(store, &me.patient.nhs_number).await?;
    let names = store.access_organisations(&me.patient.nhs_number).await?;
    let mut csv = Csv::new();
    csv.row(["When (UK time)", "Organisation", "Who", "What they did", "Why", "Emergency", "Automated", "Recorded by"]);
    for e in &events {
        csv.row([
            crate::domain::uk_time(e.recorded_at).format("%Y-%m-%d %H:%M:%S").to_string(),
            organisation_in(e, &names),
            who(e, Some(&me.area)),
            done(e),
            why(&e.purpose),
            if e.emergency { "Yes".into() } else { "No".into() },
            if e.automated { "Yes".into() } else { "No".into() },
            e.observer.clone(),
        ]);
    }
    tracing::info!(events = events.len(), "access log downloaded as CSV");
    Ok(attachment("who-looked-at-my-record.csv", "text/csv; charset=utf-8", csv.into_bytes()))
}

/// `GET /access-log/download.json`: a FHIR R4 `collection` Bundle of AuditEvents.
async fn download_fhir(State(services): State<Services>, me: EligiblePatient) -> HandlerResult {
    let store = &*services.store;
    let area = me.area;
    let events = every_event(store, &me.patient.nhs_number).await?;
    let entries: Vec<serde_json::Value> = events
        .iter()
        .map(|e| {
            let shown = who(e, Some(&area));
            let person = crate::access_log::fhir::Person { display: &shown, identifier: None, role: None };
            let id = format!("portal-{}", e.id);
            json!({ "resource": crate::access_log::fhir::audit_event(e, Some(&id), &person, crate::access_log::fhir::by_nhs_number(e)) })
        })
        .collect();
    let bundle = json!({ "resourceType": "Bundle", "type": "collection", "timestamp": Utc::now().to_rfc3339(), "entry": entries });
    tracing::info!(events = events.len(), "access log downloaded as FHIR");
    Ok(attachment("who-looked-at-my-record.json", "application/fhir+json", bundle.to_string().into_bytes()))
}

/// Events counted per round: one short transaction each.
const COUNT_EVENTS: i64 = 2_000;

/// How long an event waits before it is counted: as for sealing and the monitoring rules, an
/// event with a lower id may still be committing until then (see `server::audit::seal`).
const COUNT_SETTLE_SECONDS: i64 = 60;

/// Counts every settled event not yet counted into the per-hour counts the summary line reads
/// (see `AccessEventStore::access_summary`); safe in every instance. Returns how many events.
pub async fn count_looks(store: &dyn Store, now: chrono::DateTime<Utc>) -> StoreResult<u64> {
    let settled = now - chrono::Duration::seconds(COUNT_SETTLE_SECONDS);
    let mut total = 0;
    // A bound on rounds, so one call never runs for ever behind a flood of events.
    for _ in 0..500 {
        let n = store.count_access_looks(settled, COUNT_EVENTS).await?;
        total += n;
        if n == 0 {
            break;
        }
        // Between rounds, others' writes take their turn.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    Ok(total)
}
