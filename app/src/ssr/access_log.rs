//! The patient's access log, server side: raising a concern about one access (a case for the
//! IG lead), and downloading the log as CSV or as a FHIR Bundle of AuditEvents.

use super::{trouble};
use super::cases::{self, NotEligible};
use super::forms::{new_key, valid_key};
use super::store::*;
use super::{CurrentSession, Services};
use crate::domain::objection::FieldErrors;
use crate::domain::FreeText;
use crate::people::{Patient, SignedIn};
use axum::body::Bytes;
use axum::extract::{FromRef, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
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

async fn eligible(store: &dyn Store, session: &CurrentSession) -> Result<(Patient, Area), Response> {
    let Some(SignedIn::Patient(p)) = &session.0 else { return Err(Redirect::to("/sign-in").into_response()) };
    match cases::eligible_area(store, p).await {
        Ok(Ok(area)) => Ok((p.clone(), area)),
        Ok(Err(NotEligible::NotVerified | NotEligible::NoArea)) => Err(Redirect::to("/access-log").into_response()),
        Err(e) => Err(trouble(e)),
    }
}

/// `POST /access-log/{id}/concern`: one step, from the entry the patient does not recognise.
async fn raise_concern(State(services): State<Services>, Extension(session): Extension<CurrentSession>, Path(id): Path<i64>, body: Bytes) -> Response {
    let store = &*services.store;
    let (patient, area) = match eligible(store, &session).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // Only an event about this patient: anyone else's id is "not found".
    let event = match store.access_event(patient.nhs_number.expose(), id).await {
        Ok(Some(e)) => e,
        Ok(None) => return (http::StatusCode::NOT_FOUND, "Page not found").into_response(),
        Err(e) => return trouble(e),
    };
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let one = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str()).unwrap_or_default();
    let key = if valid_key(one("key")) { one("key").to_string() } else { new_key() };
    if let Ok(Some(done)) = store.case_by_idempotency_key(&patient.subject, &key).await {
        return Redirect::to(&format!("/your-requests/{}/confirmation", done.reference)).into_response();
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
            Ok(()) => Redirect::to(&format!("/access-log/{id}/concern?draft={key}")).into_response(),
            Err(StoreError::Conflict) => Redirect::to(&format!("/access-log/{id}/concern")).into_response(),
            Err(e) => trouble(e),
        };
    };
    let details = CaseDetails::AccessConcern(AccessConcern {
        event_id: event.id,
        summary: crate::access_log::ssr::summary(&event, Some(&area)),
        words,
    });
    match cases::open(store, &patient, &area, details, contact, &key, Utc::now()).await {
        Ok((case, _)) => Redirect::to(&format!("/your-requests/{}/confirmation", case.reference)).into_response(),
        Err(e) => trouble(e),
    }
}

async fn all_events(store: &dyn Store, patient: &Patient) -> StoreResult<Vec<AccessEvent>> {
    store
        .access_events(&AccessQuery {
            nhs_number: patient.nhs_number.expose().to_string(),
            from: None,
            to: None,
            org_ods: None,
            include_automated: true,
            before: None,
            limit: 100_000,
        })
        .await
}

fn csv_field(s: &str) -> String {
    // Quote every field; a leading formula character is defused for spreadsheets.
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_string() };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `GET /access-log/download.csv`.
async fn download_csv(State(services): State<Services>, Extension(session): Extension<CurrentSession>) -> Response {
    let store = &*services.store;
    let (patient, area) = match eligible(store, &session).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let events = match all_events(store, &patient).await {
        Ok(e) => e,
        Err(e) => return trouble(e),
    };
    let mut out = String::from("When (UTC),Organisation,Who,Looked at,Why,Emergency,Automated,Recorded by\r\n");
    for e in &events {
        let row = [
            e.recorded_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            crate::access_log::ssr::organisation(e),
            crate::access_log::ssr::who(e, Some(&area)),
            e.viewed.clone(),
            crate::access_log::why(&e.purpose),
            if e.emergency { "Yes".into() } else { "No".into() },
            if e.automated { "Yes".into() } else { "No".into() },
            e.observer.clone(),
        ];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    tracing::info!(events = events.len(), "access log downloaded as CSV");
    super::casework::attachment("who-looked-at-my-record.csv", "text/csv; charset=utf-8", out.into_bytes())
}

/// `GET /access-log/download.json`: a FHIR R4 `collection` Bundle of AuditEvents.
async fn download_fhir(State(services): State<Services>, Extension(session): Extension<CurrentSession>) -> Response {
    let store = &*services.store;
    let (patient, area) = match eligible(store, &session).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let events = match all_events(store, &patient).await {
        Ok(e) => e,
        Err(e) => return trouble(e),
    };
    let entries: Vec<serde_json::Value> = events
        .iter()
        .map(|e| {
            json!({ "resource": {
                "resourceType": "AuditEvent",
                "id": format!("portal-{}", e.id),
                "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest" },
                "action": "R",
                "recorded": e.recorded_at.to_rfc3339(),
                "outcome": e.outcome,
                "purposeOfEvent": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": e.purpose }] }],
                "agent": [{
                    "who": { "display": crate::access_log::ssr::who(e, Some(&area)) },
                    "requestor": true,
                }, {
                    "who": { "identifier": { "system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": e.org_ods }, "display": e.org_name },
                    "requestor": false,
                }],
                "source": { "observer": { "display": e.observer } },
                "entity": [
                    { "what": { "identifier": { "system": "https://fhir.nhs.uk/Id/nhs-number", "value": e.nhs_number } } },
                    { "name": e.viewed }
                ]
            }})
        })
        .collect();
    let bundle = json!({ "resourceType": "Bundle", "type": "collection", "timestamp": Utc::now().to_rfc3339(), "entry": entries });
    tracing::info!(events = events.len(), "access log downloaded as FHIR");
    super::casework::attachment("who-looked-at-my-record.json", "application/fhir+json", bundle.to_string().into_bytes())
}
