//! Case workers' actions. Every one is a plain form post: the caller is checked against the
//! case's area, the form is parsed into a [`CaseCommand`], the domain's [`check`] says whether
//! this person may do this now, and the store applies it only if the case is still as the
//! worker saw it, with its timeline line, message and the append-only staff action.

mod bundle;
mod commands;
mod complaints;
mod decisions;
mod documents;
mod respond;
pub mod templates;

use crate::domain::casework::{check, CaseAction, CaseCommand, CaseState, Offers, Refusal, Worker};
use crate::domain::people::StaffMember;
use crate::domain::{CaseAccess, CaseEventKind, CaseReference, MessageTemplate, Role};
use crate::server::keys::staff_draft_key;
use crate::server::*;
use axum::extract::{FromRef, Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Utc};

pub use documents::MAX_DOCUMENT_BYTES;
pub(crate) use respond::{describe_look, looks_in_scope};
pub use templates::ensure_starter_templates;

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/cases/templates/add", post(templates::add))
        .route("/cases/templates/remove", post(templates::remove))
        .route(
            "/cases/{reference}/documents",
            post(documents::upload).layer(axum::extract::DefaultBodyLimit::max(MAX_DOCUMENT_BYTES + 64 * 1024)),
        )
        .route("/cases/{reference}/documents/{id}", get(documents::open))
        .route("/cases/{reference}/{action}", post(act))
}

/// A case as one member of staff may see it.
pub struct StaffCase {
    pub case: CaseRecord,
    pub area: Area,
    pub access: CaseAccess,
    pub ig_lead: bool,
    /// For a complaint: the decision it challenges can be sent back for a fresh one.
    pub about_reopenable: bool,
}

impl StaffCase {
    pub fn worker<'a>(&self, me: &'a StaffMember) -> Worker<'a> {
        Worker { subject: &me.subject, access: self.access, ig_lead: self.ig_lead }
    }

    pub fn state(&self) -> CaseState<'_> {
        CaseState {
            kind: self.case.kind,
            status: self.case.status,
            assignee: self.case.assignee.as_deref(),
            extension_months: self.case.clock.extension_months,
            barred: self.case.barred_subject.as_deref(),
            about_reopenable: self.about_reopenable,
        }
    }

    /// What the case page may offer this person.
    pub fn offers(&self, me: &StaffMember) -> Offers {
        Offers::for_case(self.state(), self.worker(me))
    }
}

/// Answers a patient's concern with a finding and the IG lead's words, as deciding it on the
/// case page does (privacy monitoring answers concerns when an employing organisation replies).
pub(crate) async fn answer_concern(store: &dyn Store, me: &StaffMember, sc: &StaffCase, finding: crate::domain::casework::ConcernFinding, words: &str, now: DateTime<Utc>) -> StoreResult<()> {
    decisions::decide_concern(store, me, sc, finding, words, "", now).await.map(|_| ())
}

/// The case, if this person has a case role in its area; otherwise `None` ("not found"), so
/// references of other areas cannot be probed.
pub async fn case_for(store: &dyn Store, me: &StaffMember, reference: &str) -> StoreResult<Option<StaffCase>> {
    let Some(reference) = CaseReference::parse(reference) else { return Ok(None) };
    let Some(case) = store.case_by_reference(&reference).await? else { return Ok(None) };
    let Some(area) = store.list_areas().await?.into_iter().find(|a| a.id == case.area_id) else { return Ok(None) };
    let ig_lead = me.areas_with(Role::IgLead).iter().any(|a| a == area.slug.as_str());
    let Some(access) = me.case_access_in(area.slug.as_str()) else { return Ok(None) };
    let about_reopenable = match &case.details {
        // Once per complaint: a fresh decision declined again is a matter for a new complaint.
        CaseDetails::Complaint(crate::domain::complaint::Complaint { about: Some(about), .. }) if case.status.is_open() => {
            let reopened_before = store.case_events(case.id).await?.iter().any(|e| e.kind == CaseEventKind::Reopened);
            !reopened_before && store.case_by_reference(about).await?.is_some_and(|c| c.area_id == case.area_id && c.status.can_reopen(c.kind))
        }
        _ => false,
    };
    Ok(Some(StaffCase { case, area, access, ig_lead, about_reopenable }))
}

/// The areas whose cases this person may see.
pub async fn my_areas(store: &dyn AreaStore, me: &StaffMember) -> StoreResult<Vec<Area>> {
    let mine = me.case_areas();
    Ok(store.list_areas().await?.into_iter().filter(|a| mine.contains(&a.slug.to_string())).collect())
}

/// Colleagues who can work cases in the area: (subject, name).
pub async fn colleagues(store: &dyn StaffStore, area: &Area) -> StoreResult<Vec<(String, String)>> {
    Ok(store
        .list_staff()
        .await?
        .into_iter()
        .filter(|s| s.grants.iter().any(|g| g.area_slug == area.slug.as_str() && g.role.case_access() == Some(CaseAccess::Full)))
        .map(|s| (s.subject, s.name))
        .collect())
}

/// Colleagues this case may be given to: those who work cases in its area; for a complaint,
/// only its IG leads; never someone barred from deciding it afresh.
pub async fn assignable(store: &dyn StaffStore, sc: &StaffCase) -> StoreResult<Vec<(String, String)>> {
    let barred = sc.case.barred_subject.as_deref();
    Ok(store
        .list_staff()
        .await?
        .into_iter()
        .filter(|s| {
            s.grants.iter().any(|g| {
                g.area_slug == sc.area.slug.as_str()
                    && g.role.case_access() == Some(CaseAccess::Full)
                    && (sc.case.kind != crate::domain::CaseKind::Complaint || g.role == Role::IgLead)
            })
        })
        .filter(|s| !crate::domain::casework::is_barred(barred, &s.subject))
        .map(|s| (s.subject, s.name))
        .collect())
}

/// A staff member's line on the case's timeline.
pub(crate) fn staff_event(me: &StaffMember, at: DateTime<Utc>, kind: CaseEventKind, public: bool, text: String) -> CaseEvent {
    CaseEvent { at, actor: Actor::Staff, actor_subject: Some(me.subject.clone()), actor_name: Some(me.name.clone()), kind, public, text }
}

/// A staff action on this case, for the append-only record.
pub(crate) fn action(me: &StaffMember, sc: &StaffCase, at: DateTime<Utc>, what: &str, detail: String) -> StaffAction {
    StaffAction { at, actor_subject: me.subject.clone(), area_id: sc.area.id, case_id: Some(sc.case.id), action: what.into(), detail }
}

/// The patient's message about an update.
pub(crate) fn message(case: &CaseRecord, template: MessageTemplate) -> Option<NewMessage> {
    Some(NewMessage { contact: case.contact.clone(), template, reference: case.reference.clone() })
}

/// A case this person may see, found by its reference; any other is "not found".
pub(crate) async fn staff_case(store: &dyn Store, me: &StaffMember, reference: &str) -> HandlerResult<StaffCase> {
    case_for(store, me, reference).await?.ok_or(HandlerError::NotFound)
}

/// Whether `me` may take `action` on the case now: `Ok(false)` when the case has moved on (the
/// page says so), a refusal when their role does not allow it.
pub(crate) fn may(action: CaseAction, sc: &StaffCase, me: &StaffMember) -> HandlerResult<bool> {
    match check(action, sc.state(), sc.worker(me)) {
        Ok(()) => Ok(true),
        Err(Refusal::NotNow) => Ok(false),
        Err(refusal) => Err(HandlerError::Forbidden(refusal.explain())),
    }
}

/// What an action came to.
pub(crate) enum Done {
    /// Applied; the code tells the case page what to say.
    Changed(&'static str),
    /// Someone else changed the case first.
    Stale,
    /// The form needs correcting.
    Invalid(crate::domain::objection::FieldErrors),
}

pub(crate) fn done(changed: bool, code: &'static str) -> Done {
    if changed {
        Done::Changed(code)
    } else {
        Done::Stale
    }
}

pub(crate) fn problem(field: &str, message: impl Into<String>) -> Done {
    Done::Invalid(vec![(field.to_string(), message.into())])
}

/// `POST /cases/{reference}/{action}`.
async fn act(
    State(services): State<Services>,
    SignedInStaff(me): SignedInStaff,
    Path((reference, what)): Path<(String, String)>,
    fields: Fields,
) -> HandlerResult {
    let store = &*services.store;
    let sc = staff_case(store, &me, &reference).await?;
    let Some(action) = CaseAction::parse(&what).filter(|a| *a != CaseAction::AddDocument) else {
        return Err(HandlerError::NotFound);
    };
    let back = format!("/cases/{}", sc.case.reference);
    if !may(action, &sc, &me)? {
        return Ok(Redirect::to(&format!("{back}?done=stale")).into_response());
    }
    let now = Utc::now();
    let done = match CaseCommand::parse(action, fields.as_slice()) {
        Ok(command) => commands::apply(store, &me, &sc, command, services.download_days, now).await?,
        Err(errors) => Done::Invalid(errors),
    };
    Ok(match done {
        Done::Changed(code) => {
            tracing::info!(case = sc.case.id, action = action.as_str(), "case action");
            Redirect::to(&format!("{back}?done={code}")).into_response()
        }
        Done::Stale => Redirect::to(&format!("{back}?done=stale")).into_response(),
        Done::Invalid(errors) => {
            // Keep what was typed, and the errors, for the case page to show again.
            let draft = Draft {
                key: staff_draft_key(&me.subject, sc.case.id, action.as_str()),
                owner_subject: me.subject.clone(),
                form: action.as_str().to_string(),
                answers: serde_json::to_value(&fields).unwrap_or_default(),
                errors: errors.clone(),
                updated_at: now,
            };
            store.save_draft(&draft).await?;
            let first = errors.first().map(|(f, _)| f.clone()).unwrap_or_default();
            Redirect::to(&format!("{back}?form={}#{first}", action.as_str())).into_response()
        }
    })
}

/// Staff opening a patient's case is itself a look at their information: it goes into the
/// patient's access log as the portal team dealing with their request.
pub async fn log_view(store: &dyn AccessEventStore, me: &StaffMember, sc: &StaffCase, now: DateTime<Utc>) -> StoreResult<()> {
    let role = me
        .grants
        .iter()
        .filter(|g| g.area_slug == sc.area.slug.as_str())
        .filter_map(|g| g.role.case_access().map(|a| (a, g.role)))
        .max()
        .map(|(_, r)| r.label().to_string());
    let event = AccessEvent {
        id: 0,
        source_id: None,
        source_event_id: format!("portal-view-{}", crate::server::keys::new_key()),
        nhs_number: sc.case.patient.nhs_number.clone(),
        recorded_at: now,
        agent_name: "The portal team".into(),
        agent_id: Some(me.subject.clone()),
        agent_role: role,
        org_ods: None,
        org_name: Some(sc.area.name.clone()),
        purpose: "REQUEST".into(),
        emergency: false,
        viewed: format!("your request {}", sc.case.reference),
        outcome: "0".into(),
        automated: false,
        observer: "Shared care record privacy portal".into(),
        action: Some("R".into()),
        subtype: None,
        content_hash: None,
    };
    store.ingest_access_events(&[event], now).await.map(|_| ())
}
