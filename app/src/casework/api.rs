//! One case as a member of staff sees it: what the patient asked (for roles that may read it),
//! the timeline, messages, documents, and what this person may do now.

use leptos::prelude::*;
use crate::domain::casework::Offers;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimelineLine {
    pub when: String,
    pub who: String,
    pub text: String,
    pub public: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EffectLine {
    pub ods: String,
    pub name: String,
    pub detail: String,
    pub applied: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseView {
    pub reference: String,
    pub kind: String,
    pub kind_label: String,
    pub status_label: String,
    pub tag: String,
    pub area: String,
    pub received: String,
    pub due: String,
    pub patient_name: String,
    pub nhs_number: String,
    pub birth_date: String,
    pub contact: String,
    /// `None` for a role that sees demographics only.
    pub asked: Option<Vec<(String, Vec<String>)>>,
    pub timeline: Vec<TimelineLine>,
    pub messages: Vec<String>,
    pub assignee: String,
    pub colleagues: Vec<(String, String)>,
    pub templates: Vec<(String, String, String)>,
    pub organisations: Vec<(String, String)>,
    pub effects: Vec<EffectLine>,
    pub outcome: Option<(String, String)>,
    pub documents: Vec<(i64, String, String)>,
    /// What this person may do now, from the domain's rules.
    pub offers: Offers,
    pub draft_form: String,
    pub draft: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
    pub done: Option<String>,
    /// For a complaint: what the IG lead needs to work it.
    pub complaint: Option<ComplaintStaffView>,
    /// For a request: what could be withheld from the response (value, in words).
    pub withhold_items: Vec<(String, String)>,
    /// For a request: what has been withheld (what, ground, why and who).
    pub withheld: Vec<(String, String, String)>,
}

/// A complaint as the IG lead works it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ComplaintStaffView {
    /// The case it is about: (reference, where it stands), when it is about one.
    pub about: Option<(String, String)>,
    /// The answer date offered when acknowledging: (day, month, year).
    pub suggested: (String, String, String),
    /// The latest answer date allowed, in words.
    pub latest: String,
}

#[cfg(feature = "ssr")]
fn done_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "claimed" => "You claimed this case.",
        "released" => "You released this case.",
        "assigned" => "The case was assigned.",
        "noted" => "Your note was added.",
        "decided" => "The decision was recorded and the patient told there is an update.",
        "asked" => "The patient was asked for information. The clock has stopped.",
        "resumed" => "The clock has started again.",
        "extended" => "The request was extended and the patient told.",
        "fulfilled" => "The response was compiled and the patient told.",
        "applied" => "The organisation's action was recorded.",
        "uploaded" => "The document was added.",
        "no-file" => "Choose a file to add.",
        "bad-type" => "The file must be a PDF, a picture, plain text or an Office document.",
        "too-big" => "The file is too large. Documents can be up to 10 MB.",
        "stale" => "Someone else changed this case first. Check it and try again.",
        "acknowledged" => "The complaint was acknowledged and the patient told when to expect an answer.",
        "updated" => "The patient was sent your update.",
        "answered" => "The outcome was recorded and the patient told, with how to complain to the ICO.",
        "reopened" => "The objection was reopened for a fresh decision by a different case worker, and the patient told.",
        "withheld" => "It will be left out of the response. The patient will be told information was withheld, and on which grounds.",
        _ => return None,
    })
}

#[server(prefix = "/api", endpoint = "cases/one")]
pub async fn case_page(reference: String, form: Option<String>, done: Option<String>) -> Result<Option<CaseView>, ServerFnError> {
    use super::ssr as casework;
    use crate::domain::people::SignedIn;
    use crate::domain::{uk_date, CaseAccess};
    use crate::server::keys::staff_draft_key;
    use crate::server::{internal, redirect, services, signed_in, Actor, CaseOutcome, StaffAction};
    let Some(SignedIn::Staff(me)) = signed_in() else {
        redirect("/sign-in");
        return Ok(None);
    };
    let store = services()?.store;
    let Some(sc) = casework::case_for(&*store, &me, &reference).await.map_err(internal)? else {
        crate::ui::set_status(404);
        return Ok(None);
    };
    let now = chrono::Utc::now();
    // Every look at a case is on the record.
    store
        .record_staff_action(&StaffAction { at: now, actor_subject: me.subject.clone(), area_id: sc.area.id, case_id: Some(sc.case.id), action: "viewed".into(), detail: String::new() })
        .await
        .map_err(internal)?;
    casework::log_view(&*store, &me, &sc, now).await.map_err(internal)?;
    let c = &sc.case;
    let full = sc.access == CaseAccess::Full;
    let staff = store.list_staff().await.map_err(internal)?;
    let name_of = |s: &str| staff.iter().find(|p| p.subject == s).map(|p| p.name.clone()).unwrap_or_else(|| s.to_string());
    let events = store.case_events(c.id).await.map_err(internal)?;
    let timeline = events
        .into_iter()
        .filter(|e| full || e.public)
        .map(|e| TimelineLine {
            when: crate::domain::when::moment(e.at),
            who: match e.actor {
                Actor::Patient => "Patient".into(),
                Actor::System => "Portal".into(),
                Actor::Staff => e.actor_name.clone().unwrap_or_default(),
            },
            text: e.text,
            public: e.public,
        })
        .collect();
    let messages = store
        .messages_for_case(c.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|m| {
            // In plain words: how it went, what it said, and whether it got there.
            let how = match m.channel.as_str() {
                "email" => "Email",
                "text" => "Text message",
                _ => "Letter",
            };
            let state = if m.sent {
                "Sent.".to_string()
            } else if m.failed {
                format!("Not sent: it failed {} times, so check the patient's contact details.", m.attempts)
            } else {
                "Waiting to be sent.".to_string()
            };
            format!("{how}: \u{201c}{}\u{201d} {state}", m.template.patient_text())
        })
        .collect();
    let asked = full.then(|| crate::your_requests::service::asked(c));
    let templates = store
        .decision_templates(sc.area.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|t| (t.id.to_string(), t.outcome.as_str().to_string(), t.title))
        .collect();
    let organisations = store
        .organisations(sc.area.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|o| (o.ods_code.to_string(), o.name))
        .collect();
    let effects = store
        .effects(c.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|e| EffectLine { ods: e.ods_code, name: e.name, detail: e.detail, applied: e.applied_at.map(|a| uk_date(a).format("%-d %B %Y").to_string()) })
        .collect();
    let outcome = match &c.outcome {
        Some(CaseOutcome::Decision { reason_title, reason, decided_by, .. }) if full => Some((format!("{reason_title} (decided by {decided_by})"), reason.clone())),
        Some(CaseOutcome::Response { available_until, note, sent_by, .. }) if full => Some((
            format!("Response sent by {sent_by}"),
            match available_until {
                Some(u) => format!("Available to download until {}. {note}", uk_date(*u).format("%-d %B %Y")),
                None => format!("To be sent by post. {note}"),
            },
        )),
        _ => None,
    };
    let documents = if full {
        store
            .documents(c.id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|d| (d.id, d.file_name, if d.role == "response" { "Response sent to the patient".to_string() } else { format!("{} KB", (d.size + 1023) / 1024) }))
            .collect()
    } else {
        Vec::new()
    };
    let (draft_form, draft, errors) = match form.as_deref() {
        Some(f) if full => match store.draft(&staff_draft_key(&me.subject, c.id, f), &me.subject).await.map_err(internal)? {
            Some(d) => (f.to_string(), serde_json::from_value(d.answers).unwrap_or_default(), d.errors),
            None => (String::new(), Vec::new(), Vec::new()),
        },
        _ => (String::new(), Vec::new(), Vec::new()),
    };
    let open = c.status.is_open();
    let offers = sc.offers(&me);
    // A request: what the response could leave out, and what it already does.
    let (withhold_items, withheld) = if full && c.kind == crate::domain::CaseKind::AccessRequest {
        use crate::domain::withholding::WithheldItem;
        let records = store.withholdings(c.id).await.map_err(internal)?;
        let docs = store.documents(c.id).await.map_err(internal)?;
        let withheld = records
            .iter()
            .map(|w| (w.described.clone(), w.exemption.label().to_string(), format!("{} ({}, {})", w.note, name_of(&w.withheld_by), crate::domain::when::moment(w.withheld_at))))
            .collect();
        let mut items: Vec<(String, String)> = docs
            .iter()
            .filter(|d| d.role == "evidence" && !records.iter().any(|w| w.item == WithheldItem::Document(d.id)))
            .map(|d| (format!("document:{}", d.id), format!("Document: {}", d.file_name)))
            .collect();
        if offers.withhold {
            for e in casework::looks_in_scope(&*store, &sc, 200).await.map_err(internal)? {
                items.push((format!("access:{}", e.id), format!("Look: {}", casework::describe_look(&e, &sc.area))));
            }
        }
        items.push(("passage".into(), "A passage I took out of a document before adding it".into()));
        (items, withheld)
    } else {
        (Vec::new(), Vec::new())
    };
    let complaint = match &c.details {
        crate::server::CaseDetails::Complaint(complaint) if full => {
            let about = match &complaint.about {
                Some(r) => store.case_by_reference(r).await.map_err(internal)?.map(|a| (a.reference.to_string(), a.status.label().to_string())),
                None => None,
            };
            let holidays = store.bank_holidays().await.map_err(internal)?;
            let suggested = crate::domain::complaint::suggested_answer_by(c.received_on, &holidays).max(uk_date(now));
            use chrono::Datelike;
            Some(ComplaintStaffView {
                about,
                suggested: (suggested.day().to_string(), suggested.month().to_string(), suggested.year().to_string()),
                latest: crate::domain::complaint::latest_answer_by(c.received_on).format("%-d %B %Y").to_string(),
            })
        }
        _ => None,
    };
    Ok(Some(CaseView {
        reference: c.reference.to_string(),
        kind: c.kind.as_str().to_string(),
        kind_label: c.kind.label().to_string(),
        status_label: c.status.label().to_string(),
        tag: c.status.tag_class().to_string(),
        area: sc.area.name.clone(),
        received: c.received_on.format("%-d %B %Y").to_string(),
        due: match (open, c.due_on) {
            (false, _) => "Closed".into(),
            (true, Some(d)) => format!(
                "{}{}{}",
                match (c.kind, c.status) {
                    (crate::domain::CaseKind::Complaint, crate::domain::CaseStatus::Received) => "Acknowledge by ",
                    (crate::domain::CaseKind::Complaint, _) => "Answer by ",
                    _ => "",
                },
                d.format("%-d %B %Y"),
                if d < uk_date(now) { " (overdue)" } else { "" }
            ),
            (true, None) => "Clock stopped: waiting for the patient".into(),
        },
        patient_name: c.patient.name.clone(),
        nhs_number: c.patient.nhs_number.formatted(),
        birth_date: c.patient.birth_date.clone().unwrap_or_else(|| "Not known".into()),
        contact: c.contact.describe(),
        asked,
        timeline,
        messages,
        assignee: c.assignee.as_deref().map(name_of).unwrap_or_else(|| "Nobody".into()),
        colleagues: casework::assignable(&*store, &sc).await.map_err(internal)?,
        templates,
        organisations,
        effects,
        outcome,
        documents,
        offers,
        draft_form,
        draft,
        errors,
        done: done.as_deref().and_then(done_text).map(String::from),
        complaint,
        withhold_items,
        withheld,
    }))
}

