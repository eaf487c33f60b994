//! Events shaped as IHE Basic Audit Log Patterns (BALP) publishes its own examples: a read
//! recorded by the server (observer by reference, a client workstation and a server among the
//! agents, the patient by reference), a patient query (action E, the search in base64), an
//! update between two systems with no user named, and a SAML purpose-of-use token with several
//! purposes. Each follows the published example of that name, with the patient also named by
//! NHS number (the national identifier this portal files events by). The patient must read
//! each one truly: the person, never the workstation; "searched for" a search; the reason as
//! given, or "reason not given"; an emergency among several purposes marked.

use crate::helpers::{nhs, TestApp};
use crate::ingest::Source;
use serde_json::{json, Value};

const NHS: &str = "9434765927";

fn patient() -> Value {
    json!({
        "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "1", "display": "Person" },
        "role": { "system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "1", "display": "Patient" },
        "what": { "reference": "Patient/ex-patient", "identifier": { "system": "https://fhir.nhs.uk/Id/nhs-number", "value": NHS } }
    })
}

fn machines(server_type: &str, client_type: &str) -> Vec<Value> {
    vec![
        json!({
            "type": { "coding": [{ "system": "http://dicom.nema.org/resources/ontology/DCM", "code": server_type }] },
            "who": { "reference": "Device/ex-device" },
            "requestor": false,
            "network": { "address": "http://server.example.com/fhir", "type": "5" }
        }),
        json!({
            "type": { "coding": [{ "system": "http://dicom.nema.org/resources/ontology/DCM", "code": client_type }] },
            "who": { "display": "myMachine.example.org" },
            "requestor": false,
            "network": { "address": "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "type": "2" }
        }),
    ]
}

fn user() -> Value {
    json!({
        "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP", "display": "information recipient" }] },
        "who": { "display": "John Smith" },
        "requestor": true
    })
}

fn transaction(id: &str) -> Value {
    json!({
        "type": { "system": "https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType", "code": "XrequestId" },
        "what": { "identifier": { "value": id } }
    })
}

fn base(id: &str, action: &str, subtype: &str, profile: &str) -> Value {
    json!({
        "resourceType": "AuditEvent",
        "id": id,
        "meta": {
            "profile": [format!("https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.{profile}")],
            "security": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HTEST" }]
        },
        "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-event-type", "code": "rest", "display": "Restful Operation" },
        "subtype": [{ "system": "http://hl7.org/fhir/restful-interaction", "code": subtype, "display": subtype }],
        "action": action,
        "recorded": "2020-04-29T09:49:00.000Z",
        "outcome": "0",
        "source": {
            "site": "server.example.com",
            "observer": { "reference": "Device/ex-device" },
            "type": [{ "system": "http://terminology.hl7.org/CodeSystem/security-source-type", "code": "4", "display": "Application Server" }]
        }
    })
}

/// The examples, by the name of the BALP example each follows.
pub(crate) fn examples() -> Vec<(&'static str, Value)> {
    let mut read = base("ex-auditBasicReadServer", "R", "read", "PatientRead");
    read["agent"] = json!([machines("110153", "110152"), vec![user()]].concat());
    read["entity"] = json!([
        patient(),
        { "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "2" },
          "role": { "system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "4" },
          "what": { "reference": "List/ex-list" } },
        transaction("76d148b6-586d-11ec-bf63-0242ac130002")
    ]);

    let mut query = base("ex-auditBasicQueryGetServer", "E", "search", "PatientQuery");
    query["agent"] = json!([machines("110152", "110153"), vec![user()]].concat());
    let search = "GET test.fhir.org/r4/Observation?subject=Patient/ex-patient\nAccept: application/fhir+json; fhirVersion=4.0\n".to_string();
    use base64::Engine;
    query["entity"] = json!([
        patient(),
        { "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "2" },
          "role": { "system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "24", "display": "Query" },
          "description": search,
          "query": base64::engine::general_purpose::STANDARD.encode(&search) },
        transaction("4a8dca3c-2205-4dc7-90e1-db877781d7cc")
    ]);

    let mut update = base("ex-auditBasicUpdate1", "U", "update", "PatientUpdate");
    update["agent"] = json!(machines("110152", "110153"));
    update["entity"] = json!([
        patient(),
        { "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "2" },
          "role": { "system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "3" },
          "what": { "reference": "DocumentReference/ex-documentreference" } }
    ]);

    let mut create = base("ex-auditBasicCreateServer", "C", "create", "PatientCreate");
    create["agent"] = json!([machines("110152", "110153"), vec![user()]].concat());
    create["entity"] = json!([
        patient(),
        { "type": { "system": "http://terminology.hl7.org/CodeSystem/audit-entity-type", "code": "2" },
          "role": { "system": "http://terminology.hl7.org/CodeSystem/object-role", "code": "4" },
          "what": { "reference": "AllergyIntolerance/ex-allergy" } }
    ]);

    let mut saml = base("ex-auditSAMLaccessTokenUse", "R", "read", "SAMLaccessTokenUse");
    let mut person = user();
    person["purposeOfUse"] = json!(["TREAT", "ETREAT", "HPAYMT", "HOPERAT"]
        .iter()
        .map(|c| json!({ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": c }] }))
        .collect::<Vec<_>>());
    saml["agent"] = json!([machines("110153", "110152"), vec![person]].concat());
    saml["entity"] = json!([patient(), { "what": { "reference": "MedicationStatement/ex-medication" } }]);

    // What an attacker sent: a refused access, several purposes one of them research, and a
    // purpose given in words only.
    let mut refused = base("ex-refused", "R", "read", "PatientRead");
    refused["outcome"] = json!("4");
    refused["agent"] = json!([user()]);
    refused["entity"] = json!([patient(), { "what": { "reference": "MedicationStatement/x" } }]);
    let mut research = base("ex-research", "R", "read", "PatientRead");
    research["agent"] = json!([user()]);
    research["purposeOfEvent"] = json!([
        { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT" }] },
        { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HRESCH" }] },
        { "text": "urgent care review" }
    ]);
    research["entity"] = json!([patient()]);

    vec![("refused-read", refused), ("several-purposes", research), ("patient-read-server", read), ("patient-query-server", query), ("patient-create-server", create), ("update-between-systems", update), ("saml-purpose-of-use", saml)]
}

#[tokio::test]
async fn balp_shaped_events_are_accepted_and_read_truly() {
    let app = TestApp::spawn().await;
    let source = Source::register(&app, "Northshire Shared Care Record").await;
    for (name, event) in examples() {
        let (status, body) = source.send(&event).await;
        assert_eq!(status, 201, "{name}: {body}");
    }
    let held = crate::helpers::every_access_event(&*app.state.store, nhs(NHS)).await;
    let find = |id: &str| held.iter().find(|e| e.source_event_id == id).unwrap_or_else(|| panic!("{id} stored"));
    use app::access_log::describe::{done, why};

    let read = find("ex-auditBasicReadServer");
    assert_eq!(read.agent_name, "John Smith", "the person, never the workstation");
    assert!(!read.automated);
    assert_eq!(done(read), "Looked at: lists in your record", "never a FHIR type name");
    assert_eq!(why(&read.purpose), "Reason not given");
    assert_eq!(read.observer, "The shared care record system");
    assert_eq!((read.action.as_deref(), read.subtype.as_deref()), (Some("R"), Some("read")));

    let query = find("ex-auditBasicQueryGetServer");
    assert_eq!(done(query), "Searched for: test results");
    assert_eq!(query.agent_name, "John Smith");

    let update = find("ex-auditBasicUpdate1");
    assert!(update.automated, "no person named: shown with the systems' automated checks");
    assert_eq!(update.agent_name, "myMachine.example.org");
    assert_eq!(done(update), "Changed: letters and documents");

    assert_eq!(done(find("ex-auditBasicCreateServer")), "Added to: allergies");

    assert_eq!(done(find("ex-refused")), "Tried to look at: medicines (it did not succeed)", "a refused access is never shown as a look");
    assert_eq!(why(&find("ex-research").purpose), "To care for you; For research; In their words: urgent care review", "no purpose hidden");

    let saml = find("ex-auditSAMLaccessTokenUse");
    assert!(saml.emergency, "ETREAT among four purposes");
    assert!(why(&saml.purpose).starts_with("In an emergency; To care for you"), "{}", why(&saml.purpose));

    // What Grace reads: the person, the search in plain words, the reason as given.
    let mut grace = app.signed_in("demo-patient-p9-southvale").await;
    let page = grace.get("/access-log?automated=show").await;
    assert!(page.body.contains("Searched for: test results"), "a search reads as one");
    assert!(page.body.contains("Why: Reason not given"));
    assert!(page.body.contains("A computer system (myMachine.example.org)"), "a workstation is never shown as a person");
    let csv = grace.get("/access-log/download.csv").await;
    assert!(csv.body.contains("Changed: letters and documents") && csv.body.contains("In an emergency"));
}

#[tokio::test]
async fn every_export_keeps_what_was_done_and_why() {
    let app = TestApp::spawn().await;
    let source = Source::register(&app, "Northshire Shared Care Record").await;
    for (_, event) in examples() {
        source.send(&event).await;
    }
    let (_, query) = source.get("/fhir/AuditEvent/ex-auditBasicQueryGetServer").await;
    assert_eq!(query["action"], "E");
    assert_eq!(query["subtype"][0]["code"], "search");
    assert!(query.get("purposeOfEvent").is_none(), "no purpose given, none invented");
    let (_, saml) = source.get("/fhir/AuditEvent/ex-auditSAMLaccessTokenUse").await;
    assert_eq!(saml["purposeOfEvent"][0]["coding"][0]["code"], "ETREAT", "the emergency is kept");
    assert!(!saml.to_string().contains("null"), "FHIR JSON has no nulls");
}
