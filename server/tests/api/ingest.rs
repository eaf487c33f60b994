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

    pub(crate) async fn get(&self, path: &str) -> (u16, Value) {
        let res = self.http.get(format!("{}{path}", self.base)).basic_auth(&self.client_id, Some(&self.secret)).send().await.unwrap();
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

    let held = crate::helpers::every_access_event(&*app.state.store, crate::helpers::nhs("9434765927")).await;
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
    let ok = http.post(&url).bearer_auth(&bearer).header("content-type", "application/fhir+json").body(event.clone()).send().await.unwrap();
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
        .header("content-type", "application/fhir+json")
        .body(read("east-1", "2026-11-20T09:00:00Z").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), 201);
    let mut chloe = app.signed_in("demo-case-worker").await;
    assert_eq!(chloe.post_form("/admin/sources/revoke", &[("client_id", &source.client_id)]).await.status, 403);
    helen.post_form("/admin/sources/revoke", &[("client_id", &source.client_id), ("confirm", "yes")]).await;
    let refused = http
        .post(format!("{}/fhir/AuditEvent", app.address))
        .basic_auth(&source.client_id, Some(&secret))
        .body(read("east-2", "2026-11-20T09:00:00Z").to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
}

on_both_backends!(a_changed_event_under_a_held_id_is_a_conflict_and_a_repeat_is_held);

async fn a_changed_event_under_a_held_id_is_a_conflict_and_a_repeat_is_held(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let source = Source::register(&app, "Northshire Shared Care Record").await;
    let first = read("c-1", "2026-11-20T09:00:00Z");
    assert_eq!(source.send(&first).await.0, 201);
    // The same content with its keys in another order and other spacing is the same event.
    let reordered: Value = serde_json::from_str(&serde_json::to_string_pretty(&first).unwrap()).unwrap();
    assert_eq!(source.send(&reordered).await.0, 200, "a harmless retry");
    let mut changed = first.clone();
    changed["agent"][0]["who"]["display"] = "Dr Somebody Else".into();
    let (status, body) = source.send(&changed).await;
    assert_eq!((status, body["issue"][0]["code"].as_str()), (409, Some("conflict")), "{body}");

    // Within one batch: a repeat after the first is held; a changed repeat is a conflict.
    let entry = |r: &Value| json!({ "resource": r, "request": { "method": "POST", "url": "AuditEvent" } });
    let second = read("c-2", "2026-11-20T10:00:00Z");
    let mut second_changed = second.clone();
    second_changed["recorded"] = "2026-11-20T10:05:00Z".into();
    let bundle = json!({ "resourceType": "Bundle", "type": "batch",
        "entry": [entry(&second), entry(&second), entry(&second_changed), entry(&changed)] });
    let (_, body) = source.post("/fhir", "application/fhir+json", bundle.to_string()).await;
    let statuses: Vec<&str> = body["entry"].as_array().unwrap().iter().map(|e| e["response"]["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["201 Created", "200 OK", "409 Conflict", "409 Conflict"]);

    // And in a bulk load.
    let lines = [read("c-3", "2026-11-20T11:00:00Z").to_string(), read("c-3", "2026-11-20T11:00:00Z").to_string(), changed.to_string()];
    let (_, body) = source.post("/fhir/AuditEvent/$import", "application/fhir+ndjson", lines.join("\n")).await;
    assert_eq!(body["issue"][0]["diagnostics"], "3 received: 1 stored, 1 already held, 1 refused");
    assert!(body["issue"][1]["diagnostics"].as_str().unwrap().starts_with("line 3: An event with this id is already held"));

    // What was stored first is what is kept, and is what the sender reads back.
    let (status, back) = source.get("/fhir/AuditEvent/c-1").await;
    assert_eq!(status, 200, "{back}");
    assert_eq!(back["resourceType"], "AuditEvent");
    assert_eq!(back["id"], "c-1");
    assert_eq!(back["action"], "R");
    assert_eq!(back["agent"][0]["who"]["display"], "Dr Ada Lovelace");
    assert_eq!(back["agent"][0]["who"]["identifier"]["value"], "555021935107");
    let other = Source::register(&app, "Southvale Care Record").await;
    assert_eq!(other.get("/fhir/AuditEvent/c-1").await.0, 404, "only the system that sent it reads it back");
    assert_eq!(source.get("/fhir/AuditEvent/no-such-event").await.0, 404);
}

#[tokio::test]
async fn events_that_cannot_be_true_are_refused_and_named() {
    let app = TestApp::spawn().await;
    let source = Source::register(&app, "Northshire Shared Care Record").await;
    let good = read("h-1", "2026-11-20T09:00:00Z").to_string();

    // A key given twice: the second patient would silently replace the first.
    let twice = good.replacen("{", "{\"resourceType\":\"Patient\",", 1);
    let (status, body) = source.post("/fhir/AuditEvent", "application/fhir+json", twice).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["issue"][0]["expression"][0], "AuditEvent.resourceType");
    let two_entities = good.replacen("\"entity\":", "\"entity\":[],\"entity\":", 1);
    let (status, body) = source.post("/fhir/AuditEvent", "application/fhir+json", two_entities).await;
    assert_eq!((status, body["issue"][0]["expression"][0].as_str()), (400, Some("AuditEvent.entity")), "{body}");

    let refused = |mut v: Value, change: &dyn Fn(&mut Value)| {
        change(&mut v);
        v
    };
    let cases: Vec<(Value, &str, &str)> = vec![
        (refused(read("h-2", "2999-01-01T09:00:00Z"), &|_| {}), "AuditEvent.recorded", "future"),
        (refused(read("h-3", "2026-11-20T09:00:00Z"), &|v| v["agent"][0]["who"]["display"] = "A".repeat(3_000_000).into()), "AuditEvent.agent[0].who.display", "3000000 characters"),
        (refused(read("h-4", "2026-11-20T09:00:00Z"), &|v| v["agent"][0]["who"]["display"] = "Dr A\u{0}B".into()), "AuditEvent.agent[0].who.display", "control"),
        (refused(read("h-5", "2026-11-20T09:00:00Z"), &|v| v["agent"][1]["who"]["display"] = "Trust\u{202E}evil".into()), "AuditEvent.agent[1].who.display", "bidirectional"),
        (refused(read("h-6", "2026-11-20T09:00:00Z"), &|v| v["entity"][1]["description"] = "d".repeat(1001).into()), "AuditEvent.entity[1].description", "at most 1000"),
        (
            refused(read("h-7", "2026-11-20T09:00:00Z"), &|v| {
                let more: Vec<Value> = (0..60).map(|i| json!({ "what": { "reference": format!("Observation/{i}") } })).collect();
                v["entity"].as_array_mut().unwrap().extend(more);
            }),
            "AuditEvent.entity",
            "at most 50",
        ),
        (refused(read("h-8", "2026-11-20T09:00:00Z"), &|v| v["action"] = "X".into()), "AuditEvent.action", "C, R, U, D or E"),
        // What an attacker found getting through, each now refused and named.
        (refused(read("h-10", "2026-11-20T09:00:00Z"), &|v| v["action"] = 1.into()), "AuditEvent.action", "strings C, R"),
        (refused(read("h-11", "2026-11-20T09:00:00Z"), &|v| v["outcome"] = 8.into()), "AuditEvent.outcome", "strings 0, 4"),
        (refused(read("h-12", "2026-11-20T09:00:00Z"), &|v| v["outcome"] = "".into()), "AuditEvent.outcome", "strings 0, 4"),
        (refused(read("h-13", "2026-11-20T09:00:00Z"), &|v| { v.as_object_mut().unwrap().remove("type"); }), "AuditEvent.type", "type is required"),
        (refused(read("h-14", "2026-11-20T09:00:00Z"), &|v| v["agent"][0]["who"]["display"] = "Dr A\nB".into()), "AuditEvent.agent[0].who.display", "line break"),
        (refused(read("h-15", "2026-11-20T09:00:00Z"), &|v| v["agent"][0]["who"]["display"] = "Dr A\u{2028}B".into()), "AuditEvent.agent[0].who.display", "hidden"),
        (refused(read("h-16", "2026-11-20T09:00:00Z"), &|v| v["act\u{0}ion"] = "R".into()), "AuditEvent", "a key holds"),
        (refused(read("h-17", "2026-11-30t10:00:00z"), &|_| {}), "AuditEvent.recorded", "FHIR instant"),
        (refused(read("h-18", "2026-11-30 10:00:00+01:00"), &|_| {}), "AuditEvent.recorded", "FHIR instant"),
        (refused(read("h-19", "2026-11-20T09:00:00Z"), &|v| v["recorded"] = 1_700_000_000.into()), "AuditEvent.recorded", "must be a string"),
        (refused(read(" h-20 ", "2026-11-20T09:00:00Z"), &|_| {}), "AuditEvent.id", "id must be"),
        (refused(read("..", "2026-11-20T09:00:00Z"), &|_| {}), "AuditEvent.id", "id must be"),
        (refused(read("h-21", "2026-11-20T09:00:00Z"), &|v| v["entity"][0]["what"]["identifier"]["value"] = 9_434_765_927u64.into()), "AuditEvent.entity[0].what.identifier.value", "a string of ten digits"),
    ];
    for (event, path, words) in cases {
        let (status, body) = source.send(&event).await;
        assert_eq!(status, 400, "{path}: {}", &body.to_string()[..body.to_string().len().min(300)]);
        assert_eq!(body["issue"][0]["expression"][0], path);
        assert!(body["issue"][0]["diagnostics"].as_str().unwrap().contains(words), "{path}: {}", body["issue"][0]["diagnostics"]);
    }
    // A few minutes ahead (a sender's clock running fast) is accepted.
    let soon = (chrono::Utc::now() + chrono::Duration::minutes(2)).to_rfc3339();
    assert_eq!(source.send(&read("h-9", &soon)).await.0, 201);

    // Only JSON is read.
    for content_type in ["text/plain", "application/xml", ""] {
        let (status, body) = source.post("/fhir/AuditEvent", content_type, good.clone()).await;
        assert_eq!((status, body["resourceType"].as_str()), (415, Some("OperationOutcome")), "{content_type}");
    }
    assert_eq!(source.post("/fhir/AuditEvent", "application/json; charset=utf-8", good.clone()).await.0, 201);
    assert_eq!(source.post("/fhir/AuditEvent", "application/fhir+json; charset=utf-16", good.clone()).await.0, 415, "JSON is UTF-8");
    assert_eq!(source.post("/fhir", "text/html", "{}".into()).await.0, 415);
    assert_eq!(source.post("/fhir/AuditEvent/$import", "text/csv", good.clone()).await.0, 415);

    let held = crate::helpers::every_access_event(&*app.state.store, crate::helpers::nhs("9434765927")).await;
    let ids: Vec<&str> = held.iter().map(|e| e.source_event_id.as_str()).filter(|id| id.starts_with("h-")).collect();
    assert_eq!(ids, ["h-9", "h-1"], "nothing refused was stored (newest first)");

    // A batch too big to answer, and an empty one.
    let entry = json!({ "resource": read("b-1", "2026-11-20T09:00:00Z"), "request": { "method": "POST", "url": "AuditEvent" } });
    let huge = json!({ "resourceType": "Bundle", "type": "batch", "entry": vec![entry; server::fhir::MAX_BATCH_ENTRIES + 1] });
    let (status, body) = source.post("/fhir", "application/fhir+json", huge.to_string()).await;
    assert_eq!((status, body["issue"][0]["code"].as_str()), (413, Some("too-costly")));
    let (status, body) = source.post("/fhir", "application/fhir+json", json!({ "resourceType": "Bundle", "type": "batch", "entry": [] }).to_string()).await;
    assert_eq!(status, 200);
    assert!(body.get("entry").is_none(), "FHIR JSON has no empty lists: {body}");
}

#[tokio::test]
async fn the_api_is_discoverable_and_answers_every_verb_in_fhir() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::new();
    let res = http.get(format!("{}/fhir/metadata", app.address)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/fhir+json"));
    let cs: Value = res.json().await.unwrap();
    assert_eq!(cs["resourceType"], "CapabilityStatement");
    assert_eq!(cs["fhirVersion"], "4.0.1");
    let audit = &cs["rest"][0]["resource"][0];
    assert_eq!(audit["type"], "AuditEvent");
    let interactions: Vec<&str> = audit["interaction"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert_eq!(interactions, ["create", "read"]);
    assert_eq!(audit["operation"][0]["name"], "import");
    assert!(audit["supportedProfile"].as_array().unwrap().iter().any(|p| p.as_str().unwrap().ends_with("IHE.BasicAudit.PatientRead")));
    assert_eq!(cs["rest"][0]["security"]["service"][0]["coding"][0]["code"], "OAuth");

    for (method, path, status) in [
        (reqwest::Method::DELETE, "/fhir/AuditEvent", 405),
        (reqwest::Method::GET, "/fhir/AuditEvent", 405),
        (reqwest::Method::PUT, "/fhir/AuditEvent/x", 405),
        (reqwest::Method::DELETE, "/fhir/AuditEvent/x", 405),
        (reqwest::Method::POST, "/fhir/metadata", 405),
        (reqwest::Method::GET, "/fhir/Patient/9434765919", 404),
        (reqwest::Method::PATCH, "/fhir/anything/at/all", 404),
        (reqwest::Method::GET, "/fhir/", 404),
        (reqwest::Method::POST, "/fhir/", 404),
    ] {
        let res = http.request(method.clone(), format!("{}{path}", app.address)).send().await.unwrap();
        assert_eq!(res.status().as_u16(), status, "{method} {path}");
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/fhir+json"), "{method} {path}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["resourceType"], "OperationOutcome", "{method} {path}");
    }
    // Reading an event needs the sender's credentials, like sending one.
    assert_eq!(http.get(format!("{}/fhir/AuditEvent/x", app.address)).send().await.unwrap().status(), 401);

    // A body over the limit that does not say its length (chunked) is still answered in FHIR.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let source = Source::register(&app, "Chunky").await;
    let port = app.address.rsplit(':').next().unwrap().to_string();
    let mut tcp = tokio::net::TcpStream::connect(format!("127.0.0.1:{port}")).await.unwrap();
    use base64::Engine;
    let auth = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", source.client_id, source.secret));
    let head = format!("POST /fhir/AuditEvent HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic {auth}\r\nContent-Type: application/fhir+json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    tcp.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..10 {
        if tcp.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await.is_err() || tcp.write_all(&chunk).await.is_err() || tcp.write_all(b"\r\n").await.is_err() {
            break;
        }
    }
    let _ = tcp.write_all(b"0\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), tcp.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{}", &answer[..answer.len().min(200)]);
    assert!(answer.contains("application/fhir+json") && answer.contains("OperationOutcome"), "{}", &answer[..answer.len().min(400)]);
}
