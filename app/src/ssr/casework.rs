//! Case workers' actions: claim, assign and release; internal notes; deciding objections;
//! asking for information, extending and fulfilling requests; documents. Every one is a plain
//! form post, authorised here against the case's area, applied only if the case is still as
//! the worker saw it, and recorded in the append-only staff action table.

use super::{trouble, fields};
use super::bundle::ResponseContents;
use super::store::*;
use super::{CurrentSession, Services};
use crate::domain::access_request::Delivery;
use crate::domain::objection::{DataCategory, FieldErrors, ObjectionScope};
use crate::domain::{uk_date, CaseAccess, CaseKind, CaseReference, CaseStatus, Clock, Due, ExtensionError, FreeText};
use crate::people::{SignedIn, StaffMember};
use axum::body::Bytes;
use axum::extract::{FromRef, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use chrono::{DateTime, Utc};

/// The reasons a new area starts with; its information governance lead edits them.
pub const STARTER_TEMPLATES: &[(CaseStatus, &str, &str)] = &[
    (
        CaseStatus::Upheld,
        "Objection upheld",
        "We have considered your objection and agreed to it. The organisations below will stop sharing your information through the shared care record. Health and care professionals will still be able to see information held by their own organisation, and will ask you for anything else they need.",
    ),
    (
        CaseStatus::PartlyUpheld,
        "Objection upheld in part",
        "We have considered your objection and agreed to part of it, as set out below. The rest of your information stays in the shared care record because it is needed for your direct care.",
    ),
    (
        CaseStatus::Declined,
        "Needed to keep you or others safe",
        "We have considered your objection carefully. We cannot agree to it because the information is needed to keep you or other people safe, for example to protect a child or an adult at risk.",
    ),
    (
        CaseStatus::Declined,
        "Required by law",
        "We have considered your objection carefully. We cannot agree to it because the law requires this information to be shared.",
    ),
];

/// Gives an area the starter reasons, unless it has some already.
pub async fn ensure_starter_templates(store: &dyn Store, area_id: i64) -> StoreResult<()> {
    if store.decision_templates(area_id).await?.is_empty() {
        for (outcome, title, body) in STARTER_TEMPLATES {
            store.add_decision_template(area_id, *outcome, title, body).await?;
        }
    }
    Ok(())
}

/// The largest document a case worker can add.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/cases/templates/add", post(add_template))
        .route("/cases/templates/remove", post(remove_template))
        .route(
            "/cases/{reference}/documents",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(MAX_DOCUMENT_BYTES + 64 * 1024)),
        )
        .route("/cases/{reference}/documents/{id}", get(staff_download))
        .route("/cases/{reference}/{action}", post(act))
}

/// A case as one member of staff may see it.
pub struct StaffCase {
    pub case: CaseRecord,
    pub area: Area,
    pub access: CaseAccess,
}

/// The case, if this person has a case role in its area; otherwise "not found", so references
/// of other areas cannot be probed.
pub async fn case_for(store: &dyn Store, me: &StaffMember, reference: &str) -> StoreResult<Option<StaffCase>> {
    let Some(reference) = CaseReference::parse(reference) else { return Ok(None) };
    let Some(case) = store.case_by_reference(&reference).await? else { return Ok(None) };
    let Some(area) = store.list_areas().await?.into_iter().find(|a| a.id == case.area_id) else { return Ok(None) };
    Ok(me.case_access_in(area.slug.as_str()).map(|access| StaffCase { case, area, access }))
}

/// The areas whose cases this person may see.
pub async fn my_areas(store: &dyn Store, me: &StaffMember) -> StoreResult<Vec<Area>> {
    let mine = me.case_areas();
    Ok(store.list_areas().await?.into_iter().filter(|a| mine.contains(&a.slug.to_string())).collect())
}

/// Colleagues who can work cases in the area: (subject, name).
pub async fn colleagues(store: &dyn Store, area: &Area) -> StoreResult<Vec<(String, String)>> {
    Ok(store
        .list_staff()
        .await?
        .into_iter()
        .filter(|s| s.grants.iter().any(|g| g.area_slug == area.slug.as_str() && g.role.case_access() == Some(CaseAccess::Full)))
        .map(|s| (s.subject, s.name))
        .collect())
}

fn staff_event(me: &StaffMember, at: DateTime<Utc>, kind: &str, public: bool, text: String) -> CaseEvent {
    CaseEvent { at, actor: Actor::Staff, actor_subject: Some(me.subject.clone()), actor_name: Some(me.name.clone()), kind: kind.into(), public, text }
}

fn action(me: &StaffMember, sc: &StaffCase, at: DateTime<Utc>, what: &str, detail: String) -> StaffAction {
    StaffAction { at, actor_subject: me.subject.clone(), area_id: sc.area.id, case_id: Some(sc.case.id), action: what.into(), detail }
}

fn message(case: &CaseRecord, template: &str) -> Option<NewMessage> {
    Some(NewMessage { contact: case.contact.clone(), template: template.into(), reference: case.reference.clone() })
}

fn not_found() -> Response {
    (http::StatusCode::NOT_FOUND, "Page not found").into_response()
}

fn forbidden() -> Response {
    (http::StatusCode::FORBIDDEN, "Your role lets you see who a case is about, not act on it.").into_response()
}

fn one<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or_default()
}

fn all(f: &[(String, String)], k: &str) -> Vec<String> {
    f.iter().filter(|(n, _)| n == k).map(|(_, v)| v.clone()).collect()
}

/// The signed-in member of staff and a case they may work (not only see); otherwise the answer
/// to send: sign in, "not found" (another area's case), or "forbidden" (demographics only).
async fn worker_case<'a>(store: &dyn Store, session: &'a CurrentSession, reference: &str) -> Result<(&'a StaffMember, StaffCase), Response> {
    let Some(SignedIn::Staff(me)) = &session.0 else { return Err(Redirect::to("/sign-in").into_response()) };
    match case_for(store, me, reference).await {
        Ok(Some(sc)) if sc.access == CaseAccess::Full => Ok((me, sc)),
        Ok(Some(_)) => Err(forbidden()),
        Ok(None) => Err(not_found()),
        Err(e) => Err(trouble(e)),
    }
}

/// The draft key of one staff form on one case, so a form sent back with errors keeps its text.
pub fn staff_draft_key(me: &str, case_id: i64, form: &str) -> String {
    format!("staff:{case_id}:{form}:{me}")
}

/// What an action came to.
enum Done {
    /// Applied; the code tells the case page what to say.
    Changed(&'static str),
    /// Someone else changed the case first.
    Stale,
}

/// `POST /cases/{reference}/{action}`.
async fn act(
    State(services): State<Services>,
    Extension(session): Extension<CurrentSession>,
    Path((reference, what)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let store = &*services.store;
    let (me, sc) = match worker_case(store, &session, &reference).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let f = fields(&body);
    let now = Utc::now();
    // Concerns about access are decided by the area's information governance lead.
    if what == "decide-concern" && !me.areas_with(crate::domain::Role::IgLead).contains(&sc.area.slug.to_string()) {
        return (http::StatusCode::FORBIDDEN, "Only the area's information governance lead decides concerns about access.").into_response();
    }
    let result = match what.as_str() {
        "claim" => claim(store, me, &sc, now).await,
        "release" => release(store, me, &sc, now).await,
        "assign" => assign(store, me, &sc, one(&f, "to"), now).await,
        "note" => note(store, me, &sc, one(&f, "note"), now).await,
        "decide" => decide(store, me, &sc, &f, now).await,
        "decide-concern" => decide_concern(store, me, &sc, &f, now).await,
        "ask" => ask(store, me, &sc, &f, now).await,
        "received" => information_received(store, me, &sc, now).await,
        "extend" => extend(store, me, &sc, &f, now).await,
        "fulfil" => fulfil(store, me, &sc, one(&f, "note"), services.download_days, now).await,
        "effect-applied" => effect_applied(store, me, &sc, one(&f, "ods"), now).await,
        _ => return not_found(),
    };
    let back = format!("/cases/{}", sc.case.reference);
    match result {
        Ok(Ok(Done::Changed(code))) => {
            tracing::info!(case = sc.case.id, action = %what, "case action");
            Redirect::to(&format!("{back}?done={code}")).into_response()
        }
        Ok(Ok(Done::Stale)) => Redirect::to(&format!("{back}?done=stale")).into_response(),
        Ok(Err(errors)) => {
            // Keep what was typed, and the errors, for the case page to show again.
            let draft = Draft {
                key: staff_draft_key(&me.subject, sc.case.id, &what),
                owner_subject: me.subject.clone(),
                form: what.clone(),
                answers: serde_json::to_value(&f).unwrap_or_default(),
                errors: errors.clone(),
                updated_at: now,
            };
            if let Err(e) = store.save_draft(&draft).await {
                return trouble(e);
            }
            let first = errors.first().map(|(f, _)| f.clone()).unwrap_or_default();
            Redirect::to(&format!("{back}?form={what}#{first}")).into_response()
        }
        Err(e) => trouble(e),
    }
}

type ActResult = StoreResult<Result<Done, FieldErrors>>;

fn done(changed: bool, code: &'static str) -> ActResult {
    Ok(Ok(if changed { Done::Changed(code) } else { Done::Stale }))
}

fn problem(field: &str, message: impl Into<String>) -> ActResult {
    Ok(Err(vec![(field.to_string(), message.into())]))
}

async fn claim(store: &dyn Store, me: &StaffMember, sc: &StaffCase, now: DateTime<Utc>) -> ActResult {
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, "claimed", false, format!("Claimed by {}.", me.name)));
    u.expect_assignee = Some(None);
    u.assignee = Some(Some(me.subject.clone()));
    u.action = Some(action(me, sc, now, "claimed", String::new()));
    done(store.update_case(&u).await?, "claimed")
}

async fn release(store: &dyn Store, me: &StaffMember, sc: &StaffCase, now: DateTime<Utc>) -> ActResult {
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, "released", false, format!("Released by {}.", me.name)));
    u.expect_assignee = Some(Some(me.subject.clone()));
    u.assignee = Some(None);
    u.action = Some(action(me, sc, now, "released", String::new()));
    done(store.update_case(&u).await?, "released")
}

async fn assign(store: &dyn Store, me: &StaffMember, sc: &StaffCase, to: &str, now: DateTime<Utc>) -> ActResult {
    let Some((subject, name)) = colleagues(store, &sc.area).await?.into_iter().find(|(s, _)| s == to) else {
        return problem("to", "Choose a colleague who works cases in this area");
    };
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, "assigned", false, format!("Assigned to {name} by {}.", me.name)));
    u.assignee = Some(Some(subject.clone()));
    u.action = Some(action(me, sc, now, "assigned", format!("to {subject}")));
    done(store.update_case(&u).await?, "assigned")
}

async fn note(store: &dyn Store, me: &StaffMember, sc: &StaffCase, text: &str, now: DateTime<Utc>) -> ActResult {
    let text = match FreeText::parse(text, 5000) {
        Ok(t) => t,
        Err(_) => return problem("note", "Enter a note of up to 5,000 characters"),
    };
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, "note", false, text.as_str().to_string()));
    // A note can be added whatever the status, closed cases included.
    u.expect_status = CaseStatus::ALL.to_vec();
    u.action = Some(action(me, sc, now, "noted", String::new()));
    done(store.update_case(&u).await?, "noted")
}

/// What an upheld scope asks of each organisation.
fn effects_of(scope: &ObjectionScope, organisations: &[Organisation]) -> Vec<(String, String, String)> {
    match scope {
        ObjectionScope::WholeRecord => organisations
            .iter()
            .map(|o| (o.ods_code.to_string(), o.name.clone(), "Stop sharing all of the patient's information".into()))
            .collect(),
        ObjectionScope::Organisations(list) => list
            .iter()
            .map(|(code, name)| (code.to_string(), name.clone(), "Stop sharing the patient's information".into()))
            .collect(),
        ObjectionScope::Categories(cats) => {
            let what = cats.iter().map(|c| c.label().to_lowercase()).collect::<Vec<_>>().join(", ");
            organisations
                .iter()
                .map(|o| (o.ods_code.to_string(), o.name.clone(), format!("Stop sharing information about: {what}")))
                .collect()
        }
    }
}

async fn decide(store: &dyn Store, me: &StaffMember, sc: &StaffCase, f: &[(String, String)], now: DateTime<Utc>) -> ActResult {
    let CaseDetails::Objection(objection) = &sc.case.details else { return Ok(Ok(Done::Stale)) };
    // Decided already (perhaps by someone else a moment ago): nothing to check the form against.
    if !sc.case.status.is_open() {
        return Ok(Ok(Done::Stale));
    }
    let mut errors = Vec::new();
    let outcome = match one(f, "outcome") {
        "upheld" => Some(CaseStatus::Upheld),
        "partly_upheld" => Some(CaseStatus::PartlyUpheld),
        "declined" => Some(CaseStatus::Declined),
        _ => {
            errors.push(("outcome".to_string(), "Choose a decision".to_string()));
            None
        }
    };
    let templates = store.decision_templates(sc.area.id).await?;
    let template = templates.iter().find(|t| t.id.to_string() == one(f, "template") && Some(t.outcome) == outcome);
    let own_words = one(f, "reason").trim();
    if outcome.is_some() && template.is_none() && templates.iter().any(|t| Some(t.outcome) == outcome) {
        errors.push(("template".into(), "Choose the reason for this decision".into()));
    }
    if outcome.is_some() && template.is_none() && own_words.is_empty() {
        errors.push(("reason".into(), "Explain the decision in your own words".into()));
    }
    if crate::domain::count_characters(own_words) > 2000 {
        errors.push(("reason".into(), "The explanation must be 2,000 characters or fewer".into()));
    }
    let organisations = store.organisations(sc.area.id).await?;
    let upheld_scope = match outcome {
        Some(CaseStatus::Upheld) => Some(objection.scope.clone()),
        Some(CaseStatus::PartlyUpheld) => {
            let orgs: Vec<_> = organisations
                .iter()
                .filter(|o| all(f, "organisations").iter().any(|c| c == o.ods_code.as_str()))
                .map(|o| (o.ods_code.clone(), o.name.clone()))
                .collect();
            let cats: Vec<DataCategory> = DataCategory::ALL.into_iter().filter(|c| all(f, "categories").iter().any(|s| s == c.as_str())).collect();
            match (orgs.is_empty(), cats.is_empty()) {
                (false, true) => Some(ObjectionScope::Organisations(orgs)),
                (true, false) => Some(ObjectionScope::Categories(cats)),
                _ => {
                    errors.push(("organisations".into(), "Choose the organisations, or the kinds of information, the objection is upheld for (not both)".into()));
                    None
                }
            }
        }
        _ => None,
    };
    let Some(outcome) = outcome.filter(|_| errors.is_empty()) else { return Ok(Err(errors)) };
    let (title, mut reason) = match template {
        Some(t) => (t.title.clone(), t.body.clone()),
        None => (outcome.label().to_string(), String::new()),
    };
    if !own_words.is_empty() {
        if !reason.is_empty() {
            reason.push_str("\n\n");
        }
        reason.push_str(own_words);
    }
    let text = match outcome {
        CaseStatus::Upheld => "We upheld your objection.",
        CaseStatus::PartlyUpheld => "We upheld part of your objection.",
        _ => "We declined your objection.",
    };
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, "decided", true, text.into()));
    u.expect_status = vec![CaseStatus::Received, CaseStatus::InformationNeeded];
    u.status = Some(outcome);
    u.clock = Some((sc.case.clock.clone(), None));
    u.effects = upheld_scope.as_ref().map(|s| effects_of(s, &organisations)).unwrap_or_default();
    u.outcome = Some(CaseOutcome::Decision {
        status: outcome,
        reason_title: title,
        reason,
        upheld_scope,
        decided_by: me.name.clone(),
        decided_at: now,
    });
    u.message = message(&sc.case, "decided");
    u.action = Some(action(me, sc, now, "decided", outcome.as_str().into()));
    done(store.update_case(&u).await?, "decided")
}

async fn decide_concern(store: &dyn Store, me: &StaffMember, sc: &StaffCase, f: &[(String, String)], now: DateTime<Utc>) -> ActResult {
    if sc.case.kind != CaseKind::AccessConcern || !sc.case.status.is_open() {
        return Ok(Ok(Done::Stale));
    }
    let mut errors = Vec::new();
    let outcome = match one(f, "outcome") {
        "explained" => Some((CaseStatus::Explained, "We looked into it: the access was part of your care")),
        "investigated" => Some((CaseStatus::Investigated, "We investigated and found the access was proper")),
        "upheld" => Some((CaseStatus::Upheld, "We upheld your concern and have acted on it")),
        _ => {
            errors.push(("outcome".to_string(), "Choose what you found".to_string()));
            None
        }
    };
    let explanation = FreeText::parse(one(f, "explanation"), 2000).ok();
    if explanation.is_none() {
        errors.push(("explanation".into(), "Explain what you found, in up to 2,000 characters".into()));
    }
    let action_taken = one(f, "action").trim();
    if matches!(outcome, Some((CaseStatus::Upheld, _))) && action_taken.is_empty() {
        errors.push(("action".into(), "Say what has been done about it".into()));
    }
    let (Some((status, title)), Some(explanation), true) = (outcome, explanation, errors.is_empty()) else { return Ok(Err(errors)) };
    let mut reason = explanation.as_str().to_string();
    if !action_taken.is_empty() {
        reason.push_str(&format!("\n\nWhat we have done: {action_taken}"));
    }
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, "decided", true, "We looked into your concern.".into()));
    u.expect_status = vec![CaseStatus::Received, CaseStatus::InformationNeeded];
    u.status = Some(status);
    u.clock = Some((sc.case.clock.clone(), None));
    u.outcome = Some(CaseOutcome::Decision { status, reason_title: title.into(), reason, upheld_scope: None, decided_by: me.name.clone(), decided_at: now });
    u.message = message(&sc.case, "decided");
    u.action = Some(action(me, sc, now, "decided", status.as_str().into()));
    done(store.update_case(&u).await?, "decided")
}

/// Staff opening a patient's case is itself a look at their information: it goes into the
/// patient's access log as the portal team dealing with their request.
pub async fn log_view(store: &dyn Store, me: &StaffMember, sc: &StaffCase, now: DateTime<Utc>) -> StoreResult<()> {
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
        source_event_id: format!("portal-view-{}", super::forms::new_key()),
        nhs_number: sc.case.patient.nhs_number.expose().to_string(),
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
    };
    store.ingest_access_events(&[event], now).await.map(|_| ())
}

fn due_on(clock: &Clock, holidays: &crate::domain::BankHolidays) -> Option<chrono::NaiveDate> {
    match clock.due(holidays) {
        Due::On(d) => Some(d),
        Due::Stopped => None,
    }
}

async fn ask(store: &dyn Store, me: &StaffMember, sc: &StaffCase, f: &[(String, String)], now: DateTime<Utc>) -> ActResult {
    if sc.case.kind != CaseKind::AccessRequest || sc.case.status != CaseStatus::Received {
        return Ok(Ok(Done::Stale));
    }
    let mut errors = Vec::new();
    let what = match one(f, "need") {
        "identity" => Some("We need proof of your identity before we can answer your request."),
        "clarification" => Some("We need you to tell us more about what you want before we can answer your request."),
        _ => {
            errors.push(("need".to_string(), "Choose what you need from the patient".to_string()));
            None
        }
    };
    let detail = match FreeText::parse(one(f, "detail"), 1000) {
        Ok(t) => Some(t),
        Err(_) => {
            errors.push(("detail".into(), "Tell the patient what to send and how, in up to 1,000 characters".into()));
            None
        }
    };
    let (Some(what), Some(detail)) = (what, detail) else { return Ok(Err(errors)) };
    let today = uk_date(now);
    let mut clock = sc.case.clock.clone();
    clock.pauses.push((today, None));
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, "information_needed", true, format!("{what}\n\n{}", detail.as_str())));
    u.expect_status = vec![CaseStatus::Received];
    u.status = Some(CaseStatus::InformationNeeded);
    u.clock = Some((clock, None));
    u.message = message(&sc.case, "information_needed");
    u.action = Some(action(me, sc, now, "asked for information", one(f, "need").into()));
    done(store.update_case(&u).await?, "asked")
}

async fn information_received(store: &dyn Store, me: &StaffMember, sc: &StaffCase, now: DateTime<Utc>) -> ActResult {
    let today = uk_date(now);
    let mut clock = sc.case.clock.clone();
    if let Some(last) = clock.pauses.last_mut() {
        last.1 = Some(today);
    }
    let holidays = store.bank_holidays().await?;
    let due = due_on(&clock.to_clock(sc.case.received_on), &holidays);
    let due_text = due.map(|d| format!(" Your request is now due by {}.", d.format("%-d %B %Y"))).unwrap_or_default();
    let text = format!("We received what we asked you for, so the time we have to answer started again.{due_text}");
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, "information_received", true, text));
    u.expect_status = vec![CaseStatus::InformationNeeded];
    u.status = Some(CaseStatus::Received);
    u.clock = Some((clock, due));
    u.action = Some(action(me, sc, now, "information received", String::new()));
    done(store.update_case(&u).await?, "resumed")
}

async fn extend(store: &dyn Store, me: &StaffMember, sc: &StaffCase, f: &[(String, String)], now: DateTime<Utc>) -> ActResult {
    if sc.case.kind != CaseKind::AccessRequest || !sc.case.status.is_open() {
        return Ok(Ok(Done::Stale));
    }
    let months: u32 = match one(f, "months") {
        "1" => 1,
        "2" => 2,
        _ => return problem("months", "Choose how many months to extend by"),
    };
    let reason = one(f, "reason").trim();
    if crate::domain::count_characters(reason) > 1000 {
        return problem("reason", "The reason must be 1,000 characters or fewer");
    }
    let holidays = store.bank_holidays().await?;
    let mut clock = sc.case.clock.to_clock(sc.case.received_on);
    if let Err(e) = clock.extend(months, reason, uk_date(now), &holidays) {
        let field = match e {
            ExtensionError::NoReason => "reason",
            ExtensionError::TooLong | ExtensionError::TooLate(_) => "months",
        };
        return problem(field, e.to_string());
    }
    let mut stored = sc.case.clock.clone();
    stored.extension_months = clock.extension_months;
    stored.extension_reason = Some(reason.to_string());
    let due = due_on(&clock, &holidays);
    let due_text = due.map(|d| format!(" It is now due by {}.", d.format("%-d %B %Y"))).unwrap_or_default();
    let plural = if months == 1 { "month" } else { "months" };
    let text = format!("We need more time to answer your request, so we have extended it by {months} {plural}. The reason: {reason}{due_text}");
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, "extended", true, text));
    u.expect_status = vec![CaseStatus::Received, CaseStatus::InformationNeeded];
    u.clock = Some((stored, due));
    u.message = message(&sc.case, "extended");
    u.action = Some(action(me, sc, now, "extended", format!("{months} {plural}")));
    done(store.update_case(&u).await?, "extended")
}

async fn fulfil(store: &dyn Store, me: &StaffMember, sc: &StaffCase, note: &str, download_days: i64, now: DateTime<Utc>) -> ActResult {
    let CaseDetails::AccessRequest(asked) = &sc.case.details else { return Ok(Ok(Done::Stale)) };
    if sc.case.status != CaseStatus::Received {
        return problem("fulfil", "A request can be fulfilled once you have everything you asked the patient for");
    }
    let mut cases = Vec::new();
    for c in store.cases_for_patient(&sc.case.patient.subject).await? {
        if c.area_id == sc.area.id {
            let events = store.case_events(c.id).await?;
            cases.push((c, events));
        }
    }
    let mut documents = Vec::new();
    for d in store.documents(sc.case.id).await?.into_iter().filter(|d| d.role == "evidence") {
        if let Some(doc) = store.document(sc.case.id, d.id).await? {
            documents.push(doc);
        }
    }
    let contents = ResponseContents { area_name: &sc.area.name, request: &sc.case, asked, cases, documents, compiled_at: now };
    let bytes = contents.zip().map_err(|e| StoreError::Database(format!("could not build the response: {e}")))?;
    let document_id = store
        .add_document(
            &NewDocument {
                case_id: sc.case.id,
                role: "response".into(),
                file_name: format!("{}.zip", sc.case.reference),
                content_type: "application/zip".into(),
                content: bytes,
                added_by: me.subject.clone(),
                at: now,
            },
            &staff_event(me, now, "response_compiled", false, "Response compiled.".into()),
            None,
        )
        .await?;
    let available_until = (asked.delivery == Delivery::Download).then(|| now + chrono::Duration::days(download_days));
    let text = match available_until {
        Some(until) => format!("Your information is ready. You can download it until {}.", uk_date(until).format("%-d %B %Y")),
        None => "Your information is ready. We are sending it to you by post.".to_string(),
    };
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, "fulfilled", true, text));
    u.expect_status = vec![CaseStatus::Received];
    u.status = Some(CaseStatus::Fulfilled);
    u.clock = Some((sc.case.clock.clone(), sc.case.due_on));
    u.outcome = Some(CaseOutcome::Response {
        delivery: asked.delivery,
        document_id: Some(document_id),
        available_until,
        note: note.trim().to_string(),
        sent_by: me.name.clone(),
        sent_at: now,
    });
    u.message = message(&sc.case, "fulfilled");
    u.action = Some(action(me, sc, now, "fulfilled", format!("document {document_id}")));
    done(store.update_case(&u).await?, "fulfilled")
}

async fn effect_applied(store: &dyn Store, me: &StaffMember, sc: &StaffCase, ods: &str, now: DateTime<Utc>) -> ActResult {
    let effects = store.effects(sc.case.id).await?;
    let Some(effect) = effects.iter().find(|e| e.ods_code == ods) else { return problem("ods", "Choose an organisation") };
    let event = staff_event(me, now, "effect_applied", true, format!("{} has stopped sharing your information as we decided.", effect.name));
    let a = action(me, sc, now, "effect applied", ods.to_string());
    done(store.mark_effect_applied(sc.case.id, ods, &event, &a).await?, "applied")
}

/// `POST /cases/{reference}/documents`: a case worker adds a document (multipart form).
async fn upload(
    State(services): State<Services>,
    Extension(session): Extension<CurrentSession>,
    Path(reference): Path<String>,
    mut form: Multipart,
) -> Response {
    let store = &*services.store;
    let (me, sc) = match worker_case(store, &session, &reference).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let back = format!("/cases/{}", sc.case.reference);
    let mut file: Option<(String, String, Vec<u8>)> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("document") => {
                let name = field.file_name().unwrap_or_default().to_string();
                let kind = field.content_type().unwrap_or("application/octet-stream").to_string();
                match field.bytes().await {
                    Ok(b) => file = Some((name, kind, b.to_vec())),
                    Err(_) => return Redirect::to(&format!("{back}?done=too-big")).into_response(),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return Redirect::to(&format!("{back}?done=too-big")).into_response(),
        }
    }
    let Some((name, kind, bytes)) = file.filter(|(n, _, b)| !n.trim().is_empty() && !b.is_empty()) else {
        return Redirect::to(&format!("{back}?done=no-file")).into_response();
    };
    let now = Utc::now();
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    let doc = NewDocument { case_id: sc.case.id, role: "evidence".into(), file_name: name, content_type: kind, content: bytes, added_by: me.subject.clone(), at: now };
    let event = staff_event(me, now, "document_added", false, format!("Document added: {}", doc.file_name));
    match store.add_document(&doc, &event, Some(&action(me, &sc, now, "document added", String::new()))).await {
        Ok(_) => Redirect::to(&format!("{back}?done=uploaded")).into_response(),
        Err(e) => trouble(e),
    }
}

/// `GET /cases/{reference}/documents/{id}`: a case worker opens a document; recorded.
async fn staff_download(
    State(services): State<Services>,
    Extension(session): Extension<CurrentSession>,
    Path((reference, id)): Path<(String, i64)>,
) -> Response {
    let store = &*services.store;
    let (me, sc) = match worker_case(store, &session, &reference).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    match store.document(sc.case.id, id).await {
        Ok(Some((meta, bytes))) => {
            let now = Utc::now();
            if let Err(e) = store.record_staff_action(&action(me, &sc, now, "document opened", format!("document {id}"))).await {
                return trouble(e);
            }
            attachment(&meta.file_name, &meta.content_type, bytes)
        }
        Ok(None) => not_found(),
        Err(e) => trouble(e),
    }
}

/// A file sent as a download, never shown inline (so nothing in it can run as our page).
pub fn attachment(file_name: &str, content_type: &str, bytes: Vec<u8>) -> Response {
    let safe: String = file_name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    if let Ok(v) = http::HeaderValue::from_str(content_type) {
        h.insert(http::header::CONTENT_TYPE, v);
    }
    if let Ok(v) = http::HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        h.insert(http::header::CONTENT_DISPOSITION, v);
    }
    h.insert(http::header::CACHE_CONTROL, http::HeaderValue::from_static("no-store"));
    res
}

/// The areas whose decision templates this person edits: those where they are IG lead.
pub async fn template_areas(store: &dyn Store, me: &StaffMember) -> StoreResult<Vec<Area>> {
    let mine = me.areas_with(crate::domain::Role::IgLead);
    Ok(store.list_areas().await?.into_iter().filter(|a| mine.contains(&a.slug.to_string())).collect())
}

pub const TEMPLATES_DRAFT: &str = "templates";

/// `POST /cases/templates/add`: an IG lead adds a reason for one of their areas.
async fn add_template(State(services): State<Services>, Extension(session): Extension<CurrentSession>, body: Bytes) -> Response {
    let Some(SignedIn::Staff(me)) = &session.0 else { return Redirect::to("/sign-in").into_response() };
    let store = &*services.store;
    let areas = match template_areas(store, me).await {
        Ok(a) if !a.is_empty() => a,
        Ok(_) => return (http::StatusCode::FORBIDDEN, "Only an information governance lead can change decision templates.").into_response(),
        Err(e) => return trouble(e),
    };
    let f = fields(&body);
    let mut errors: FieldErrors = Vec::new();
    let area = areas.iter().find(|a| a.slug.as_str() == one(&f, "area"));
    if area.is_none() {
        errors.push(("area".into(), "Choose one of your areas".into()));
    }
    let outcome = CaseStatus::parse(one(&f, "outcome")).filter(|o| matches!(o, CaseStatus::Upheld | CaseStatus::PartlyUpheld | CaseStatus::Declined));
    if outcome.is_none() {
        errors.push(("outcome".into(), "Choose which decision this reason is for".into()));
    }
    let title = one(&f, "title").trim();
    if title.is_empty() || title.chars().count() > 120 {
        errors.push(("title".into(), "Enter a short name for the reason, up to 120 characters".into()));
    }
    let text = one(&f, "body").trim();
    if text.is_empty() || crate::domain::count_characters(text) > 2000 {
        errors.push(("body".into(), "Enter the words the patient will read, up to 2,000 characters".into()));
    }
    let (Some(area), Some(outcome), true) = (area, outcome, errors.is_empty()) else {
        let draft = Draft {
            key: staff_draft_key(&me.subject, 0, TEMPLATES_DRAFT),
            owner_subject: me.subject.clone(),
            form: TEMPLATES_DRAFT.into(),
            answers: serde_json::to_value(&f).unwrap_or_default(),
            errors,
            updated_at: Utc::now(),
        };
        return match store.save_draft(&draft).await {
            Ok(()) => Redirect::to("/cases/templates?form=add").into_response(),
            Err(e) => trouble(e),
        };
    };
    match store.add_decision_template(area.id, outcome, title, text).await {
        Ok(t) => {
            let _ = store
                .record_staff_action(&StaffAction { at: Utc::now(), actor_subject: me.subject.clone(), area_id: area.id, case_id: None, action: "template added".into(), detail: format!("template {}", t.id) })
                .await;
            Redirect::to("/cases/templates?done=added").into_response()
        }
        Err(e) => trouble(e),
    }
}

/// `POST /cases/templates/remove`.
async fn remove_template(State(services): State<Services>, Extension(session): Extension<CurrentSession>, body: Bytes) -> Response {
    let Some(SignedIn::Staff(me)) = &session.0 else { return Redirect::to("/sign-in").into_response() };
    let store = &*services.store;
    let f = fields(&body);
    let areas = match template_areas(store, me).await {
        Ok(a) => a,
        Err(e) => return trouble(e),
    };
    let (Some(area), Ok(id)) = (areas.iter().find(|a| a.slug.as_str() == one(&f, "area")), one(&f, "id").parse::<i64>()) else {
        return (http::StatusCode::FORBIDDEN, "Only an information governance lead of that area can change its templates.").into_response();
    };
    match store.remove_decision_template(area.id, id).await {
        Ok(_) => {
            let _ = store
                .record_staff_action(&StaffAction { at: Utc::now(), actor_subject: me.subject.clone(), area_id: area.id, case_id: None, action: "template removed".into(), detail: format!("template {id}") })
                .await;
            Redirect::to("/cases/templates?done=removed").into_response()
        }
        Err(e) => trouble(e),
    }
}
