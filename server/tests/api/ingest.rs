//! The FHIR access-event API as a shared care record system uses it: one event, batches,
//! bulk NDJSON, duplicates, OperationOutcomes, and who may send.

use crate::helpers::{TestApp, TestDb};
use crate::on_both_backends;
use serde_json::{json, Value};
use server::fhir::audit_event::example;

pub(crate) struct Source {
    base: String,
    client_id: String,
    secret: String,
    http: reqwest::Client,
}

impl Source {
    pub(crate) async fn register(app: &TestApp, name: &str) -> Source {
        let (client_id, secret) = app::staff_admin::ssr::register_source(&*app.state.store, name, None).await.unwrap();
        Source { base: app.address.clone(), client_id, secret, http: reqwest::Client::new() }
    }

    pub(crate) async fn post(&self, path: &str, content_type: &str, body: String) -> (u16, Value) {
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .basic_auth(&self.client_id, Some(&self.secret))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub(crate) async fn send(&self, event: &Value) -> (u16, Value) {
        self.post("/fhir/AuditEvent", "application/fhir+json", event.to_string()).await
    }
}

pub(crate) fn read(id: &str, at: &str) -> Value {
    // Grace Okoye's NHS number: the demonstration data gives Amira a month of events already.
    example(id, "9434765927", at, "Dr Ada Lovelace", "TREAT")
}

on_both_backends!(events_are_stored_once_and_bad_ones_named);

async fn events_are_stored_once_and_bad_ones_named(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let source = Source::register(&app, "Northshire Shared Care Record").await;

    let (status, body) = source.send(&read("evt-1", "2026-11-20T09:00:00Z")).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["resourceType"], "OperationOutcome");
    let (status, _) = source.send(&read("evt-1", "2026-11-20T09:00:00Z")).await;
    assert_eq!(status, 200, "the same event again is not stored twice");

    let mut bad = read("evt-2", "2026-11-20T09:00:00Z");
    bad["entity"][0]["what"]["identifier"]["value"] = "9434765928".into();
    let (status, body) = source.send(&bad).await;
    assert_eq!(status, 400);
    assert_eq!(body["issue"][0]["expression"][0], "AuditEvent.entity[0].what.identifier.value");
    assert!(body["issue"][0]["diagnostics"].as_str().unwrap().contains("modulus 11"));
    let (status, body) = source.post("/fhir/AuditEvent", "application/fhir+json", "{not json".into()).await;
    assert_eq!((status, body["issue"][0]["code"].as_str()), (400, Some("structure")));

    // A batch: each entry answered in order; a bad one stops nothing.
    let bundle = json!({
        "resourceType": "Bundle", "type": "batch",
        "entry": [
            { "resource": read("evt-3", "2026-11-21T10:00:00Z"), "request": { "method": "POST", "url": "AuditEvent" } },
            { "resource": bad, "request": { "method": "POST", "url": "AuditEvent" } },
            { "resource": read("evt-1", "2026-11-20T09:00:00Z"), "request": { "method": "POST", "url": "AuditEvent" } },
            { "resource": read("evt-4", "2026-11-21T11:00:00Z"), "request": { "method": "DELETE", "url": "AuditEvent/evt-1" } }
        ]
    });
    let (status, body) = source.post("/fhir", "application/fhir+json", bundle.to_string()).await;
    assert_eq!(status, 200);
    assert_eq!(body["type"], "batch-response");
    let statuses: Vec<&str> = body["entry"].as_array().unwrap().iter().map(|e| e["response"]["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["201 Created", "400 Bad Request", "200 OK", "400 Bad Request"]);
    assert_eq!(body["entry"][1]["response"]["outcome"]["issue"][0]["expression"][0], "Bundle.entry[1].resource.entity[0].what.identifier.value");
    let (_, again) = source.post("/fhir", "application/fhir+json", bundle.to_string()).await;
    assert_eq!(again["entry"][0]["response"]["status"], "200 OK", "a retried batch is harmless");

    // Bulk NDJSON.
    let mut lines: Vec<String> = (0..1200).map(|i| read(&format!("bulk-{i}"), "2026-11-22T08:00:00Z").to_string()).collect();
    lines.push("{\"resourceType\": \"AuditEvent\"}".into());
    lines.push(read("evt-1", "2026-11-20T09:00:00Z").to_string());
    let (status, body) = source.post("/fhir/AuditEvent/$import", "application/fhir+ndjson", lines.join("\n")).await;
    assert_eq!(status, 200);
    assert_eq!(body["issue"][0]["diagnostics"], "1202 received: 1200 stored, 1 already held, 1 refused");
    assert!(body["issue"][1]["diagnostics"].as_str().unwrap().starts_with("line 1201: "));

    let held = app
        .state
        .store
        .access_events(&app::server::AccessQuery {
            nhs_number: crate::helpers::nhs("9434765927"),
            from: None,
            to: None,
            org_ods: None,
            include_automated: true,
            before: None,
            limit: 5000,
        })
        .await
        .unwrap();
    assert_eq!(held.len(), 1202, "evt-1, evt-3 and 1,200 bulk events");
    let sources = app.state.store.sources().await.unwrap();
    let sources: Vec<_> = sources.into_iter().filter(|s| s.client_id == source.client_id).collect();
    assert_eq!(sources[0].first_event_at.unwrap().to_rfc3339(), "2026-11-20T09:00:00+00:00");
    assert_eq!(sources[0].latest_event_at.unwrap().to_rfc3339(), "2026-11-22T08:00:00+00:00");
}

#[tokio::test]
async fn only_registered_unrevoked_sources_may_send() {
    let app = TestApp::spawn().await;
    let source = Source::register(&app, "Southvale Care Record").await;
    let http = reqwest::Client::new();
    let url = format!("{}/fhir/AuditEvent", app.address);
    let event = read("e-1", "2026-11-20T09:00:00Z").to_string();

    let none = http.post(&url).body(event.clone()).send().await.unwrap();
    assert_eq!(none.status(), 401);
    assert!(none.headers().get("www-authenticate").is_some());
    let wrong = http.post(&url).basic_auth(&source.client_id, Some("not-the-secret")).body(event.clone()).send().await.unwrap();
    assert_eq!(wrong.status(), 401);

    // Client credentials for a bearer token.
    let token: Value = http
        .post(format!("{}/oauth/token", app.address))
        .basic_auth(&source.client_id, Some(&source.secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(token["token_type"], "Bearer");
    let bearer = token["access_token"].as_str().unwrap().to_string();
    let ok = http.post(&url).bearer_auth(&bearer).body(event.clone()).send().await.unwrap();
    assert_eq!(ok.status(), 201);
    let refused = http
        .post(format!("{}/oauth/token", app.address))
        .form(&[("grant_type", "client_credentials"), ("client_id", &source.client_id), ("client_secret", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);

    // Revoked: the secret and every token stop working at once.
    assert!(app.state.store.revoke_source(&source.client_id, chrono::Utc::now()).await.unwrap());
    assert_eq!(http.post(&url).bearer_auth(&bearer).body(event.clone()).send().await.unwrap().status(), 401);
    assert_eq!(source.send(&read("e-2", "2026-11-20T09:00:00Z")).await.0, 401);
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_an_operation_outcome() {
    let app = TestApp::spawn().await;
    let source = Source::register(&app, "Big sender").await;
    let huge = "x".repeat(server::fhir::MAX_BATCH_BYTES + 1);
    let (status, body) = source.post("/fhir/AuditEvent", "application/fhir+json", huge).await;
    assert_eq!(status, 413);
    assert_eq!(body["issue"][0]["code"], "too-costly");
    let spec: Value = reqwest::get(format!("{}/fhir/openapi.json", app.address)).await.unwrap().json().await.unwrap();
    assert_eq!(spec["openapi"], "3.0.3");
    assert!(spec["paths"]["/fhir/AuditEvent/$import"].is_object());
}

#[tokio::test]
async fn an_admin_registers_a_source_and_sees_its_secret_once() {
    let app = TestApp::spawn().await;
    let mut helen = app.signed_in("demo-admin").await;
    let res = helen.post_form("/admin/sources/add", &[("name", "Eastshire Care Record"), ("area", "southvale")]).await;
    assert_eq!(res.location.as_deref(), Some("/admin/sources?done=added"));
    let page = helen.get("/admin/sources?done=added").await;
    assert!(page.body.contains("Eastshire Care Record is registered"));
    let at = page.body.find("class=\"scr-secret\">").unwrap() + 19;
    let secret = page.body[at..].split('<').next().unwrap().to_string();
    let again = helen.get("/admin/sources").await;
    assert!(!again.body.contains(&secret), "shown once only");
    let source = app.state.store.sources().await.unwrap().into_iter().find(|s| s.name == "Eastshire Care Record").unwrap();
    let southvale = app.state.store.area_by_slug(&app::domain::AreaSlug::parse("southvale").unwrap()).await.unwrap().unwrap();
    assert_eq!(source.area_id, Some(southvale.id), "linked to its area, whose retention applies");
    assert!(again.body.contains("Area </span>Southvale Care Record</td>"), "the list shows the system's area");
    let http = reqwest::Client::new();
    let sent = http
        .post(format!("{}/fhir/AuditEvent", app.address))
        .basic_auth(&source.client_id, Some(&secret))
        .body(read("east-1", "2026-11-20T09:00:00Z").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 201);
    let mut chloe = app.signed_in("demo-case-worker").await;
    assert_eq!(chloe.post_form("/admin/sources/revoke", &[("client_id", &source.client_id)]).await.status, 403);
    helen.post_form("/admin/sources/revoke", &[("client_id", &source.client_id)]).await;
    let refused = http
        .post(format!("{}/fhir/AuditEvent", app.address))
        .basic_auth(&source.client_id, Some(&secret))
        .body(read("east-2", "2026-11-20T09:00:00Z").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
}
