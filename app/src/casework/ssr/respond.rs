//! Answering a request for a copy: the response is compiled from what the portal holds about
//! the patient, and the documents the case worker added, into one ZIP the patient downloads
//! (or that is posted to them).

use super::bundle::ResponseContents;
use super::{action, done, message, problem, staff_event, Done, StaffCase};
use crate::domain::withholding::{grounds, read_withholding, WithheldItem};
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
    // What the case worker withheld stays out; the patient is told on which grounds.
    let withheld = store.withholdings(sc.case.id).await?;
    let held_back = |item: &WithheldItem| withheld.iter().any(|w| &w.item == item);
    let mut documents = Vec::new();
    for d in store.documents(sc.case.id).await?.into_iter().filter(|d| d.role == "evidence" && !held_back(&WithheldItem::Document(d.id))) {
        if let Some(doc) = store.document(sc.case.id, d.id).await? {
            documents.push(doc);
        }
    }
    // Every access event the portal holds about the patient; the dates asked for are applied
    // when the response is drawn.
    let access_events = crate::access_log::ssr::every_event(store, &sc.case.patient.nhs_number)
        .await?
        .into_iter()
        .filter(|e| !held_back(&WithheldItem::AccessEvent(e.id)))
        .collect();
    let withheld_on = grounds(withheld.iter().map(|w| w.exemption));
    let contents = ResponseContents { area_name: &sc.area.name, request: &sc.case, asked, cases, documents, access_events, area: &sc.area, compiled_at: now, withheld: withheld_on };
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

/// The looks at the record a response would list (the dates asked for applied), newest first,
/// at most `limit`; none when the request did not ask for the access log.
pub(crate) async fn looks_in_scope(store: &dyn Store, sc: &StaffCase, limit: i64) -> StoreResult<Vec<AccessEvent>> {
    use crate::domain::access_request::RequestedInfo;
    let CaseDetails::AccessRequest(asked) = &sc.case.details else { return Ok(Vec::new()) };
    if !(asked.info.contains(&RequestedInfo::Everything) || asked.info.contains(&RequestedInfo::AccessLog)) {
        return Ok(Vec::new());
    }
    let start = |d: chrono::NaiveDate| crate::domain::uk_local_to_utc(d.and_hms_opt(0, 0, 0).unwrap_or_default());
    store
        .access_events(&AccessQuery {
            nhs_number: sc.case.patient.nhs_number.clone(),
            from: asked.dates.map(|r| start(r.from)),
            to: asked.dates.map(|r| start(r.to + chrono::Duration::days(1))),
            org_ods: None,
            include_automated: true,
            before: None,
            limit,
        })
        .await
}

/// Withholds one item from the response, with the exemption and a note for the record.
pub(super) async fn withhold(store: &dyn Store, me: &StaffMember, sc: &StaffCase, fields: &[(String, String)], now: DateTime<Utc>) -> StoreResult<Done> {
    let documents: Vec<i64> = store.documents(sc.case.id).await?.into_iter().filter(|d| d.role == "evidence").map(|d| d.id).collect();
    // A look is withheld only if the response would list it: the patient's, in the dates asked.
    let asked_for = fields.iter().find(|(k, _)| k == "item").and_then(|(_, v)| v.strip_prefix("access:")).and_then(|n| n.parse::<i64>().ok());
    let mut looks = Vec::new();
    let mut look_described = String::new();
    if let Some(id) = asked_for {
        if let Some(e) = store.access_event(&sc.case.patient.nhs_number, id).await? {
            if looks_in_scope_of(sc, &e) {
                looks.push(id);
                look_described = describe_look(&e, &sc.area);
            }
        }
    }
    let w = match read_withholding(fields, &documents, &looks) {
        Ok(w) => w,
        // The note's box has its own id on the case page (the internal note's is `note`).
        Err(errors) => return Ok(Done::Invalid(errors.into_iter().map(|(f, m)| (if f == "note" { "withhold-note".to_string() } else { f }, m)).collect())),
    };
    if store.withholdings(sc.case.id).await?.iter().any(|held| held.item == w.item) {
        return Ok(problem("item", "That is already withheld"));
    }
    let described = match &w.item {
        WithheldItem::Document(id) => {
            let name = store.documents(sc.case.id).await?.into_iter().find(|d| d.id == *id).map(|d| d.file_name).unwrap_or_default();
            format!("Document: {name}")
        }
        WithheldItem::AccessEvent(_) => format!("Look at the record: {look_described}"),
        WithheldItem::Passage(where_) => format!("Passage: {where_}"),
    };
    let what = described.clone();
    let text = format!("Withheld. {what}. {}. {}", w.exemption.label(), w.note.as_str());
    let event = staff_event(me, now, CaseEventKind::Withheld, false, text);
    let a = action(me, sc, now, "withheld", format!("{} {}", w.item.key(), w.exemption.as_str()));
    Ok(done(store.withhold(sc.case.id, &w, &described, &event, &a).await?, "withheld"))
}

/// A look in a line a case worker recognises: when, where and who.
pub(crate) fn describe_look(e: &AccessEvent, area: &Area) -> String {
    use crate::access_log::describe::{organisation, who};
    format!("{}, {}, {}", crate::domain::when::moment(e.recorded_at), organisation(e), who(e, Some(area)))
}

/// Whether the response would list this look (the access log asked for, in the dates asked).
fn looks_in_scope_of(sc: &StaffCase, e: &AccessEvent) -> bool {
    use crate::domain::access_request::RequestedInfo;
    let CaseDetails::AccessRequest(asked) = &sc.case.details else { return false };
    let wanted = asked.info.contains(&RequestedInfo::Everything) || asked.info.contains(&RequestedInfo::AccessLog);
    let day = uk_date(e.recorded_at);
    wanted && asked.dates.is_none_or(|r| day >= r.from && day <= r.to)
}
