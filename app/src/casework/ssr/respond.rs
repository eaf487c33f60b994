//! Answering a request for a copy: the response is compiled from what the portal holds about
//! the patient, and the documents the case worker added, into one ZIP the patient downloads
//! (or that is posted to them).

use super::bundle::ResponseContents;
use super::{action, done, message, staff_event, Done, StaffCase};
use crate::domain::access_request::Delivery;
use crate::domain::people::StaffMember;
use crate::domain::{uk_date, CaseEventKind, CaseStatus, MessageTemplate};
use crate::server::*;
use chrono::{DateTime, Utc};

pub(super) async fn fulfil(store: &dyn Store, me: &StaffMember, sc: &StaffCase, note: &str, download_days: i64, now: DateTime<Utc>) -> StoreResult<Done> {
    let CaseDetails::AccessRequest(asked) = &sc.case.details else { return Ok(Done::Stale) };
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
    // Every access event the portal holds about the patient; the dates asked for are applied
    // when the response is drawn.
    let access_events = store
        .access_events(&AccessQuery {
            nhs_number: sc.case.patient.nhs_number.clone(),
            from: None,
            to: None,
            org_ods: None,
            include_automated: true,
            before: None,
            limit: 1_000_000,
        })
        .await?;
    let contents = ResponseContents { area_name: &sc.area.name, request: &sc.case, asked, cases, documents, access_events, area: &sc.area, compiled_at: now };
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
            &staff_event(me, now, CaseEventKind::ResponseCompiled, false, "Response compiled.".into()),
            None,
        )
        .await?;
    let available_until = (asked.delivery == Delivery::Download).then(|| now + chrono::Duration::days(download_days));
    let text = match available_until {
        Some(until) => format!("Your information is ready. You can download it until {}.", uk_date(until).format("%-d %B %Y")),
        None => "Your information is ready. We are sending it to you by post.".to_string(),
    };
    let mut u = CaseUpdate::on(&sc.case, staff_event(me, now, CaseEventKind::Fulfilled, true, text));
    u.expect_status = vec![CaseStatus::Received];
    u.status = Some(CaseStatus::Fulfilled);
    u.clock = Some((sc.case.clock.clone(), sc.case.due_on));
    u.outcome = Some(CaseOutcome::Response {
        delivery: asked.delivery,
        document_id: Some(document_id),
        available_until,
        note: note.to_string(),
        sent_by: me.name.clone(),
        sent_at: now,
    });
    u.message = message(&sc.case, MessageTemplate::Fulfilled);
    u.action = Some(action(me, sc, now, "fulfilled", format!("document {document_id}")));
    Ok(done(store.update_case(&u).await?, "fulfilled"))
}
