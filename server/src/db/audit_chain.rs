//! The audit trail's chain of seals (`AuditChainStore` for both backends). Every change to the
//! chain first takes its one lock row, reads each area's head under it and appends after it, so
//! two instances never fork a chain; the hash of each entry is made here, under that lock, by
//! `crate::audit::chain`.

use super::*;
use crate::audit::chain::time_text;

#[derive(sqlx::FromRow)]
struct EntryRow {
    area_id: i64,
    seq: i64,
    kind: String,
    first_id: Option<i64>,
    last_id: Option<i64>,
    row_count: i64,
    root: String,
    cutoff: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
    prev_hash: String,
    hash: String,
}

impl TryFrom<EntryRow> for ChainEntry {
    type Error = StoreError;
    fn try_from(r: EntryRow) -> StoreResult<Self> {
        Ok(ChainEntry {
            area_id: r.area_id,
            seq: r.seq,
            kind: ChainEntryKind::parse(&r.kind).ok_or_else(|| corrupt(format!("chain entry kind {:?}", r.kind)))?,
            first_id: r.first_id,
            last_id: r.last_id,
            row_count: r.row_count,
            leaves: Vec::new(),
            root: r.root,
            cutoff: r.cutoff,
            at: r.at,
            prev_hash: r.prev_hash,
            hash: r.hash,
        })
    }
}

#[derive(sqlx::FromRow)]
struct AccessAuditRow {
    id: i64,
    area_id: i64,
    source_id: Option<i64>,
    source_event_id: String,
    nhs_number: String,
    recorded_at: DateTime<Utc>,
    agent_name: String,
    agent_id: Option<String>,
    agent_role: Option<String>,
    org_ods: Option<String>,
    org_name: Option<String>,
    purpose: String,
    emergency: bool,
    viewed: String,
    outcome: String,
    automated: bool,
    observer: String,
    received_at: DateTime<Utc>,
    action: Option<String>,
    subtype: Option<String>,
    content_hash: Option<String>,
}

impl From<AccessAuditRow> for AuditRow {
    fn from(r: AccessAuditRow) -> Self {
        let fields = vec![
            r.source_id.map(|s| s.to_string()),
            Some(r.source_event_id),
            Some(r.nhs_number),
            Some(time_text(r.recorded_at)),
            Some(r.agent_name),
            r.agent_id,
            r.agent_role,
            r.org_ods,
            r.org_name,
            Some(r.purpose),
            Some(r.emergency.to_string()),
            Some(r.viewed),
            Some(r.outcome),
            Some(r.automated.to_string()),
            Some(r.observer),
            Some(time_text(r.received_at)),
            r.action,
            r.subtype,
            r.content_hash,
        ];
        AuditRow { id: r.id, area_id: r.area_id, at: r.recorded_at, arrived_at: r.received_at, fields }
    }
}

#[derive(sqlx::FromRow)]
struct StaffAuditRow {
    id: i64,
    at: DateTime<Utc>,
    actor_subject: String,
    area_id: i64,
    case_id: Option<i64>,
    action: String,
    detail: String,
}

impl From<StaffAuditRow> for AuditRow {
    fn from(r: StaffAuditRow) -> Self {
        let fields = vec![
            Some(time_text(r.at)),
            Some(r.actor_subject),
            Some(r.area_id.to_string()),
            r.case_id.map(|c| c.to_string()),
            Some(r.action),
            Some(r.detail),
        ];
        AuditRow { id: r.id, area_id: r.area_id, at: r.at, arrived_at: r.at, fields }
    }
}

/// Takes the chain's lock inside a transaction: a row lock on PostgreSQL; on SQLite the write
/// lock, taken before anything is read, so the transaction never has to upgrade a read.
macro_rules! hold_chain {
    ($tx:expr) => {
        sqlx::query("UPDATE audit_chain_lock SET id = id").execute(&mut *$tx).await?
    };
}

/// Appends an entry to its area's chain, after the head, inside a transaction that holds the
/// chain: fills in `seq`, `prev_hash` and `hash`.
macro_rules! append_entry {
    ($tx:expr, $entry:expr) => {{
        let e: &mut ChainEntry = $entry;
        let head: Option<(i64, String)> = sqlx::query_as("SELECT seq, hash FROM audit_chain WHERE area_id = $1 ORDER BY seq DESC LIMIT 1")
            .bind(e.area_id)
            .fetch_optional(&mut *$tx)
            .await?;
        let (seq, prev) = head.unwrap_or((0, $crate::audit::chain::GENESIS.to_string()));
        e.seq = seq + 1;
        e.prev_hash = prev;
        e.hash = $crate::audit::chain::entry_hash(e);
        sqlx::query(
            "INSERT INTO audit_chain (area_id, seq, kind, first_id, last_id, row_count, leaves, root, cutoff, at, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(e.area_id)
        .bind(e.seq)
        .bind(e.kind.as_str())
        .bind(e.first_id)
        .bind(e.last_id)
        .bind(e.row_count)
        .bind(&e.leaves)
        .bind(&e.root)
        .bind(e.cutoff)
        .bind(e.at)
        .bind(&e.prev_hash)
        .bind(&e.hash)
        .execute(&mut *$tx)
        .await?;
    }};
}

pub(crate) use {append_entry, hold_chain};

/// The entry retention appends after deleting the events `ids`, recorded before `cutoff`: it
/// lists them, so that a check can tell each pruned row from one deleted by hand.
pub(crate) fn pruning_entry(area_id: i64, ids: &[i64], cutoff: DateTime<Utc>, at: DateTime<Utc>) -> ChainEntry {
    let leaves = crate::audit::chain::id_list(ids);
    ChainEntry {
        area_id,
        seq: 0,
        kind: ChainEntryKind::PrunedAccessEvents,
        first_id: None,
        last_id: None,
        row_count: ids.len() as i64,
        root: crate::audit::chain::id_list_root(&leaves),
        leaves,
        cutoff: Some(cutoff),
        at: crate::audit::chain::whole_seconds(at),
        prev_hash: String::new(),
        hash: String::new(),
    }
}

const ACCESS_AUDIT_SELECT: &str = "SELECT e.id, COALESCE(s.area_id, 0) AS area_id, e.source_id, e.source_event_id, e.nhs_number,
     e.recorded_at, e.agent_name, e.agent_id, e.agent_role, e.org_ods, e.org_name, e.purpose, e.emergency, e.viewed,
     e.outcome, e.automated, e.observer, e.received_at, e.action, e.subtype, e.content_hash
     FROM access_events e LEFT JOIN event_sources s ON s.id = e.source_id
     WHERE e.id > $1 AND e.id <= $2 ORDER BY e.id LIMIT $3";

const STAFF_AUDIT_SELECT: &str = "SELECT id, at, actor_subject, area_id, case_id, action, detail FROM staff_actions
     WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3";

#[async_trait::async_trait]
impl AuditChainStore for Db {
    async fn audit_watermark(&self, stream: AuditStream) -> StoreResult<i64> {
        on_pool!(self, p => sqlx::query_scalar::<_, i64>("SELECT COALESCE(MAX(last_id), 0) FROM audit_chain WHERE kind = $1")
            .bind(stream.as_str()).fetch_one(p).await)
    }

    async fn audit_rows(&self, stream: AuditStream, after: i64, up_to: Option<i64>, limit: i64) -> StoreResult<Vec<AuditRow>> {
        let up_to = up_to.unwrap_or(i64::MAX);
        match stream {
            AuditStream::AccessEvents => {
                let rows: Vec<AccessAuditRow> = on_pool!(self, p => sqlx::query_as(ACCESS_AUDIT_SELECT)
                    .bind(after).bind(up_to).bind(limit).fetch_all(p).await)?;
                Ok(rows.into_iter().map(AuditRow::from).collect())
            }
            AuditStream::StaffActions => {
                let rows: Vec<StaffAuditRow> = on_pool!(self, p => sqlx::query_as(STAFF_AUDIT_SELECT)
                    .bind(after).bind(up_to).bind(limit).fetch_all(p).await)?;
                Ok(rows.into_iter().map(AuditRow::from).collect())
            }
        }
    }

    async fn seal_audit_batch(&self, stream: AuditStream, first_id: i64, last_id: i64, parts: &[SealPart], at: DateTime<Utc>) -> StoreResult<()> {
        in_tx!(self, tx => {
            hold_chain!(tx);
            // Under the lock: if another instance sealed meanwhile, this batch is stale.
            let watermark: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(last_id), 0) FROM audit_chain WHERE kind = $1")
                .bind(stream.as_str()).fetch_one(&mut *tx).await?;
            if watermark != first_id - 1 {
                return Err(DbError::Store(StoreError::Conflict));
            }
            for part in parts {
                let mut entry = ChainEntry {
                    area_id: part.area_id,
                    seq: 0,
                    kind: ChainEntryKind::Sealed(stream),
                    first_id: Some(first_id),
                    last_id: Some(last_id),
                    row_count: part.row_count,
                    leaves: part.leaves.clone(),
                    root: part.root.clone(),
                    cutoff: None,
                    at,
                    prev_hash: String::new(),
                    hash: String::new(),
                };
                append_entry!(tx, &mut entry);
            }
        })
    }

    async fn audit_chain(&self, area_id: Option<i64>, since: Option<DateTime<Utc>>) -> StoreResult<Vec<ChainEntry>> {
        let mut binds: Vec<Bind> = Vec::new();
        let mut conditions = vec!["1 = 1".to_string()];
        if let Some(a) = area_id {
            conditions.push(format!("area_id = {}", param(&mut binds, Bind::Int(a))));
        }
        if let Some(s) = since {
            conditions.push(format!("at >= {}", param(&mut binds, Bind::Time(s))));
        }
        let sql = format!(
            "SELECT area_id, seq, kind, first_id, last_id, row_count, root, cutoff, at, prev_hash, hash
             FROM audit_chain WHERE {} ORDER BY area_id, seq",
            conditions.join(" AND ")
        );
        let rows: Vec<EntryRow> = on_pool!(self, p => bind_all!(sqlx::query_as(&sql), binds).fetch_all(p).await)?;
        rows.into_iter().map(ChainEntry::try_from).collect()
    }

    async fn audit_head_before(&self, area_id: i64, before: DateTime<Utc>) -> StoreResult<Option<(i64, String, DateTime<Utc>)>> {
        on_pool!(self, p => sqlx::query_as("SELECT seq, hash, at FROM audit_chain WHERE area_id = $1 AND at < $2 ORDER BY at DESC, seq DESC LIMIT 1")
            .bind(area_id).bind(before).fetch_optional(p).await)
    }

    async fn audit_leaves(&self, area_id: i64, seq: i64) -> StoreResult<Vec<u8>> {
        on_pool!(self, p => sqlx::query_scalar::<_, Vec<u8>>("SELECT leaves FROM audit_chain WHERE area_id = $1 AND seq = $2")
            .bind(area_id).bind(seq).fetch_one(p).await)
    }
}
