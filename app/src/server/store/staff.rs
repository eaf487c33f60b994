//! The staff directory, and the append-only record of what staff did.

use super::StoreResult;
use crate::domain::{AreaSlug, Role};
use crate::domain::people::Grant;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq)]
pub struct StaffRecord {
    pub subject: String,
    pub name: String,
    pub grants: Vec<Grant>,
}

/// One entry in the append-only record of what staff did.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffAction {
    pub at: DateTime<Utc>,
    pub actor_subject: String,
    pub area_id: i64,
    pub case_id: Option<i64>,
    pub action: String,
    pub detail: String,
}

#[async_trait::async_trait]
pub trait StaffStore: Send + Sync {
    async fn add_staff_grant(&self, subject: &str, name: &str, role: Role, area: &AreaSlug) -> StoreResult<()>;
    /// Removes one grant, or with `None` every grant and the person. Returns how many grants went.
    async fn remove_staff(&self, subject: &str, grant: Option<(Role, &AreaSlug)>) -> StoreResult<u64>;
    async fn staff_member(&self, subject: &str) -> StoreResult<Option<StaffRecord>>;
    async fn list_staff(&self) -> StoreResult<Vec<StaffRecord>>;
    async fn record_staff_action(&self, action: &StaffAction) -> StoreResult<()>;
    async fn staff_actions(&self, case_id: i64) -> StoreResult<Vec<StaffAction>>;
}
