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
