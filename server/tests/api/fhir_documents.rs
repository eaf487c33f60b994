//! Every kind of FHIR document the portal produces, made here and (when `SCR_FHIR_OUT` names a
//! folder, as the test command sets it) saved there, for `scripts/validate_fhir.py` to check with
//! an R4 model library that is not the portal's own: the patient's access-log download, the
//! response to a request for a copy, an OperationOutcome and a batch-response.

use crate::casework::lodge_access_request;
use crate::helpers::TestApp;
use crate::ingest::{read, Source};
use serde_json::{json, Value};
use std::io::Read;

pub(crate) fn save(name: &str, doc: &Value) {
    assert!(doc["resourceType"].is_string(), "{name} is a FHIR resource");
    if let Some(dir) = std::env::var_os("SCR_FHIR_OUT") {
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.json")), serde_json::to_string_pretty(doc).unwrap()).unwrap();
    }
}

#[tokio::test]
async fn every_fhir_document_the_portal_makes_is_saved_for_the_independent_validator() {
    let app = TestApp::spawn().await;

    // The patient's access-log download, and the response to a request for a copy.
    let mut amira = app.signed_in("demo-patient-p9").await;
    let download = amira.get("/access-log/download.json").await;
    save("access-log-download", &serde_json::from_str(&download.body).unwrap());
    let reference = lodge_access_request(&mut amira).await;
    let mut chloe = app.signed_in("demo-case-worker").await;
    chloe.post_form(&format!("/cases/{reference}/fulfil"), &[]).await;
    let zip = reqwest::Client::builder()
        .build()
        .unwrap()
        .get(format!("{}/your-requests/{reference}/download", app.address))
        .header("cookie", amira.cookie_header())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
    let mut bundle = String::new();
    archive.by_name("bundle.json").unwrap().read_to_string(&mut bundle).unwrap();
    let bundle: Value = serde_json::from_str(&bundle).unwrap();
    assert!(bundle["entry"].as_array().unwrap().iter().any(|e| e["resource"]["resourceType"] == "AuditEvent"));
    save("response-bundle", &bundle);

    // What the API answers a system with.
    let source = Source::register(&app, "Southvale Care Record").await;
    let (status, outcome) = source.send(&json!({ "resourceType": "AuditEvent", "id": "x" })).await;
    assert_eq!(status, 400);
    save("operation-outcome", &outcome);
    let batch = json!({
        "resourceType": "Bundle",
        "type": "batch",
        "entry": [
            { "resource": read("doc-1", "2026-11-20T09:00:00Z"), "request": { "method": "POST", "url": "AuditEvent" } },
            { "resource": { "resourceType": "AuditEvent" }, "request": { "method": "POST", "url": "AuditEvent" } }
        ]
    });
    let (_, answer) = source.post("/fhir", "application/fhir+json", batch.to_string()).await;
    save("batch-response", &answer);
    let (_, back) = source.get("/fhir/AuditEvent/doc-1").await;
    save("audit-event-read-back", &back);
    let metadata: Value = reqwest::get(format!("{}/fhir/metadata", app.address)).await.unwrap().json().await.unwrap();
    save("capability-statement", &metadata);
    // The BALP-shaped events the tests send are themselves valid R4.
    for (name, event) in crate::balp::examples() {
        save(&format!("balp-{name}"), &event);
    }
}
