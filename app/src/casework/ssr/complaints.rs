//! Working a complaint (the area's IG lead): acknowledging it with the date of the answer,
//! updating the patient, sending a declined objection back for a fresh decision by someone
//! else, and the outcome with the route to the Information Commissioner.

use super::{action, done, message, problem, staff_event, Done, StaffCase};
use crate::domain::complaint::{read_answer_by, ComplaintOutcome};
use crate::domain::people::StaffMember;
use crate::domain::{uk_date, CaseEventKind, CaseStatus, Clock, MessageTemplate};
use crate::server::*;
use chrono::{DateTime, Utc};

fn long(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

pub(super) async fn acknowledge(store: &dyn Store, me: &StaffMember, sc: &StaffCase, answer_by: &(String, String, String), words: &str, now: DateTime<Utc>) -> StoreResult<Done> {
    let answer_on = match read_answer_by(&answer_by.0, &answer_by.1, &answer_by.2, uk_date(now), sc.case.received_on) {
        Ok(d) => d,
        Err(why) => return Ok(problem("answer-by-day", why)),
    };
    let mut text = format!("We acknowledged your complaint. We will give you our answer by {}.", long(answer_on));
    if !words.is_empty() {
        text.push_str("\n\n");
        text.push_str(words);
    }
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::Acknowledged, true, text));
    u.expect_status = vec![CaseStatus::Received];
    u.status = Some(CaseStatus::Acknowledged);
    u.clock = Some((sc.case.clock.clone(), Some(answer_on)));
    u.message = message(&sc.case, MessageTemplate::Updated);
    u.action = Some(action(me, sc, now, "acknowledged", format!("answer by {answer_on}")));
    Ok(done(store.update_case(&u).await?, "acknowledged"))
}

pub(super) async fn update(store: &dyn Store, me: &StaffMember, sc: &StaffCase, text: &str, now: DateTime<Utc>) -> StoreResult<Done> {
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::Updated, true, text.to_string()));
    u.expect_status = vec![CaseStatus::Acknowledged];
    u.message = message(&sc.case, MessageTemplate::Updated);
    u.action = Some(action(me, sc, now, "updated the patient", String::new()));
    Ok(done(store.update_case(&u).await?, "updated"))
}

pub(super) async fn answer(store: &dyn Store, me: &StaffMember, sc: &StaffCase, outcome: ComplaintOutcome, explanation: &str, action_taken: &str, now: DateTime<Utc>) -> StoreResult<Done> {
    let status = outcome.status();
    let mut reason = explanation.to_string();
    // What is being done belongs with a complaint upheld, in whole or in part.
    if !action_taken.is_empty() && outcome != ComplaintOutcome::NotUpheld {
        reason.push_str(&format!("\n\nWhat we have done or will do: {action_taken}"));
    }
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::Decided, true, "We answered your complaint.".into()));
    u.expect_status = vec![CaseStatus::Received, CaseStatus::Acknowledged];
    u.status = Some(status);
    // The answer date stays, so the figures can say whether it was met.
    u.outcome = Some(CaseOutcome::Decision { status, reason_title: outcome.title().into(), reason, upheld_scope: None, decided_by: me.name.clone(), decided_at: now });
    u.message = message(&sc.case, MessageTemplate::Decided);
    u.action = Some(action(me, sc, now, "answered the complaint", status.as_str().into()));
    Ok(done(store.update_case(&u).await?, "answered"))
}

/// The declined objection the complaint challenges goes back to the queue for a fresh decision,
/// due one calendar month from today, which whoever decided it may not make.
pub(super) async fn reopen(store: &dyn Store, me: &StaffMember, sc: &StaffCase, now: DateTime<Utc>) -> StoreResult<Done> {
    let CaseDetails::Complaint(complaint) = &sc.case.details else { return Ok(Done::Stale) };
    let Some(about) = &complaint.about else { return Ok(Done::Stale) };
    let Some(objection) = store.case_by_reference(about).await? else { return Ok(Done::Stale) };
    if objection.area_id != sc.area.id || !objection.status.can_reopen(objection.kind) {
        return Ok(Done::Stale);
    }
    // Whoever decided it is barred from the fresh decision, with anyone barred before.
    let mut barred: Vec<String> = objection.barred_subject.as_deref().unwrap_or_default().lines().map(String::from).collect();
    let decided_by = store.case_events(objection.id).await?.into_iter().rev().find(|e| e.kind == CaseEventKind::Decided).and_then(|e| e.actor_subject);
    if let Some(who) = decided_by {
        if !barred.contains(&who) {
            barred.push(who);
        }
    }
    let deciders = super::colleagues(store, &sc.area).await?.into_iter().filter(|(s, _)| !barred.contains(s)).count();
    if deciders == 0 {
        return Ok(problem("reopen", "Nobody could make a fresh decision: everyone who works cases in this area has already decided this objection. Give the case worker role to someone else first, or answer the complaint."));
    }
    let holidays = store.bank_holidays().await?;
    let due = super::commands::due_on(&Clock::new(uk_date(now)), &holidays);
    let by = due.map(|d| format!(" It will be decided by {}.", long(d))).unwrap_or_default();
    let text = format!("After your complaint {}, we are looking at your objection again. A different member of staff will decide it.{by}", sc.case.reference);
    let mut u = CaseUpdate::on(&objection, staff_event(me, now, CaseEventKind::Reopened, true, text));
    u.expect_status = vec![CaseStatus::Declined];
    u.status = Some(CaseStatus::Received);
    u.clock = Some((StoredClock::default(), due));
    u.reopen_barring = Some(barred.join("\n"));
    u.message = message(&objection, MessageTemplate::Updated);
    u.action = Some(StaffAction { at: now, actor_subject: me.subject.clone(), area_id: sc.area.id, case_id: Some(objection.id), action: "reopened".into(), detail: format!("after complaint {}", sc.case.reference) });
    if !store.update_case(&u).await? {
        return Ok(Done::Stale);
    }
    tracing::info!(case = objection.id, complaint = sc.case.id, "objection reopened after a complaint");
    let line = format!("We sent the decision on your objection {} back to be decided again by a different member of staff.", objection.reference);
    let mut n = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::Reopened, true, line));
    n.expect_status = CaseStatus::OPEN.to_vec();
    n.action = Some(action(me, sc, now, "reopened the objection", objection.reference.to_string()));
    store.update_case(&n).await?;
    Ok(Done::Changed("reopened"))
}
