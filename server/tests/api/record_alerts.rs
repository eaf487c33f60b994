//! Alerts when a patient's record is looked at: the patient's choice from Your choices, a
//! message for an organisation's first look or an emergency look, at most one a UK day, never
//! naming who looked; changed and turned off from the same page; each message queued once
//! with two instances; on both databases.

use crate::helpers::{nhs, TestApp, TestDb};
use crate::monitoring::{look, northshire};
use crate::notifications::{app_with_notify_on, Notify, SECRET};
use crate::on_both_backends;
use app::domain::record_alerts::AlertChoice;
use app::server::store::*;
use chrono::{DateTime, Duration, Utc};
use server::notify::deliver_due;

const AMIRA: &str = "9434765919";

async fn app_with_notify(db: TestDb, notify: &Notify) -> TestApp {
    app_with_notify_on(db, notify, SECRET).await
}

/// The looks arrive from the demo system (five minutes ago), and the rules run as the job
/// would at `now`: how many patients were told.
async fn arrive(app: &TestApp, source: i64, events: Vec<AccessEvent>, now: DateTime<Utc>) -> u64 {
    let store = &app.state.store;
    let events: Vec<AccessEvent> = events.into_iter().map(|e| AccessEvent { source_id: Some(source), ..e }).collect();
    store.ingest_access_events(&events, Utc::now() - Duration::minutes(5)).await.unwrap();
    app::monitoring::service::check_arrivals(&**store, now).await.unwrap().patients_told
}

fn recently() -> DateTime<Utc> {
    Utc::now() - Duration::minutes(10)
}

async fn a_patient_who_asks_is_told_once_a_day_and_never_who_looked(db: TestDb) {
    let notify = Notify::default();
    let app = app_with_notify(db, &notify).await;
    let (_, source) = northshire(&app).await;
    let store = &app.state.store;
    let sender = app.state.settings.notify_sender();
    let now = Utc::now() + Duration::minutes(2);
    // The demo's own looks were checked before anyone chose anything.
    app::monitoring::service::check_arrivals(&**store, now).await.unwrap();

    let mut amira = app.signed_in("demo-patient-p9").await;
    let page = amira.get("/your-choices").await;
    assert!(page.body.contains("Alerts when your record is looked at"), "{}", page.body);
    assert!(page.body.contains("Turn on alerts"));

    // Nothing ticked and a hostile address: nothing kept, and the form says what to fix.
    let sent = amira.post_form("/your-choices/alerts", &[("contact", "email"), ("email", "</textarea><img src=x onerror=alert(1)>")]).await;
    assert_eq!(sent.location.as_deref(), Some("/your-choices/alerts"));
    let form = amira.get("/your-choices/alerts").await;
    assert_eq!(form.status, 422, "the answers could not be taken");
    assert!(form.body.contains("nhsuk-error-summary"), "{}", form.body);
    assert!(form.body.contains("Select when you want to be told"));
    assert!(form.body.contains("Enter an email address in the correct format"));
    assert!(!form.body.contains("<img src=x"), "the answer comes back escaped");
    assert!(store.record_alert_choice(&nhs(AMIRA)).await.unwrap().is_none());
    let again = amira.get("/your-choices/alerts").await;
    assert_eq!(again.status, 200, "what to fix is said once: coming back, the form starts again");
    assert!(!again.body.contains("nhsuk-error-summary") && !again.body.contains("onerror"));
    // Post is not a way to be alerted.
    amira.post_form("/your-choices/alerts", &[("when", "first_look"), ("contact", "post")]).await;
    assert!(amira.get("/your-choices/alerts").await.body.contains("Select email or text message"));
    assert!(store.record_alert_choice(&nhs(AMIRA)).await.unwrap().is_none());

    let sent = amira
        .post_form("/your-choices/alerts", &[("when", "first_look"), ("when", "emergency"), ("contact", "email"), ("email", "amira@example.com")])
        .await;
    assert_eq!(sent.location.as_deref(), Some("/your-choices?done=alerts-on#record-alerts"));
    let page = amira.get("/your-choices?done=alerts-on").await;
    assert!(page.body.contains("Alerts saved"), "{}", page.body);
    assert!(page.body.contains("On. By email to a***@example.com when an organisation looks at your record for the first time, or when someone looks at your record in an emergency."));
    assert!(!amira.get("/your-choices/alerts").await.body.contains("nhsuk-error-summary"), "the answers to fix are gone once saved");

    // An organisation's first look: one message, saying only that there is something new.
    assert_eq!(arrive(&app, source, vec![look("a1", AMIRA, recently(), "p1", "RX9", "TREAT")], now).await, 1);
    assert_eq!(deliver_due(&**store, &sender, now).await.unwrap(), 1);
    {
        let received = notify.received.lock().unwrap().clone();
        assert_eq!(received.len(), 1);
        let (kind, body) = &received[0];
        assert_eq!(kind, "email");
        assert_eq!(body["email_address"], "amira@example.com");
        assert_eq!(body["personalisation"]["update"], "There is something new to see in your access log.");
        assert_eq!(body["personalisation"]["reference"], "ACCESS-LOG");
        assert!(body["personalisation"]["sign_in_url"].as_str().unwrap().ends_with("/access-log"), "to where the news is: {body}");
        let text = body.to_string();
        for never in ["RX9", "Organisation", "Person p1", "p1", "Nurse", "medicines", "emergency"] {
            assert!(!text.contains(never), "the message never says {never:?}: {text}");
        }
    }
    assert!(amira.get("/your-choices/alerts").await.body.contains("We last sent you an alert on"));

    // The same day, another organisation's first look and an emergency look: no second message.
    let same_day = vec![look("a2", AMIRA, recently(), "p2", "RX8", "TREAT"), look("a3", AMIRA, recently(), "p3", "RX1", "ETREAT")];
    assert_eq!(arrive(&app, source, same_day, now).await, 0);
    assert_eq!(deliver_due(&**store, &sender, now).await.unwrap(), 0);

    // The next day, an emergency look by someone of an organisation that looked before: one again.
    let tomorrow = now + Duration::days(1);
    assert_eq!(arrive(&app, source, vec![look("a4", AMIRA, recently(), "p4", "RX9", "ETREAT")], tomorrow).await, 1);
    assert_eq!(deliver_due(&**store, &sender, tomorrow).await.unwrap(), 1);

    // Two days on: an organisation that looked before, for her care, is not an alert; nor is
    // a system's automated read, even an emergency one from an organisation new to her.
    let later = now + Duration::days(2);
    let mut automated = look("a6", AMIRA, recently(), "sys", "RX6", "ETREAT");
    automated.automated = true;
    assert_eq!(arrive(&app, source, vec![look("a5", AMIRA, recently(), "p1", "RX9", "TREAT"), automated], later).await, 0);
    // Someone who did not ask is never told.
    assert_eq!(arrive(&app, source, vec![look("b1", "9000000017", recently(), "p1", "RX5", "ETREAT")], later).await, 0);

    // Changing to a text message: a message still waiting goes to the new number.
    let day3 = now + Duration::days(3);
    assert_eq!(arrive(&app, source, vec![look("a7", AMIRA, recently(), "p7", "RX4", "TREAT")], day3).await, 1);
    let sent = amira.post_form("/your-choices/alerts", &[("when", "first_look"), ("contact", "text"), ("mobile", "07700 900 982")]).await;
    assert_eq!(sent.location.as_deref(), Some("/your-choices?done=alerts-on#record-alerts"));
    assert!(amira.get("/your-choices").await.body.contains("On. By text message to *******0982 when an organisation looks at your record for the first time."));
    assert_eq!(deliver_due(&**store, &sender, day3).await.unwrap(), 1);
    {
        let received = notify.received.lock().unwrap().clone();
        let (kind, body) = received.last().unwrap();
        assert_eq!(kind, "sms");
        assert_eq!(body["phone_number"], "07700900982");
    }
    // Only first looks now: an emergency look by an organisation that looked before is not one.
    assert_eq!(arrive(&app, source, vec![look("a8", AMIRA, recently(), "p8", "RX4", "ETREAT")], now + Duration::days(4)).await, 0);

    // Turning alerts off: a message still waiting is not sent, and no more are queued.
    let day5 = now + Duration::days(5);
    assert_eq!(arrive(&app, source, vec![look("a9", AMIRA, recently(), "p9", "RZ3", "TREAT")], day5).await, 1);
    let off = amira.post_form("/your-choices/alerts/off", &[]).await;
    assert_eq!(off.location.as_deref(), Some("/your-choices?done=alerts-off#record-alerts"));
    assert!(amira.get("/your-choices?done=alerts-off").await.body.contains("Alerts turned off"));
    assert_eq!(deliver_due(&**store, &sender, day5).await.unwrap(), 0, "not sent once she said stop");
    assert!(store.record_alert_choice(&nhs(AMIRA)).await.unwrap().is_none(), "her number is forgotten");
    assert_eq!(arrive(&app, source, vec![look("a10", AMIRA, recently(), "p10", "RZ2", "ETREAT")], day5).await, 0);
    // On again the same day: still one a day, counting the one she stopped.
    amira.post_form("/your-choices/alerts", &[("when", "first_look"), ("contact", "email"), ("email", "amira@example.com")]).await;
    assert!(store.record_alert_choice(&nhs(AMIRA)).await.unwrap().is_some());
    assert_eq!(arrive(&app, source, vec![look("a11", AMIRA, recently(), "p11", "RZ1", "TREAT")], day5).await, 0);

    // A system's automated check by an organisation new to her is no look, and does not use up
    // that organisation's first: a person of it looking later is.
    let day7 = now + Duration::days(7);
    let mut check = look("a12", AMIRA, recently(), "sys", "RZ5", "TREAT");
    check.automated = true;
    assert_eq!(arrive(&app, source, vec![check], day7).await, 0);
    assert_eq!(arrive(&app, source, vec![look("a13", AMIRA, recently(), "p13", "RZ5", "TREAT")], day7).await, 1);
    // Nor does a failed attempt, which showed them nothing.
    let mut failed = look("a14", AMIRA, recently(), "p14", "RZ6", "TREAT");
    failed.outcome = "8".into();
    assert_eq!(arrive(&app, source, vec![failed], now + Duration::days(8)).await, 0);
    assert_eq!(arrive(&app, source, vec![look("a15", AMIRA, recently(), "p14", "RZ6", "TREAT")], now + Duration::days(9)).await, 1);
    assert_eq!(deliver_due(&**store, &sender, now + Duration::days(9)).await.unwrap(), 2);
    assert_eq!(notify.received.lock().unwrap().len(), 5);
}

/// NHS numbers with a valid check digit, from 943 000 000 on.
fn patients(n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut base = 943_000_000u64;
    while out.len() < n {
        base += 1;
        let digits: Vec<u64> = base.to_string().bytes().map(|b| u64::from(b - b'0')).collect();
        let sum: u64 = digits.iter().zip((2..=10).rev()).map(|(d, w)| d * w).sum();
        let check = (11 - sum % 11) % 11;
        if check != 10 {
            out.push(format!("{base}{check}"));
        }
    }
    out
}

async fn two_instances_tell_each_patient_once(db: TestDb) {
    let notify = Notify::default();
    let app = app_with_notify(db, &notify).await;
    let (_, source) = northshire(&app).await;
    let store = &app.state.store;
    let other = server::db::Db::connect(app.state.settings.database_url.expose(), 4).await.unwrap();
    let now = Utc::now() + Duration::minutes(2);
    app::monitoring::service::check_arrivals(&**store, now).await.unwrap();
    let people = patients(40);
    let choice = AlertChoice::read(&["first_look".into(), "emergency".into()], "email", "someone@example.com", "").unwrap();
    for p in &people {
        store.set_record_alert_choice(&nhs(p), &format!("subject-{p}"), Some(&choice), Utc::now()).await.unwrap();
    }
    // Each patient is looked at by six organisations new to them, some in an emergency.
    let events: Vec<AccessEvent> = people
        .iter()
        .flat_map(|p| (0..6).map(move |i| AccessEvent { source_id: Some(source), ..look(&format!("{p}-{i}"), p, recently(), &format!("q{i}"), &format!("RY{i}"), if i % 2 == 0 { "ETREAT" } else { "TREAT" }) }))
        .collect();
    store.ingest_access_events(&events, Utc::now() - Duration::minutes(5)).await.unwrap();
    let (a, b) = tokio::join!(app::monitoring::service::check_arrivals(&**store, now), app::monitoring::service::check_arrivals(&other, now));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.events_checked + b.events_checked >= 240, "every look checked by one or the other");
    assert_eq!(a.patients_told + b.patients_told, 40, "one message per patient, none twice");
    // And two senders send each once.
    let sender_a = app.state.settings.notify_sender();
    let sender_b = app.state.settings.notify_sender();
    let mut sent = 0;
    for _ in 0..20 {
        let (x, y) = tokio::join!(deliver_due(&**store, &sender_a, now), deliver_due(&other, &sender_b, now));
        sent += x.unwrap() + y.unwrap();
    }
    assert_eq!(sent, 40);
    assert_eq!(notify.received.lock().unwrap().len(), 40);
}

on_both_backends!(a_patient_who_asks_is_told_once_a_day_and_never_who_looked, two_instances_tell_each_patient_once);

/// Alerts need a fully verified identity, as the access log does: a P5 patient is told how to
/// prove who they are, and their post changes nothing.
#[tokio::test]
async fn only_a_verified_patient_can_turn_alerts_on() {
    let app = TestApp::spawn().await;
    let mut tom = app.signed_in("demo-patient-p5").await;
    let page = tom.get("/your-choices/alerts").await;
    assert!(page.body.contains("NHS App"), "told how to prove who he is: {}", page.body);
    assert!(!page.body.contains("Turn on alerts"));
    assert!(!tom.get("/your-choices").await.body.contains("id=\"record-alerts\""));
    let sent = tom.post_form("/your-choices/alerts", &[("when", "first_look"), ("contact", "email"), ("email", "tom@example.com")]).await;
    assert_eq!(sent.location.as_deref(), Some("/your-choices"));
    let mut db = app.sqlite().await;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM record_alerts").fetch_one(&mut db).await.unwrap();
    assert_eq!(n, 0);
    // Signed out: to sign in.
    let mut nobody = app.browser();
    let sent = nobody.post_form("/your-choices/alerts", &[("when", "first_look"), ("contact", "email"), ("email", "x@example.com")]).await;
    assert_eq!(sent.location.as_deref(), Some("/sign-in"));
    let staff = app.signed_in("demo-ig-lead").await;
    let mut staff = staff;
    let sent = staff.post_form("/your-choices/alerts/off", &[]).await;
    assert_eq!(sent.location.as_deref(), Some("/sign-in"), "staff have no alerts to change");
}
