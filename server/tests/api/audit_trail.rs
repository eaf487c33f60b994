//! Tamper evidence for the audit trail, on both databases: an untouched trail passes its check,
//! and rows changed, deleted, inserted or reordered directly in the database, and a chain
//! rewritten, are each named by `verify`; retention's deletions are not tampering; two
//! instances sealing at once seal each row once; the figures page publishes the digests.

use crate::helpers::{Backend, TestApp, TestDb};
use crate::on_both_backends;
use app::domain::AreaSlug;
use app::server::store::*;
use chrono::{Duration, Utc};
use server::audit::{self, Problem, Scope};
use server::db::Db;

/// Runs SQL straight on the database, as someone with access to it could.
async fn tamper(db: &TestDb, sql: &str) {
    use sqlx::Connection;
    if db.url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
    } else {
        let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
    }
}

fn backend(db: &TestDb) -> Backend {
    if db.url.starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres }
}

/// An area with a system of its own; returns (area id, source id).
async fn area_with_source(store: &Db, slug: &str) -> (i64, i64) {
    let area = store.create_area(&AreaSlug::parse(slug).unwrap(), slug).await.unwrap();
    let (client, _) = app::staff_admin::ssr::register_source(store, &format!("{slug} SCR"), None).await.unwrap();
    let source = store.source_by_client_id(&client).await.unwrap().unwrap().id;
    store.set_source_area(source, Some(area.id)).await.unwrap();
    (area.id, source)
}

/// Events from a source (or none: the portal's own), received five minutes ago so that they
/// have settled.
async fn looks(store: &Db, source: Option<i64>, prefix: &str, n: usize, days_ago: i64) {
    let events: Vec<AccessEvent> = (0..n)
        .map(|i| {
            let mut e = crate::case_storage::look(format!("{prefix}-{i}"), Utc::now() - Duration::days(days_ago) - Duration::minutes(i as i64), false, "SCR");
            e.source_id = source;
            e
        })
        .collect();
    store.ingest_access_events(&events, Utc::now() - Duration::minutes(5)).await.unwrap();
}

async fn actions(store: &Db, area_id: i64, n: usize) {
    for i in 0..n {
        store
            .record_staff_action(&StaffAction { at: Utc::now(), actor_subject: "demo-case-worker".into(), area_id, case_id: Some(1), action: "decided".into(), detail: format!("decision {i}") })
            .await
            .unwrap();
    }
}

async fn id_of(store: &Db, source_event_id: &str) -> i64 {
    let rows = store.audit_rows(AuditStream::AccessEvents, 0, None, 1_000_000).await.unwrap();
    rows.iter().find(|r| r.fields[1].as_deref() == Some(source_event_id)).map(|r| r.id).expect("the event is held")
}

/// Sealing as the job would two minutes from now, when every row has settled.
async fn seal(store: &Db) -> u64 {
    audit::seal(store, Utc::now() + Duration::minutes(2)).await.unwrap()
}

async fn every_tamper_with_rows_is_named(db: TestDb) {
    let store = Db::connect(&db.url, 4).await.unwrap();
    let (north, source) = area_with_source(&store, "north").await;
    looks(&store, Some(source), "n", 30, 1).await;
    looks(&store, None, "portal", 5, 1).await;
    actions(&store, north, 10).await;
    // An id never committed (as a transaction rolled back leaves): the gap is sealed as a gap.
    let gap = id_of(&store, "n-7").await;
    tamper(&db, &format!("DELETE FROM access_events WHERE id = {gap}")).await;

    assert_eq!(seal(&store).await, 34 + 10);
    assert_eq!(seal(&store).await, 0, "nothing is sealed twice");
    looks(&store, Some(source), "later", 5, 0).await;
    assert_eq!(seal(&store).await, 5);

    let report = audit::verify(&store, &Scope::default()).await.unwrap();
    assert!(report.passed(), "an untouched trail passes: {:?}", report.problems);
    assert_eq!(report.rows_checked[&AuditStream::AccessEvents], 39);
    assert_eq!(report.rows_checked[&AuditStream::StaffActions], 10);
    assert_eq!(report.entries_checked, 4, "north: two seals of events and one of actions; the portal's own: one");
    let north_head = report.heads.iter().find(|h| h.0 == north).unwrap().2.clone();
    let passed = audit::verify(&store, &Scope { digests: vec![north_head.clone()], ..Scope::default() }).await.unwrap();
    assert!(passed.passed(), "a digest published earlier is found");

    // Now someone with access to the database edits the trail.
    let changed = id_of(&store, "n-3").await;
    let deleted = id_of(&store, "n-12").await;
    let copied = id_of(&store, "n-20").await;
    let staff = store.audit_rows(AuditStream::StaffActions, 0, None, 100).await.unwrap();
    let (s1, s2, s3) = (staff[2].id, staff[5].id, staff[8].id);
    let columns = "source_id, source_event_id, nhs_number, recorded_at, agent_name, agent_id, agent_role, org_ods, org_name, purpose, emergency, viewed, outcome, automated, observer, received_at, action, subtype, content_hash";
    let forged = columns.replace("source_event_id", "'forged'");
    let overriding = if backend(&db) == Backend::Postgres { "OVERRIDING SYSTEM VALUE" } else { "" };
    let unlock = if backend(&db) == Backend::Postgres {
        "ALTER TABLE staff_actions DISABLE TRIGGER staff_actions_no_change;"
    } else {
        "DROP TRIGGER staff_actions_no_update; DROP TRIGGER staff_actions_no_delete;"
    };
    tamper(
        &db,
        &format!(
            "UPDATE access_events SET purpose = 'EMERGENCY' WHERE id = {changed};
             DELETE FROM access_events WHERE id = {deleted};
             INSERT INTO access_events (id, {columns}) {overriding} SELECT {gap}, {forged} FROM access_events WHERE id = {copied};
             {unlock}
             CREATE TEMPORARY TABLE swap AS SELECT * FROM staff_actions WHERE id IN ({s1}, {s2});
             UPDATE staff_actions SET (at, actor_subject, area_id, case_id, action, detail) =
                 (SELECT at, actor_subject, area_id, case_id, action, detail FROM swap WHERE swap.id = CASE WHEN staff_actions.id = {s1} THEN {s2} ELSE {s1} END)
                 WHERE id IN ({s1}, {s2});
             UPDATE staff_actions SET detail = 'nothing to see' WHERE id = {s3};"
        ),
    )
    .await;

    let report = audit::verify(&store, &Scope::default()).await.unwrap();
    let named: Vec<String> = report.problems.iter().map(|p| p.describe(&|a| format!("area {a}"))).collect();
    let mut found: Vec<(&str, i64)> = report
        .problems
        .iter()
        .map(|p| match p {
            Problem::RowChanged { stream: AuditStream::AccessEvents, id, .. } => ("event changed", *id),
            Problem::RowDeleted { stream: AuditStream::AccessEvents, id, .. } => ("event deleted", *id),
            Problem::RowInserted { stream: AuditStream::AccessEvents, id, .. } => ("event inserted", *id),
            Problem::RowMoved { stream: AuditStream::StaffActions, id, .. } => ("action moved", *id),
            Problem::RowChanged { stream: AuditStream::StaffActions, id, .. } => ("action changed", *id),
            other => panic!("unexpected: {other:?}"),
        })
        .collect();
    found.sort();
    let mut expected = vec![("event changed", changed), ("event deleted", deleted), ("event inserted", gap), ("action moved", s1), ("action moved", s2), ("action changed", s3)];
    expected.sort();
    assert_eq!(found, expected, "{named:#?}");
    assert!(named.iter().any(|n| n.contains(&format!("access event {changed} was changed after it was sealed"))), "{named:#?}");
    assert!(named.iter().any(|n| n.contains(&format!("staff action {s1} holds what was sealed as staff action {s2}"))), "{named:#?}");

    // The portal's own chain was not touched: checked alone, it passes.
    let portal = audit::verify(&store, &Scope { area_id: Some(0), ..Scope::default() }).await.unwrap();
    assert!(portal.passed(), "{:?}", portal.problems);
}

async fn a_rewritten_chain_is_found(db: TestDb) {
    let store = Db::connect(&db.url, 4).await.unwrap();
    let (north, source) = area_with_source(&store, "north").await;
    for round in 0..4 {
        looks(&store, Some(source), &format!("r{round}"), 3, 1).await;
        seal(&store).await;
    }
    let report = audit::verify(&store, &Scope::default()).await.unwrap();
    assert!(report.passed(), "{:?}", report.problems);
    let head = report.heads.iter().find(|h| h.0 == north).unwrap().clone();
    assert_eq!(head.1, 4);

    // An entry edited to hide a row: its hash and its root no longer match it.
    tamper(&db, &format!("UPDATE audit_chain SET row_count = 2 WHERE area_id = {north} AND seq = 1")).await;
    let problems = audit::verify(&store, &Scope::default()).await.unwrap().problems;
    assert!(problems.contains(&Problem::EntryChanged { area_id: north, seq: 1 }), "{problems:?}");
    assert!(problems.contains(&Problem::EntryRowsChanged { area_id: north, seq: 1 }), "{problems:?}");
    tamper(&db, &format!("UPDATE audit_chain SET row_count = 3 WHERE area_id = {north} AND seq = 1")).await;
    assert!(audit::verify(&store, &Scope::default()).await.unwrap().passed(), "put back, it passes again");

    // A seal removed from the middle: the chain jumps, and its rows are no longer covered.
    tamper(&db, &format!("DELETE FROM audit_chain WHERE area_id = {north} AND seq = 2")).await;
    let problems = audit::verify(&store, &Scope::default()).await.unwrap().problems;
    assert!(problems.contains(&Problem::EntryMissing { area_id: north, after: 1, next: 3 }), "{problems:?}");
    assert!(problems.iter().any(|p| matches!(p, Problem::BatchGap { stream: AuditStream::AccessEvents, .. })), "{problems:?}");

    // Rewritten from there on, consistently: only a digest published earlier tells.
    tamper(&db, &format!("DELETE FROM audit_chain WHERE area_id = {north} AND seq > 1")).await;
    let quiet = audit::verify(&store, &Scope::default()).await.unwrap();
    assert!(quiet.problems.iter().all(|p| !matches!(p, Problem::EntryMissing { .. } | Problem::LinkBroken { .. })), "a truncated chain is consistent in itself");
    let problems = audit::verify(&store, &Scope { digests: vec![head.2.clone()], ..Scope::default() }).await.unwrap().problems;
    assert!(problems.contains(&Problem::DigestNotFound { digest: head.2.clone() }), "{problems:?}");
}

async fn retention_is_not_tampering(db: TestDb) {
    let store = Db::connect(&db.url, 4).await.unwrap();
    let (north, source) = area_with_source(&store, "north").await;
    looks(&store, Some(source), "old", 6, 400).await;
    looks(&store, None, "ancient", 3, 5000).await;
    // The newest event is never pruned (SQLite would reuse its id): the newest here is recent.
    looks(&store, Some(source), "new", 4, 10).await;
    assert_eq!(seal(&store).await, 13);
    assert_eq!(store.delete_area_access_events_before(north, Utc::now() - Duration::days(365), 4).await.unwrap(), 4);
    assert_eq!(store.delete_area_access_events_before(north, Utc::now() - Duration::days(365), 100).await.unwrap(), 2);
    assert_eq!(store.delete_access_events_before(Utc::now() - Duration::days(3650), 100).await.unwrap(), 3);
    let report = audit::verify(&store, &Scope::default()).await.unwrap();
    assert!(report.passed(), "{:?}", report.problems);
    assert_eq!(report.rows_pruned, 9);
    let kinds: Vec<_> = store.audit_chain(None, None).await.unwrap().into_iter().map(|e| (e.area_id, e.kind, e.row_count)).collect();
    assert!(kinds.contains(&(north, ChainEntryKind::PrunedAccessEvents, 4)) && kinds.contains(&(0, ChainEntryKind::PrunedAccessEvents, 3)), "{kinds:?}");

    // A system moved to another area: its events pruned there are still retention's.
    let south = store.create_area(&AreaSlug::parse("south").unwrap(), "South").await.unwrap();
    store.set_source_area(source, Some(south.id)).await.unwrap();
    looks(&store, Some(source), "moved", 2, 500).await;
    looks(&store, Some(source), "newest", 1, 1).await;
    store.set_source_area(source, Some(north)).await.unwrap();
    assert_eq!(seal(&store).await, 3, "sealed in the north's chain");
    store.set_source_area(source, Some(south.id)).await.unwrap();
    assert_eq!(store.delete_area_access_events_before(south.id, Utc::now() - Duration::days(365), 100).await.unwrap(), 2);
    let report = audit::verify(&store, &Scope::default()).await.unwrap();
    assert!(report.passed(), "{:?}", report.problems);
    assert_eq!(report.rows_pruned, 11);

    // A recent event deleted by hand is not retention's doing.
    let recent = id_of(&store, "new-2").await;
    tamper(&db, &format!("DELETE FROM access_events WHERE id = {recent}")).await;
    let problems = audit::verify(&store, &Scope::default()).await.unwrap().problems;
    assert!(matches!(problems.as_slice(), [Problem::RowDeleted { id, .. }] if *id == recent), "{problems:?}");

    // Retention's own code run with a cutoff of today, to pass off deletions: not retention.
    assert!(store.delete_access_events_before(Utc::now(), 100).await.unwrap() > 0);
    let problems = audit::verify(&store, &Scope::default()).await.unwrap().problems;
    assert!(problems.iter().any(|p| matches!(p, Problem::PruneTooRecent { area_id: 0, .. })), "{problems:?}");
    assert!(problems.iter().filter(|p| matches!(p, Problem::RowDeleted { .. })).count() >= 2, "its deletions are reported: {problems:?}");
}

async fn two_instances_seal_each_row_once(db: TestDb) {
    let one = Db::connect(&db.url, 4).await.unwrap();
    let two = Db::connect(&db.url, 4).await.unwrap();
    let (north, source) = area_with_source(&one, "north").await;
    let (_, south_source) = area_with_source(&one, "south").await;
    for round in 0..3 {
        looks(&one, Some(source), &format!("n{round}"), 700, 1).await;
        looks(&two, Some(south_source), &format!("s{round}"), 500, 1).await;
        actions(&two, north, 5).await;
        let (a, b) = tokio::join!(seal(&one), seal(&two));
        assert_eq!(a + b, 1_205, "round {round}: every row sealed, by one instance or the other");
    }
    let entries = one.audit_chain(None, None).await.unwrap();
    let sealed: i64 = entries.iter().filter(|e| matches!(e.kind, ChainEntryKind::Sealed(_))).map(|e| e.row_count).sum();
    assert_eq!(sealed, 3 * 1_205, "no row sealed twice");
    let report = audit::verify(&two, &Scope::default()).await.unwrap();
    assert!(report.passed(), "{:?}", report.problems);
}

on_both_backends!(every_tamper_with_rows_is_named, a_rewritten_chain_is_found, retention_is_not_tampering, two_instances_seal_each_row_once);

#[tokio::test]
async fn the_figures_page_publishes_each_days_digest() {
    let app = TestApp::spawn_with(TestDb::sqlite(), |s| s.demo_data = server::config::Toggle::Off).await;
    let store = &app.state.store;
    let area = store.create_area(&AreaSlug::parse("eastvale").unwrap(), "East Vale").await.unwrap();
    let page = app.browser().get("/areas/eastvale/figures").await;
    assert!(page.body.contains("Fingerprints of the audit trail"), "{}", page.body);
    assert!(page.body.contains("Nothing has been sealed yet."));

    // Sealed yesterday: yesterday's digest is the chain's head.
    store.record_staff_action(&StaffAction { at: Utc::now() - Duration::days(2), actor_subject: "demo-case-worker".into(), area_id: area.id, case_id: None, action: "decided".into(), detail: "x".into() }).await.unwrap();
    assert_eq!(audit::seal(&**store, Utc::now() - Duration::days(1)).await.unwrap(), 1);
    let head = store.audit_chain(Some(area.id), None).await.unwrap().pop().unwrap();
    app.state.services().published();
    let page = app.browser().get("/areas/eastvale/figures").await;
    assert!(page.body.contains(&head.hash), "{}", page.body);
    assert!(page.body.contains(&app::domain::when::day(Utc::now() - Duration::days(1))));
}

#[test]
fn problems_read_as_sentences() {
    let name = |a: i64| if a == 0 { "the portal's own chain".to_string() } else { format!("area {a}") };
    assert_eq!(
        Problem::RowDeleted { stream: AuditStream::AccessEvents, id: 7, area_id: 2, seq: 3 }.describe(&name),
        "access event 7 was deleted after it was sealed (entry 3 of area 2), and not by retention"
    );
    assert_eq!(Problem::EntryMissing { area_id: 0, after: 4, next: 9 }.describe(&name), "entries of the portal's own chain are missing between 4 and 9");
}
