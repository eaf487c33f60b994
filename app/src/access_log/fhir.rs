//! One access event as a FHIR R4 AuditEvent, the same wherever the portal gives one out: the
//! patient's download, the response to a request for a copy, and the read-back by the system
//! that sent it. FHIR JSON has no nulls or empty values, so whatever is not known is left out;
//! the action, the interaction and an emergency are kept as they were sent.

use crate::server::AccessEvent;
use serde_json::{json, Map, Value};

const ACT_REASON: &str = "http://terminology.hl7.org/CodeSystem/v3-ActReason";

/// Who the event names as the person who looked, and how.
pub struct Person<'a> {
    /// A name, or a role only, as the patient's area chooses.
    pub display: &'a str,
    /// The person's own identifier (given back only to the system that sent it).
    pub identifier: Option<&'a str>,
    pub role: Option<&'a str>,
}

/// `id`: the resource id to give (none inside a response Bundle, whose fullUrl names it);
/// `patient`: the `what` of the patient entity (an NHS number identifier, or a reference).
pub fn audit_event(e: &AccessEvent, id: Option<&str>, person: &Person<'_>, patient: Value) -> Value {
    let mut r = Map::new();
    r.insert("resourceType".into(), json!("AuditEvent"));
    if let Some(id) = id {
        r.insert("id".into(), json!(id));
    }
    let purposes = crate::access_log::describe::purposes(&e.purpose);
    if purposes.contains(&"BTG") {
        r.insert("meta".into(), json!({ "security": [{ "system": ACT_REASON, "code": "BTG", "display": "break the glass" }] }));
    }
    r.insert("type".into(), json!({ "system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest", "display": "RESTful Operation" }));
    if let Some(subtype) = &e.subtype {
        r.insert("subtype".into(), json!([{ "system": "http://hl7.org/fhir/restful-interaction", "code": subtype }]));
    }
    if let Some(action) = &e.action {
        r.insert("action".into(), json!(action));
    }
    r.insert("recorded".into(), json!(crate::domain::when::rfc3339_uk(e.recorded_at)));
    r.insert("outcome".into(), json!(e.outcome));
    if !purposes.is_empty() {
        // Every purpose given, an emergency first (ETREAT or BTG, never folded into TREAT);
        // one given in words only is given back in words.
        let list: Vec<Value> = purposes
            .iter()
            .map(|p| match p.strip_prefix(crate::access_log::describe::WORDS) {
                Some(words) => json!({ "text": words }),
                None => json!({ "coding": [{ "system": ACT_REASON, "code": p }] }),
            })
            .collect();
        r.insert("purposeOfEvent".into(), Value::Array(list));
    }

    let mut who = Map::new();
    if let Some(identifier) = person.identifier {
        who.insert("identifier".into(), json!({ "value": identifier }));
    }
    // A system by its own name: the words the patient reads ("A computer system (…)") would be
    // wrapped again when a system reads this back in.
    who.insert("display".into(), json!(if e.automated { e.agent_name.as_str() } else { person.display }));
    let mut requestor = Map::new();
    if e.automated {
        requestor.insert("type".into(), json!({ "coding": [{ "system": "http://dicom.nema.org/resources/ontology/DCM", "code": "110150", "display": "Application" }] }));
    }
    requestor.insert("who".into(), Value::Object(who));
    if let Some(role) = person.role {
        requestor.insert("role".into(), json!([{ "text": role }]));
    }
    requestor.insert("requestor".into(), json!(true));
    let mut agents = vec![Value::Object(requestor)];
    let mut org = Map::new();
    if let Some(code) = &e.org_ods {
        org.insert("identifier".into(), json!({ "system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": code }));
    }
    if let Some(name) = &e.org_name {
        org.insert("display".into(), json!(name));
    }
    if !org.is_empty() {
        // Said to be an organisation, so that a name without a code is still read as one.
        org.insert("type".into(), json!("Organization"));
        agents.push(json!({ "who": org, "requestor": false }));
    }
    r.insert("agent".into(), Value::Array(agents));
    r.insert("source".into(), json!({ "observer": { "display": e.observer } }));
    r.insert(
        "entity".into(),
        json!([
            { "what": patient, "role": { "system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "1", "display": "Patient" } },
            { "name": e.viewed }
        ]),
    );
    Value::Object(r)
}

/// The patient entity's `what` by NHS number.
pub fn by_nhs_number(e: &AccessEvent) -> Value {
    json!({ "identifier": { "system": "https://fhir.nhs.uk/Id/nhs-number", "value": e.nhs_number.expose() } })
}
