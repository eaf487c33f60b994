//! Documents on a case: a case worker adds one to go in the response (a multipart form), and
//! opens those already there. Every opening is recorded.

use super::{action, may, staff_case, staff_event};
use crate::domain::casework::CaseAction;
use crate::domain::CaseEventKind;
use crate::server::download::attachment;
use crate::server::*;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect};
use chrono::Utc;

/// The largest document a case worker can add.
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

/// `POST /cases/{reference}/documents`.
pub(super) async fn upload(
    State(services): State<Services>,
    SignedInStaff(me): SignedInStaff,
    Path(reference): Path<String>,
    mut form: Multipart,
) -> HandlerResult {
    let store = &*services.store;
    let sc = staff_case(store, &me, &reference).await?;
    let back = format!("/cases/{}", sc.case.reference);
    let mut file: Option<(String, String, Vec<u8>)> = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("document") => {
                let name = field.file_name().unwrap_or_default().to_string();
                let kind = field.content_type().unwrap_or("application/octet-stream").to_string();
                match field.bytes().await {
                    Ok(b) => file = Some((name, kind, b.to_vec())),
                    Err(_) => return Ok(Redirect::to(&format!("{back}?done=too-big")).into_response()),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return Ok(Redirect::to(&format!("{back}?done=too-big")).into_response()),
        }
    }
    let Some((name, kind, bytes)) = file.filter(|(n, _, b)| !n.trim().is_empty() && !b.is_empty()) else {
        return Ok(Redirect::to(&format!("{back}?done=no-file")).into_response());
    };
    if !may(CaseAction::AddDocument, &sc, &me)? {
        return Ok(Redirect::to(&format!("{back}?done=stale")).into_response());
    }
    let now = Utc::now();
    let name: String = name.chars().filter(|c| !c.is_control()).take(200).collect();
    let doc = NewDocument { case_id: sc.case.id, role: "evidence".into(), file_name: name, content_type: kind, content: bytes, added_by: me.subject.clone(), at: now };
    let event = staff_event(&me, now, CaseEventKind::DocumentAdded, false, format!("Document added: {}", doc.file_name));
    store.add_document(&doc, &event, Some(&action(&me, &sc, now, "document added", String::new()))).await?;
    Ok(Redirect::to(&format!("{back}?done=uploaded")).into_response())
}

/// `GET /cases/{reference}/documents/{id}`: a case worker opens a document; recorded.
pub(super) async fn open(State(services): State<Services>, SignedInStaff(me): SignedInStaff, Path((reference, id)): Path<(String, i64)>) -> HandlerResult {
    let store = &*services.store;
    let sc = staff_case(store, &me, &reference).await?;
    if sc.access != crate::domain::CaseAccess::Full {
        return Err(HandlerError::Forbidden(crate::domain::casework::Refusal::ReadOnly.explain()));
    }
    let (meta, bytes) = store.document(sc.case.id, id).await?.ok_or(HandlerError::NotFound)?;
    store.record_staff_action(&action(&me, &sc, Utc::now(), "document opened", format!("document {id}"))).await?;
    Ok(attachment(&meta.file_name, &meta.content_type, bytes))
}
