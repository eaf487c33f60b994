//! The CapabilityStatement at `GET /fhir/metadata`: what a shared care record system can do
//! here, as FHIR servers say it. It must stay true: the tests send what it offers and check
//! that what it does not offer is refused.

use serde_json::{json, Value};

/// The BALP profiles whose events the portal reads (a patient must be named by NHS number).
pub const BALP_PROFILES: &[&str] = &[
    "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientRead",
    "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientQuery",
    "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientCreate",
    "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientUpdate",
    "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.PatientDelete",
    "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.SAMLaccessTokenUse",
    "https://profiles.ihe.net/ITI/BALP/StructureDefinition/IHE.BasicAudit.OAUTHaccessTokenUse",
];

/// When this statement last changed.
const LAST_CHANGED: &str = "2026-12-01";

pub fn statement() -> Value {
    json!({
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": LAST_CHANGED,
        "publisher": "Shared Care Record Privacy Portal",
        "description": "Shared care record systems send the portal an AuditEvent for every look at a patient's record, so that patients can see who looked and why. An event is never changed once received: the same id sent again is either already held (the same content) or a conflict (different content). The portal keeps what patients are shown of each event (who, their role, the organisation, every purpose, what was done to which kind of information, the outcome and the system that recorded it), not the resource as sent; a read gives that back.",
        "kind": "instance",
        "software": { "name": "Shared Care Record Privacy Portal", "version": env!("CARGO_PKG_VERSION") },
        "implementation": { "description": "Access transparency API of the Shared Care Record Privacy Portal" },
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [{
            "mode": "server",
            "documentation": "Every problem is answered with an OperationOutcome naming its FHIRPath; a bad entry in a batch or line in an import never stops the rest.",
            "security": {
                "cors": false,
                "service": [{
                    "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/restful-security-service", "code": "OAuth", "display": "OAuth" }],
                    "text": "OAuth 2.0 client credentials: POST /oauth/token with the system's client id and secret gives a bearer token for an hour"
                }, {
                    "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/restful-security-service", "code": "Basic", "display": "Basic" }],
                    "text": "HTTP Basic with the system's client id and secret, as registered by the area's administrator"
                }],
                "description": "Each sending system is registered by an administrator of its area and may read back only the events it sent."
            },
            "resource": [{
                "type": "AuditEvent",
                "profile": "http://hl7.org/fhir/StructureDefinition/AuditEvent",
                "supportedProfile": BALP_PROFILES,
                "documentation": "The patient is the entity whose what.identifier has system https://fhir.nhs.uk/Id/nhs-number (a string). The person who looked is the requestor agent (or the first agent that is not a machine) and needs who.display; with only machines, the event is shown as a computer system's. Names are at most 200 characters with no line breaks, descriptions 1,000; at most 50 entities and 20 agents; no control or hidden formatting characters. recorded is a FHIR instant, from 1990, and at most five minutes ahead of the portal's clock. A batch holds at most 1,000 entries.",
                "interaction": [
                    { "code": "create", "documentation": "201 when stored, 200 when already held with the same content, 409 when the id is held with different content" },
                    { "code": "read", "documentation": "Only events the reading system sent; gives what the portal keeps of the event, not the resource as sent" }
                ],
                "versioning": "no-version",
                "readHistory": false,
                "updateCreate": false,
                "conditionalCreate": false,
                "conditionalUpdate": false,
                "conditionalDelete": "not-supported",
                "operation": [{
                    "name": "import",
                    "definition": "https://shared-care-record-privacy.nhs.uk/fhir/OperationDefinition/AuditEvent-import",
                    "documentation": "POST /fhir/AuditEvent/$import with newline-delimited AuditEvents (application/fhir+ndjson), up to 64 MB: good lines are stored, and the answer counts them and names each bad line"
                }]
            }],
            "interaction": [{ "code": "batch", "documentation": "A Bundle of type batch whose entries are POST AuditEvent" }]
        }]
    })
}
