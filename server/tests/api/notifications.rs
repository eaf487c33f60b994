//! Messages to patients through GOV.UK Notify's REST API, against a local server that speaks
//! it (checking the API key's JWT as Notify does), started by each test.

use crate::helpers::TestApp;
use crate::rights::lodge_objection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{json, Value};
use server::notify::deliver_due;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const SERVICE_ID: &str = "26785a09-ab16-4eb0-8407-a37497a57506";
pub(crate) const SECRET: &str = "3d844edf-8d35-48ac-975b-e847b4f122b0";

#[derive(Clone, Default)]
pub(crate) struct Notify {
    pub(crate) received: Arc<Mutex<Vec<(String, Value)>>>,
    /// The id given to each notification, by its reference (for look-ups by reference).
    ids: Arc<Mutex<Vec<(String, String)>>>,
    /// Answer this many requests with a 500 first.
    failures: Arc<AtomicUsize>,
    /// Take this long over each request (a slow Notify).
    delay_ms: Arc<AtomicUsize>,
    /// Accept the notification, then never answer (the sender stops mid-send).
    hang: Arc<std::sync::atomic::AtomicBool>,
}

fn authorised(headers: &HeaderMap) -> bool {
    let token = headers.get("authorization").and_then(|h| h.to_str().ok()).and_then(|h| h.strip_prefix("Bearer ")).unwrap_or_default();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256);
    v.required_spec_claims.clear();
    v.validate_exp = false;
    let claims = jsonwebtoken::decode::<Value>(token, &jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()), &v);
    let fresh = |c: &Value| (chrono::Utc::now().timestamp() - c["iat"].as_i64().unwrap_or(0)).abs() <= 30;
    matches!(claims, Ok(c) if c.claims["iss"] == SERVICE_ID && fresh(&c.claims))
}

/// `GET /v2/notifications?reference=…`, as Notify answers it.
async fn lookup(State(n): State<Notify>, headers: HeaderMap, axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>) -> (StatusCode, Json<Value>) {
    if !authorised(&headers) {
        return (StatusCode::FORBIDDEN, Json(json!({"errors": [{"error": "AuthError", "message": "Invalid token"}], "status_code": 403})));
    }
    let wanted = q.get("reference").cloned().unwrap_or_default();
    let found: Vec<Value> = n
        .ids
        .lock()
        .unwrap()
        .iter()
        .filter(|(r, _)| *r == wanted)
        .map(|(r, id)| json!({ "id": id, "reference": r, "status": "delivered" }))
        .collect();
    (StatusCode::OK, Json(json!({ "notifications": found, "links": {} })))
}

async fn notification(State(n): State<Notify>, Path(kind): Path<String>, headers: HeaderMap, Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    let delay = n.delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(delay as u64)).await;
    }
    if !authorised(&headers) {
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"errors": [{"error": "AuthError", "message": "Invalid token: signature, api token not found"}], "status_code": 403})),
        );
    }
    if n.failures.load(Ordering::SeqCst) > 0 {
        n.failures.fetch_sub(1, Ordering::SeqCst);
        return (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"errors": [{"error": "Exception", "message": "Internal server error"}], "status_code": 500})));
    }
    let needs = match kind.as_str() {
        "email" => "email_address",
        "sms" => "phone_number",
        _ => "template_id",
    };
    if body[needs].as_str().is_none() || body["template_id"].as_str().is_none() {
        return (StatusCode::BAD_REQUEST, Json(json!({"errors": [{"error": "ValidationError", "message": format!("{needs} is a required property")}], "status_code": 400})));
    }
    n.received.lock().unwrap().push((kind, body.clone()));
    let id = uuid::Uuid::new_v4().to_string();
    n.ids.lock().unwrap().push((body["reference"].as_str().unwrap_or_default().to_string(), id.clone()));
    if n.hang.load(Ordering::SeqCst) {
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    }
    (StatusCode::CREATED, Json(json!({"id": id, "reference": body["reference"], "template": {"id": body["template_id"], "version": 1}})))
}

async fn start_notify(n: Notify) -> String {
    let app = Router::new()
        .route("/v2/notifications/{kind}", post(notification))
        .route("/v2/notifications", axum::routing::get(lookup))
        .with_state(n);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}")
}

async fn app_with_notify(notify: &Notify, secret: &str) -> TestApp {
    app_with_notify_on(crate::helpers::TestDb::sqlite(), notify, secret).await
}

/// The portal on `db`, sending through a local server that speaks Notify's API.
pub(crate) async fn app_with_notify_on(db: crate::helpers::TestDb, notify: &Notify, secret: &str) -> TestApp {
    let base = start_notify(notify.clone()).await;
    let key = format!("portal_test-{SERVICE_ID}-{secret}");
    TestApp::spawn_with(db, move |s| {
        s.notify_api_key = Some(server::config::Secret::new(key));
        s.notify_base_url = url::Url::parse(&base).unwrap();
        s.notify_email_template = "f33517ff-2a88-4f6e-b855-c550268ce08a".into();
        s.notify_sms_template = "289b0a43-5b46-4cc8-8d2a-4e8a3a1d3f9e".into();
        s.notify_letter_template = "5f8ab1f4-4d0c-4d27-a8ad-0d9e2a1d7c1b".into();
        // The test drives the outbox, and the rules that queue alerts, itself.
        s.notify_poll_seconds = 3600;
        s.audit_seal_seconds = 0;
    })
    .await
}

#[tokio::test]
async fn the_patient_is_emailed_that_there_is_an_update_and_nothing_more() {
    let notify = Notify::default();
    let app = app_with_notify(&notify, SECRET).await;
    let mut patient = app.signed_in("demo-patient-p9").await;
    let reference = lodge_objection(&mut patient).await.replace("/your-requests/", "").replace("/confirmation", "");
    let sender = app.state.settings.notify_sender();
    assert_eq!(deliver_due(&*app.state.store, &sender, chrono::Utc::now()).await.unwrap(), 1);
    assert_eq!(deliver_due(&*app.state.store, &sender, chrono::Utc::now()).await.unwrap(), 0, "sent once only");

    let received = notify.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1);
    let (kind, body) = &received[0];
    assert_eq!(kind, "email");
    assert_eq!(body["email_address"], "amira@example.com");
    assert_eq!(body["template_id"], "f33517ff-2a88-4f6e-b855-c550268ce08a");
    assert_eq!(body["personalisation"]["reference"], reference.as_str());
    assert_eq!(body["personalisation"]["update"], "We have received it.");
    let text = body.to_string();
    assert!(!text.contains("treated there"), "never the patient's words");
    assert!(!text.contains("Mental Health"), "never what it is about");
}

#[tokio::test]
async fn a_failed_send_is_tried_again_later() {
    let notify = Notify::default();
    notify.failures.store(1, Ordering::SeqCst);
    let app = app_with_notify(&notify, SECRET).await;
    let mut patient = app.signed_in("demo-patient-p9").await;
    lodge_objection(&mut patient).await;
    let sender = app.state.settings.notify_sender();
    let now = chrono::Utc::now();
    assert_eq!(deliver_due(&*app.state.store, &sender, now).await.unwrap(), 0, "Notify answered 500");
    assert_eq!(deliver_due(&*app.state.store, &sender, now).await.unwrap(), 0, "not before its backoff");
    let later = now + server::notify::backoff(1) + chrono::Duration::seconds(1);
    assert_eq!(deliver_due(&*app.state.store, &sender, later).await.unwrap(), 1);
    assert_eq!(notify.received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_refused_key_is_not_retried() {
    let notify = Notify::default();
    let app = app_with_notify(&notify, "00000000-0000-4000-8000-000000000000").await;
    let mut patient = app.signed_in("demo-patient-p9").await;
    lodge_objection(&mut patient).await;
    let sender = app.state.settings.notify_sender();
    let now = chrono::Utc::now();
    assert_eq!(deliver_due(&*app.state.store, &sender, now).await.unwrap(), 0);
    let case = app.state.store.cases_for_patient("demo-patient-p9").await.unwrap().remove(0);
    let status = app.state.store.messages_for_case(case.id).await.unwrap();
    assert_eq!((status[0].sent, status[0].failed, status[0].attempts), (false, true, 1), "403 is not worth retrying");
    assert_eq!(deliver_due(&*app.state.store, &sender, now + chrono::Duration::hours(2)).await.unwrap(), 0);
}

fn sender_for(base: &str) -> server::notify::Sender {
    server::notify::Sender::new(
        server::notify::NotifyKey::parse(&format!("portal_test-{SERVICE_ID}-{SECRET}")),
        url::Url::parse(base).unwrap(),
        server::notify::Templates {
            email: "f33517ff-2a88-4f6e-b855-c550268ce08a".into(),
            sms: "289b0a43-5b46-4cc8-8d2a-4e8a3a1d3f9e".into(),
            letter: "5f8ab1f4-4d0c-4d27-a8ad-0d9e2a1d7c1b".into(),
        },
        url::Url::parse("https://portal.example/").unwrap(),
    )
}

crate::on_both_backends!(two_instances_and_a_slow_failing_notify_send_each_message_once);

/// Two instances (two connection pools on one database, each with its own sender) deliver a
/// dozen messages through a Notify that is slow and fails now and then. Time runs a minute a
/// second, so leases and backoffs pass as they would in hours.
async fn two_instances_and_a_slow_failing_notify_send_each_message_once(db: crate::helpers::TestDb) {
    use app::server::*;
    let notify = Notify::default();
    notify.delay_ms.store(150, Ordering::SeqCst);
    notify.failures.store(4, Ordering::SeqCst);
    let base = start_notify(notify.clone()).await;
    let one = server::db::Db::connect(&db.url, 4).await.unwrap();
    let two = server::db::Db::connect(&db.url, 4).await.unwrap();
    let area = one.create_area(&app::domain::AreaSlug::parse("testshire").unwrap(), "Testshire").await.unwrap();
    for i in 0..12u8 {
        one.open_case(&crate::case_storage::new_case(&area, "pat", &format!("k{i}"), [i + 10; 5])).await.unwrap();
    }
    let t0 = chrono::Utc::now();
    let started = std::time::Instant::now();
    let clock = move || t0 + chrono::Duration::milliseconds(started.elapsed().as_millis() as i64 * 60);
    let done = || notify.ids.lock().unwrap().len() >= 12;
    let instance = |store: server::db::Db| {
        let sender = sender_for(&base);
        let notify = notify.clone();
        async move {
            while started.elapsed() < std::time::Duration::from_secs(40) {
                deliver_due(&store, &sender, clock()).await.unwrap();
                if notify.ids.lock().unwrap().len() >= 12 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            }
        }
    };
    tokio::join!(instance(one.clone()), instance(two));
    assert!(done(), "every message sent within the time");
    let mut references: Vec<String> = notify.ids.lock().unwrap().iter().map(|(r, _)| r.clone()).collect();
    references.sort();
    let before = references.len();
    references.dedup();
    assert_eq!((before, references.len()), (12, 12), "each of the twelve sent exactly once");
}

#[tokio::test]
async fn a_message_whose_sender_stopped_mid_send_is_recognised_not_sent_again() {
    let notify = Notify::default();
    let app = app_with_notify(&notify, SECRET).await;
    let mut patient = app.signed_in("demo-patient-p9").await;
    lodge_objection(&mut patient).await;
    let now = chrono::Utc::now();
    // Notify takes the message, and the instance stops before the answer arrives.
    notify.hang.store(true, Ordering::SeqCst);
    let store = app.state.store.clone();
    let sender = app.state.settings.notify_sender();
    let sending = tokio::spawn(async move { deliver_due(&*store, &sender, now).await });
    for _ in 0..100 {
        if !notify.received.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    sending.abort();
    notify.hang.store(false, Ordering::SeqCst);
    assert_eq!(notify.received.lock().unwrap().len(), 1);

    // Once its claim has lapsed, the next round asks Notify by the message's own reference.
    let sender = app.state.settings.notify_sender();
    let later = now + server::notify::lease() + chrono::Duration::minutes(1);
    assert_eq!(deliver_due(&*app.state.store, &sender, later).await.unwrap(), 1, "found already sent");
    assert_eq!(notify.received.lock().unwrap().len(), 1, "not sent a second time");
    let case = app.state.store.cases_for_patient("demo-patient-p9").await.unwrap().remove(0);
    let status = app.state.store.messages_for_case(case.id).await.unwrap();
    assert!(status[0].sent);
    assert_eq!(deliver_due(&*app.state.store, &sender, later + chrono::Duration::hours(1)).await.unwrap(), 0);
}
