//! The response to a subject access request, in one download: a ZIP holding an accessible
//! HTML page to read, the same information as a FHIR R4 Bundle (JSON) for systems, and every
//! document the case worker added. Compiled once, when the request is fulfilled, and kept as
//! sent.

use crate::server::store::*;
use crate::domain::access_request::{AccessRequest, DateRange, RequestedInfo};
use crate::access_log::describe::{done, organisation, who, why_marked};
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
    /// The grounds on which something was withheld (the items themselves are already left out).
    pub withheld: Vec<crate::domain::withholding::Exemption>,
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
        CaseStatus::Received | CaseStatus::Acknowledged => "in-progress",
        CaseStatus::InformationNeeded => "on-hold",
        CaseStatus::Upheld | CaseStatus::PartlyUpheld | CaseStatus::Explained | CaseStatus::Investigated | CaseStatus::Fulfilled | CaseStatus::NotUpheld => "completed",
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

    /// A case's status as the response tells it: the request being answered is answered by it.
    fn status_of(&self, c: &CaseRecord) -> CaseStatus {
        if c.id == self.request.id { CaseStatus::Fulfilled } else { c.status }
    }

    fn access_in_scope(&self) -> Vec<&AccessEvent> {
        if !wants(self.asked, RequestedInfo::AccessLog) {
            return Vec::new();
        }
        self.access_events.iter().filter(|e| in_range(e.recorded_at, self.asked.dates)).collect()
    }

    /// The page the patient reads, drawn by the view (so every word they or anyone else wrote
    /// is text, never markup). It stands alone: it is opened from the ZIP, off-line.
    pub fn html(&self) -> String {
        use leptos::prelude::*;
        use leptos::tachys::view::RenderHtml;
        const STYLE: &str = "body{font-family:Arial,sans-serif;line-height:1.5;max-width:45em;margin:1em auto;padding:0 1em;color:#212b32}table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #d8dde0;text-align:left;padding:.5em;vertical-align:top}.lines{white-space:pre-line}";
        let p = &self.request.patient;
        let title = format!("Your information from {}", self.area_name);
        let opening = format!(
            "This is our response to your request {}, received on {}. We put it together on {}.",
            self.request.reference.as_str(),
            self.request.received_on.format("%-d %B %Y"),
            uk_date(self.compiled_at).format("%-d %B %Y")
        );
        let covers = format!(
            "It covers: {}. Dates: {}.",
            self.asked.describe_info().join("; ").to_lowercase(),
            self.asked.describe_dates().to_lowercase()
        );
        let name = p.name.clone();
        let nhs_number = p.nhs_number.formatted();
        let birth = p.birth_date.clone();

        let access = wants(self.asked, RequestedInfo::AccessLog).then(|| {
            let rows: Vec<[String; 5]> = self
                .access_in_scope()
                .into_iter()
                .map(|e| [crate::domain::when::moment(e.recorded_at), organisation(e), who(e, Some(self.area)), done(e), why_marked(e)])
                .collect();
            let count = rows.len();
            view! {
                <h2>"Who has looked at your record"</h2>
                {if rows.is_empty() {
                    view! { <p>"We hold no records of anyone looking at your shared care record in the dates you asked about."</p> }.into_any()
                } else {
                    view! {
                        <p>{format!("Every time our records show someone looked at your shared care record in the dates you asked about: {count} in all. Times are UK time.")}</p>
                        <table>
                            <caption>"Who looked at your record"</caption>
                            <thead><tr>
                                <th scope="col">"When"</th><th scope="col">"Organisation"</th><th scope="col">"Who"</th>
                                <th scope="col">"What they did"</th><th scope="col">"Why"</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|[when, org, person, what, why]| view! {
                                    <tr><td>{when}</td><td>{org}</td><td>{person}</td><td>{what}</td><td>{why}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            }
        });

        let cases = wants(self.asked, RequestedInfo::CaseRecords).then(|| {
            let cases: Vec<_> = self
                .cases_in_scope()
                .into_iter()
                .map(|(c, events)| {
                    let heading = format!("{} {}", c.kind.label(), c.reference.as_str());
                    let status = format!("Received {}. Status: {}.", c.received_on.format("%-d %B %Y"), self.status_of(c).label());
                    let timeline: Vec<(String, String)> =
                        events.iter().filter(|e| e.public).map(|e| (uk_date(e.at).format("%-d %B %Y").to_string(), e.text.clone())).collect();
                    let decision = match &c.outcome {
                        Some(CaseOutcome::Decision { reason_title, reason, .. }) => Some((reason_title.clone(), reason.clone())),
                        _ => None,
                    };
                    (heading, status, timeline, decision)
                })
                .collect();
            view! {
                <h2>"Your objections and requests"</h2>
                {cases.is_empty().then(|| view! { <p>"You made no objections or requests in the dates you asked about."</p> })}
                {cases.into_iter().map(|(heading, status, timeline, decision)| view! {
                    <h3>{heading}</h3>
                    <p>{status}</p>
                    <table>
                        <caption>"What happened"</caption>
                        <thead><tr><th scope="col">"Date"</th><th scope="col">"What happened"</th></tr></thead>
                        <tbody>
                            {timeline.into_iter().map(|(day, text)| view! { <tr><td>{day}</td><td class="lines">{text}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                    {decision.map(|(title, reason)| view! { <p><strong>{title}</strong></p><p class="lines">{reason}</p> })}
                }).collect_view()}
            }
        });

        let withheld = (!self.withheld.is_empty()).then(|| {
            let grounds: Vec<&'static str> = self.withheld.iter().map(|e| e.for_patient()).collect();
            view! {
                <h2>"Information we have withheld"</h2>
                <p>"We have not included some of the information we hold about you, because the law allows or requires us to keep it back. This is on these grounds:"</p>
                <ul>{grounds.into_iter().map(|g| view! { <li>{g}</li> }).collect_view()}</ul>
                <p>"If you think we were wrong to withhold it, contact us, or complain to the Information Commissioner's Office (below)."</p>
            }
        });

        let documents: Vec<(String, String)> = self.documents.iter().map(|(d, _)| (file_name(d.id, &d.file_name), d.file_name.clone())).collect();
        let documents = (!documents.is_empty()).then(|| view! {
            <h2>"Documents"</h2>
            <ul>{documents.into_iter().map(|(href, name)| view! { <li><a href=href>{name}</a></li> }).collect_view()}</ul>
        });

        view! {
            <!DOCTYPE html>
            <html lang="en">
                <head>
                    <meta charset="utf-8"/>
                    <meta name="viewport" content="width=device-width, initial-scale=1"/>
                    <title>{title.clone()}</title>
                    <style>{STYLE}</style>
                </head>
                <body>
                    <main>
                        <h1>{title}</h1>
                        <p>{opening}</p>
                        <p>{covers}</p>
                        <h2>"About you"</h2>
                        <dl>
                            <dt>"Name"</dt><dd>{name}</dd>
                            <dt>"NHS number"</dt><dd>{nhs_number}</dd>
                            {birth.map(|b| view! { <dt>"Date of birth"</dt><dd>{b}</dd> })}
                        </dl>
                        {access}
                        {cases}
                        {documents}
                        {withheld}
                        <h2>"If you are not happy with this response"</h2>
                        <p>
                            "Contact your area using the details in its privacy notice. You can also complain to the Information Commissioner's Office: "
                            <a href="https://ico.org.uk/make-a-complaint/">"ico.org.uk/make-a-complaint"</a> "."
                        </p>
                        <p>"The file bundle.json in this download holds the same information in the FHIR R4 standard, for health and care systems."</p>
                    </main>
                </body>
            </html>
        }
        .to_html()
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
                    "status": task_status(self.status_of(c)),
                    "businessStatus": { "text": self.status_of(c).label() },
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
            let shown = who(e, Some(self.area));
            let person = crate::access_log::fhir::Person { display: &shown, identifier: None, role: None };
            entries.push(json!({
                "fullUrl": urn(),
                "resource": crate::access_log::fhir::audit_event(e, None, &person, json!({ "reference": patient_urn })),
            }));
        }
        // Withheld information: the Bundle is labelled redacted, and an OperationOutcome says on
        // which grounds ("suppressed": some information was not returned), never what it was.
        if !self.withheld.is_empty() {
            let issues: Vec<Value> = self
                .withheld
                .iter()
                .map(|e| json!({ "severity": "information", "code": "suppressed", "details": { "text": e.for_patient() } }))
                .collect();
            entries.push(json!({ "fullUrl": urn(), "resource": { "resourceType": "OperationOutcome", "issue": issues } }));
        }
        let mut bundle = json!({
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": self.compiled_at.to_rfc3339(),
            "identifier": { "system": "https://shared-care-record-privacy.nhs.uk/case-reference", "value": self.request.reference.as_str() },
            "entry": entries,
        });
        if !self.withheld.is_empty() {
            bundle["meta"] = json!({ "security": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "REDACTED", "display": "redacted" }] });
        }
        bundle
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
