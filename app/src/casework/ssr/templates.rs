//! The reasons an area gives for its objection decisions: the starter set a new area gets,
//! and its IG lead adding and removing them.

use crate::domain::objection::FieldErrors;
use crate::domain::people::StaffMember;
use crate::domain::{CaseStatus, Role};
use crate::server::keys::staff_draft_key;
use crate::server::*;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use chrono::Utc;

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

/// Gives an area every starter reason it does not have (by title), so an area whose set was
/// cut short is completed, and one whose IG lead has edited it keeps their words.
pub async fn ensure_starter_templates(store: &dyn ObjectionDecisionStore, area_id: i64) -> StoreResult<()> {
    let have = store.decision_templates(area_id).await?;
    for (outcome, title, body) in STARTER_TEMPLATES {
        if !have.iter().any(|t| t.title == *title) {
            store.add_decision_template(area_id, *outcome, title, body).await?;
        }
    }
    Ok(())
}

/// The areas whose decision templates this person edits: those where they are IG lead.
pub async fn template_areas(store: &dyn AreaStore, me: &StaffMember) -> StoreResult<Vec<Area>> {
    let mine = me.areas_with(Role::IgLead);
    Ok(store.list_areas().await?.into_iter().filter(|a| mine.contains(&a.slug.to_string())).collect())
}

pub const TEMPLATES_DRAFT: &str = "templates";

const ONLY_IG_LEADS: &str = "Only an information governance lead of an area can change the reasons it gives for its decisions.";

/// `POST /cases/templates/add`: an IG lead adds a reason for one of their areas.
pub(super) async fn add(State(services): State<Services>, SignedInStaff(me): SignedInStaff, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let areas = template_areas(store, &me).await?;
    if areas.is_empty() {
        return Err(HandlerError::Forbidden(ONLY_IG_LEADS));
    }
    let mut errors: FieldErrors = Vec::new();
    let area = areas.iter().find(|a| a.slug.as_str() == f.one("area"));
    if area.is_none() {
        errors.push(("area".into(), "Choose one of your areas".into()));
    }
    let outcome = CaseStatus::parse(f.one("outcome")).filter(|o| matches!(o, CaseStatus::Upheld | CaseStatus::PartlyUpheld | CaseStatus::Declined));
    if outcome.is_none() {
        errors.push(("outcome".into(), "Choose which decision this reason is for".into()));
    }
    let title = f.one("title").trim();
    if title.is_empty() || title.chars().count() > 120 {
        errors.push(("title".into(), "Enter a short name for the reason, up to 120 characters".into()));
    }
    let text = f.one("body").trim();
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
        store.save_draft(&draft).await?;
        return Ok(Redirect::to("/cases/templates?form=add").into_response());
    };
    let t = store.add_decision_template(area.id, outcome, title, text).await?;
    store
        .record_staff_action(&StaffAction { at: Utc::now(), actor_subject: me.subject.clone(), area_id: area.id, case_id: None, action: "template added".into(), detail: format!("template {}", t.id) })
        .await?;
    Ok(Redirect::to("/cases/templates?done=added").into_response())
}

/// `POST /cases/templates/remove`.
pub(super) async fn remove(State(services): State<Services>, SignedInStaff(me): SignedInStaff, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let areas = template_areas(store, &me).await?;
    let (Some(area), Ok(id)) = (areas.iter().find(|a| a.slug.as_str() == f.one("area")), f.one("id").parse::<i64>()) else {
        return Err(HandlerError::Forbidden("Only an information governance lead of that area can change its templates."));
    };
    if let Some(asking) = crate::server::ask_first(&f, "/cases/templates/remove", || crate::server::Ask {
        question: "Remove this reason from the area\u{2019}s templates?".into(),
        detail: "Case workers will no longer be offered it. Decisions already sent keep their words.".into(),
        yes: "Yes, remove it",
        back: "/cases/templates".into(),
    }) {
        return Ok(asking);
    }
    store.remove_decision_template(area.id, id).await?;
    store
        .record_staff_action(&StaffAction { at: Utc::now(), actor_subject: me.subject.clone(), area_id: area.id, case_id: None, action: "template removed".into(), detail: format!("template {id}") })
        .await?;
    Ok(Redirect::to("/cases/templates?done=removed").into_response())
}
