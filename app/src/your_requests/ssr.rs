//! Your requests' form posts: withdrawing an undecided case, and downloading a response. Only
//! ever the signed-in patient's own; anyone else's reference is "not found".

use super::service;
use crate::domain::people::Patient;
use crate::domain::CaseEventKind;
use crate::server::download::attachment;
use crate::server::*;
use axum::extract::{FromRef, Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/your-requests/{reference}/withdraw", post(withdraw))
        .route("/your-requests/{reference}/download", get(download))
}

/// The patient's own case with this reference.
async fn own_case(store: &dyn Store, patient: &Patient, reference: &str) -> HandlerResult<CaseRecord> {
    service::patients_case(store, patient, reference).await?.ok_or(HandlerError::NotFound)
}

/// `POST /your-requests/{reference}/withdraw`.
async fn withdraw(State(services): State<Services>, SignedInPatient(patient): SignedInPatient, Path(reference): Path<String>) -> HandlerResult {
    let store = &*services.store;
    let case = own_case(store, &patient, &reference).await?;
    service::withdraw(store, &patient, &case, Utc::now()).await?;
    Ok(Redirect::to(&format!("/your-requests/{}", case.reference)).into_response())
}

/// `GET /your-requests/{reference}/download`: the patient's response, to them only, while it
/// is available. Every download is recorded on the case's timeline.
async fn download(State(services): State<Services>, SignedInPatient(patient): SignedInPatient, Path(reference): Path<String>) -> HandlerResult {
    let store = &*services.store;
    let case = own_case(store, &patient, &reference).await?;
    let now = Utc::now();
    let Some(CaseOutcome::Response { document_id: Some(id), available_until: Some(until), .. }) = &case.outcome else {
        return Err(HandlerError::NotFound);
    };
    if *until <= now {
        return Err(HandlerError::Gone("This download has expired. Contact your area to ask for it again."));
    }
    let (meta, bytes) = store.document(case.id, *id).await?.ok_or(HandlerError::NotFound)?;
    let event = CaseEvent {
        at: now,
        actor: Actor::Patient,
        actor_subject: Some(patient.subject.clone()),
        actor_name: None,
        kind: CaseEventKind::Downloaded,
        public: true,
        text: "You downloaded your information.".into(),
    };
    store.update_case(&CaseUpdate::on(&case, event)).await?;
    tracing::info!(case = case.id, "response downloaded by the patient");
    Ok(attachment(&meta.file_name, &meta.content_type, bytes))
}
