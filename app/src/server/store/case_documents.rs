//! Documents on a case: evidence staff add, and the response sent to the patient.

use super::{CaseEvent, StaffAction, StoreResult};
use chrono::{DateTime, Utc};

#[derive(Clone, PartialEq)]
pub struct NewDocument {
    pub case_id: i64,
    /// `evidence` (added by staff) or `response` (the bundle sent to the patient).
    pub role: String,
    pub file_name: String,
    pub content_type: String,
    pub content: Vec<u8>,
    pub added_by: String,
    pub at: DateTime<Utc>,
}

impl std::fmt::Debug for NewDocument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewDocument").field("case_id", &self.case_id).field("role", &self.role).field("bytes", &self.content.len()).finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentMeta {
    pub id: i64,
    pub role: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

/// Something withheld from a response, as the case keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct WithholdingRecord {
    pub id: i64,
    pub item: crate::domain::withholding::WithheldItem,
    pub exemption: crate::domain::withholding::Exemption,
    /// The item as it was described when withheld (a look's time, place and person, say).
    pub described: String,
    pub note: String,
    pub withheld_by: String,
    pub withheld_at: DateTime<Utc>,
}

#[async_trait::async_trait]
pub trait CaseDocumentStore: Send + Sync {
    /// Adds a document with its timeline line and staff action; returns its id.
    async fn add_document(&self, doc: &NewDocument, event: &CaseEvent, action: Option<&StaffAction>) -> StoreResult<i64>;
    async fn documents(&self, case_id: i64) -> StoreResult<Vec<DocumentMeta>>;
    async fn document(&self, case_id: i64, id: i64) -> StoreResult<Option<(DocumentMeta, Vec<u8>)>>;
    /// Records something withheld from the response, with its timeline line and staff action,
    /// only while the request is still open to be answered (`received`); `false` otherwise.
    async fn withhold(&self, case_id: i64, w: &crate::domain::withholding::Withholding, described: &str, event: &CaseEvent, action: &StaffAction) -> StoreResult<bool>;
    async fn withholdings(&self, case_id: i64) -> StoreResult<Vec<WithholdingRecord>>;
}
