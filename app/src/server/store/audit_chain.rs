//! The audit trail's chain of seals: tamper evidence for access events and staff actions.
//!
//! The store keeps the chain and hands out the rows it covers in a canonical form; the sealing
//! and checking themselves (digests, Merkle roots, what is wrong and where) live in the server's
//! `audit` module, so that one piece of code defines the format.

use super::StoreResult;
use chrono::{DateTime, Utc};

/// A part of the audit trail that is sealed, batch by batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuditStream {
    AccessEvents,
    StaffActions,
}

impl AuditStream {
    pub const ALL: [AuditStream; 2] = [AuditStream::AccessEvents, AuditStream::StaffActions];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditStream::AccessEvents => "access_events",
            AuditStream::StaffActions => "staff_actions",
        }
    }

    /// What one row of it is called, for people reading a report.
    pub fn row_name(self) -> &'static str {
        match self {
            AuditStream::AccessEvents => "access event",
            AuditStream::StaffActions => "staff action",
        }
    }
}

/// One row of the audit trail, as the chain sees it.
#[derive(Clone, PartialEq)]
pub struct AuditRow {
    pub id: i64,
    /// The area whose chain the row belongs to (0: the portal's own).
    pub area_id: i64,
    /// When it happened: an access event's `recorded_at` (retention goes by it), a staff
    /// action's `at`.
    pub at: DateTime<Utc>,
    /// When it reached the database: sealing waits until a row has settled.
    pub arrived_at: DateTime<Utc>,
    /// Every column but the id, each as text (or absent), in the table's order. Personal data:
    /// never logged.
    pub fields: Vec<Option<String>>,
}

impl std::fmt::Debug for AuditRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditRow").field("id", &self.id).field("area_id", &self.area_id).finish_non_exhaustive()
    }
}

/// What a chain entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChainEntryKind {
    /// A batch of rows of one stream, sealed.
    Sealed(AuditStream),
    /// Retention deleted access events recorded before the entry's cutoff.
    PrunedAccessEvents,
}

impl ChainEntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChainEntryKind::Sealed(s) => s.as_str(),
            ChainEntryKind::PrunedAccessEvents => "pruned_access_events",
        }
    }

    pub fn parse(s: &str) -> Option<ChainEntryKind> {
        match s {
            "access_events" => Some(ChainEntryKind::Sealed(AuditStream::AccessEvents)),
            "staff_actions" => Some(ChainEntryKind::Sealed(AuditStream::StaffActions)),
            "pruned_access_events" => Some(ChainEntryKind::PrunedAccessEvents),
            _ => None,
        }
    }
}

/// One entry of an area's chain. `leaves` is left empty when entries are listed.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainEntry {
    pub area_id: i64,
    pub seq: i64,
    pub kind: ChainEntryKind,
    /// The batch's id range (every area's entry for the batch has the same), for seals.
    pub first_id: Option<i64>,
    pub last_id: Option<i64>,
    pub row_count: i64,
    /// Per row: id, time (Unix seconds) and digest of its contents (see `server::audit`).
    pub leaves: Vec<u8>,
    /// The Merkle root over the leaves, hex.
    pub root: String,
    /// For a pruning entry: events recorded before this went.
    pub cutoff: Option<DateTime<Utc>>,
    pub at: DateTime<Utc>,
    pub prev_hash: String,
    pub hash: String,
}

/// One area's part of a batch being sealed.
#[derive(Debug, Clone, PartialEq)]
pub struct SealPart {
    pub area_id: i64,
    pub row_count: i64,
    pub leaves: Vec<u8>,
    pub root: String,
}

#[async_trait::async_trait]
pub trait AuditChainStore: Send + Sync {
    /// The last row id of the stream already sealed (0 when none is).
    async fn audit_watermark(&self, stream: AuditStream) -> StoreResult<i64>;
    /// Rows of the stream with `after < id <= up_to` (no upper bound with `None`), in id order,
    /// at most `limit`.
    async fn audit_rows(&self, stream: AuditStream, after: i64, up_to: Option<i64>, limit: i64) -> StoreResult<Vec<AuditRow>>;
    /// Appends one entry per area for the batch `first_id..=last_id`, each after its area's
    /// head (read while the chain is held, so entries never fork). `Conflict` when the batch
    /// was sealed meanwhile, by another instance: nothing is written.
    async fn seal_audit_batch(&self, stream: AuditStream, first_id: i64, last_id: i64, parts: &[SealPart], at: DateTime<Utc>) -> StoreResult<()>;
    /// The chain's entries (without their leaves), per area in order; one area's with `Some`,
    /// and only those made at or after `since` with `Some`.
    async fn audit_chain(&self, area_id: Option<i64>, since: Option<DateTime<Utc>>) -> StoreResult<Vec<ChainEntry>>;
    /// The area's last entry made before `before`: (number, hash, made at).
    async fn audit_head_before(&self, area_id: i64, before: DateTime<Utc>) -> StoreResult<Option<(i64, String, DateTime<Utc>)>>;
    /// One entry's leaves.
    async fn audit_leaves(&self, area_id: i64, seq: i64) -> StoreResult<Vec<u8>>;
}
