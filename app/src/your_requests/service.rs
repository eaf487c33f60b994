//! A patient's cases: opening one from their checked answers, withdrawing it, and what they
//! may see of it. Server functions and form handlers authorise the caller and parse the input;
//! these do the one thing asked.

use crate::domain::people::Patient;
use crate::domain::{uk_date, CaseEventKind, CaseKind, MessageTemplate, CaseReference, CaseStatus, Clock, Contact, Due};
use super::api::RequestSummary;
use crate::server::store::*;
use chrono::{DateTime, Utc};

fn random_reference(kind: CaseKind) -> CaseReference {
    use rand::RngCore;
    let mut bytes = [0u8; 5];
    rand::rng().fill_bytes(&mut bytes);
    CaseReference::from_random(kind, bytes)
}

fn received_text(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Objection => "We received your objection.",
        CaseKind::AccessRequest => "We received your request for your information.",
        CaseKind::AccessConcern => "We received your concern about who looked at your record.",
        CaseKind::Complaint => "We received your complaint.",
    }
}

/// Opens a case from the patient's checked answers. Idempotent on `key`: the same form posted
/// twice returns the first case. Returns the case and whether this call made it.
pub async fn open(
    store: &dyn Store,
    patient: &Patient,
    area: &Area,
    details: CaseDetails,
    contact: Contact,
    key: &str,
    now: DateTime<Utc>,
) -> StoreResult<(CaseRecord, bool)> {
    if let Some(existing) = store.case_by_idempotency_key(&patient.subject, key).await? {
        return Ok((existing, false));
    }
    let kind = match details {
        CaseDetails::Objection(_) => CaseKind::Objection,
        CaseDetails::AccessRequest(_) => CaseKind::AccessRequest,
        CaseDetails::AccessConcern(_) => CaseKind::AccessConcern,
        CaseDetails::Complaint(_) => CaseKind::Complaint,
    };
    let received_on = uk_date(now);
    let holidays = store.bank_holidays().await?;
    // Objections and requests: one calendar month (UK GDPR). Concerns: the area's working days.
    // Complaints: acknowledged within 30 calendar days, then by the date the IG lead gives.
    let due_on = match kind {
        CaseKind::AccessConcern => Some(holidays.add_working_days(received_on, area.concern_working_days.clamp(1, 250) as u32)),
        CaseKind::Complaint => Some(crate::domain::complaint::acknowledge_by(received_on)),
        _ => match Clock::new(received_on).due(&holidays) {
            Due::On(d) => Some(d),
            Due::Stopped => None,
        },
    };
    let patient_record = CasePatient {
        subject: patient.subject.clone(),
        nhs_number: patient.nhs_number.clone(),
        name: format!("{} {}", patient.given_name, patient.family_name),
        birth_date: patient.birth_date.clone(),
    };
    // 40 random bits make a clash unlikely; when one happens, draw again.
    let mut attempts = 0;
    loop {
        let reference = random_reference(kind);
        let case = NewCase {
            reference: reference.clone(),
            area_id: area.id,
            kind,
            patient: patient_record.clone(),
            details: details.clone(),
            contact: contact.clone(),
            received_on,
            due_on,
            idempotency_key: key.to_string(),
            at: now,
            event: CaseEvent {
                at: now,
                actor: Actor::Patient,
                actor_subject: Some(patient.subject.clone()),
                actor_name: None,
                kind: CaseEventKind::Received,
                public: true,
                text: received_text(kind).into(),
            },
            message: Some(NewMessage { contact: contact.clone(), template: MessageTemplate::Received, reference }),
        };
        match store.open_case(&case).await {
            Err(StoreError::Conflict) if attempts < 5 => attempts += 1,
            other => {
                if let Ok((c, true)) = &other {
                    tracing::info!(case = c.id, kind = kind.as_str(), area = area.id, "case opened");
                }
                return other;
            }
        }
    }
}

/// The case, if it is this patient's. Anyone else's reference is "not found", never "forbidden",
/// so references cannot be probed.
pub async fn patients_case(store: &dyn Store, patient: &Patient, reference: &str) -> StoreResult<Option<CaseRecord>> {
    let Some(reference) = CaseReference::parse(reference) else { return Ok(None) };
    Ok(store.case_by_reference(&reference).await?.filter(|c| c.patient.subject == patient.subject))
}

/// The patient withdraws an undecided case. `false` when it was already decided or withdrawn.
pub async fn withdraw(store: &dyn Store, patient: &Patient, case: &CaseRecord, now: DateTime<Utc>) -> StoreResult<bool> {
    if case.patient.subject != patient.subject || !case.status.can_become(CaseStatus::Withdrawn, case.kind) {
        return Ok(false);
    }
    let what = case.kind.noun();
    let mut update = CaseUpdate::on(
        case,
        CaseEvent {
            at: now,
            actor: Actor::Patient,
            actor_subject: Some(patient.subject.clone()),
            actor_name: None,
            kind: CaseEventKind::Withdrawn,
            public: true,
            text: format!("You withdrew this {what}."),
        },
    );
    update.expect_status = CaseStatus::OPEN.to_vec();
    update.status = Some(CaseStatus::Withdrawn);
    update.clock = Some((case.clock.clone(), None));
    let changed = store.update_case(&update).await?;
    if changed {
        tracing::info!(case = case.id, "case withdrawn by the patient");
    }
    Ok(changed)
}

/// A day as the patient reads it: "24 December 2026".
pub fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

pub fn summary(c: &CaseRecord) -> RequestSummary {
    let due = if c.status.is_open() {
        Some(match (c.kind, c.status, c.due_on) {
            (_, CaseStatus::InformationNeeded, _) | (_, _, None) => "Paused until we hear from you".to_string(),
            (CaseKind::Complaint, CaseStatus::Received, Some(d)) => format!("We will acknowledge it by {}", long_date(d)),
            (CaseKind::Complaint, _, Some(d)) => format!("We will answer by {}", long_date(d)),
            (_, _, Some(d)) => format!("Due by {}", long_date(d)),
        })
    } else {
        None
    };
    RequestSummary {
        reference: c.reference.to_string(),
        kind: c.kind.label().to_string(),
        status: c.status.label().to_string(),
        tag_class: c.status.tag_class().to_string(),
        received: long_date(c.received_on),
        due,
    }
}

pub fn asked(c: &CaseRecord) -> Vec<(String, Vec<String>)> {
    let mut rows: Vec<(String, Vec<String>)> = match &c.details {
        CaseDetails::Objection(o) => vec![
            ("What it is about".into(), vec![o.scope.describe()]),
            ("Your reason".into(), vec![o.reason.as_str().to_string()]),
        ],
        CaseDetails::AccessConcern(concern) => vec![
            ("The access".into(), vec![concern.summary.clone()]),
            ("What you told us".into(), vec![concern.words.as_str().to_string()]),
        ],
        CaseDetails::Complaint(complaint) => vec![
            (
                "What it is about".into(),
                vec![complaint.about.as_ref().map(|r| format!("{} {r}", r.kind().label())).unwrap_or_else(|| "Something else".to_string())],
            ),
            ("What you are unhappy about".into(), vec![complaint.wrong.as_str().to_string()]),
            ("What you would like to happen".into(), vec![complaint.wanted.as_str().to_string()]),
        ],
        CaseDetails::AccessRequest(r) => vec![
            ("What you asked for".into(), r.describe_info().into_iter().map(String::from).collect()),
            ("Dates".into(), vec![r.describe_dates()]),
            ("How you will receive it".into(), vec![r.delivery.label().to_string()]),
        ],
    };
    rows.push(("Updates".into(), vec![c.contact.describe()]));
    rows
}
