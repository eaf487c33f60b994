//! The two migration trees must make the same schema: every table, with the same columns, on
//! SQLite and on PostgreSQL. A column added to one tree and forgotten in the other fails here.

use crate::helpers::TestDb;
use sqlx::Connection;
use std::collections::BTreeSet;

async fn sqlite_columns(url: &str) -> BTreeSet<(String, String)> {
    server::db::Db::connect(url, 1).await.expect("SQLite migrates");
    let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
    let tables: Vec<(String,)> = sqlx::query_as("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'")
        .fetch_all(&mut c)
        .await
        .unwrap();
    let mut out = BTreeSet::new();
    for (t,) in tables {
        let cols: Vec<(String,)> = sqlx::query_as(&format!("SELECT name FROM pragma_table_info('{t}')")).fetch_all(&mut c).await.unwrap();
        out.extend(cols.into_iter().map(|(col,)| (t.clone(), col)));
    }
    out
}

async fn postgres_columns(url: &str) -> BTreeSet<(String, String)> {
    server::db::Db::connect(url, 1).await.expect("PostgreSQL migrates");
    let mut c = sqlx::PgConnection::connect(url).await.unwrap();
    let cols: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = 'public' AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    cols.into_iter().collect()
}

#[tokio::test]
async fn both_migration_trees_define_the_same_tables_and_columns() {
    let Some(pg) = TestDb::postgres().await else {
        eprintln!("PostgreSQL not configured: the migration comparison needs both databases");
        return;
    };
    let sqlite = TestDb::sqlite();
    let lite = sqlite_columns(&sqlite.url).await;
    let post = postgres_columns(&pg.url).await;
    assert!(lite.len() > 50, "SQLite has its tables ({} columns)", lite.len());
    let only_sqlite: Vec<_> = lite.difference(&post).collect();
    let only_postgres: Vec<_> = post.difference(&lite).collect();
    assert!(only_sqlite.is_empty() && only_postgres.is_empty(), "only in SQLite: {only_sqlite:?}; only in PostgreSQL: {only_postgres:?}");
}

/// Migration 12 rebuilds SQLite's `cases` table (to allow complaints): a database holding
/// cases with timelines, effects, documents, messages and an alert comes through with every row,
/// id and reference intact, and the foreign keys still holding.
#[tokio::test]
async fn the_cases_rebuild_keeps_every_case_and_what_hangs_off_it() {
    let db = TestDb::sqlite();
    {
        use std::str::FromStr;
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(&db.url).unwrap().create_if_missing(true);
        let mut c = sqlx::SqliteConnection::connect_with(&options).await.unwrap();
        let mut before = sqlx::migrate!("./migrations/sqlite");
        before.migrations = std::borrow::Cow::Owned(before.migrations.iter().filter(|m| m.version <= 11).cloned().collect());
        before.run(&mut c).await.expect("migrates to 11");
        for sql in [
            "INSERT INTO areas (id, slug, name, created_at) VALUES (1, 'eastmoor', 'Eastmoor', '2026-01-01T00:00:00Z')",
            "INSERT INTO cases (id, reference, area_id, kind, status, patient_subject, patient_nhs_number, patient_name, details, contact,
                 received_on, due_on, clock, idempotency_key, created_at, updated_at)
             VALUES (41, 'OBJ-0000-0041', 1, 'objection', 'declined', 'p', '9434765919', 'Amira', '{}', '{}', '2026-01-02', '2026-02-02', '{}', 'k1',
                 '2026-01-02T10:00:00Z', '2026-01-03T10:00:00Z'),
                    (42, 'SAR-0000-0042', 1, 'access_request', 'received', 'p', '9434765919', 'Amira', '{}', '{}', '2026-01-02', NULL, '{}', 'k2',
                 '2026-01-02T10:00:00Z', '2026-01-02T10:00:00Z')",
            "INSERT INTO case_events (id, case_id, at, actor, kind, public, text) VALUES (7, 41, '2026-01-02T10:00:00Z', 'patient', 'received', 1, 'x'),
                 (8, 41, '2026-01-03T10:00:00Z', 'staff', 'decided', 1, 'y'), (9, 42, '2026-01-02T10:00:00Z', 'patient', 'received', 1, 'z')",
            "INSERT INTO objection_effects (case_id, ods_code, name, detail) VALUES (41, 'RX1', 'Trust', 'Stop')",
            "INSERT INTO case_documents (id, case_id, role, file_name, content_type, content, added_by, added_at)
             VALUES (3, 42, 'evidence', 'a.pdf', 'application/pdf', X'255044462D', 's', '2026-01-02T10:00:00Z')",
            "INSERT INTO outbox (id, case_id, channel, recipient, template, reference, created_at, next_attempt_at)
             VALUES (5, 41, 'email', 'a@example.com', 'decided', 'OBJ-0000-0041', '2026-01-03T10:00:00Z', '2026-01-03T10:00:00Z')",
            "INSERT INTO alerts (id, area_id, event_id, rule, explanation, person_key, person_name, nhs_number, recorded_at, purpose, raised_at,
                 case_id, case_reference, status)
             VALUES (2, 1, 99, 'patient_concern', 'e', 'id:x', 'X', '9434765919', '2026-01-02T10:00:00Z', 'TREAT', '2026-01-02T10:00:00Z', 42, 'SAR-0000-0042', 'open')",
        ] {
            sqlx::query(sql).execute(&mut c).await.unwrap();
        }
    }
    server::db::Db::connect(&db.url, 1).await.expect("migrates on from 11");
    let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    let count = |table: &'static str| format!("SELECT COUNT(*) FROM {table}");
    for (table, n) in [("cases", 2), ("case_events", 3), ("objection_effects", 1), ("case_documents", 1), ("outbox", 1), ("alerts", 1)] {
        let got: i64 = sqlx::query_scalar(&count(table)).fetch_one(&mut c).await.unwrap();
        assert_eq!(got, n, "{table} kept");
    }
    let ids: Vec<(i64, String)> = sqlx::query_as("SELECT id, reference FROM cases ORDER BY id").fetch_all(&mut c).await.unwrap();
    assert_eq!(ids, vec![(41, "OBJ-0000-0041".to_string()), (42, "SAR-0000-0042".to_string())]);
    let events: Vec<(i64, i64)> = sqlx::query_as("SELECT id, case_id FROM case_events ORDER BY id").fetch_all(&mut c).await.unwrap();
    assert_eq!(events, vec![(7, 41), (8, 41), (9, 42)]);
    let linked: Option<i64> = sqlx::query_scalar("SELECT case_id FROM alerts WHERE id = 2").fetch_one(&mut c).await.unwrap();
    assert_eq!(linked, Some(42), "the alert still points at its case");
    let blob: Vec<u8> = sqlx::query_scalar("SELECT content FROM case_documents WHERE id = 3").fetch_one(&mut c).await.unwrap();
    assert_eq!(blob, b"%PDF-");
    let broken: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&mut c).await.unwrap();
    assert!(broken.is_empty(), "every reference holds: {broken:?}");
    // The new kind and statuses are allowed; others still are not; a case still cascades.
    sqlx::query("UPDATE cases SET kind = 'complaint', status = 'acknowledged' WHERE id = 42").execute(&mut c).await.unwrap();
    assert!(sqlx::query("UPDATE cases SET status = 'nonsense' WHERE id = 42").execute(&mut c).await.is_err());
    sqlx::query("PRAGMA foreign_keys = ON").execute(&mut c).await.unwrap();
    sqlx::query("DELETE FROM outbox WHERE case_id = 41").execute(&mut c).await.unwrap();
    sqlx::query("DELETE FROM cases WHERE id = 41").execute(&mut c).await.unwrap();
    let left: i64 = sqlx::query_scalar(&count("case_events")).fetch_one(&mut c).await.unwrap();
    assert_eq!(left, 1, "a deleted case's timeline goes with it, as before");
}
