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

/// The type of a document by what it is, not by what its name or the browser says: PDF,
/// images, plain text and Office documents only. Anything else (a web page, a script, a
/// program) is refused, so nothing added to a case can run when it is opened.
pub fn document_type(bytes: &[u8]) -> Option<&'static str> {
    const ALLOWED: &[&str] = &[
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/tiff",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/rtf",
    ];
    if let Some(kind) = infer::get(bytes) {
        return ALLOWED.iter().find(|m| **m == kind.mime_type()).copied();
    }
    // Plain text: UTF-8 with no control characters but line breaks and tabs, and not markup
    // a browser would run were it ever shown.
    let text = std::str::from_utf8(bytes).ok()?;
    let plain = !text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'));
    let lower = text.trim_start().to_ascii_lowercase();
    let markup = ["<!doctype", "<html", "<script", "<svg", "<?xml"].iter().any(|m| lower.starts_with(m));
    (plain && !markup).then_some("text/plain; charset=utf-8")
}

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
    let Some((name, _, bytes)) = file.filter(|(n, _, b)| !n.trim().is_empty() && !b.is_empty()) else {
        return Ok(Redirect::to(&format!("{back}?done=no-file")).into_response());
    };
    // The type is what the content is; the browser's word for it is not trusted.
    let Some(kind) = document_type(&bytes) else {
        return Ok(Redirect::to(&format!("{back}?done=bad-type")).into_response());
    };
    let kind = kind.to_string();
    if !may(CaseAction::AddDocument, &sc, &me)? {
        return Ok(Redirect::to(&format!("{back}?done=stale")).into_response());
    }
    let now = Utc::now();
    let name: String = crate::domain::cases::visible(&name).chars().take(200).collect();
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

#[cfg(test)]
mod tests {
    use super::document_type;

    #[test]
    fn only_documents_a_case_needs_are_taken_and_by_their_content() {
        assert_eq!(document_type(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), Some("application/pdf"));
        assert_eq!(document_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(document_type(b"Notes released by the practice.\nSecond line."), Some("text/plain; charset=utf-8"));
        assert_eq!(document_type(b"<html><script>alert(1)</script></html>"), None, "a web page, whatever it is called");
        assert_eq!(document_type(b"  <svg onload=alert(1)>"), None);
        assert_eq!(document_type(b"MZ\x90\0\x03\0\0\0"), None, "a Windows program");
        assert_eq!(document_type(b"\x7fELF\x02\x01"), None);
        assert_eq!(document_type(b"text with a NUL\0"), None);
    }
}
