//! Reads a FHIR R4 AuditEvent shaped by IHE Basic Audit Log Patterns (BALP) into what the
//! portal keeps of a look at a patient's record. Every problem is named by its FHIRPath, so
//! the sender can fix it; nothing is kept of a resource with a problem.

use app::domain::NhsNumber;
use app::server::AccessEvent;
use chrono::{DateTime, Datelike, Utc};
use serde_json::Value;

pub const NHS_NUMBER_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";
pub const ODS_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-organization-code";

/// One problem with a resource: where (FHIRPath) and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub path: String,
    pub code: &'static str,
    pub message: String,
}

fn issue(path: impl Into<String>, code: &'static str, message: impl Into<String>) -> Issue {
    Issue { path: path.into(), code, message: message.into() }
}

fn text(v: &Value) -> Option<String> {
    v.as_str().map(str::trim).filter(|s| !s.is_empty()).map(String::from)
}

/// A CodeableConcept's words: its text, or its first coding's display, or its code.
fn concept_words(c: &Value) -> Option<String> {
    text(&c["text"])
        .or_else(|| c["coding"].as_array().and_then(|cs| cs.iter().find_map(|x| text(&x["display"]))))
        .or_else(|| c["coding"].as_array().and_then(|cs| cs.iter().find_map(|x| text(&x["code"]))))
}

fn codes(c: &Value) -> Vec<String> {
    c["coding"].as_array().map(|cs| cs.iter().filter_map(|x| text(&x["code"])).collect()).unwrap_or_default()
}

/// FHIR `id`: 1 to 64 of A–Z, a–z, 0–9, `-` and `.`.
fn valid_id(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// Plain words for the kind of record looked at.
fn plain_resource(kind: &str) -> &str {
    match kind {
        "Condition" => "conditions and diagnoses",
        "MedicationStatement" | "MedicationRequest" | "Medication" => "medicines",
        "AllergyIntolerance" => "allergies",
        "Observation" | "DiagnosticReport" => "test results",
        "DocumentReference" | "Composition" => "letters and documents",
        "Encounter" | "Appointment" => "appointments and visits",
        "Immunization" => "vaccinations",
        "Procedure" => "procedures",
        "CarePlan" => "care plans",
        "Patient" => "your details",
        "List" => "lists in your record",
        "Consent" => "your consent choices",
        "ServiceRequest" | "ReferralRequest" => "referrals and requests",
        "Flag" => "alerts on your record",
        "RelatedPerson" => "people involved in your care",
        "Bundle" | "Binary" => "your record",
        // Never a FHIR type name the patient would not know.
        _ => "other information in your record",
    }
}

/// How far ahead of the portal's clock a `recorded` time may be: senders' clocks drift a
/// little; an event from the future cannot be true.
pub const CLOCK_SKEW_MINUTES: i64 = 5;
/// Longest name (a person's, organisation's or system's display, or an entity's name).
pub const MAX_NAME: usize = 200;
/// Longest description, and longest other text.
pub const MAX_DESCRIPTION: usize = 1000;
/// Longest base64 query or data (BALP Query events carry the search itself).
pub const MAX_QUERY: usize = 16 * 1024;
/// Most entities, agents, and items in any other list, in one event.
pub const MAX_ENTITIES: usize = 50;
pub const MAX_AGENTS: usize = 20;
pub const MAX_LIST: usize = 50;

/// Every string within its limit and free of hidden controls, every list within its length:
/// checked before anything else, so that a megabyte name is refused, not stored and shown.
fn check_sizes(v: &Value, path: &str, key: &str, issues: &mut Vec<Issue>) {
    if issues.len() >= 20 {
        return;
    }
    match v {
        Value::String(s) => {
            let limit = match key {
                "display" | "name" | "text" => MAX_NAME,
                "query" | "data" => MAX_QUERY,
                _ => MAX_DESCRIPTION,
            };
            let n = s.chars().count();
            // Line breaks belong in descriptions and queries, never in a name or a code.
            let multi_line = matches!(key, "description" | "query" | "data" | "div");
            if n > limit {
                issues.push(issue(path, "too-long", format!("{key} is {n} characters long; at most {limit} are accepted")));
            } else if s.chars().any(|c| !(multi_line && matches!(c, '\n' | '\r' | '\t')) && hidden(c)) {
                issues.push(issue(path, "value", format!("{key} holds control or hidden formatting characters (such as NUL, a line break or a bidirectional override)")));
            }
        }
        Value::Array(items) => {
            let limit = match key {
                "entity" => MAX_ENTITIES,
                "agent" => MAX_AGENTS,
                _ => MAX_LIST,
            };
            if items.len() > limit {
                issues.push(issue(path, "too-costly", format!("{key} has {} items; at most {limit} are accepted in one event", items.len())));
                return;
            }
            for (i, item) in items.iter().enumerate() {
                check_sizes(item, &format!("{path}[{i}]"), key, issues);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                if k.chars().any(hidden) || k.chars().count() > 64 {
                    issues.push(issue(path, "structure", "a key holds control or hidden formatting characters, or is too long to be a FHIR element"));
                    return;
                }
                check_sizes(item, &format!("{path}.{k}"), k, issues);
            }
        }
        _ => {}
    }
}

/// Characters no name or code may hold: controls, bidirectional and invisible formatting,
/// line and paragraph separators, and Unicode noncharacters.
fn hidden(c: char) -> bool {
    app::domain::names::is_hidden_control(c)
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FDD0}'..='\u{FDEF}')
        || (c as u32 & 0xFFFE) == 0xFFFE
}

/// A FHIR `instant`: a date and time with a `T`, seconds, and `Z` or an offset (chrono alone
/// also takes a space, or lower-case `t` and `z`).
fn instant(s: &str) -> Option<DateTime<chrono::FixedOffset>> {
    let b = s.as_bytes();
    let zone_ok = s.ends_with('Z') || (b.len() > 6 && matches!(b[b.len() - 6], b'+' | b'-') && b[b.len() - 3] == b':');
    (b.len() >= 20 && b[10] == b'T' && zone_ok).then(|| DateTime::parse_from_rfc3339(s).ok()).flatten()
}

/// DICOM agent types for machines and their network ends (BALP's client and server agents):
/// a workstation or an application is never shown to a patient as the person who looked.
const MACHINE_TYPES: &[&str] = &["110150", "110151", "110152", "110153", "110154", "110155"];

fn is_machine(agent: &Value) -> bool {
    agent["who"]["reference"].as_str().is_some_and(|r| r.starts_with("Device/"))
        || agent["type"]["coding"].as_array().is_some_and(|cs| cs.iter().any(|c| c["code"].as_str().is_some_and(|x| MACHINE_TYPES.contains(&x))))
}

/// The kind of record a search asked for, from a BALP Query entity: its base64 `query` (an
/// HTTP request line, or a search URL) or its description.
fn searched_for(entity: &Value) -> Option<String> {
    use base64::Engine;
    let decoded = entity["query"]
        .as_str()
        .and_then(|q| base64::engine::general_purpose::STANDARD.decode(q.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok());
    let request = decoded.or_else(|| text(&entity["description"]))?;
    let line = request.lines().map(str::trim).find(|l| !l.is_empty())?;
    let url = line.split_whitespace().find(|w| w.contains('/') || w.contains('?')).unwrap_or(line);
    let path = url.split('?').next().unwrap_or(url);
    let kind = path.trim_end_matches('/').rsplit('/').next().filter(|k| k.chars().next().is_some_and(|c| c.is_ascii_uppercase()))?;
    Some(plain_resource(kind).to_string())
}

/// The access event a resource describes, not yet tied to the source that sent it
/// (`source_id` is set by the API, which knows who is sending).
pub fn parse(resource: &Value) -> Result<AccessEvent, Vec<Issue>> {
    parse_at(resource, Utc::now())
}

/// As [`parse`], with the portal's clock given (for events said to be recorded in the future).
pub fn parse_at(resource: &Value, now: DateTime<Utc>) -> Result<AccessEvent, Vec<Issue>> {
    let mut issues = Vec::new();
    if resource["resourceType"] != "AuditEvent" {
        return Err(vec![issue("resourceType", "invalid", "resourceType must be AuditEvent")]);
    }
    check_sizes(resource, "AuditEvent", "", &mut issues);
    if !issues.is_empty() {
        return Err(issues);
    }
    let id = match resource["id"].as_str().map(String::from) {
        Some(id) if valid_id(&id) && !id.bytes().all(|b| b == b'.') => Some(id),
        Some(_) => {
            issues.push(issue("AuditEvent.id", "value", "id must be 1 to 64 letters, digits, '-' or '.'"));
            None
        }
        None => {
            issues.push(issue("AuditEvent.id", "required", "id is required (a string): with the source it makes the event unique"));
            None
        }
    };
    let recorded_at = match resource["recorded"].as_str() {
        Some(s) => match instant(s).ok_or(()) {
            Ok(t) if t.with_timezone(&Utc) > now + chrono::Duration::minutes(CLOCK_SKEW_MINUTES) => {
                issues.push(issue(
                    "AuditEvent.recorded",
                    "value",
                    format!("recorded is in the future (more than {CLOCK_SKEW_MINUTES} minutes after the portal's clock): an access cannot be recorded before it happens"),
                ));
                None
            }
            Ok(t) if t.year() < 1990 => {
                issues.push(issue("AuditEvent.recorded", "value", "recorded is before 1990: no shared care record existed then"));
                None
            }
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => {
                issues.push(issue("AuditEvent.recorded", "value", "recorded must be a FHIR instant with a time zone, like 2026-11-24T09:30:00Z"));
                None
            }
        },
        None if !resource["recorded"].is_null() => {
            issues.push(issue("AuditEvent.recorded", "value", "recorded must be a string: a FHIR instant like 2026-11-24T09:30:00Z"));
            None
        }
        None => {
            issues.push(issue("AuditEvent.recorded", "required", "recorded is required"));
            None
        }
    };
    if let Some(start) = resource["period"]["start"].as_str() {
        if DateTime::parse_from_rfc3339(start).is_err() {
            issues.push(issue("AuditEvent.period.start", "value", "period.start must be a FHIR dateTime with a time zone"));
        }
    }
    let action = text(&resource["action"]);
    if (!resource["action"].is_null() && action.is_none()) || action.as_deref().is_some_and(|a| !matches!(a, "C" | "R" | "U" | "D" | "E")) {
        issues.push(issue("AuditEvent.action", "code-invalid", "action must be one of the strings C, R, U, D or E"));
    }
    if !resource["type"].is_object() {
        issues.push(issue("AuditEvent.type", "required", "type is required (a Coding, such as audit-event-type rest)"));
    }
    if !resource["subtype"].is_null() && !resource["subtype"].is_array() {
        issues.push(issue("AuditEvent.subtype", "structure", "subtype must be a list of Codings"));
    }
    let subtype = resource["subtype"].as_array().and_then(|cs| cs.iter().find_map(|c| text(&c["code"])));

    // The patient: the entity whose `what.identifier` is an NHS number.
    const NONE: &[Value] = &[];
    let entities = resource["entity"].as_array().map_or(NONE, Vec::as_slice);
    let mut nhs_number = None;
    let mut viewed: Vec<String> = Vec::new();
    let mut searched = false;
    let note = |w: String, viewed: &mut Vec<String>| {
        if !viewed.contains(&w) {
            viewed.push(w);
        }
    };
    for (i, e) in entities.iter().enumerate() {
        let ident = &e["what"]["identifier"];
        let role = e["role"]["code"].as_str().unwrap_or_default();
        if ident["system"] == NHS_NUMBER_SYSTEM {
            let Some(value) = ident["value"].as_str() else {
                issues.push(issue(format!("AuditEvent.entity[{i}].what.identifier.value"), "structure", "the NHS number must be a string of ten digits"));
                continue;
            };
            match NhsNumber::parse(value) {
                Ok(n) if nhs_number.is_none() => nhs_number = Some(n),
                Ok(_) => issues.push(issue(format!("AuditEvent.entity[{i}]"), "invalid", "only one patient may be named in an event")),
                Err(_) => issues.push(issue(
                    format!("AuditEvent.entity[{i}].what.identifier.value"),
                    "value",
                    "the NHS number is not valid (it fails the modulus 11 check)",
                )),
            }
        } else if role == "24" {
            // A BALP Query: what was searched for.
            searched = true;
            if let Some(w) = searched_for(e) {
                note(w, &mut viewed);
            }
        } else if role == "1" || e["what"]["reference"].as_str().is_some_and(|r| r.starts_with("Patient/")) {
            // The patient given by reference as well: the NHS number is what identifies them here.
        } else {
            let words = text(&e["name"])
                .or_else(|| e["what"]["reference"].as_str().and_then(|r| r.split('/').next()).map(|k| plain_resource(k).to_string()))
                .or_else(|| text(&e["what"]["type"]).map(|k| plain_resource(&k).to_string()));
            // Anything else (a transaction id, say) says nothing about what was looked at.
            if let Some(w) = words {
                note(w, &mut viewed);
            }
        }
    }
    if nhs_number.is_none() && !issues.iter().any(|i| i.path.starts_with("AuditEvent.entity")) {
        issues.push(issue("AuditEvent.entity", "required", format!("an entity whose what.identifier has system {NHS_NUMBER_SYSTEM} is required")));
    }
    let searched = searched || subtype.as_deref().is_some_and(|s| s.starts_with("search"));

    // The person: the requestor agent (BALP), or else the first agent that is not a machine;
    // a workstation or application is never shown as the person who looked.
    let agents = resource["agent"].as_array().map_or(NONE, Vec::as_slice);
    if agents.is_empty() {
        issues.push(issue("AuditEvent.agent", "required", "at least one agent is required"));
    }
    let person = agents.iter().position(|a| a["requestor"] == true).or_else(|| agents.iter().position(|a| !is_machine(a)));
    // With no person at all (BALP's business-to-business pattern: a server and a client), the
    // event is a system's, and is shown with the automated checks, by the system's name.
    let (requestor, automated) = match person {
        Some(i) => (i, is_machine(&agents[i])),
        None => (0, true),
    };
    let agent = agents.get(requestor).unwrap_or(&Value::Null);
    let who = &agent["who"];
    let agent_name = text(&who["display"]).or_else(|| text(&agent["name"])).or_else(|| {
        (automated && !agents.is_empty())
            .then(|| agents.iter().find_map(|a| text(&a["who"]["display"])).unwrap_or_else(|| "A computer system".to_string()))
    });
    if agent_name.is_none() && !agents.is_empty() {
        issues.push(issue(format!("AuditEvent.agent[{requestor}].who.display"), "required", "the agent's name (who.display) is required"));
    }
    let agent_id = text(&who["identifier"]["value"]);
    let agent_role = agent["role"].as_array().and_then(|rs| rs.iter().find_map(concept_words));
    // The organisation: an agent (or the requestor's `who`) identified by an ODS code.
    // The organisation: an agent identified by an ODS code, another agent's before the person's
    // own (whose name is a person's, never shown as the organisation's).
    let human = person.filter(|_| !automated);
    let org = agents
        .iter()
        .enumerate()
        .filter(|(_, a)| a["who"]["identifier"]["system"] == ODS_SYSTEM)
        .min_by_key(|(i, _)| human == Some(*i))
        .map(|(i, a)| {
            let w = &a["who"];
            // ODS codes are upper case: `rx1` is RX1, or one organisation would read as two. A
            // value that is no ODS code (or none at all) would make any name an organisation's.
            let code = match w["identifier"]["value"].as_str().map(app::domain::OdsCode::parse) {
                Some(Ok(code)) => Some(code.to_string()),
                _ => {
                    issues.push(issue(format!("AuditEvent.agent[{i}].who.identifier.value"), "value", "an ODS code is 3 to 10 letters and digits, like RX1"));
                    None
                }
            };
            (code, if human == Some(i) { None } else { text(&w["display"]) })
        });
    // With no ODS code, another agent that is plainly an organisation (a reference to an
    // `Organization`, or the type Organization and no reference to anything else) still gives
    // its name, so that the patient reads who it was. The person who looked never does.
    let org = org.or_else(|| {
        agents
            .iter()
            .enumerate()
            .filter(|(i, a)| person != Some(*i) && a["requestor"] != true)
            .map(|(_, a)| &a["who"])
            .filter(|w| is_organisation(w))
            .find_map(|w| text(&w["display"]))
            .map(|name| (None, Some(name)))
    });
    let (org_ods, org_name) = org.unwrap_or((None, None));
    // Every purpose given, by any agent or for the event: BALP's SAML pattern sends several
    // (TREAT, ETREAT, HPAYMT, HOPERAT), and an emergency among them must never be missed.
    let concepts: Vec<&Value> = agents
        .iter()
        .flat_map(|a| a["purposeOfUse"].as_array().map_or(NONE, Vec::as_slice))
        .chain(resource["purposeOfEvent"].as_array().map_or(NONE, Vec::as_slice))
        .collect();
    let mut purposes: Vec<String> = Vec::new();
    for c in &concepts {
        let mut given = codes(c);
        // A purpose given in words only is kept in words (marked, so it is never read as a code).
        if given.is_empty() {
            given.extend(text(&c["text"]).map(|t| format!("{}{t}", app::access_log::describe::WORDS)));
        }
        for p in given {
            if !purposes.contains(&p) {
                purposes.push(p);
            }
        }
    }
    let break_glass = resource["meta"]["security"].as_array().is_some_and(|s| s.iter().any(|c| c["code"] == "BTG"));
    let emergency = break_glass || purposes.iter().any(|p| p == "ETREAT" || p == "BTG");
    // Every purpose given, the emergency one first, kept in one field (codes separated by
    // spaces; words after a newline); empty when none was given (the patient then reads
    // "reason not given", never a guess).
    if break_glass && !purposes.iter().any(|p| p == "BTG") {
        purposes.push("BTG".into());
    }
    purposes.sort_by_key(|p| !(p == "BTG" || p == "ETREAT"));
    let purpose = app::access_log::describe::join_purposes(&purposes);

    // The system that recorded it: by name, identifier, or (as BALP's server-recorded events
    // give it) a reference alone, which is valid R4; the patient then reads a plain name for it.
    let observer_ref = &resource["source"]["observer"];
    let observer = text(&observer_ref["display"])
        // An identifier is a name only if a person could read it as one, not an OID or URI.
        .or_else(|| text(&observer_ref["identifier"]["value"]).filter(|v| !v.starts_with("urn:") && !v.contains("://")))
        .or_else(|| text(&observer_ref["identifier"]["value"]).map(|_| "The shared care record system".to_string()))
        .or_else(|| text(&observer_ref["reference"]).map(|_| "The shared care record system".to_string()));
    if observer.is_none() {
        issues.push(issue("AuditEvent.source.observer", "required", "source.observer (a reference, display or identifier) is required"));
    }
    // No outcome given is a success (R4 makes it optional); one given must be a known code.
    let outcome = if resource["outcome"].is_null() { Some("0".to_string()) } else { resource["outcome"].as_str().map(String::from) };
    let outcome = match outcome {
        Some(o) if matches!(o.as_str(), "0" | "4" | "8" | "12") => o,
        _ => {
            issues.push(issue("AuditEvent.outcome", "code-invalid", "outcome must be one of the strings 0, 4, 8 or 12"));
            String::new()
        }
    };

    match (id, recorded_at, nhs_number, agent_name, observer) {
        (Some(id), Some(recorded_at), Some(nhs_number), Some(agent_name), Some(observer)) if issues.is_empty() => Ok(AccessEvent {
            id: 0,
            source_id: None,
            source_event_id: id,
            nhs_number,
            recorded_at,
            agent_name,
            agent_id,
            agent_role,
            org_ods,
            org_name,
            purpose,
            emergency,
            viewed: if viewed.is_empty() { "your record".into() } else { viewed.join(", ") },
            outcome,
            automated,
            observer,
            // A search with no verb of its own is an E (execute), as BALP Query gives it.
            action: action.or_else(|| searched.then(|| "E".to_string())),
            subtype: subtype.or_else(|| searched.then(|| "search".to_string())),
            content_hash: Some(content_hash(resource)),
        }),
        _ => Err(issues),
    }
}

/// A digest of the resource as sent, independent of key order and spacing.
pub fn content_hash(resource: &Value) -> String {
    use sha2::{Digest, Sha256};
    fn canonical(v: &Value, out: &mut String) {
        match v {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String(k.clone()).to_string());
                    out.push(':');
                    canonical(&map[k], out);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    canonical(item, out);
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut text = String::new();
    canonical(resource, &mut text);
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// A BALP-shaped read of a patient's record, for tests, examples and the benchmark.
pub fn example(id: &str, nhs_number: &str, recorded: &str, who: &str, purpose: &str) -> Value {
    serde_json::json!({
        "resourceType": "AuditEvent",
        "id": id,
        "meta": { "profile": ["https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead"] },
        "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest", "display": "Restful Operation" },
        "subtype": [{ "system": "http://hl7.org/fhir/restful-interaction", "code": "read", "display": "read" }],
        "action": "R",
        "period": { "start": recorded, "end": recorded },
        "recorded": recorded,
        "outcome": "0",
        "purposeOfEvent": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": purpose }] }],
        "agent": [
            {
                "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/extra-security-role-type", "code": "humanuser" }] },
                "who": { "identifier": { "system": "https://fhir.nhs.uk/Id/sds-user-id", "value": "555021935107" }, "display": who },
                "role": [{ "coding": [{ "system": "http://snomed.info/sct", "code": "309343006", "display": "Physician" }] }],
                "requestor": true,
                "purposeOfUse": [{ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": purpose }] }]
            },
            {
                "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "code": "custodian" }] },
                "who": { "identifier": { "system": ODS_SYSTEM, "value": "RX1" }, "display": "Northshire Hospitals NHS Foundation Trust" },
                "requestor": false
            }
        ],
        "source": { "observer": { "display": "Northshire Shared Care Record" } },
        "entity": [
            { "what": { "identifier": { "system": NHS_NUMBER_SYSTEM, "value": nhs_number } }, "role": { "code": "1", "display": "Patient" } },
            { "what": { "reference": "MedicationStatement/abc" } },
            { "what": { "reference": "AllergyIntolerance/def" } }
        ]
    })
}

/// Whether a `who` (a FHIR Reference) is an organisation: a reference to an `Organization`,
/// relative (`Organization/x`) or absolute (`https://…/fhir/Organization/x`, with or without
/// `/_history/n`); or, with no reference, the type `Organization` (as the type's name or its
/// HL7 StructureDefinition address). A reference to anything else wins over what the type says.
fn is_organisation(who: &Value) -> bool {
    const TYPE_URL: &str = "http://hl7.org/fhir/StructureDefinition/Organization";
    let id = |s: &str| !s.is_empty() && s.len() <= 64 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') && s != "." && s != "..";
    match who["reference"].as_str() {
        Some(reference) => {
            if reference.contains(['?', '#']) {
                return false;
            }
            let mut parts: Vec<&str> = reference.split('/').collect();
            if parts.len() >= 4 && parts[parts.len() - 2] == "_history" && id(parts[parts.len() - 1]) {
                parts.truncate(parts.len() - 2);
            }
            let relative_or_absolute = parts.len() == 2 || reference.starts_with("https://") || reference.starts_with("http://");
            parts.len() >= 2 && relative_or_absolute && parts[parts.len() - 2] == "Organization" && id(parts[parts.len() - 1]) && !parts.contains(&"..")
        }
        None => who["type"].as_str().is_some_and(|t| t == "Organization" || t == TYPE_URL),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_balp_patient_read_is_understood() {
        let e = parse(&example("evt-1", "9434765919", "2026-11-20T14:03:00Z", "Dr Ada Lovelace", "TREAT")).unwrap();
        assert_eq!(e.nhs_number.expose(), "9434765919");
        assert_eq!(e.agent_name, "Dr Ada Lovelace");
        assert_eq!(e.agent_id.as_deref(), Some("555021935107"));
        assert_eq!(e.agent_role.as_deref(), Some("Physician"));
        assert_eq!(e.org_ods.as_deref(), Some("RX1"));
        assert_eq!(e.org_name.as_deref(), Some("Northshire Hospitals NHS Foundation Trust"));
        assert_eq!(e.viewed, "medicines, allergies");
        assert!(!e.emergency && !e.automated);
        assert_eq!(e.observer, "Northshire Shared Care Record");
    }

    #[test]
    fn an_ods_code_in_lower_case_is_the_same_organisation() {
        let text = example("evt-1", "9434765919", "2026-11-20T14:03:00Z", "Dr Ada Lovelace", "TREAT").to_string().replace("\"RX1\"", "\" rx1 \"");
        assert!(text.contains(" rx1 "), "the example names the organisation as RX1");
        let e = parse(&serde_json::from_str(&text).unwrap()).unwrap();
        assert_eq!(e.org_ods.as_deref(), Some("RX1"));
    }

    #[test]
    fn an_ods_code_that_is_no_code_is_refused() {
        for bad in [serde_json::json!("<b>RX</b>"), serde_json::json!("R"), serde_json::json!("RX-1"), serde_json::json!("RX1RX1RX1RX1"), serde_json::json!(""), serde_json::json!("  "), serde_json::json!(12345), Value::Null] {
            let mut v = example("evt-1", "9434765919", "2026-11-20T14:03:00Z", "Dr Ada Lovelace", "TREAT");
            v["agent"][1]["who"]["identifier"]["value"] = bad.clone();
            let issues = parse(&v).unwrap_err();
            assert!(issues.iter().any(|i| i.path == "AuditEvent.agent[1].who.identifier.value"), "{bad}: {issues:?}");
        }
    }

    #[test]
    fn an_organisation_without_an_ods_code_is_still_named() {
        let mut v = example("evt-1", "9434765919", "2026-11-20T14:03:00Z", "Dr Ada Lovelace", "TREAT");
        v["agent"][1]["who"] = serde_json::json!({ "reference": "Organization/northshire", "display": "Northshire Hospice" });
        let e = parse(&v).unwrap();
        assert_eq!((e.org_ods.as_deref(), e.org_name.as_deref()), (None, Some("Northshire Hospice")));
        v["agent"][1]["who"] = serde_json::json!({ "type": "Organization", "identifier": { "system": "https://example.org/orgs", "value": "77" }, "display": "Westvale Care Home" });
        assert_eq!(parse(&v).unwrap().org_name.as_deref(), Some("Westvale Care Home"));
        v["agent"][1]["who"] = serde_json::json!({ "type": "http://hl7.org/fhir/StructureDefinition/Organization", "display": "Eastvale Hospice" });
        assert_eq!(parse(&v).unwrap().org_name.as_deref(), Some("Eastvale Hospice"));
        v["agent"][1]["who"] = serde_json::json!({ "reference": "https://scr.example.org/fhir/Organization/9", "display": "Southvale Clinic" });
        assert_eq!(parse(&v).unwrap().org_name.as_deref(), Some("Southvale Clinic"));
        // A person's name is never taken for an organisation's.
        for who in [
            serde_json::json!({ "display": "Someone" }),
            serde_json::json!({ "reference": "Practitioner/zz", "type": "Organization", "display": "Dr Z" }),
            serde_json::json!({ "reference": "https://e.org/Organization/../Practitioner/x", "display": "Dr X" }),
            serde_json::json!({ "reference": "Organization/", "display": "Nobody" }),
            serde_json::json!({ "reference": "/Organization/x", "display": "Nobody" }),
            serde_json::json!({ "type": "http://evil.example/Organization", "display": "Dr Evil" }),
        ] {
            v["agent"][1]["who"] = who.clone();
            assert_eq!(parse(&v).unwrap().org_name, None, "{who}");
        }
        for who in [
            serde_json::json!({ "reference": "Organization/o1?x=Practitioner", "display": "Dr Q" }),
            serde_json::json!({ "reference": "https://h/fhir/Organization/o1/_history/", "display": "Dr H" }),
        ] {
            v["agent"][1]["who"] = who.clone();
            assert_eq!(parse(&v).unwrap().org_name, None, "{who}");
        }
        // Nor is another agent that says it is the requestor.
        v["agent"][1]["requestor"] = serde_json::json!(true);
        v["agent"][1]["who"] = serde_json::json!({ "reference": "Organization/o1", "display": "Dr Two" });
        assert_eq!(parse(&v).unwrap().org_name, None);
        // Nor is the person who looked, whatever their `who` says it is.
        let mut alone = example("evt-2", "9434765919", "2026-11-20T14:03:00Z", "Dr Ada Lovelace", "TREAT");
        alone["agent"].as_array_mut().unwrap().truncate(1);
        alone["agent"][0]["who"]["type"] = serde_json::json!("Organization");
        assert_eq!(parse(&alone).unwrap().org_name, None);
        // A person with an ODS code of their own: the code is kept (the area may know its name),
        // the person's name is not taken for it; an organisation's agent beside them wins.
        alone["agent"][0]["who"]["identifier"] = serde_json::json!({ "system": ODS_SYSTEM, "value": "ZQ7" });
        let e = parse(&alone).unwrap();
        assert_eq!((e.org_ods.as_deref(), e.org_name.as_deref()), (Some("ZQ7"), None));
        let mut both = example("evt-3", "9434765919", "2026-11-20T14:03:00Z", "Dr Ada Lovelace", "TREAT");
        both["agent"][0]["who"]["identifier"] = serde_json::json!({ "system": ODS_SYSTEM, "value": "ZR1" });
        let e = parse(&both).unwrap();
        assert_eq!((e.org_ods.as_deref(), e.org_name.as_deref()), (Some("RX1"), Some("Northshire Hospitals NHS Foundation Trust")));
        v["agent"][1]["requestor"] = serde_json::json!(false);
        v["agent"][1]["who"] = serde_json::json!({ "reference": "https://scr.example.org/fhir/Organization/9/_history/2", "display": "Southvale Clinic" });
        assert_eq!(parse(&v).unwrap().org_name.as_deref(), Some("Southvale Clinic"));
    }

    #[test]
    fn an_emergency_among_several_purposes_is_never_missed() {
        // BALP's SAML purpose-of-use pattern: several purposes on the agent.
        let mut v = example("saml-1", "9434765919", "2026-11-20T14:03:00Z", "Dr B", "TREAT");
        v["agent"][0]["purposeOfUse"] = serde_json::json!([
            { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT" }] },
            { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "ETREAT" }] },
            { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HPAYMT" }] },
            { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HOPERAT" }] }
        ]);
        let e = parse(&v).unwrap();
        assert!(e.emergency, "ETREAT is second of four");
        assert_eq!(e.purpose, "ETREAT\nTREAT\nHPAYMT\nHOPERAT", "every purpose, the emergency first");
        // Break glass flagged only in the security labels.
        let mut v = example("btg-1", "9434765919", "2026-11-20T14:03:00Z", "Dr B", "TREAT");
        v["meta"] = serde_json::json!({ "security": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "BTG" }] });
        let e = parse(&v).unwrap();
        assert!(e.emergency);
        assert_eq!(e.purpose, "BTG\nTREAT");
    }

    #[test]
    fn an_observer_given_only_by_reference_is_accepted() {
        let mut v = example("ref-1", "9434765919", "2026-11-20T14:03:00Z", "Dr B", "TREAT");
        v["source"]["observer"] = serde_json::json!({ "reference": "Device/scr-server" });
        assert_eq!(parse(&v).unwrap().observer, "The shared care record system");
    }

    #[test]
    fn break_glass_and_machines_are_recognised() {
        assert!(parse(&example("e", "9434765919", "2026-11-20T14:03:00Z", "Dr B", "ETREAT")).unwrap().emergency);
        let mut v = example("e", "9434765919", "2026-11-20T14:03:00Z", "Overnight reconciliation", "TREAT");
        v["agent"][0]["who"]["reference"] = "Device/reconciler".into();
        assert!(parse(&v).unwrap().automated);
    }

    #[test]
    fn each_problem_is_named_by_its_path() {
        let mut v = example("bad id!", "9434765918", "yesterday", "", "TREAT");
        v["source"] = serde_json::json!({});
        let issues = parse(&v).unwrap_err();
        let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "AuditEvent.id",
                "AuditEvent.recorded",
                "AuditEvent.period.start",
                "AuditEvent.entity[0].what.identifier.value",
                "AuditEvent.agent[0].who.display",
                "AuditEvent.source.observer"
            ]
        );
        assert!(issues[3].message.contains("modulus 11"));
        assert_eq!(parse(&serde_json::json!({"resourceType": "Patient"})).unwrap_err()[0].path, "resourceType");
        let mut no_patient = example("e", "9434765919", "2026-11-20T14:03:00Z", "Dr B", "TREAT");
        no_patient["entity"] = serde_json::json!([]);
        assert_eq!(parse(&no_patient).unwrap_err()[0].path, "AuditEvent.entity");
    }
}
