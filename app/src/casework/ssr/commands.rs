//! Applying a staff command to a case: each builds the guarded update (its new status, clock,
//! assignee or outcome; the timeline line; the patient's message; the staff action) and the
//! store applies it only if the case is still as the worker saw it.

use super::{action, complaints, decisions, done, message, problem, respond, staff_event, Done, StaffCase};
use crate::domain::casework::CaseCommand;
use crate::domain::people::StaffMember;
use crate::domain::{uk_date, BankHolidays, CaseEventKind, CaseStatus, Clock, Due, ExtensionError, MessageTemplate};
use crate::server::*;
use chrono::{DateTime, NaiveDate, Utc};

/// Applies a command the domain has already allowed.
pub(super) async fn apply(store: &dyn Store, me: &StaffMember, sc: &StaffCase, command: CaseCommand, download_days: i64, now: DateTime<Utc>) -> StoreResult<Done> {
    match command {
        CaseCommand::Claim => claim(store, me, sc, now).await,
        CaseCommand::Release => release(store, me, sc, now).await,
        CaseCommand::Assign { to } => assign(store, me, sc, &to, now).await,
        CaseCommand::Note { text } => note(store, me, sc, text.as_str(), now).await,
        CaseCommand::Decide(decision) => decisions::decide(store, me, sc, decision, now).await,
        CaseCommand::DecideConcern { finding, explanation, action_taken } => {
            decisions::decide_concern(store, me, sc, finding, explanation.as_str(), &action_taken, now).await
        }
        CaseCommand::Ask { need, detail } => ask(store, me, sc, need, detail.as_str(), now).await,
        CaseCommand::RecordReceived => information_received(store, me, sc, now).await,
        CaseCommand::Extend { months, reason } => extend(store, me, sc, months, &reason, now).await,
        CaseCommand::Fulfil { note } => respond::fulfil(store, me, sc, &note, download_days, now).await,
        CaseCommand::RecordEffect { ods } => effect_applied(store, me, sc, &ods, now).await,
        CaseCommand::Acknowledge { answer_by, words } => complaints::acknowledge(store, me, sc, &answer_by, &words, now).await,
        CaseCommand::UpdateComplainant { text } => complaints::update(store, me, sc, text.as_str(), now).await,
        CaseCommand::DecideComplaint { outcome, explanation, action_taken } => {
            complaints::answer(store, me, sc, outcome, explanation.as_str(), &action_taken, now).await
        }
        CaseCommand::Reopen => complaints::reopen(store, me, sc, now).await,
        CaseCommand::Withhold(fields) => respond::withhold(store, me, sc, &fields, now).await,
    }
}

async fn claim(store: &dyn Store, me: &StaffMember, sc: &StaffCase, now: DateTime<Utc>) -> StoreResult<Done> {
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::Claimed, false, format!("Claimed by {}.", me.name)));
    u.expect_assignee = Some(None);
    u.assignee = Some(Some(me.subject.clone()));
    u.action = Some(action(me, sc, now, "claimed", String::new()));
    Ok(done(store.update_case(&u).await?, "claimed"))
}

async fn release(store: &dyn Store, me: &StaffMember, sc: &StaffCase, now: DateTime<Utc>) -> StoreResult<Done> {
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::Released, false, format!("Released by {}.", me.name)));
    u.expect_assignee = Some(Some(me.subject.clone()));
    u.assignee = Some(None);
    u.action = Some(action(me, sc, now, "released", String::new()));
    Ok(done(store.update_case(&u).await?, "released"))
}

async fn assign(store: &dyn Store, me: &StaffMember, sc: &StaffCase, to: &str, now: DateTime<Utc>) -> StoreResult<Done> {
    let Some((subject, name)) = super::assignable(store, sc).await?.into_iter().find(|(s, _)| s == to) else {
        return Ok(problem("to", "Choose a colleague who may work this case"));
    };
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::Assigned, false, format!("Assigned to {name} by {}.", me.name)));
    u.assignee = Some(Some(subject.clone()));
    u.action = Some(action(me, sc, now, "assigned", format!("to {subject}")));
    Ok(done(store.update_case(&u).await?, "assigned"))
}

async fn note(store: &dyn Store, me: &StaffMember, sc: &StaffCase, text: &str, now: DateTime<Utc>) -> StoreResult<Done> {
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::Note, false, text.to_string()));
    // A note can be added whatever the status, closed cases included.
    u.expect_status = CaseStatus::ALL.to_vec();
    u.action = Some(action(me, sc, now, "noted", String::new()));
    Ok(done(store.update_case(&u).await?, "noted"))
}

pub(super) fn due_on(clock: &Clock, holidays: &BankHolidays) -> Option<NaiveDate> {
    match clock.due(holidays) {
        Due::On(d) => Some(d),
        Due::Stopped => None,
    }
}

async fn ask(
    store: &dyn Store,
    me: &StaffMember,
    sc: &StaffCase,
    need: crate::domain::casework::InformationNeed,
    detail: &str,
    now: DateTime<Utc>,
) -> StoreResult<Done> {
    let mut clock = sc.case.clock.clone();
    clock.pauses.push((uk_date(now), None));
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::InformationNeeded, true, format!("{}\n\n{detail}", need.text())));
    u.expect_status = vec![CaseStatus::Received];
    u.status = Some(CaseStatus::InformationNeeded);
    u.clock = Some((clock, None));
    u.message = message(&sc.case, MessageTemplate::InformationNeeded);
    u.action = Some(action(me, sc, now, "asked for information", need.as_str().into()));
    Ok(done(store.update_case(&u).await?, "asked"))
}

async fn information_received(store: &dyn Store, me: &StaffMember, sc: &StaffCase, now: DateTime<Utc>) -> StoreResult<Done> {
    let mut clock = sc.case.clock.clone();
    if let Some(last) = clock.pauses.last_mut() {
        last.1 = Some(uk_date(now));
    }
    let holidays = store.bank_holidays().await?;
    let due = due_on(&clock.to_clock(sc.case.received_on), &holidays);
    let due_text = due.map(|d| format!(" Your request is now due by {}.", d.format("%-d %B %Y"))).unwrap_or_default();
    let text = format!("We received what we asked you for, so the time we have to answer started again.{due_text}");
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::InformationReceived, true, text));
    u.expect_status = vec![CaseStatus::InformationNeeded];
    u.status = Some(CaseStatus::Received);
    u.clock = Some((clock, due));
    u.action = Some(action(me, sc, now, "information received", String::new()));
    Ok(done(store.update_case(&u).await?, "resumed"))
}

async fn extend(store: &dyn Store, me: &StaffMember, sc: &StaffCase, months: u32, reason: &str, now: DateTime<Utc>) -> StoreResult<Done> {
    let holidays = store.bank_holidays().await?;
    let mut clock = sc.case.clock.to_clock(sc.case.received_on);
    if let Err(e) = clock.extend(months, reason, uk_date(now), &holidays) {
        let field = match e {
            ExtensionError::NoReason => "reason",
            ExtensionError::TooLong | ExtensionError::TooLate(_) => "months",
        };
        return Ok(problem(field, e.to_string()));
    }
    let mut stored = sc.case.clock.clone();
    stored.extension_months = clock.extension_months;
    stored.extension_reason = Some(reason.to_string());
    let due = due_on(&clock, &holidays);
    let due_text = due.map(|d| format!(" It is now due by {}.", d.format("%-d %B %Y"))).unwrap_or_default();
    let plural = if months == 1 { "month" } else { "months" };
    let text = format!("We need more time to answer your request, so we have extended it by {months} {plural}. The reason: {reason}{due_text}");
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::Extended, true, text));
    u.expect_status = vec![CaseStatus::Received, CaseStatus::InformationNeeded];
    u.clock = Some((stored, due));
    u.message = message(&sc.case, MessageTemplate::Extended);
    u.action = Some(action(me, sc, now, "extended", format!("{months} {plural}")));
    Ok(done(store.update_case(&u).await?, "extended"))
}

async fn effect_applied(store: &dyn Store, me: &StaffMember, sc: &StaffCase, ods: &str, now: DateTime<Utc>) -> StoreResult<Done> {
    let effects = store.effects(sc.case.id).await?;
    let Some(effect) = effects.iter().find(|e| e.ods_code == ods) else { return Ok(problem("ods", "Choose an organisation")) };
    let event = staff_event(me, now, CaseEventKind::EffectApplied, true, format!("{} has stopped sharing your information as we decided.", effect.name));
    let a = action(me, sc, now, "effect applied", ods.to_string());
    Ok(done(store.mark_effect_applied(sc.case.id, ods, &event, &a).await?, "applied"))
}
