//! Forms between their steps.

use super::StoreResult;
use chrono::{DateTime, Utc};

/// A form between its steps: what the patient typed and what was wrong with it, so nothing is
/// lost and the check-your-answers page reads the same answers. Its key is also the form's
/// idempotency key: the case made from it is found by the key, so a retried post makes no second case.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub key: String,
    pub owner_subject: String,
    pub form: String,
    pub answers: serde_json::Value,
    pub errors: Vec<(String, String)>,
    pub updated_at: DateTime<Utc>,
}

#[async_trait::async_trait]
pub trait DraftStore: Send + Sync {
    /// Saves a draft, unless the key is already someone else's.
    async fn save_draft(&self, draft: &Draft) -> StoreResult<()>;
    async fn draft(&self, key: &str, owner_subject: &str) -> StoreResult<Option<Draft>>;
    /// Reads a draft and deletes it, so what it holds is shown once only.
    async fn take_draft(&self, key: &str, owner_subject: &str) -> StoreResult<Option<Draft>>;
    async fn delete_old_drafts(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}
