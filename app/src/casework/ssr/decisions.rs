//! Deciding an objection (from the area's reasons and the worker's own words, with what each
//! organisation must do) and a concern about access (by the area's IG lead).

use super::{action, done, message, staff_event, Done, StaffCase};
use crate::domain::casework::{ConcernFinding, ObjectionDecision};
use crate::domain::objection::ObjectionScope;
use crate::domain::people::StaffMember;
use crate::domain::{CaseEventKind, CaseStatus, MessageTemplate};
use crate::server::*;
use chrono::{DateTime, Utc};

/// What an upheld scope asks of each organisation: (ODS code, name, what to do).
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

pub(super) async fn decide(store: &dyn Store, me: &StaffMember, sc: &StaffCase, d: ObjectionDecision, now: DateTime<Utc>) -> StoreResult<Done> {
    let CaseDetails::Objection(objection) = &sc.case.details else { return Ok(Done::Stale) };
    let mut errors = Vec::new();
    let templates = store.decision_templates(sc.area.id).await?;
    let template = templates.iter().find(|t| Some(t.id) == d.template && t.outcome == d.outcome);
    if template.is_none() && templates.iter().any(|t| t.outcome == d.outcome) {
        errors.push((format!("template-{}", d.outcome.as_str()), "Choose the reason for this decision".into()));
    }
    if template.is_none() && d.own_words.is_empty() {
        errors.push(("reason".into(), "Explain the decision in your own words".into()));
    }
    let organisations = store.organisations(sc.area.id).await?;
    let upheld_scope = match d.outcome {
        CaseStatus::Upheld => Some(objection.scope.clone()),
        CaseStatus::PartlyUpheld => {
            let orgs: Vec<_> = organisations
                .iter()
                .filter(|o| d.organisations.iter().any(|c| c == o.ods_code.as_str()))
                .map(|o| (o.ods_code.clone(), o.name.clone()))
                .collect();
            match (orgs.is_empty(), d.categories.is_empty()) {
                (false, true) => Some(ObjectionScope::Organisations(orgs)),
                (true, false) => Some(ObjectionScope::Categories(d.categories.clone())),
                _ => {
                    errors.push(("organisations".into(), "Choose the organisations, or the kinds of information, the objection is upheld for (not both)".into()));
                    None
                }
            }
        }
        _ => None,
    };
    if !errors.is_empty() {
        return Ok(Done::Invalid(errors));
    }
    let (title, mut reason) = match template {
        Some(t) => (t.title.clone(), t.body.clone()),
        None => (d.outcome.label().to_string(), String::new()),
    };
    if !d.own_words.is_empty() {
        if !reason.is_empty() {
            reason.push_str("\n\n");
        }
        reason.push_str(&d.own_words);
    }
    let text = match d.outcome {
        CaseStatus::Upheld => "We upheld your objection.",
        CaseStatus::PartlyUpheld => "We upheld part of your objection.",
        _ => "We declined your objection.",
    };
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::Decided, true, text.into()));
    u.expect_status = vec![CaseStatus::Received, CaseStatus::InformationNeeded];
    u.status = Some(d.outcome);
    u.clock = Some((sc.case.clock.clone(), None));
    u.effects = upheld_scope.as_ref().map(|s| effects_of(s, &organisations)).unwrap_or_default();
    u.outcome = Some(CaseOutcome::Decision {
        status: d.outcome,
        reason_title: title,
        reason,
        upheld_scope,
        decided_by: me.name.clone(),
        decided_at: now,
    });
    u.message = message(&sc.case, MessageTemplate::Decided);
    u.action = Some(action(me, sc, now, "decided", d.outcome.as_str().into()));
    Ok(done(store.update_case(&u).await?, "decided"))
}

pub(super) async fn decide_concern(
    store: &dyn Store,
    me: &StaffMember,
    sc: &StaffCase,
    finding: ConcernFinding,
    explanation: &str,
    action_taken: &str,
    now: DateTime<Utc>,
) -> StoreResult<Done> {
    let status = finding.status();
    let mut reason = explanation.to_string();
    if !action_taken.is_empty() {
        reason.push_str(&format!("\n\nWhat we have done: {action_taken}"));
    }
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::Decided, true, "We looked into your concern.".into()));
    u.expect_status = vec![CaseStatus::Received, CaseStatus::InformationNeeded];
    u.status = Some(status);
    u.clock = Some((sc.case.clock.clone(), None));
    u.outcome = Some(CaseOutcome::Decision {
        status,
        reason_title: finding.title().into(),
        reason,
        upheld_scope: None,
        decided_by: me.name.clone(),
        decided_at: now,
    });
    u.message = message(&sc.case, MessageTemplate::Decided);
    u.action = Some(action(me, sc, now, "decided", status.as_str().into()));
    Ok(done(store.update_case(&u).await?, "decided"))
}
