//! How a patient's rights form works, for every journey that has one (objections, requests for
//! a copy). Each is a plain HTML form, so it works with JavaScript off: the answers are kept
//! server-side as a draft, then the browser is sent on (303) to check them, or back to the form
//! with its errors. The draft's key is the form's idempotency key, so sending twice makes one case.

use super::service;
use crate::domain::objection::FieldErrors;
use crate::domain::{uk_date, Contact, OdsCode};
use crate::server::keys::{new_key, valid_key};
use crate::server::*;
use crate::ui::{CheckRow, CheckState, FormState, Gate};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use chrono::{NaiveDate, Utc};
use leptos::prelude::ServerFnError;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// What parsing a form needs besides the answers.
pub struct FormContext {
    pub organisations: Vec<(OdsCode, String)>,
    pub today: NaiveDate,
    /// The patient's own cases (a complaint can be about one of them).
    pub cases: Vec<crate::domain::complaint::Complainable>,
}

/// A rights journey's form: its answers, where it lives and how it becomes a case.
pub trait RightsForm: Serialize + DeserializeOwned + Default + Send + 'static {
    /// The form's name in the drafts table.
    const FORM: &'static str;
    /// Where its pages live: `{BASE}/new`, `{BASE}/check`.
    const BASE: &'static str;
    /// The kind of case it opens.
    const KIND: crate::domain::CaseKind;
    fn from_fields(fields: &Fields) -> Self;
    fn check(&self, ctx: &FormContext) -> Result<(CaseDetails, Contact), FieldErrors>;
    /// The rows of check your answers.
    fn rows(details: &CaseDetails, contact: &Contact) -> Vec<CheckRow>;
}

pub async fn context(store: &dyn Store, area: &Area, subject: &str) -> StoreResult<FormContext> {
    let organisations = store.organisations(area.id).await?.into_iter().map(|o| (o.ods_code, o.name)).collect();
    let cases = store
        .cases_for_patient(subject)
        .await?
        .into_iter()
        .map(|c| crate::domain::complaint::Complainable { reference: c.reference, kind: c.kind, status: c.status })
        .collect();
    Ok(FormContext { organisations, today: uk_date(Utc::now()), cases })
}

async fn save<F: RightsForm>(store: &dyn DraftStore, key: &str, owner: &str, answers: &F, errors: FieldErrors) -> StoreResult<()> {
    let draft = Draft {
        key: key.to_string(),
        owner_subject: owner.to_string(),
        form: F::FORM.to_string(),
        answers: serde_json::to_value(answers).map_err(|e| StoreError::Corrupt(e.to_string()))?,
        errors,
        updated_at: Utc::now(),
    };
    store.save_draft(&draft).await
}

/// `POST {BASE}/new`: keep the answers; on to check them, or back with what to fix.
pub async fn answers<F: RightsForm>(State(services): State<Services>, me: EligiblePatient, fields: Fields) -> HandlerResult {
    let store = &*services.store;
    let posted = fields.one("key");
    // A form already sent is not changed afterwards: the patient is told, and shown what was sent.
    if valid_key(posted) {
        if let Some(done) = store.case_by_idempotency_key(&me.patient.subject, posted).await? {
            return Ok(Redirect::to(&format!("/your-requests/{}?sent=change-not-sent", done.reference)).into_response());
        }
    }
    let mut key = if valid_key(posted) { posted.to_string() } else { new_key() };
    let ctx = context(store, &me.area, &me.patient.subject).await?;
    let answers = F::from_fields(&fields);
    let errors = answers.check(&ctx).err().unwrap_or_default();
    let ok = errors.is_empty();
    match save(store, &key, &me.patient.subject, &answers, errors.clone()).await {
        Ok(()) => {}
        // Someone else's key (or another form's): start a fresh draft rather than touch theirs.
        Err(StoreError::Conflict) => {
            key = new_key();
            save(store, &key, &me.patient.subject, &answers, errors).await?;
        }
        Err(other) => return Err(other.into()),
    }
    let next = if ok { "check" } else { "new" };
    Ok(Redirect::to(&format!("{}/{next}?draft={key}", F::BASE)).into_response())
}

/// `POST {BASE}/submit`: open the case from the checked answers. A second post of the same
/// form finds the first case and shows its confirmation again.
pub async fn submit<F: RightsForm>(State(services): State<Services>, me: EligiblePatient, fields: Fields) -> HandlerResult {
    let store = &*services.store;
    let key = fields.one("key");
    if !valid_key(key) {
        return Ok(Redirect::to(&format!("{}/new", F::BASE)).into_response());
    }
    if let Some(done) = store.case_by_idempotency_key(&me.patient.subject, key).await? {
        return Ok(Redirect::to(&format!("/your-requests/{}/confirmation", done.reference)).into_response());
    }
    let Some(draft) = store.draft(key, &me.patient.subject).await?.filter(|d| d.form == F::FORM) else {
        return Ok(Redirect::to(&format!("{}/new", F::BASE)).into_response());
    };
    let answers: F = serde_json::from_value(draft.answers).unwrap_or_default();
    let ctx = context(store, &me.area, &me.patient.subject).await?;
    // Checked again here: the area's organisations may have changed since the answers were saved.
    let (details, contact) = match answers.check(&ctx) {
        Ok(x) => x,
        Err(errors) => {
            save(store, key, &me.patient.subject, &answers, errors).await?;
            return Ok(Redirect::to(&format!("{}/new?draft={key}", F::BASE)).into_response());
        }
    };
    let (case, _) = service::open(store, &me.patient, &me.area, details, contact, key, Utc::now()).await?;
    Ok(Redirect::to(&format!("/your-requests/{}/confirmation", case.reference)).into_response())
}

/// The signed-in patient and their area, or why a journey's page cannot go on.
pub async fn gate() -> Result<Gate<(crate::domain::people::Patient, Area)>, ServerFnError> {
    use crate::domain::people::{NotEligible, SignedIn};
    let Some(SignedIn::Patient(patient)) = signed_in() else {
        redirect("/sign-in");
        return Ok(Gate::SignIn);
    };
    let store = services()?.store;
    Ok(match EligiblePatient::check(&*store, &patient).await.map_err(internal)? {
        Ok(area) => Gate::Ready((patient, area)),
        Err(NotEligible::NotVerified) => {
            // They are told where to turn: their own area, known from their GP surgery.
            let slug = patient.area_slug.as_deref().and_then(|s| crate::domain::AreaSlug::parse(s).ok());
            let area = match slug {
                Some(s) => store.area_by_slug(&s).await.map_err(internal)?.map(|a| (a.slug.to_string(), a.name)),
                None => None,
            };
            Gate::NotVerified(area)
        }
        Err(NotEligible::NoArea) => Gate::NoArea,
    })
}

/// The form's page: the patient's draft when `draft` names one of theirs, otherwise blank.
pub async fn load_form<F: RightsForm + Clone>(draft: Option<String>) -> Result<Gate<FormState<F>>, ServerFnError> {
    let (patient, area) = match gate().await?.ready() {
        Ok(x) => x,
        Err(refused) => return Ok(refused),
    };
    let store = services()?.store;
    if let Some(sent) = already_sent(&*store, &patient.subject, draft.as_deref()).await? {
        return Ok(sent);
    }
    let saved = match draft.as_deref().filter(|k| valid_key(k)) {
        Some(k) => store.draft(k, &patient.subject).await.map_err(internal)?.filter(|d| d.form == F::FORM),
        None => None,
    };
    let (key, answers, errors) = match saved {
        Some(d) => (d.key, serde_json::from_value(d.answers).unwrap_or_default(), d.errors),
        None => (new_key(), F::default(), Vec::new()),
    };
    let organisations =
        store.organisations(area.id).await.map_err(internal)?.into_iter().map(|o| (o.ods_code.to_string(), o.name)).collect();
    let theirs = store.cases_for_patient(&patient.subject).await.map_err(internal)?;
    let open_cases = theirs
        .iter()
        .filter(|c| c.kind == F::KIND && c.status.is_open())
        .map(|c| (c.reference.to_string(), c.received_on.format("%-d %B %Y").to_string()))
        .collect();
    // What a complaint can be about: their other cases, newest first, in words.
    let your_cases = theirs
        .iter()
        .filter(|c| c.kind != crate::domain::CaseKind::Complaint)
        .map(|c| (c.reference.to_string(), format!("{} {}, sent {} ({})", c.kind.label(), c.reference, c.received_on.format("%-d %B %Y"), c.status.label().to_lowercase())))
        .collect();
    Ok(Gate::Ready(FormState { key, answers, errors, area_name: area.name, organisations, open_cases, your_cases }))
}

/// A form whose key already opened a case (the patient came Back to it after sending): to that
/// case's page, which says it was sent.
async fn already_sent<T>(store: &dyn Store, subject: &str, key: Option<&str>) -> Result<Option<Gate<T>>, ServerFnError> {
    let Some(key) = key.filter(|k| valid_key(k)) else { return Ok(None) };
    Ok(store.case_by_idempotency_key(subject, key).await.map_err(internal)?.map(|done| {
        redirect(&format!("/your-requests/{}?sent=already", done.reference));
        Gate::SignIn
    }))
}

/// The check-your-answers page: only for a draft that parses; otherwise back to the form.
pub async fn load_check<F: RightsForm>(draft: String) -> Result<Gate<CheckState>, ServerFnError> {
    let (patient, area) = match gate().await?.ready() {
        Ok(x) => x,
        Err(refused) => return Ok(refused),
    };
    let store = services()?.store;
    if let Some(sent) = already_sent(&*store, &patient.subject, Some(&draft)).await? {
        return Ok(sent);
    }
    let Some(saved) = store.draft(&draft, &patient.subject).await.map_err(internal)?.filter(|d| d.form == F::FORM) else {
        redirect(&format!("{}/new", F::BASE));
        return Ok(Gate::SignIn);
    };
    let answers: F = serde_json::from_value(saved.answers).unwrap_or_default();
    let ctx = context(&*store, &area, &patient.subject).await.map_err(internal)?;
    match answers.check(&ctx) {
        Ok((details, contact)) => Ok(Gate::Ready(CheckState { key: saved.key, rows: F::rows(&details, &contact), area_name: area.name })),
        Err(_) => {
            redirect(&format!("{}/new?draft={draft}", F::BASE));
            Ok(Gate::SignIn)
        }
    }
}
