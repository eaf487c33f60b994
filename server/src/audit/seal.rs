//! Sealing: the rows that have settled, a batch at a time, become one entry per area.

use super::chain::{self, Leaf};
use app::server::{AuditStream, SealPart, Store, StoreError, StoreResult};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// Rows per batch: one batch's leaves are 32 bytes each, so an entry stays well under a
/// megabyte, and a check of one batch holds little in memory.
pub const BATCH_ROWS: i64 = 10_000;

/// How long a row waits before it is sealed. A transaction that took its id earlier may commit
/// later (PostgreSQL hands out ids before commit); no transaction of ours lasts this long (the
/// database ends statements after 15 s and idle transactions after 30 s), so once every row
/// up to a point is this old, no more will appear below it.
pub const SETTLE_SECONDS: i64 = 60;

/// The pause between batches: longer than SQLite's busy handler sleeps between its tries
/// (100 ms), so that a waiting writer gets its turn rather than being starved by a catch-up.
const PAUSE: std::time::Duration = std::time::Duration::from_millis(150);

/// Seals every batch of settled rows of both streams; returns how many rows were sealed.
/// Safe in several instances at once: a batch sealed meanwhile elsewhere is skipped.
pub async fn seal(store: &dyn Store, now: DateTime<Utc>) -> StoreResult<u64> {
    let mut sealed = 0;
    for stream in AuditStream::ALL {
        // A bound on rounds, so a job never spins if another instance keeps winning.
        for _ in 0..1_000 {
            match seal_one(store, stream, now).await {
                Ok(0) => break,
                Ok(n) => {
                    sealed += n;
                    // A pause between batches, so other writers are not kept waiting (SQLite
                    // has one writer at a time).
                    tokio::time::sleep(PAUSE).await;
                }
                Err(StoreError::Conflict) => continue,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(sealed)
}

/// Seals the next batch of one stream; returns how many rows it held (0: nothing settled).
async fn seal_one(store: &dyn Store, stream: AuditStream, now: DateTime<Utc>) -> StoreResult<u64> {
    let watermark = store.audit_watermark(stream).await?;
    let rows = store.audit_rows(stream, watermark, None, BATCH_ROWS).await?;
    let settled = now - chrono::Duration::seconds(SETTLE_SECONDS);
    // Only an unbroken run of settled rows: a newer row stops the batch, as rows after it
    // may still be joined by rows with lower ids.
    let rows: Vec<_> = rows.into_iter().take_while(|r| r.arrived_at <= settled).collect();
    let Some(last) = rows.last() else { return Ok(0) };
    let last_id = last.id;
    let mut areas: BTreeMap<i64, Vec<Leaf>> = BTreeMap::new();
    for r in &rows {
        let leaf = Leaf { id: r.id, secs: r.at.timestamp(), digest: chain::row_digest(stream, &r.fields) };
        areas.entry(r.area_id).or_default().push(leaf);
    }
    let parts: Vec<SealPart> = areas
        .into_iter()
        .map(|(area_id, leaves)| {
            let mut bytes = Vec::with_capacity(leaves.len() * chain::LEAF_BYTES);
            for l in &leaves {
                l.to_bytes(&mut bytes);
            }
            SealPart { area_id, row_count: leaves.len() as i64, root: chain::merkle_root(&leaves), leaves: bytes }
        })
        .collect();
    store.seal_audit_batch(stream, watermark + 1, last_id, &parts, chain::whole_seconds(now)).await?;
    tracing::info!(stream = stream.as_str(), first = watermark + 1, last = last_id, rows = rows.len(), "audit trail sealed");
    Ok(rows.len() as u64)
}
