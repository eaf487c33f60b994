//! The rights journeys' form posts. Each is a plain HTML form (so it works with JavaScript
//! off): the answers are kept server-side as a draft, then the browser is sent on (303) to the
//! next step or back to the form with its errors. The draft's key is the form's idempotency key.

use super::{fields};
use super::cases::{self, NotEligible};
use super::store::*;
use super::{CurrentSession, Services};
use crate::domain::access_request::AccessRequestAnswers;
use crate::domain::objection::{FieldErrors, ObjectionAnswers};
use crate::domain::{uk_date, Contact, OdsCode};
use crate::people::{Patient, SignedIn};
use axum::body::Bytes;
use axum::extract::{FromRef, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Extension, Router};
use chrono::{NaiveDate, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// What parsing a form needs besides the answers.
pub struct FormContext {
    pub organisations: Vec<(OdsCode, String)>,
    pub today: NaiveDate,
}

/// A rights journey's form: its answers, where it lives and how it becomes a case.
pub trait RightsForm: Serialize + DeserializeOwned + Default + Send + 'static {
    /// The form's name in the drafts table.
    const FORM: &'static str;
    /// Where its pages live: `{BASE}/new`, `{BASE}/check`.
    const BASE: &'static str;
    fn from_fields(fields: &[(String, String)]) -> Self;
    fn check(&self, ctx: &FormContext) -> Result<(CaseDetails, Contact), FieldErrors>;
}

impl RightsForm for ObjectionAnswers {
    const FORM: &'static str = "objection";
    const BASE: &'static str = "/objections";
    fn from_fields(fields: &[(String, String)]) -> Self {
        ObjectionAnswers::from_fields(fields)
    }
    fn check(&self, ctx: &FormContext) -> Result<(CaseDetails, Contact), FieldErrors> {
        self.parse(&ctx.organisations).map(|o| {
            let contact = o.contact.clone();
            (CaseDetails::Objection(o), contact)
        })
    }
}

impl RightsForm for AccessRequestAnswers {
    const FORM: &'static str = "access_request";
    const BASE: &'static str = "/access-requests";
    fn from_fields(fields: &[(String, String)]) -> Self {
        AccessRequestAnswers::from_fields(fields)
    }
    fn check(&self, ctx: &FormContext) -> Result<(CaseDetails, Contact), FieldErrors> {
        self.parse(ctx.today).map(|r| {
            let contact = r.contact.clone();
            (CaseDetails::AccessRequest(r), contact)
        })
    }
}

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/objections/new", post(answers::<ObjectionAnswers>))
        .route("/objections/submit", post(submit::<ObjectionAnswers>))
        .route("/access-requests/new", post(answers::<AccessRequestAnswers>))
        .route("/access-requests/submit", post(submit::<AccessRequestAnswers>))
        .route("/your-requests/{reference}/withdraw", post(withdraw))
        .route("/your-requests/{reference}/download", axum::routing::get(download))
}

/// A form's key: 43 URL-safe characters (256 bits), made when the blank form is drawn.
pub fn new_key() -> String {
    use rand::RngCore;
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 43];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| ALPHABET[(b & 63) as usize] as char).collect()
}

pub fn valid_key(key: &str) -> bool {
    key.len() == 43 && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> &'a str {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
}

fn patient(session: &CurrentSession) -> Result<&Patient, Response> {
    match &session.0 {
        Some(SignedIn::Patient(p)) => Ok(p),
        _ => Err(Redirect::to("/sign-in").into_response()),
    }
}

fn trouble(e: StoreError) -> Response {
    // The whole error is logged here, once; the browser gets a safe sentence.
    super::internal(e);
    (
        http::StatusCode::INTERNAL_SERVER_ERROR,
        "Sorry, there is a problem with the service. Try again later. Nothing you entered has been lost.",
    )
        .into_response()
}

/// The patient and their area, or where to send them instead.
async fn eligible(store: &dyn Store, session: &CurrentSession, base: &str) -> Result<(Patient, Area), Response> {
    let p = patient(session)?.clone();
    match cases::eligible_area(store, &p).await {
        Ok(Ok(area)) => Ok((p, area)),
        // The form's page explains why and what to do.
        Ok(Err(NotEligible::NotVerified | NotEligible::NoArea)) => Err(Redirect::to(&format!("{base}/new")).into_response()),
        Err(e) => Err(trouble(e)),
    }
}

pub async fn context(store: &dyn Store, area: &Area) -> StoreResult<FormContext> {
    let organisations = store
        .organisations(area.id)
        .await?
        .into_iter()
        .map(|o| (o.ods_code, o.name))
        .collect();
    Ok(FormContext { organisations, today: uk_date(Utc::now()) })
}

async fn save<F: RightsForm>(store: &dyn Store, key: &str, owner: &str, answers: &F, errors: FieldErrors) -> StoreResult<()> {
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
async fn answers<F: RightsForm>(State(services): State<Services>, Extension(session): Extension<CurrentSession>, body: Bytes) -> Response {
    let store = &*services.store;
    let (patient, area) = match eligible(store, &session, F::BASE).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let fields = fields(&body);
    let posted = field(&fields, "key");
    let mut key = if valid_key(posted) { posted.to_string() } else { new_key() };
    let ctx = match context(store, &area).await {
        Ok(c) => c,
        Err(e) => return trouble(e),
    };
    let answers = F::from_fields(&fields);
    let errors = answers.check(&ctx).err().unwrap_or_default();
    let ok = errors.is_empty();
    if let Err(e) = save(store, &key, &patient.subject, &answers, errors.clone()).await {
        match e {
            // Someone else's key (or another form's): start a fresh draft rather than touch theirs.
            StoreError::Conflict => {
                key = new_key();
                if let Err(e) = save(store, &key, &patient.subject, &answers, errors).await {
                    return trouble(e);
                }
            }
            other => return trouble(other),
        }
    }
    if ok {
        Redirect::to(&format!("{}/check?draft={key}", F::BASE)).into_response()
    } else {
        Redirect::to(&format!("{}/new?draft={key}", F::BASE)).into_response()
    }
}

/// `POST {BASE}/submit`: open the case from the checked answers. A second post of the same
/// form finds the first case and shows its confirmation again.
async fn submit<F: RightsForm>(State(services): State<Services>, Extension(session): Extension<CurrentSession>, body: Bytes) -> Response {
    let store = &*services.store;
    let (patient, area) = match eligible(store, &session, F::BASE).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let fields = fields(&body);
    let key = field(&fields, "key");
    if !valid_key(key) {
        return Redirect::to(&format!("{}/new", F::BASE)).into_response();
    }
    match store.case_by_idempotency_key(&patient.subject, key).await {
        Ok(Some(done)) => return Redirect::to(&format!("/your-requests/{}/confirmation", done.reference)).into_response(),
        Ok(None) => {}
        Err(e) => return trouble(e),
    }
    let draft = match store.draft(key, &patient.subject).await {
        Ok(Some(d)) if d.form == F::FORM => d,
        Ok(_) => return Redirect::to(&format!("{}/new", F::BASE)).into_response(),
        Err(e) => return trouble(e),
    };
    let answers: F = serde_json::from_value(draft.answers).unwrap_or_default();
    let ctx = match context(store, &area).await {
        Ok(c) => c,
        Err(e) => return trouble(e),
    };
    // Checked again here: the area's organisations may have changed since the answers were saved.
    let (details, contact) = match answers.check(&ctx) {
        Ok(x) => x,
        Err(errors) => {
            return match save(store, key, &patient.subject, &answers, errors).await {
                Ok(()) => Redirect::to(&format!("{}/new?draft={key}", F::BASE)).into_response(),
                Err(e) => trouble(e),
            };
        }
    };
    match cases::open(store, &patient, &area, details, contact, key, Utc::now()).await {
        Ok((case, _)) => Redirect::to(&format!("/your-requests/{}/confirmation", case.reference)).into_response(),
        Err(e) => trouble(e),
    }
}

/// The signed-in patient and their case; anyone else's reference is "not found".
async fn own_case<'a>(store: &dyn Store, session: &'a CurrentSession, reference: &str) -> Result<(&'a Patient, CaseRecord), Response> {
    let patient = patient(session)?;
    match cases::patients_case(store, patient, reference).await {
        Ok(Some(c)) => Ok((patient, c)),
        Ok(None) => Err((http::StatusCode::NOT_FOUND, "Page not found").into_response()),
        Err(e) => Err(trouble(e)),
    }
}

/// `POST /your-requests/{reference}/withdraw`.
async fn withdraw(State(services): State<Services>, Extension(session): Extension<CurrentSession>, Path(reference): Path<String>) -> Response {
    let store = &*services.store;
    let (patient, case) = match own_case(store, &session, &reference).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match cases::withdraw(store, patient, &case, Utc::now()).await {
        Ok(_) => Redirect::to(&format!("/your-requests/{}", case.reference)).into_response(),
        Err(e) => trouble(e),
    }
}

/// `GET /your-requests/{reference}/download`: the patient's response, to them only, while it
/// is available. Every download is recorded on the case's timeline.
async fn download(State(services): State<Services>, Extension(session): Extension<CurrentSession>, Path(reference): Path<String>) -> Response {
    let store = &*services.store;
    let (patient, case) = match own_case(store, &session, &reference).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let now = Utc::now();
    let Some(CaseOutcome::Response { document_id: Some(id), available_until: Some(until), .. }) = &case.outcome else {
        return (http::StatusCode::NOT_FOUND, "Page not found").into_response();
    };
    if *until <= now {
        return (http::StatusCode::GONE, "This download has expired. Contact your area to ask for it again.").into_response();
    }
    let (meta, bytes) = match store.document(case.id, *id).await {
        Ok(Some(d)) => d,
        Ok(None) => return (http::StatusCode::NOT_FOUND, "Page not found").into_response(),
        Err(e) => return trouble(e),
    };
    let mut u = CaseUpdate::on(
        &case,
        CaseEvent {
            at: now,
            actor: Actor::Patient,
            actor_subject: Some(patient.subject.clone()),
            actor_name: None,
            kind: "downloaded".into(),
            public: true,
            text: "You downloaded your information.".into(),
        },
    );
    u.expect_status = vec![case.status];
    if let Err(e) = store.update_case(&u).await {
        return trouble(e);
    }
    tracing::info!(case = case.id, "response downloaded by the patient");
    super::casework::attachment(&meta.file_name, &meta.content_type, bytes)
}
