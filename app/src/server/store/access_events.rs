//! Access events: who looked at a patient's record, and why.

use super::StoreResult;
use crate::domain::NhsNumber;
use chrono::{DateTime, Utc};

/// One look at a patient's record, as a source reported it (or the portal itself, for staff
/// opening the patient's case: `source_id` is then `None`).
#[derive(Clone, PartialEq)]
pub struct AccessEvent {
    pub id: i64,
    pub source_id: Option<i64>,
    pub source_event_id: String,
    pub nhs_number: NhsNumber,
    pub recorded_at: DateTime<Utc>,
    pub agent_name: String,
    pub agent_id: Option<String>,
    pub agent_role: Option<String>,
    pub org_ods: Option<String>,
    pub org_name: Option<String>,
    pub purpose: String,
    pub emergency: bool,
    pub viewed: String,
    pub outcome: String,
    pub automated: bool,
    pub observer: String,
    /// What was done, as FHIR's AuditEvent.action gives it: C, R, U, D or E (`None` when the
    /// sender did not say).
    pub action: Option<String>,
    /// The RESTful interaction (`read`, `search-type`, `update`…), when the sender gave one.
    pub subtype: Option<String>,
    /// A digest of the resource as sent, so that the same id sent again with different content
    /// is told apart from a harmless retry (`None` for events the portal records itself).
    pub content_hash: Option<String>,
}

impl std::fmt::Debug for AccessEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessEvent").field("id", &self.id).field("source_id", &self.source_id).finish_non_exhaustive()
    }
}

/// A page of one patient's access events, newest first, after the `before` cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessQuery {
    pub nhs_number: NhsNumber,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub org_ods: Option<String>,
    pub include_automated: bool,
    /// Keyset cursor: (recorded_at, id) of the last event of the previous page.
    pub before: Option<(DateTime<Utc>, i64)>,
    pub limit: i64,
}

#[async_trait::async_trait]
pub trait AccessEventStore: Send + Sync {
    /// Stores the events in bulk; a (source, id) already held is skipped. Returns the ids stored.
    async fn ingest_access_events(&self, events: &[AccessEvent], received_at: DateTime<Utc>) -> StoreResult<Vec<String>>;
    async fn access_events(&self, query: &AccessQuery) -> StoreResult<Vec<AccessEvent>>;
    /// The organisations that have looked at this patient's record: (ODS code, name).
    /// Automated checks in `[from, to)` (the query's other filters applied), counted per system
    /// per UTC hour, oldest hour last: the page folds hours into UK days. Counted in the
    /// database, so a busy day of automated checks costs a few rows, not thousands.
    async fn automated_access_counts(&self, query: &AccessQuery) -> StoreResult<Vec<(DateTime<Utc>, String, i64)>>;
    async fn access_organisations(&self, nhs_number: &NhsNumber) -> StoreResult<Vec<(String, String)>>;
    /// Adds settled events beyond the counting progress (at most `limit`) to the per-hour counts
    /// the summary reads, moving the progress past them; how many events it passed.
    async fn count_access_looks(&self, settled_before: DateTime<Utc>, limit: i64) -> StoreResult<u64>;
    /// Looks by people matching the query (its cursor and automated setting ignored): how many,
    /// by how many organisations, and the hour of the first (its UK day is the first look's).
    async fn access_summary(&self, query: &AccessQuery) -> StoreResult<(i64, i64, Option<DateTime<Utc>>)>;
    async fn access_event(&self, nhs_number: &NhsNumber, id: i64) -> StoreResult<Option<AccessEvent>>;
    /// For the ids given, those this source has already sent, each with the digest of its content.
    async fn held_access_event_hashes(&self, source_id: i64, ids: &[String]) -> StoreResult<Vec<(String, Option<String>)>>;
    /// One event as a source sent it, found by that source's own id (no other source's).
    async fn source_access_event(&self, source_id: i64, source_event_id: &str) -> StoreResult<Option<AccessEvent>>;
    /// Deletes up to `limit` events recorded before `cutoff` (the retention job); returns how many.
    async fn delete_access_events_before(&self, cutoff: DateTime<Utc>, limit: i64) -> StoreResult<u64>;
    /// Deletes a batch of the events sent by the area's sources recorded before `cutoff`.
    async fn delete_area_access_events_before(&self, area_id: i64, cutoff: DateTime<Utc>, limit: i64) -> StoreResult<u64>;
}
