//! Writes while a system floods the portal with events. SQLite lets one connection write at a
//! time: patients' and staff's writes must wait their turn behind the flood, never fail with
//! "database is locked". On both databases.

use crate::case_storage::new_case;
use crate::helpers::TestDb;
use crate::monitoring::look;
use crate::on_both_backends;
use app::domain::AreaSlug;
use app::server::store::*;
use chrono::{Duration, Utc};
use server::db::Db;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const SYSTEMS: usize = 6;
const BATCH: i64 = 10_000;

/// Six systems each send batches of 10,000 events, one after another, for longer than
/// SQLite's busy timeout (5 s), while 40 patients open cases (the case, its timeline and its
/// message in one transaction) and save a form's draft (one statement).
/// Every write lands (the systems' batches as well as the patients' forms), and every case is
/// there once. Left to poll for the lock, some of these writes fail with "database is locked".
async fn every_write_lands_during_a_flood_of_events(db: TestDb) {
    let store = Arc::new(Db::connect(&db.url, 8).await.expect("database opens"));
    let area = store.create_area(&AreaSlug::parse("testshire").unwrap(), "Testshire").await.unwrap();
    let flooding = Arc::new(AtomicBool::new(true));
    let mut systems = Vec::new();
    for s in 0..SYSTEMS {
        let (store, flooding) = (store.clone(), flooding.clone());
        systems.push(tokio::spawn(async move {
            let mut sent = 0;
            let mut batch = 0;
            while flooding.load(Ordering::Relaxed) {
                let events: Vec<_> = (0..BATCH)
                    .map(|i| look(&format!("s{s}-b{batch}-{i}"), "9434765919", Utc::now() - Duration::minutes(i % 600), "p1", "RX1", "TREAT"))
                    .collect();
                store.ingest_access_events(&events, Utc::now()).await.expect("a batch of events is stored");
                sent += events.len();
                batch += 1;
            }
            sent
        }));
    }
    // Give the flood a moment to fill the queue for the writer.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let started = std::time::Instant::now();
    let mut patients = Vec::new();
    for n in 0..40u8 {
        let (store, area) = (store.clone(), area.clone());
        patients.push(tokio::spawn(async move {
            // Spread over the flood rather than all at its start.
            tokio::time::sleep(std::time::Duration::from_millis(u64::from(n) * 150)).await;
            let subject = format!("patient-{n}");
            let case = new_case(&area, &subject, &format!("key-{n}"), [n, 1, 2, 3, 4]);
            let opened = store.open_case(&case).await;
            let draft = Draft {
                key: format!("draft-{n}"),
                owner_subject: subject,
                form: "objection".into(),
                answers: serde_json::json!({ "reason": "mine" }),
                errors: Vec::new(),
                updated_at: Utc::now(),
            };
            let saved = store.save_draft(&draft).await;
            (opened.map(|(_, created)| created), saved)
        }));
    }
    let mut failures = Vec::new();
    for p in patients {
        let (opened, saved) = p.await.unwrap();
        match opened {
            Ok(created) => assert!(created, "each case is new"),
            Err(e) => failures.push(format!("case: {e}")),
        }
        if let Err(e) = saved {
            failures.push(format!("draft: {e}"));
        }
    }
    // The flood runs past the busy timeout, so a write left to poll for the lock would have given up.
    let left = std::time::Duration::from_secs(6).saturating_sub(started.elapsed());
    tokio::time::sleep(left).await;
    flooding.store(false, Ordering::Relaxed);
    let mut sent = 0;
    for s in systems {
        sent += s.await.unwrap();
    }
    assert!(failures.is_empty(), "writes failed during the flood: {failures:?}");
    assert!(sent >= 2 * BATCH as usize * SYSTEMS, "the flood kept the writer busy: {sent} events");
    for n in 0..40u8 {
        let cases = store.cases_for_patient(&format!("patient-{n}")).await.unwrap();
        assert_eq!(cases.len(), 1, "patient-{n}'s case is there once");
        assert!(store.draft(&format!("draft-{n}"), &format!("patient-{n}")).await.unwrap().is_some());
    }
}

/// On SQLite, reads and writes go to different connections: the readers cannot write, so a
/// write sent to them by mistake fails in the tests rather than skipping the writer's queue.
async fn sqlite_readers_cannot_write(db: TestDb) {
    let store = Db::connect(&db.url, 2).await.expect("database opens");
    match &store {
        Db::Sqlite(read, write) => {
            let refused = sqlx::query("INSERT INTO bank_holidays (day, name) VALUES ('2031-01-01', 'Test')").execute(read).await;
            assert!(refused.is_err(), "a reader wrote");
            sqlx::query("INSERT INTO bank_holidays (day, name) VALUES ('2031-01-01', 'Test')").execute(write).await.expect("the writer writes");
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM bank_holidays WHERE day = '2031-01-01'").fetch_one(read).await.unwrap();
            assert_eq!(n, 1, "the readers see what the writer committed");
        }
        Db::Postgres(_) => {}
    }
}

on_both_backends!(every_write_lands_during_a_flood_of_events, sqlite_readers_cannot_write);
