//! Reads a FHIR R4 AuditEvent shaped by IHE Basic Audit Log Patterns (BALP) into what the
//! portal keeps of a look at a patient's record. Every problem is named by its FHIRPath, so
//! the sender can fix it; nothing is kept of a resource with a problem.

use app::domain::NhsNumber;
use app::server::AccessEvent;
use chrono::{DateTime, Utc};
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
        other => other,
    }
}

/// The access event a resource describes, not yet tied to the source that sent it
/// (`source_id` is set by the API, which knows who is sending).
pub fn parse(resource: &Value) -> Result<AccessEvent, Vec<Issue>> {
    let mut issues = Vec::new();
    if resource["resourceType"] != "AuditEvent" {
        return Err(vec![issue("resourceType", "invalid", "resourceType must be AuditEvent")]);
    }
    let id = match text(&resource["id"]) {
        Some(id) if valid_id(&id) => Some(id),
        Some(_) => {
            issues.push(issue("AuditEvent.id", "value", "id must be 1 to 64 letters, digits, '-' or '.'"));
            None
        }
        None => {
            issues.push(issue("AuditEvent.id", "required", "id is required: with the source it makes the event unique"));
            None
        }
    };
    let recorded_at = match resource["recorded"].as_str() {
        Some(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(_) => {
                issues.push(issue("AuditEvent.recorded", "value", "recorded must be a FHIR instant with a time zone, like 2026-11-24T09:30:00Z"));
                None
            }
        },
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

    // The patient: the entity whose `what.identifier` is an NHS number.
    const NONE: &[Value] = &[];
    let entities = resource["entity"].as_array().map_or(NONE, Vec::as_slice);
    let mut nhs_number = None;
    let mut viewed: Vec<String> = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        let ident = &e["what"]["identifier"];
        if ident["system"] == NHS_NUMBER_SYSTEM {
            let value = ident["value"].as_str().unwrap_or_default();
            match NhsNumber::parse(value) {
                Ok(n) if nhs_number.is_none() => nhs_number = Some(n),
                Ok(_) => issues.push(issue(format!("AuditEvent.entity[{i}]"), "invalid", "only one patient may be named in an event")),
                Err(_) => issues.push(issue(
                    format!("AuditEvent.entity[{i}].what.identifier.value"),
                    "value",
                    "the NHS number is not valid (it fails the modulus 11 check)",
                )),
            }
        } else {
            let words = text(&e["name"])
                .or_else(|| text(&e["description"]))
                .or_else(|| e["what"]["reference"].as_str().and_then(|r| r.split('/').next()).map(|k| plain_resource(k).to_string()))
                .or_else(|| text(&e["what"]["type"]).map(|k| plain_resource(&k).to_string()))
                .or_else(|| concept_words(&e["type"]));
            if let Some(w) = words {
                if !viewed.contains(&w) {
                    viewed.push(w);
                }
            }
        }
    }
    if nhs_number.is_none() && !issues.iter().any(|i| i.path.starts_with("AuditEvent.entity")) {
        issues.push(issue("AuditEvent.entity", "required", format!("an entity whose what.identifier has system {NHS_NUMBER_SYSTEM} is required")));
    }

    // The person: the requestor agent (BALP), or the first agent.
    let agents = resource["agent"].as_array().map_or(NONE, Vec::as_slice);
    if agents.is_empty() {
        issues.push(issue("AuditEvent.agent", "required", "at least one agent is required"));
    }
    let requestor = agents.iter().position(|a| a["requestor"] == true).unwrap_or(0);
    let agent = agents.get(requestor).unwrap_or(&Value::Null);
    let who = &agent["who"];
    let automated = who["reference"].as_str().is_some_and(|r| r.starts_with("Device/"))
        || agent["type"]["coding"].as_array().is_some_and(|cs| cs.iter().any(|c| c["code"] == "110150"));
    let agent_name = text(&who["display"]).or_else(|| text(&agent["name"]));
    if agent_name.is_none() && !agents.is_empty() {
        issues.push(issue(format!("AuditEvent.agent[{requestor}].who.display"), "required", "the agent's name (who.display) is required"));
    }
    let agent_id = text(&who["identifier"]["value"]);
    let agent_role = agent["role"].as_array().and_then(|rs| rs.iter().find_map(concept_words));
    // The organisation: an agent (or the requestor's `who`) identified by an ODS code.
    let org = agents
        .iter()
        .map(|a| &a["who"])
        .find(|w| w["identifier"]["system"] == ODS_SYSTEM)
        .map(|w| (text(&w["identifier"]["value"]), text(&w["display"])));
    let (org_ods, org_name) = org.unwrap_or((None, None));
    // Every purpose given, by any agent or for the event: BALP's SAML pattern sends several
    // (TREAT, ETREAT, HPAYMT, HOPERAT), and an emergency among them must never be missed.
    let mut purposes: Vec<String> = agents
        .iter()
        .flat_map(|a| a["purposeOfUse"].as_array().map_or(NONE, Vec::as_slice))
        .chain(resource["purposeOfEvent"].as_array().map_or(NONE, Vec::as_slice))
        .flat_map(codes)
        .collect();
    purposes.dedup();
    let break_glass = resource["meta"]["security"].as_array().is_some_and(|s| s.iter().any(|c| c["code"] == "BTG"));
    let emergency = break_glass || purposes.iter().any(|p| p == "ETREAT" || p == "BTG");
    // The purpose the patient reads: the emergency one when there is one, else the first given.
    let purpose = purposes
        .iter()
        .find(|p| *p == "BTG" || *p == "ETREAT")
        .cloned()
        .or_else(|| break_glass.then(|| "BTG".to_string()))
        .or_else(|| purposes.first().cloned())
        .unwrap_or_else(|| "TREAT".into());

    // The system that recorded it: by name, identifier, or (as BALP's server-recorded events
    // give it) a reference alone, which is valid R4; the patient then reads a plain name for it.
    let observer_ref = &resource["source"]["observer"];
    let observer = text(&observer_ref["display"])
        .or_else(|| text(&observer_ref["identifier"]["value"]))
        .or_else(|| text(&observer_ref["reference"]).map(|_| "The shared care record system".to_string()));
    if observer.is_none() {
        issues.push(issue("AuditEvent.source.observer", "required", "source.observer (a reference, display or identifier) is required"));
    }
    let outcome = text(&resource["outcome"]).unwrap_or_else(|| "0".into());
    if !matches!(outcome.as_str(), "0" | "4" | "8" | "12") {
        issues.push(issue("AuditEvent.outcome", "value", "outcome must be 0, 4, 8 or 12"));
    }

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
        }),
        _ => Err(issues),
    }
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
        assert_eq!(e.purpose, "ETREAT");
        // Break glass flagged only in the security labels.
        let mut v = example("btg-1", "9434765919", "2026-11-20T14:03:00Z", "Dr B", "TREAT");
        v["meta"] = serde_json::json!({ "security": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "BTG" }] });
        let e = parse(&v).unwrap();
        assert!(e.emergency);
        assert_eq!(e.purpose, "BTG");
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
