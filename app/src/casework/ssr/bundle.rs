//! The response to a subject access request, in one download: a ZIP holding an accessible
//! HTML page to read, the same information as a FHIR R4 Bundle (JSON) for systems, and every
//! document the case worker added. Compiled once, when the request is fulfilled, and kept as
//! sent.

use crate::server::store::*;
use crate::domain::access_request::{AccessRequest, DateRange, RequestedInfo};
use crate::access_log::describe::{organisation, who, why};
use crate::domain::{uk_date, CaseStatus};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use std::io::Write;

/// Everything the response holds, gathered by the caller.
pub struct ResponseContents<'a> {
    pub area_name: &'a str,
    pub request: &'a CaseRecord,
    pub asked: &'a AccessRequest,
    /// The patient's cases (this request among them), each with its timeline.
    pub cases: Vec<(CaseRecord, Vec<CaseEvent>)>,
    pub documents: Vec<(DocumentMeta, Vec<u8>)>,
    /// Every access event the portal holds about the patient (the dates asked for are applied here).
    pub access_events: Vec<AccessEvent>,
    /// The patient's area, whose choice (names or roles) the access log follows.
    pub area: &'a Area,
    pub compiled_at: DateTime<Utc>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn in_range(at: DateTime<Utc>, range: Option<DateRange>) -> bool {
    range.is_none_or(|r| {
        let d = uk_date(at);
        d >= r.from && d <= r.to
    })
}

fn wants(asked: &AccessRequest, what: RequestedInfo) -> bool {
    asked.info.contains(&RequestedInfo::Everything) || asked.info.contains(&what)
}

fn task_status(s: CaseStatus) -> &'static str {
    match s {
        CaseStatus::Received => "in-progress",
        CaseStatus::InformationNeeded => "on-hold",
        CaseStatus::Upheld | CaseStatus::PartlyUpheld | CaseStatus::Explained | CaseStatus::Investigated | CaseStatus::Fulfilled => "completed",
        CaseStatus::Declined => "rejected",
        CaseStatus::Withdrawn => "cancelled",
    }
}

/// A safe name for a file inside the ZIP.
fn file_name(id: i64, name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    format!("documents/{id}-{}", clean.trim_start_matches('.'))
}

impl ResponseContents<'_> {
    fn cases_in_scope(&self) -> Vec<&(CaseRecord, Vec<CaseEvent>)> {
        if !wants(self.asked, RequestedInfo::CaseRecords) {
            return Vec::new();
        }
        self.cases.iter().filter(|(c, _)| in_range(c.created_at, self.asked.dates)).collect()
    }

    fn access_in_scope(&self) -> Vec<&AccessEvent> {
        if !wants(self.asked, RequestedInfo::AccessLog) {
            return Vec::new();
        }
        self.access_events.iter().filter(|e| in_range(e.recorded_at, self.asked.dates)).collect()
    }

    pub fn html(&self) -> String {
        let p = &self.request.patient;
        let mut h = String::new();
        h.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Your information from {area}</title>\n<style>body{{font-family:Arial,sans-serif;line-height:1.5;max-width:45em;margin:1em auto;padding:0 1em;color:#212b32}}table{{border-collapse:collapse;width:100%}}th,td{{border-bottom:1px solid #d8dde0;text-align:left;padding:.5em;vertical-align:top}}.lines{{white-space:pre-line}}</style>\n</head>\n<body>\n<main>\n<h1>Your information from {area}</h1>\n",
            area = escape(self.area_name)
        ));
        h.push_str(&format!(
            "<p>This is our response to your request {reference}, received on {received}. We put it together on {compiled}.</p>\n<p>It covers: {what}. Dates: {dates}.</p>\n",
            reference = escape(self.request.reference.as_str()),
            received = self.request.received_on.format("%-d %B %Y"),
            compiled = uk_date(self.compiled_at).format("%-d %B %Y"),
            what = escape(&self.asked.describe_info().join("; ").to_lowercase()),
            dates = escape(&self.asked.describe_dates().to_lowercase()),
        ));
        h.push_str("<h2>About you</h2>\n<dl>\n");
        h.push_str(&format!("<dt>Name</dt><dd>{}</dd>\n", escape(&p.name)));
        h.push_str(&format!("<dt>NHS number</dt><dd>{}</dd>\n", escape(&p.nhs_number.formatted())));
        if let Some(b) = &p.birth_date {
            h.push_str(&format!("<dt>Date of birth</dt><dd>{}</dd>\n", escape(b)));
        }
        h.push_str("</dl>\n");
        if wants(self.asked, RequestedInfo::AccessLog) {
            h.push_str("<h2>Who has looked at your record</h2>\n");
            let events = self.access_in_scope();
            if events.is_empty() {
                h.push_str("<p>We hold no records of anyone looking at your shared care record in the dates you asked about.</p>\n");
            } else {
                h.push_str(&format!(
                    "<p>Every time our records show someone looked at your shared care record in the dates you asked about: {} in all. Times are UK time.</p>\n<table>\n<caption>Who looked at your record</caption>\n<thead><tr><th scope=\"col\">When</th><th scope=\"col\">Organisation</th><th scope=\"col\">Who</th><th scope=\"col\">What they looked at</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n",
                    events.len()
                ));
                for e in events {
                    let why = if e.emergency { format!("{} (emergency access)", why(&e.purpose)) } else { why(&e.purpose) };
                    h.push_str(&format!(
                        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                        escape(&crate::domain::when::moment(e.recorded_at)),
                        escape(&organisation(e)),
                        escape(&who(e, Some(self.area))),
                        escape(&e.viewed),
                        escape(&why)
                    ));
                }
                h.push_str("</tbody>\n</table>\n");
            }
        }
        if wants(self.asked, RequestedInfo::CaseRecords) {
            h.push_str("<h2>Your objections and requests</h2>\n");
            let cases = self.cases_in_scope();
            if cases.is_empty() {
                h.push_str("<p>You made no objections or requests in the dates you asked about.</p>\n");
            }
            for (c, events) in cases {
                h.push_str(&format!(
                    "<h3>{kind} {reference}</h3>\n<p>Received {received}. Status: {status}.</p>\n<table>\n<caption>What happened</caption>\n<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">What happened</th></tr></thead>\n<tbody>\n",
                    kind = escape(c.kind.label()),
                    reference = escape(c.reference.as_str()),
                    received = c.received_on.format("%-d %B %Y"),
                    status = escape(c.status.label()),
                ));
                for e in events.iter().filter(|e| e.public) {
                    h.push_str(&format!(
                        "<tr><td>{}</td><td class=\"lines\">{}</td></tr>\n",
                        uk_date(e.at).format("%-d %B %Y"),
                        escape(&e.text)
                    ));
                }
                h.push_str("</tbody>\n</table>\n");
                if let Some(CaseOutcome::Decision { reason_title, reason, .. }) = &c.outcome {
                    h.push_str(&format!("<p><strong>{}</strong></p>\n<p class=\"lines\">{}</p>\n", escape(reason_title), escape(reason)));
                }
            }
        }
        if !self.documents.is_empty() {
            h.push_str("<h2>Documents</h2>\n<ul>\n");
            for (d, _) in &self.documents {
                h.push_str(&format!("<li><a href=\"{}\">{}</a></li>\n", escape(&file_name(d.id, &d.file_name)), escape(&d.file_name)));
            }
            h.push_str("</ul>\n");
        }
        h.push_str("<h2>If you are not happy with this response</h2>\n<p>Contact your area using the details in its privacy notice. You can also complain to the Information Commissioner's Office: <a href=\"https://ico.org.uk/make-a-complaint/\">ico.org.uk/make-a-complaint</a>.</p>\n<p>The file bundle.json in this download holds the same information in the FHIR R4 standard, for health and care systems.</p>\n</main>\n</body>\n</html>\n");
        h
    }

    pub fn fhir(&self) -> Value {
        let p = &self.request.patient;
        let urn = || format!("urn:uuid:{}", uuid::Uuid::new_v4());
        let patient_urn = urn();
        let mut entries = vec![json!({
            "fullUrl": patient_urn,
            "resource": {
                "resourceType": "Patient",
                "identifier": [{ "system": "https://fhir.nhs.uk/Id/nhs-number", "value": p.nhs_number.expose() }],
                "name": [{ "text": p.name }],
                "birthDate": p.birth_date,
            }
        })];
        for (c, events) in self.cases_in_scope() {
            let notes: Vec<Value> = events
                .iter()
                .filter(|e| e.public)
                .map(|e| json!({ "time": e.at.to_rfc3339(), "text": e.text }))
                .collect();
            entries.push(json!({
                "fullUrl": urn(),
                "resource": {
                    "resourceType": "Task",
                    "identifier": [{ "system": "https://shared-care-record-privacy.nhs.uk/case-reference", "value": c.reference.as_str() }],
                    "status": task_status(c.status),
                    "businessStatus": { "text": c.status.label() },
                    "intent": "order",
                    "code": { "text": c.kind.label() },
                    "for": { "reference": patient_urn },
                    "authoredOn": c.created_at.to_rfc3339(),
                    "lastModified": c.updated_at.to_rfc3339(),
                    "note": notes,
                }
            }));
        }
        for (d, _) in &self.documents {
            entries.push(json!({
                "fullUrl": urn(),
                "resource": {
                    "resourceType": "DocumentReference",
                    "status": "current",
                    "subject": { "reference": patient_urn },
                    "date": d.added_at.to_rfc3339(),
                    "content": [{ "attachment": { "contentType": d.content_type, "url": file_name(d.id, &d.file_name), "title": d.file_name, "size": d.size } }],
                }
            }));
        }
        for e in self.access_in_scope() {
            let mut org = serde_json::Map::new();
            if let Some(code) = &e.org_ods {
                org.insert("identifier".into(), json!({ "system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": code }));
            }
            if let Some(name) = &e.org_name {
                org.insert("display".into(), json!(name));
            }
            let mut agents = vec![json!({ "who": { "display": who(e, Some(self.area)) }, "requestor": true })];
            if !org.is_empty() {
                agents.push(json!({ "who": org, "requestor": false }));
            }
            entries.push(json!({
                "fullUrl": urn(),
                "resource": {
                    "resourceType": "AuditEvent",
                    "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest" },
                    "recorded": crate::domain::when::rfc3339_uk(e.recorded_at),
                    "outcome": e.outcome,
                    "purposeOfEvent": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": e.purpose }] }],
                    "agent": agents,
                    "source": { "observer": { "display": e.observer } },
                    "entity": [{ "what": { "reference": patient_urn } }, { "name": e.viewed }],
                }
            }));
        }
        json!({
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": self.compiled_at.to_rfc3339(),
            "identifier": { "system": "https://shared-care-record-privacy.nhs.uk/case-reference", "value": self.request.reference.as_str() },
            "entry": entries,
        })
    }

    /// The one download: `index.html`, `bundle.json` and `documents/…`.
    pub fn zip(&self) -> std::io::Result<Vec<u8>> {
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let to_io = |e: zip::result::ZipError| std::io::Error::other(e.to_string());
        out.start_file("index.html", options).map_err(to_io)?;
        out.write_all(self.html().as_bytes())?;
        out.start_file("bundle.json", options).map_err(to_io)?;
        out.write_all(serde_json::to_string_pretty(&self.fhir()).unwrap_or_default().as_bytes())?;
        for (d, bytes) in &self.documents {
            out.start_file(file_name(d.id, &d.file_name), options).map_err(to_io)?;
            out.write_all(bytes)?;
        }
        Ok(out.finish().map_err(to_io)?.into_inner())
    }
}
