//! Privacy monitoring: each rule raises alerts for the accesses it should and no others, on both
//! databases; two instances raise each alert once; the queue is for the area's IG leads only;
//! a review is recorded and kept; a patient's concern joins the person's alerts.

use crate::helpers::{nhs, Browser, TestApp, TestDb};
use crate::on_both_backends;
use app::domain::monitoring::{AlertStatus, MonitoringSettings, Rule};
use app::domain::{AreaSlug, Role};
use app::server::store::*;
use chrono::{DateTime, Duration, Utc};

pub(crate) fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// One look, by a person of an organisation, at a patient.
pub(crate) fn look(id: &str, patient: &str, when: DateTime<Utc>, person: &str, org: &str, purpose: &str) -> AccessEvent {
    AccessEvent {
        id: 0,
        source_id: None,
        source_event_id: id.into(),
        nhs_number: nhs(patient),
        recorded_at: when,
        agent_name: format!("Person {person}"),
        agent_id: Some(person.into()),
        agent_role: Some("Nurse".into()),
        org_ods: Some(org.into()),
        org_name: Some(format!("Organisation {org}")),
        purpose: purpose.into(),
        emergency: purpose == "ETREAT",
        viewed: "medicines".into(),
        outcome: "0".into(),
        automated: false,
        observer: "Northshire Shared Care Record".into(),
        action: Some("R".into()),
        subtype: None,
        content_hash: None,
    }
}

/// The demo system, Northshire's.
pub(crate) async fn northshire(app: &TestApp) -> (i64, i64) {
    let store = &app.state.store;
    let area = store.area_by_slug(&AreaSlug::parse("northshire").unwrap()).await.unwrap().unwrap();
    let source = store.source_by_client_id("src-demo-northshire").await.unwrap().unwrap();
    assert_eq!(source.area_id, Some(area.id), "the demo system is Northshire's");
    (area.id, source.id)
}

/// Only `rule` runs, with `tune` applied.
async fn only(app: &TestApp, area_id: i64, rule: Rule, tune: impl FnOnce(&mut MonitoringSettings)) {
    let mut s = MonitoringSettings { off: Rule::AUTOMATIC.into_iter().filter(|r| *r != rule).collect(), ..MonitoringSettings::default() };
    tune(&mut s);
    let action = StaffAction { at: Utc::now(), actor_subject: "demo-ig-lead".into(), area_id, case_id: None, action: "monitoring rules changed".into(), detail: "test".into() };
    app.state.store.set_monitoring_settings(area_id, &s, &action).await.unwrap();
}

/// Sends the events from the demo system, as if five minutes ago, and runs the rules as the
/// job would once they have settled; returns, per event sent, the rules it met.
async fn send(app: &TestApp, source: i64, events: Vec<AccessEvent>) -> Vec<(String, Vec<Rule>)> {
    let store = &app.state.store;
    let events: Vec<AccessEvent> = events.into_iter().map(|e| AccessEvent { source_id: Some(source), ..e }).collect();
    // Each arrives a minute after it happened (or five minutes ago, for those happening now),
    // as a live system sends them: none is history sent late.
    for e in &events {
        let arrived = (e.recorded_at + Duration::minutes(1)).min(Utc::now() - Duration::minutes(5));
        store.ingest_access_events(std::slice::from_ref(e), arrived).await.unwrap();
    }
    app::monitoring::service::check_arrivals(&**store, Utc::now() + Duration::minutes(2)).await.unwrap();
    let mut out = Vec::new();
    for e in &events {
        let held = store.source_access_event(source, &e.source_event_id).await.unwrap().unwrap();
        let key = app::domain::monitoring::person_key(e.agent_id.as_deref(), &e.agent_name, e.org_ods.as_deref());
        let (area, _) = northshire(app).await;
        let mut rules: Vec<Rule> = store.person_alerts(area, &key).await.unwrap().into_iter().filter(|a| a.event_id == held.id).map(|a| a.rule).collect();
        rules.sort();
        out.push((e.source_event_id.clone(), rules));
    }
    out
}

fn expect(got: &[(String, Vec<Rule>)], want: &[(&str, &[Rule])]) {
    let want: Vec<(String, Vec<Rule>)> = want.iter().map(|(id, r)| (id.to_string(), r.to_vec())).collect();
    assert_eq!(got, want.as_slice());
}

// A Wednesday in November (GMT), mid-morning, and that evening.
const MORNING: &str = "2026-11-18T10:00:00Z";
const EVENING: &str = "2026-11-18T20:00:00Z";

async fn each_rule_flags_what_it_should_and_nothing_else(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let (area, source) = northshire(&app).await;
    let m = at(MORNING);

    only(&app, area, Rule::Emergency, |_| {}).await;
    let mut automated = look("auto", "9000000017", m, "sys", "RX1", "ETREAT");
    automated.automated = true;
    let got = send(&app, source, vec![look("e1", "9000000017", m, "p1", "RX1", "ETREAT"), look("e2", "9000000017", m, "p1", "RX1", "TREAT"), {
        let mut b = look("e3", "9000000017", m, "p1", "RX1", "TREAT\nBTG");
        b.emergency = false;
        b
    }, automated]).await;
    expect(&got, &[("e1", &[Rule::Emergency]), ("e2", &[]), ("e3", &[Rule::Emergency]), ("auto", &[])]);

    only(&app, area, Rule::OutOfHours, |_| {}).await;
    let got = send(&app, source, vec![
        look("h1", "9000000025", m, "p2", "RX1", "TREAT"),
        look("h2", "9000000025", at(EVENING), "p2", "RX1", "TREAT"),
        // 07:30 UTC in July is 08:30 BST: in hours. Christmas Day is not.
        look("h3", "9000000025", at("2026-07-15T07:30:00Z"), "p2", "RX1", "TREAT"),
        look("h4", "9000000025", at("2026-12-25T11:00:00Z"), "p2", "RX1", "TREAT"),
    ]).await;
    expect(&got, &[("h1", &[]), ("h2", &[Rule::OutOfHours]), ("h3", &[]), ("h4", &[Rule::OutOfHours])]);
    // The same evening's look sent ten days late is history: not flagged for its hour.
    let late = AccessEvent { source_id: Some(source), ..look("h5", "9000000025", at(EVENING), "p2", "RX1", "TREAT") };
    app.state.store.ingest_access_events(&[late], at(EVENING) + Duration::days(10)).await.unwrap();
    app::monitoring::service::check_arrivals(&*app.state.store, Utc::now() + Duration::minutes(2)).await.unwrap();
    let alerts = app.state.store.person_alerts(area, "id:p2").await.unwrap();
    assert_eq!(alerts.len(), 2, "h2 and h4 only: {alerts:?}");

    only(&app, area, Rule::Volume, |s| s.volume_threshold = 3).await;
    let got = send(&app, source, vec![
        look("v1", "9000000033", m, "p3", "RX1", "TREAT"),
        look("v2", "9000000041", m, "p3", "RX1", "TREAT"),
        look("v3", "9000000068", m, "p3", "RX1", "TREAT"),
        look("v3-again", "9000000068", m + Duration::minutes(5), "p3", "RX1", "TREAT"),
        look("v4", "9000000076", m + Duration::minutes(9), "p3", "RX1", "TREAT"),
        look("v5", "9000000084", m + Duration::minutes(10), "p3", "RX1", "TREAT"),
        // The next day starts again.
        look("v6", "9000000092", m + Duration::days(1), "p3", "RX1", "TREAT"),
    ]).await;
    expect(&got, &[("v1", &[]), ("v2", &[]), ("v3", &[]), ("v3-again", &[]), ("v4", &[Rule::Volume]), ("v5", &[]), ("v6", &[])]);

    only(&app, area, Rule::FirstAccess, |_| {}).await;
    let got = send(&app, source, vec![
        look("f1", "9000000106", m, "p4", "RZZ", "TREAT"),
        look("f2", "9000000106", m + Duration::hours(1), "p5", "RZZ", "TREAT"),
        look("f3", "9000000106", m, "p4", "RYY", "ETREAT"),
        look("f4", "9000000106", m + Duration::hours(2), "p4", "RYY", "TREAT"),
    ]).await;
    expect(&got, &[("f1", &[Rule::FirstAccess]), ("f2", &[]), ("f3", &[]), ("f4", &[])]);

    only(&app, area, Rule::Repeated, |s| {
        s.repeated_days = 3;
        s.repeated_window_days = 10;
    })
    .await;
    let day = Duration::days(1);
    let got = send(&app, source, vec![
        look("r1", "9000000114", m, "p6", "RX1", "HRESCH"),
        look("r2", "9000000114", m + day, "p6", "RX1", "HRESCH"),
        look("r2-again", "9000000114", m + day + Duration::hours(1), "p6", "RX1", "HRESCH"),
        look("r3", "9000000114", m + day * 4, "p6", "RX1", "HRESCH"),
        // Another person, the same days, for care: not curiosity.
        look("c1", "9000000114", m, "p7", "RX1", "TREAT"),
        look("c2", "9000000114", m + day, "p7", "RX1", "TREAT"),
        look("c3", "9000000114", m + day * 4, "p7", "RX1", "TREAT"),
        // A third person, spread over more than the window.
        look("w1", "9000000114", m, "p8", "RX1", "HRESCH"),
        look("w2", "9000000114", m + day * 6, "p8", "RX1", "HRESCH"),
        look("w3", "9000000114", m + day * 12, "p8", "RX1", "HRESCH"),
    ]).await;
    expect(&got, &[("r1", &[]), ("r2", &[]), ("r2-again", &[]), ("r3", &[Rule::Repeated]), ("c1", &[]), ("c2", &[]), ("c3", &[]), ("w1", &[]), ("w2", &[]), ("w3", &[])]);

    // The watch list, through the IG lead's own form.
    only(&app, area, Rule::WatchList, |_| {}).await;
    let mut samuel = app.signed_in("demo-ig-lead").await;
    let added = samuel.post_form("/monitoring/northshire/watch-list/add", &[("nhs_number", "900 000 0122"), ("watch_reason", "Member of staff")]).await;
    assert_eq!(added.location.as_deref(), Some("/monitoring/northshire/settings?done=added"));
    let got = send(&app, source, vec![look("wl1", "9000000122", m, "p9", "RX1", "TREAT"), look("wl2", "9000000130", m, "p9", "RX1", "TREAT")]).await;
    expect(&got, &[("wl1", &[Rule::WatchList]), ("wl2", &[])]);
    let settings = samuel.get("/monitoring/northshire/settings").await;
    assert!(settings.body.contains("900 000 0122") && settings.body.contains("Member of staff"));
    // A filter no organisation has (a NUL, say) finds nothing, on either database.
    let odd = samuel.get("/monitoring?area=northshire&org=%00&rule=%00&age=99999999999").await;
    assert_eq!(odd.status, 200);

    // After an upheld objection: only once the organisation confirmed it stopped sharing.
    only(&app, area, Rule::AfterObjection, |_| {}).await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let reference = crate::rights::lodge_objection(&mut amira).await.trim_start_matches("/your-requests/").trim_end_matches("/confirmation").to_string();
    let before = send(&app, source, vec![look("o1", "9434765919", Utc::now() - Duration::hours(1), "p10", "RX2", "TREAT")]).await;
    let mut chloe = app.signed_in("demo-case-worker").await;
    let page = chloe.get(&format!("/cases/{reference}")).await;
    let template = {
        let at = page.body.find("Objection upheld</label>").unwrap();
        let value_at = page.body[..at].rfind("value=\"").unwrap() + 7;
        page.body[value_at..].split('"').next().unwrap().to_string()
    };
    chloe.post_form(&format!("/cases/{reference}/claim"), &[]).await;
    chloe.post_form(&format!("/cases/{reference}/decide"), &[("outcome", "upheld"), ("template", &template), ("reason", "Upheld.")]).await;
    assert_eq!(chloe.post_form(&format!("/cases/{reference}/effect-applied"), &[("ods", "RX2")]).await.status, 303);
    let after = send(&app, source, vec![
        look("o2", "9434765919", Utc::now(), "p10", "RX2", "TREAT"),
        look("o3", "9434765919", Utc::now(), "p10", "RX3", "TREAT"),
        look("o4", "9434765919", Utc::now() - Duration::days(3), "p10", "RX2", "TREAT"),
    ]).await;
    expect(&before, &[("o1", &[])]);
    expect(&after, &[("o2", &[Rule::AfterObjection]), ("o3", &[]), ("o4", &[])]);

    // Every alert carries its rule's explanation, with the area's numbers as they were.
    let (area_id, _) = northshire(&app).await;
    let alerts = app.state.store.person_alerts(area_id, "id:p3").await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert!(alerts[0].explanation.contains("more than 3 different patients"), "{}", alerts[0].explanation);
}

async fn two_instances_raise_each_alert_once(db: TestDb) {
    // The app's own job is off here, so that the two instances below are the only ones checking.
    let app = TestApp::spawn_with(db, |s| s.audit_seal_seconds = 0).await;
    let (area, source) = northshire(&app).await;
    only(&app, area, Rule::Emergency, |_| {}).await;
    let store = &app.state.store;
    let other = server::db::Db::connect(app.state.settings.database_url.expose(), 4).await.unwrap();
    // The demo's own events first, so that what follows counts only these.
    app::monitoring::service::check_arrivals(&**store, Utc::now() + Duration::minutes(2)).await.unwrap();
    let events: Vec<AccessEvent> = (0..1_500)
        .map(|i| AccessEvent { source_id: Some(source), ..look(&format!("t{i}"), "9000000017", at(MORNING), &format!("q{}", i % 7), "RX1", if i % 10 == 0 { "ETREAT" } else { "TREAT" }) })
        .collect();
    store.ingest_access_events(&events, Utc::now() - Duration::minutes(5)).await.unwrap();
    let later = Utc::now() + Duration::minutes(2);
    let (a, b) = tokio::join!(app::monitoring::service::check_arrivals(&**store, later), app::monitoring::service::check_arrivals(&other, later));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert!(a.events_checked + b.events_checked >= 1_500, "every event checked by one or the other");
    let mut total = 0;
    for q in 0..7 {
        total += store.person_alerts(area, &format!("id:q{q}")).await.unwrap().len();
    }
    assert_eq!(total, 150, "one alert per emergency, none twice");
    assert_eq!(a.alerts_raised + b.alerts_raised, 150);
}

on_both_backends!(each_rule_flags_what_it_should_and_nothing_else, two_instances_raise_each_alert_once);

/// The demo's alerts as the job raises them from the seeded events, and a person to review.
/// The queue's order and its pages are decided in the database: a patient's concern first, then
/// whoever has waited longest; reviewed people after everyone still waiting; a page holds only
/// as many people as asked for.
async fn the_queue_puts_concerns_first_then_the_longest_waiting(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let (area, source) = northshire(&app).await;
    let store = &app.state.store;
    only(&app, area, Rule::Emergency, |_| {}).await;
    let m = at(MORNING);
    // The demo's own alerts (an emergency look) are reviewed first, so only this test's wait.
    app::monitoring::service::check_arrivals(&**store, Utc::now() + Duration::minutes(2)).await.unwrap();
    let waiting_filter = AlertFilter { state: AlertState::Waiting, rule: None, org_ods: None, raised_before: None };
    for p in store.alert_queue(area, &waiting_filter, 100).await.unwrap() {
        let ids: Vec<i64> = store.person_alerts(area, &p.person_key).await.unwrap().iter().map(|a| a.id).collect();
        let action = StaffAction { at: Utc::now(), actor_subject: "demo-ig-lead".into(), area_id: area, case_id: None, action: "alerts reviewed".into(), detail: "test".into() };
        store.review_alerts(area, &p.person_key, &ids, AlertStatus::Appropriate, "Seen in the emergency department.", &action).await.unwrap();
    }
    // Three people flagged a pass apart: q1 has waited longest.
    for p in ["q1", "q2", "q3"] {
        send(&app, source, vec![look(&format!("{p}-a"), "9000000017", m, p, "RX1", "ETREAT"), look(&format!("{p}-b"), "9000000025", m, p, "RX2", "ETREAT")]).await;
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let queue = |state: AlertState, limit: usize| {
        let store = store.clone();
        async move {
            let filter = AlertFilter { state, rule: None, org_ods: None, raised_before: None };
            store.alert_queue(area, &filter, limit).await.unwrap().into_iter().map(|p| (p.person_key, p.open, p.total, p.organisations.len())).collect::<Vec<_>>()
        }
    };
    let waiting = queue(AlertState::Waiting, 10).await;
    let keys: Vec<&str> = waiting.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(keys, ["id:q1", "id:q2", "id:q3"]);
    assert!(waiting.iter().all(|p| p.1 == 2 && p.2 == 2 && p.3 == 2), "each person's alerts and organisations counted: {waiting:?}");
    let page = queue(AlertState::Waiting, 2).await;
    assert_eq!(page.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(), ["id:q1", "id:q2"]);

    // q1 reviewed: off the waiting queue, last among everyone.
    let ids: Vec<i64> = store.person_alerts(area, "id:q1").await.unwrap().iter().map(|a| a.id).collect();
    let action = StaffAction { at: Utc::now(), actor_subject: "demo-ig-lead".into(), area_id: area, case_id: None, action: "alerts reviewed".into(), detail: "test".into() };
    assert_eq!(store.review_alerts(area, "id:q1", &ids, AlertStatus::Appropriate, "On the ward that day.", &action).await.unwrap(), 2);
    assert_eq!(queue(AlertState::Waiting, 10).await.iter().map(|p| p.0.as_str()).collect::<Vec<_>>(), ["id:q2", "id:q3"]);
    let all = queue(AlertState::All, 10).await;
    assert_eq!(all.iter().take(2).map(|p| p.0.as_str()).collect::<Vec<_>>(), ["id:q2", "id:q3"], "the waiting first: {all:?}");
    let q1 = all.iter().find(|p| p.0 == "id:q1").expect("q1 among all");
    assert_eq!(q1.1, 0, "nothing of q1's waits");
    assert!(queue(AlertState::Reviewed, 10).await.iter().any(|p| p.0 == "id:q1"));
    assert!(!queue(AlertState::Reviewed, 10).await.iter().any(|p| p.0 == "id:q2"));

    // A patient's concern, raised last, comes first.
    let (_, looked) = amira_raises_a_concern(&app).await;
    let concerned = app::domain::monitoring::person_key(looked.agent_id.as_deref(), &looked.agent_name, looked.org_ods.as_deref());
    let waiting = store.alert_queue(area, &AlertFilter { state: AlertState::Waiting, rule: None, org_ods: None, raised_before: None }, 10).await.unwrap();
    assert_eq!(waiting[0].person_key, concerned);
    assert!(waiting[0].concern);
    assert_eq!(waiting.iter().skip(1).map(|p| p.person_key.as_str()).collect::<Vec<_>>(), ["id:q2", "id:q3"]);
}

on_both_backends!(the_queue_puts_concerns_first_then_the_longest_waiting);

/// Alerts straight into the table: `n` for one person, all raised at one time, in `status`.
async fn alerts_for(store: &server::db::Db, area: i64, person: &str, n: i64, first_event: i64, raised: DateTime<Utc>, status: &str) {
    alerts_under(store, area, person, Rule::OutOfHours, n, first_event, raised, status).await;
}

/// As [`alerts_for`], under a rule of the test's choosing.
#[expect(clippy::too_many_arguments, reason = "an alert's facts, one by one, read best in the tests")]
async fn alerts_under(store: &server::db::Db, area: i64, person: &str, rule: Rule, n: i64, first_event: i64, raised: DateTime<Utc>, status: &str) {
    let sql = "INSERT INTO alerts (area_id, event_id, rule, explanation, person_key, person_name, org_ods, org_name, nhs_number,
                   recorded_at, purpose, raised_at, status)
               WITH RECURSIVE n(i) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < CAST($1 AS BIGINT))
               SELECT $2, CAST($3 AS BIGINT) + i, $8, 'Flagged by the test.', $4, $5, 'RX1', 'Organisation RX1', '9434765919', $6, 'TREAT', $6, $7 FROM n";
    let name = format!("Person {person}");
    match store {
        server::db::Db::Sqlite(_, p) => {
            sqlx::query(sql).bind(n).bind(area).bind(first_event).bind(person).bind(&name).bind(raised).bind(status).bind(rule.as_str()).execute(p).await.unwrap();
        }
        server::db::Db::Postgres(p) => {
            sqlx::query(sql).bind(n).bind(area).bind(first_event).bind(person).bind(&name).bind(raised).bind(status).bind(rule.as_str()).execute(p).await.unwrap();
        }
    }
}

/// The views with reviewed alerts read the alerts newest first, a slice at a time, until the
/// page is full: one person with more alerts than a slice, all raised at the same moment, does
/// not hide the people behind them, and everyone waiting still comes first.
async fn the_whole_queue_reaches_past_a_person_with_many_alerts(db: TestDb) {
    let store = server::db::Db::connect(&db.url, 4).await.unwrap();
    let area = store.create_area(&AreaSlug::parse("testshire").unwrap(), "Testshire").await.unwrap().id;
    let now = Utc::now();
    alerts_for(&store, area, "id:busy", 1_200, 0, now - Duration::hours(1), "appropriate").await;
    alerts_for(&store, area, "id:older", 2, 10_000, now - Duration::days(2), "appropriate").await;
    alerts_for(&store, area, "id:oldest", 1, 20_000, now - Duration::days(9), "inappropriate").await;
    alerts_for(&store, area, "id:waiting", 1, 30_000, now - Duration::days(30), "open").await;
    let people = |state: AlertState, limit: usize| {
        let store = store.clone();
        async move {
            let filter = AlertFilter { state, rule: None, org_ods: None, raised_before: None };
            store.alert_queue(area, &filter, limit).await.unwrap().into_iter().map(|p| (p.person_key, p.open, p.total)).collect::<Vec<_>>()
        }
    };
    let all = people(AlertState::All, 10).await;
    assert_eq!(
        all,
        [("id:waiting".to_string(), 1, 1), ("id:busy".into(), 0, 1_200), ("id:older".into(), 0, 2), ("id:oldest".into(), 0, 1)],
        "the waiting first, then the rest newest first, each person once"
    );
    let reviewed: Vec<String> = people(AlertState::Reviewed, 10).await.into_iter().map(|p| p.0).collect();
    assert_eq!(reviewed, ["id:busy", "id:older", "id:oldest"]);
    let page: Vec<String> = people(AlertState::All, 3).await.into_iter().map(|p| p.0).collect();
    assert_eq!(page, ["id:waiting", "id:busy", "id:older"], "a page holds only as many as asked for");
    let waiting: Vec<String> = people(AlertState::Waiting, 10).await.into_iter().map(|p| p.0).collect();
    assert_eq!(waiting, ["id:waiting"]);
    // The filters hold in every part: older than a week leaves the two oldest.
    let week = AlertFilter { state: AlertState::All, rule: None, org_ods: None, raised_before: Some(now - Duration::days(7)) };
    let old: Vec<String> = store.alert_queue(area, &week, 10).await.unwrap().into_iter().map(|p| p.person_key).collect();
    assert_eq!(old, ["id:waiting", "id:oldest"]);
    let rule = AlertFilter { state: AlertState::All, rule: Some(Rule::Emergency), org_ods: None, raised_before: None };
    assert!(store.alert_queue(area, &rule, 10).await.unwrap().is_empty(), "nobody met the emergency rule");
}

on_both_backends!(the_whole_queue_reaches_past_a_person_with_many_alerts);

/// A rule filter lists the people with an alert under that rule in the view chosen (its status,
/// organisation and age), not everyone the rule ever met; and a person's figures are true in
/// every view: the reviewed view does not say "nothing waiting" of someone with alerts waiting.
async fn the_rule_filter_asks_for_alerts_in_view_and_the_figures_stay_true(db: TestDb) {
    let store = server::db::Db::connect(&db.url, 4).await.unwrap();
    let area = store.create_area(&AreaSlug::parse("testshire").unwrap(), "Testshire").await.unwrap().id;
    let now = Utc::now();
    // "mixed": out-of-hours looks reviewed long ago, and a first access waiting today.
    alerts_under(&store, area, "id:mixed", Rule::OutOfHours, 3, 0, now - Duration::days(12), "appropriate").await;
    alerts_under(&store, area, "id:mixed", Rule::FirstAccess, 2, 100, now - Duration::hours(2), "open").await;
    // "night": out-of-hours looks waiting.
    alerts_under(&store, area, "id:night", Rule::OutOfHours, 1, 200, now - Duration::hours(1), "open").await;
    // "again": looks at the same patient reviewed long ago, and one more today under that rule.
    alerts_under(&store, area, "id:again", Rule::Repeated, 4, 300, now - Duration::days(20), "appropriate").await;
    alerts_under(&store, area, "id:again", Rule::Repeated, 1, 400, now - Duration::minutes(30), "open").await;
    let people = |state: AlertState, rule: Option<Rule>, raised_before: Option<DateTime<Utc>>| {
        let store = store.clone();
        async move {
            let filter = AlertFilter { state, rule, org_ods: None, raised_before };
            store.alert_queue(area, &filter, 10).await.unwrap().into_iter().map(|p| (p.person_key, p.open, p.total, p.oldest_open.is_some())).collect::<Vec<_>>()
        }
    };
    let keys = |v: Vec<(String, i64, i64, bool)>| v.into_iter().map(|p| p.0).collect::<Vec<_>>();
    assert_eq!(keys(people(AlertState::Waiting, Some(Rule::OutOfHours), None).await), ["id:night"], "mixed has nothing out of hours waiting");
    assert_eq!(keys(people(AlertState::Reviewed, Some(Rule::OutOfHours), None).await), ["id:mixed"]);
    assert_eq!(keys(people(AlertState::Reviewed, Some(Rule::FirstAccess), None).await), Vec::<String>::new(), "no first access reviewed");
    assert_eq!(keys(people(AlertState::Waiting, Some(Rule::FirstAccess), None).await), ["id:mixed"]);
    assert_eq!(keys(people(AlertState::All, Some(Rule::OutOfHours), Some(now - Duration::days(7))).await), ["id:mixed"], "the rule's alert must be old enough itself");
    assert_eq!(keys(people(AlertState::Waiting, Some(Rule::OutOfHours), Some(now - Duration::days(7))).await), Vec::<String>::new());
    // In the reviewed view, mixed's figures still count the two waiting: "2 of 5", waiting since.
    let reviewed = people(AlertState::Reviewed, None, None).await;
    assert_eq!(reviewed, [("id:mixed".to_string(), 2, 5, true), ("id:again".to_string(), 1, 5, true)], "{reviewed:?}");
    let waiting = people(AlertState::Waiting, None, None).await;
    assert_eq!(
        waiting,
        [("id:mixed".to_string(), 2, 5, true), ("id:night".to_string(), 1, 1, true), ("id:again".to_string(), 1, 5, true)],
        "{waiting:?}"
    );
    // Waiting since the oldest alert still waiting, not the oldest reviewed one under that rule.
    let filter = AlertFilter { state: AlertState::Waiting, rule: Some(Rule::Repeated), org_ods: None, raised_before: None };
    let again = store.alert_queue(area, &filter, 10).await.unwrap();
    let since = again[0].oldest_open.expect("something waits");
    assert!(now - since < Duration::hours(1), "waiting since today, not 20 days: {since}");
}

on_both_backends!(the_rule_filter_asks_for_alerts_in_view_and_the_figures_stay_true);

async fn queue_with_alerts(app: &TestApp) -> String {
    let (area, source) = northshire(app).await;
    only(app, area, Rule::Emergency, |_| {}).await;
    send(app, source, vec![look("q1", "9000000017", at(MORNING), "555000111", "RX1", "ETREAT"), look("q2", "9000000025", at(MORNING), "555000111", "RX1", "ETREAT")]).await;
    let newest = app.state.store.person_alerts(area, "id:555000111").await.unwrap()[0].id;
    format!("/monitoring/northshire/people/{newest}")
}

#[tokio::test]
async fn only_the_areas_ig_leads_see_and_review_its_alerts() {
    let app = TestApp::spawn().await;
    let person = queue_with_alerts(&app).await;

    let mut samuel = app.signed_in("demo-ig-lead").await;
    let queue = samuel.get("/monitoring").await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("Person 555000111"), "{}", queue.body);
    // A member organisation by the area's name for it, not the name the event gave.
    assert!(queue.body.contains("Northshire Hospitals NHS Foundation Trust") && !queue.body.contains("Organisation RX1"));
    let persons = samuel.get(&person).await.body;
    assert!(persons.contains("Northshire Hospitals NHS Foundation Trust") && !persons.contains("Organisation RX1"), "{persons}");
    assert!(samuel.get("/monitoring?area=northshire&rule=emergency").await.body.contains("Person 555000111"));
    assert!(!samuel.get("/monitoring?area=northshire&rule=volume").await.body.contains("Person 555000111"));
    assert!(!samuel.get("/monitoring?area=northshire&org=RX9").await.body.contains("Person 555000111"));
    assert!(!samuel.get("/monitoring?area=northshire&age=20").await.body.contains("Person 555000111"), "raised just now");
    // The filter shown is the filter applied: a code in lower case shows chosen; one outside the
    // area's list is added to it; an age the list does not offer too; a rule not recognised is none.
    let lower = samuel.get("/monitoring?area=northshire&org=%20rx1%20").await.body;
    assert!(lower.contains("Person 555000111") && lower.contains("value=\"RX1\" selected"), "{lower}");
    assert!(samuel.get("/monitoring?area=northshire&org=RX9").await.body.contains("value=\"RX9\" selected"));
    assert!(samuel.get("/monitoring?area=northshire&age=7").await.body.contains("value=\"7\" selected"));
    assert!(samuel.get("/monitoring?area=northshire&age=05").await.body.contains("value=\"5\" selected"), "05 is 5");
    let garbage = samuel.get("/monitoring?area=northshire&rule=EMERGENCY").await.body;
    assert!(garbage.contains("Person 555000111") && !garbage.contains("people with an alert under this rule"), "an unknown rule filters nothing and says so");
    assert!(samuel.get("/monitoring?area=northshire&rule=emergency").await.body.contains("people with an alert under this rule"));
    let page = samuel.get(&person).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Emergency access") && page.body.contains("break-glass"), "the rule is explained");
    assert!(page.body.contains("900 000 0017"));
    // The address names an alert, never the person; another area's alert is not found there.
    assert_eq!(samuel.get("/monitoring/northshire/people/abc").await.status, 404);
    assert_eq!(samuel.get(&person.replace("northshire", "southvale")).await.status, 404);
    assert_eq!(samuel.post_form(&format!("{}/review", person.replace("northshire", "southvale")), &[("alert", "1"), ("decision", "appropriate"), ("reason", "x")]).await.status, 404);

    for who in ["demo-case-worker", "demo-comms-editor", "demo-comms-approver", "demo-admin"] {
        let mut b = app.signed_in(who).await;
        assert_eq!(b.get("/monitoring").await.status, 403, "{who}");
        assert_eq!(b.get(&person).await.status, 403, "{who}");
        assert_eq!(b.post_form(&format!("{person}/review"), &[("alert", "1"), ("decision", "appropriate"), ("reason", "x")]).await.status, 403, "{who}");
        assert_eq!(b.post_form("/monitoring/northshire/settings", &[("start", "08:00")]).await.status, 403, "{who}");
        assert_eq!(b.post_form("/monitoring/northshire/watch-list/add", &[("nhs_number", "9000000017"), ("watch_reason", "x")]).await.status, 403, "{who}");
    }
    let mut patient = app.signed_in("demo-patient-p9").await;
    let res = patient.get("/monitoring").await;
    assert!(matches!(res.status, 302 | 303 | 403), "a patient is sent to staff sign-in: {}", res.status);
    assert!(!res.body.contains("Person 555000111"));
    assert!(!patient.get(&person).await.body.contains("900 000 0017"));

    // An IG lead of another area only: Northshire's monitoring is not found.
    app.state.store.remove_staff("demo-ig-lead", Some((Role::IgLead, &AreaSlug::parse("northshire").unwrap()))).await.unwrap();
    let mut southvale_only = app.signed_in("demo-ig-lead").await;
    let queue = southvale_only.get("/monitoring").await;
    assert_eq!(queue.status, 200);
    assert!(!queue.body.contains("Person 555000111"));
    assert_eq!(southvale_only.get("/monitoring?area=northshire").await.status, 404);
    assert_eq!(southvale_only.get(&person).await.status, 404);
    assert_eq!(southvale_only.post_form(&format!("{person}/review"), &[("alert", "1"), ("decision", "appropriate"), ("reason", "x")]).await.status, 404);
    assert_eq!(southvale_only.post_form("/monitoring/northshire/settings", &[]).await.status, 404);
}

async fn review(ig: &mut Browser, person: &str, form: &[(&str, &str)]) -> String {
    let res = ig.post_form(&format!("{person}/review"), form).await;
    assert_eq!(res.status, 303);
    res.location.unwrap()
}

#[tokio::test]
async fn a_review_is_recorded_and_bad_input_is_sent_back() {
    let app = TestApp::spawn().await;
    let person = queue_with_alerts(&app).await;
    let (area, _) = northshire(&app).await;
    let alerts = app.state.store.person_alerts(area, "id:555000111").await.unwrap();
    let ids: Vec<String> = alerts.iter().map(|a| a.id.to_string()).collect();
    let mut samuel = app.signed_in("demo-ig-lead").await;

    // Nothing chosen, no reason: sent back with the NHS error summary, nothing stored.
    let back = review(&mut samuel, &person, &[]).await;
    assert_eq!(back, format!("{person}?form=1"));
    let page = samuel.get(&back).await;
    assert!(page.body.contains("nhsuk-error-summary"));
    assert!(page.body.contains("Select the accesses this review covers") && page.body.contains("Select your decision") && page.body.contains("Enter the reason"));
    // A NUL or a right-to-left override in the reason is refused, not stored.
    review(&mut samuel, &person, &[("alert", &ids[0]), ("decision", "appropriate"), ("reason", "fine\0")]).await;
    review(&mut samuel, &person, &[("alert", &ids[0]), ("decision", "appropriate"), ("reason", "fine \u{202E}enif")]).await;
    assert!(app.state.store.person_alerts(area, "id:555000111").await.unwrap().iter().all(|a| a.status == AlertStatus::Open));

    // More alerts than any page lists is not a review a form of ours sends.
    let many: Vec<String> = (1..=1_001).map(|i| i.to_string()).collect();
    let mut form: Vec<(&str, &str)> = many.iter().map(|i| ("alert", i.as_str())).collect();
    form.extend([("decision", "appropriate"), ("reason", "bulk")]);
    assert_eq!(samuel.post_form(&format!("{person}/review"), &form).await.status, 400);

    // A breakout string is kept as typed and shown as text.
    let hostile = "On shift in A&E </textarea><img src=x onerror=alert(1)>";
    let done = review(&mut samuel, &person, &[("alert", &ids[0]), ("decision", "appropriate"), ("reason", hostile)]).await;
    assert_eq!(done, format!("{person}?done=reviewed"));
    let page = samuel.get(&done).await;
    assert!(page.body.contains("Your review is recorded."));
    assert!(!page.body.contains("<img src=x"), "escaped");
    assert!(page.body.contains("&lt;img src=x onerror=alert(1)&gt;"));
    let after = app.state.store.person_alerts(area, "id:555000111").await.unwrap();
    let reviewed = after.iter().find(|a| a.id.to_string() == ids[0]).unwrap();
    assert_eq!((reviewed.status, reviewed.reason.as_deref(), reviewed.reviewed_by.as_deref()), (AlertStatus::Appropriate, Some(hostile), Some("demo-ig-lead")));
    // The same alert cannot be decided twice; the other still waits.
    let again = review(&mut samuel, &person, &[("alert", &ids[0]), ("decision", "inappropriate"), ("reason", "changed my mind")]).await;
    assert!(samuel.get(&again).await.body.contains("These accesses have already been reviewed"));
    review(&mut samuel, &person, &[("alert", &ids[1]), ("decision", "needs_information"), ("reason", "Asked the ward manager for the rota")]).await;
    let waiting = app.state.store.person_alerts(area, "id:555000111").await.unwrap();
    assert!(waiting.iter().any(|a| a.status == AlertStatus::NeedsInformation));
    assert!(samuel.get("/monitoring").await.body.contains("Person 555000111"), "waiting for information is still waiting");
    assert_eq!(app.count("staff_actions WHERE action = 'alerts reviewed'").await, 2);
}

#[tokio::test]
async fn the_ig_lead_sets_the_rules_and_bad_settings_are_sent_back() {
    let app = TestApp::spawn().await;
    let (area, _) = northshire(&app).await;
    let mut samuel = app.signed_in("demo-ig-lead").await;
    let page = samuel.get("/monitoring/northshire/settings").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Out of hours") && page.body.contains("8am to 6:30pm"));

    let bad = samuel
        .post_form("/monitoring/northshire/settings", &[("rule", "emergency"), ("start", "19:00"), ("end", "07:00"), ("volume", "lots"), ("days", "3"), ("window", "30"), ("target", "10")])
        .await;
    let page = samuel.get(bad.location.as_deref().unwrap()).await;
    assert!(page.body.contains("The end of working hours must be after the start") && page.body.contains("Enter the number of patients"));
    assert!(page.body.contains("value=\"lots\""), "what was typed is kept");
    assert_eq!(app.state.store.monitoring_settings(area).await.unwrap(), MonitoringSettings::default(), "nothing stored");

    let ok = samuel
        .post_form("/monitoring/northshire/settings", &[("rule", "emergency"), ("rule", "watch_list"), ("start", "07:30"), ("end", "19:00"), ("volume", "80"), ("days", "4"), ("window", "14"), ("target", "5")])
        .await;
    assert_eq!(ok.location.as_deref(), Some("/monitoring/northshire/settings?done=saved"));
    let s = app.state.store.monitoring_settings(area).await.unwrap();
    assert!(s.is_on(Rule::Emergency) && s.is_on(Rule::WatchList) && !s.is_on(Rule::OutOfHours));
    assert_eq!((s.volume_threshold, s.repeated_days, s.repeated_window_days, s.review_target_days), (80, 4, 14, 5));

    // The watch list refuses what is not an NHS number, or a reason that hides its text; the
    // rules form beside it keeps the rules as saved.
    let bad = samuel.post_form("/monitoring/northshire/watch-list/add", &[("nhs_number", "123"), ("watch_reason", "Staff \u{202E}x")]).await;
    let page = samuel.get(bad.location.as_deref().unwrap()).await;
    assert!(page.body.contains("nhsuk-error-summary"));
    let ticked = page.body.matches("name=\"rule\"").count();
    assert_eq!(ticked, 7);
    assert_eq!(page.body.matches("checked").count(), 2, "emergency and watch list still ticked");
    assert_eq!(app.count("watch_list").await, 0);
    samuel.post_form("/monitoring/northshire/watch-list/add", &[("nhs_number", "9000000017"), ("watch_reason", "Public figure")]).await;
    let twice = samuel.post_form("/monitoring/northshire/watch-list/add", &[("nhs_number", "9000000017"), ("watch_reason", "Again")]).await;
    assert!(samuel.get(twice.location.as_deref().unwrap()).await.body.contains("already on the watch list"));
    let asked = samuel.post_form("/monitoring/northshire/watch-list/remove", &[("nhs_number", "900 000 0017")]).await;
    assert!(asked.status == 200 && asked.body.contains("Take 900 000 0017 off the watch list?"), "asked first");
    let removed = samuel.post_form("/monitoring/northshire/watch-list/remove", &[("nhs_number", "900 000 0017"), ("confirm", "yes")]).await;
    assert_eq!(removed.location.as_deref(), Some("/monitoring/northshire/settings?done=removed"));
    assert_eq!(app.count("watch_list").await, 0);
    let actions = app.count("staff_actions WHERE action LIKE 'watch list%' OR action = 'monitoring rules changed'").await;
    assert_eq!(actions, 3);
}

#[tokio::test]
async fn a_patients_concern_joins_the_persons_alerts() {
    let app = TestApp::spawn().await;
    let (area, _) = northshire(&app).await;
    let store = &app.state.store;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let events = crate::helpers::every_access_event(&**store, nhs("9434765919")).await;
    let looked = events.iter().find(|e| !e.automated && e.agent_name == "Jo Patel").unwrap();
    let form = amira.get(&format!("/access-log/{}/concern", looked.id)).await;
    assert_eq!(form.status, 200);
    let key = {
        let at = form.body.find("name=\"key\" value=\"").unwrap() + 18;
        form.body[at..].split('"').next().unwrap().to_string()
    };
    let sent = amira.post_form(&format!("/access-log/{}/concern", looked.id), &[("key", &key), ("words", "I have never been to that hospital."), ("contact", "email"), ("email", "amira@example.com")]).await;
    assert_eq!(sent.status, 303, "{:?}", sent.location);
    let key = app::domain::monitoring::person_key(looked.agent_id.as_deref(), &looked.agent_name, looked.org_ods.as_deref());
    let alerts = store.person_alerts(area, &key).await.unwrap();
    assert!(alerts.iter().any(|a| a.rule == Rule::PatientConcern && a.event_id == looked.id && a.case_id.is_some()), "{alerts:?}");
    let mut samuel = app.signed_in("demo-ig-lead").await;
    let queue = samuel.get("/monitoring").await;
    assert!(queue.body.contains("Jo Patel") && queue.body.contains("Patient concern"));
    let page = samuel.get(&format!("/monitoring/northshire/people/{}", alerts[0].id)).await;
    assert!(page.body.contains("A patient is waiting"));
}

/// Amira's concern about one of Jo Patel's looks; returns the concern's reference.
async fn amira_raises_a_concern(app: &TestApp) -> (String, AccessEvent) {
    let mut amira = app.signed_in("demo-patient-p9").await;
    let events = crate::helpers::every_access_event(&*app.state.store, nhs("9434765919")).await;
    let looked = events.iter().find(|e| !e.automated && e.agent_name == "Jo Patel").unwrap().clone();
    let sent = amira
        .post_form(&format!("/access-log/{}/concern", looked.id), &[("words", "I have never been to that hospital."), ("contact", "email"), ("email", "amira@example.com")])
        .await;
    let reference = sent.location.unwrap().trim_start_matches("/your-requests/").trim_end_matches("/confirmation").to_string();
    (reference, looked)
}

/// Whether every one of the alerts given stands at `status`.
async fn all_are(store: &dyn MonitoringStore, area: i64, key: &str, ids: &[String], status: AlertStatus) -> bool {
    store.person_alerts(area, key).await.unwrap().iter().filter(|a| ids.contains(&a.id.to_string())).all(|a| a.status == status)
}

async fn a_referral_reaches_the_employer_and_its_outcome_the_patient(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let (area, _) = northshire(&app).await;
    let store = &app.state.store;
    // The demo's events checked first, so the alerts below are all there will be.
    app::monitoring::service::check_arrivals(&**store, Utc::now() + Duration::minutes(2)).await.unwrap();
    let (concern, looked) = amira_raises_a_concern(&app).await;
    let key = app::domain::monitoring::person_key(looked.agent_id.as_deref(), &looked.agent_name, looked.org_ods.as_deref());
    let alerts = store.person_alerts(area, &key).await.unwrap();
    let person = format!("/monitoring/northshire/people/{}", alerts[0].id);
    let ids: Vec<String> = alerts.iter().filter(|a| a.status.is_open()).map(|a| a.id.to_string()).collect();
    let mut samuel = app.signed_in("demo-ig-lead").await;

    // A referral needs the organisation, who it goes to and the days to reply.
    let mut form: Vec<(&str, &str)> = ids.iter().map(|i| ("alert", i.as_str())).collect();
    form.extend([("decision", "referred"), ("reason", "Please find out why Jo Patel opened this record."), ("org", "RX1"), ("days", "0")]);
    let back = review(&mut samuel, &person, &form).await;
    let page = samuel.get(&back).await;
    assert!(page.body.contains("Enter who at the organisation it goes to") && page.body.contains("Enter the working days for their reply"));
    form.pop();
    form.extend([("days", "10"), ("contact", "Dr Kim Lee, IG lead, kim.lee@example.nhs.uk")]);
    let done = review(&mut samuel, &person, &form).await;
    assert!(done.starts_with("/monitoring/northshire/referrals/") && done.ends_with("?done=referred"), "{done}");
    let pack = samuel.get(&done).await;
    assert_eq!(pack.status, 200);
    assert!(pack.body.contains("investigation pack") && pack.body.contains("943 476 5919") && pack.body.contains("Patient raised a concern"));
    assert!(pack.body.contains("Dr Kim Lee, IG lead") && pack.body.contains(&concern));
    assert!(all_are(&**store, area, &key, &ids, AlertStatus::Referred).await);
    let referral_page = done.trim_end_matches("?done=referred").to_string();
    let csv = samuel.get(&format!("{referral_page}/pack.csv")).await;
    assert_eq!(csv.status, 200);
    assert!(csv.headers["content-type"].starts_with("text/csv"));
    assert!(csv.body.starts_with("When (UK time),Patient NHS number,Person"), "{}", csv.body);
    assert!(csv.body.contains("9434765919") && csv.body.contains("Jo Patel") && csv.body.contains("Patient raised a concern"));
    assert!(samuel.get("/monitoring").await.body.contains("Waiting for their reply"));
    // Nobody but the area's IG leads sees the pack.
    let mut chloe = app.signed_in("demo-case-worker").await;
    assert_eq!(chloe.get(&referral_page).await.status, 403);
    assert_eq!(chloe.get(&format!("{referral_page}/pack.csv")).await.status, 403);

    // The reply: with a patient waiting, what to tell them is needed.
    let outcome = format!("{referral_page}/outcome");
    let back = samuel.post_form(&outcome, &[("outcome", "confirmed"), ("reply", "No reason in her work: a disciplinary process has started.")]).await;
    assert!(samuel.get(back.location.as_deref().unwrap()).await.body.contains("Enter what to tell the patient"));
    let recorded = samuel
        .post_form(&outcome, &[("outcome", "confirmed"), ("reply", "No reason in her work: a disciplinary process has started."), ("patient_words", "The person who looked had no reason to. Their employer has acted.")])
        .await;
    assert_eq!(recorded.location.as_deref(), Some(format!("{referral_page}?done=outcome").as_str()));
    assert!(all_are(&**store, area, &key, &ids, AlertStatus::Inappropriate).await);
    let again = samuel.post_form(&outcome, &[("outcome", "not_confirmed"), ("reply", "x"), ("patient_words", "y")]).await;
    assert!(samuel.get(again.location.as_deref().unwrap()).await.body.contains("already been recorded"));

    // Amira reads the outcome of her concern in plain words, without the person's name.
    let mut amira = app.signed_in("demo-patient-p9").await;
    let mine = amira.get(&format!("/your-requests/{concern}")).await;
    assert!(mine.body.contains("We upheld your concern and have acted on it"), "{}", mine.body);
    assert!(mine.body.contains("Their employer has acted."));
    assert!(!mine.body.contains("disciplinary"), "the employer's reply stays with the IG lead");
    assert_eq!(app.count("staff_actions WHERE action IN ('alerts referred', 'referral outcome')").await, 2);
}

on_both_backends!(a_referral_reaches_the_employer_and_its_outcome_the_patient);

#[tokio::test]
async fn without_a_concern_the_ig_lead_records_whether_the_patient_was_told() {
    let app = TestApp::spawn().await;
    let person = queue_with_alerts(&app).await;
    let (area, _) = northshire(&app).await;
    let ids: Vec<String> = app.state.store.person_alerts(area, "id:555000111").await.unwrap().iter().map(|a| a.id.to_string()).collect();
    let mut samuel = app.signed_in("demo-ig-lead").await;
    let mut form: Vec<(&str, &str)> = ids.iter().map(|i| ("alert", i.as_str())).collect();
    form.extend([("decision", "referred"), ("reason", "Two emergency accesses in one morning."), ("org", "RX1"), ("days", "20"), ("contact", "IG team")]);
    let done = review(&mut samuel, &person, &form).await;
    let referral_page = done.trim_end_matches("?done=referred").to_string();
    samuel.post_form(&format!("{referral_page}/outcome"), &[("outcome", "confirmed"), ("reply", "Confirmed.")]).await;
    let page = samuel.get(&referral_page).await;
    assert!(page.body.contains("Has the patient been told about this access?"));

    let told = format!("{referral_page}/patient-told");
    let future = (Utc::now() + Duration::days(3)).date_naive();
    let (d, m, y) = (future.format("%-d").to_string(), future.format("%-m").to_string(), future.format("%Y").to_string());
    let back = samuel.post_form(&told, &[("told", "told"), ("told-day", &d), ("told-month", &m), ("told-year", &y)]).await;
    assert!(samuel.get(back.location.as_deref().unwrap()).await.body.contains("not in the future"));
    let back = samuel.post_form(&told, &[("told", "not_told")]).await;
    assert!(samuel.get(back.location.as_deref().unwrap()).await.body.contains("Say why the patient has not been told"));
    let today = app::domain::uk_date(Utc::now());
    let (d, m, y) = (today.format("%-d").to_string(), today.format("%-m").to_string(), today.format("%Y").to_string());
    let ok = samuel.post_form(&told, &[("told", "told"), ("told-day", &d), ("told-month", &m), ("told-year", &y), ("told_note", "By letter.")]).await;
    assert_eq!(ok.location.as_deref(), Some(format!("{referral_page}?done=told").as_str()));
    let page = samuel.get(&referral_page).await;
    assert!(page.body.contains(&format!("The patient was told on {}. By letter.", app::domain::when::day_of(today))), "{}", page.body);

    // The figures count what happened; the public page hides numbers under 5.
    let figures = samuel.get("/monitoring/northshire/figures").await;
    assert!(figures.body.contains("Confirmed inappropriate"), "{}", figures.body);
    assert_eq!(app.signed_in("demo-case-worker").await.get("/monitoring/northshire/figures").await.status, 403);
    let public = app.browser().get("/areas/northshire/figures").await;
    assert!(public.body.contains("Checking who looks at records") && public.body.contains("fewer than 5"), "{}", public.body);
}
