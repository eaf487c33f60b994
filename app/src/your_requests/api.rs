//! Your requests' data: every case the signed-in patient has made, and one in full. Only
//! ever the signed-in patient's own.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestSummary {
    pub reference: String,
    pub kind: String,
    pub status: String,
    pub tag_class: String,
    pub received: String,
    /// "Due by 24 December 2026", or why there is no date.
    pub due: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestDetail {
    pub summary: RequestSummary,
    pub asked: Vec<(String, Vec<String>)>,
    pub timeline: Vec<(String, String)>,
    pub can_withdraw: bool,
    pub is_objection: bool,
    /// What the patient calls it: "objection", "request", "concern", "complaint".
    pub noun: String,
    /// They can complain about it, or ask for it to be looked at again.
    pub can_complain: bool,
    /// A complaint with its answer: the next step is the Information Commissioner.
    pub complaint_answered: bool,
    /// An objection declined: the patient is told they can go to the ICO as well.
    pub declined: bool,
    /// A response that left information out: the grounds, in words (never what it was).
    pub withheld: Vec<String>,
    /// The decision's heading and reason, when there is one.
    pub decision: Option<(String, String)>,
    /// Each organisation an upheld objection applies to, and whether it has acted.
    pub effects: Vec<(String, bool)>,
    /// Where to download the response, and until when.
    pub download: Option<(String, String)>,
}

#[server(prefix = "/api", endpoint = "requests/list")]
pub async fn your_requests() -> Result<Option<Vec<RequestSummary>>, ServerFnError> {
    use crate::domain::people::SignedIn;
    let Some(SignedIn::Patient(p)) = crate::server::signed_in() else {
        crate::server::redirect("/sign-in");
        return Ok(None);
    };
    let store = crate::server::services()?.store;
    let cases = store.cases_for_patient(&p.subject).await.map_err(crate::server::internal)?;
    Ok(Some(cases.iter().map(super::service::summary).collect()))
}

#[server(prefix = "/api", endpoint = "requests/one")]
pub async fn your_request(reference: String) -> Result<Option<RequestDetail>, ServerFnError> {
    use crate::domain::CaseStatus;
    use crate::domain::people::SignedIn;
    let Some(SignedIn::Patient(p)) = crate::server::signed_in() else {
        crate::server::redirect("/sign-in");
        return Ok(None);
    };
    let store = crate::server::services()?.store;
    let Some(case) = super::service::patients_case(&*store, &p, &reference).await.map_err(crate::server::internal)? else {
        crate::ui::set_status(404);
        return Ok(None);
    };
    let events = store.case_events(case.id).await.map_err(crate::server::internal)?;
    let timeline = events
        .into_iter()
        .filter(|e| e.public)
        .map(|e| (super::service::long_date(crate::domain::uk_date(e.at)), e.text))
        .collect();
    let effects = store.effects(case.id).await.map_err(crate::server::internal)?.into_iter().map(|e| (e.name, e.applied_at.is_some())).collect();
    let now = chrono::Utc::now();
    let (decision, download) = match &case.outcome {
        Some(crate::server::CaseOutcome::Decision { reason_title, reason, .. }) => (Some((reason_title.clone(), reason.clone())), None),
        Some(crate::server::CaseOutcome::Response { available_until: Some(until), document_id: Some(_), .. }) if *until > now => (
            None,
            Some((format!("/your-requests/{}/download", case.reference), super::service::long_date(crate::domain::uk_date(*until)))),
        ),
        _ => (None, None),
    };
    let withheld = if case.kind == crate::domain::CaseKind::AccessRequest && case.status == CaseStatus::Fulfilled {
        let held = store.withholdings(case.id).await.map_err(crate::server::internal)?;
        crate::domain::withholding::grounds(held.iter().map(|w| w.exemption)).into_iter().map(|e| e.for_patient().to_string()).collect()
    } else {
        Vec::new()
    };
    Ok(Some(RequestDetail {
        summary: super::service::summary(&case),
        asked: super::service::asked(&case),
        timeline,
        can_withdraw: case.status.can_become(CaseStatus::Withdrawn, case.kind),
        is_objection: case.kind == crate::domain::CaseKind::Objection,
        noun: case.kind.noun().to_string(),
        // A decision or a response can be complained about; so can an objection declined.
        can_complain: case.kind != crate::domain::CaseKind::Complaint && !case.status.is_open() && case.status != CaseStatus::Withdrawn,
        declined: case.status == CaseStatus::Declined,
        withheld,
        complaint_answered: case.kind == crate::domain::CaseKind::Complaint && !case.status.is_open() && case.status != CaseStatus::Withdrawn,
        decision,
        effects,
        download,
    }))
}

