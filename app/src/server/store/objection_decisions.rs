//! What upheld objections ask of organisations, and the reasons areas give for their decisions.

use super::{CaseEvent, StaffAction, StoreResult};
use crate::domain::CaseStatus;
use chrono::{DateTime, Utc};

/// What an upheld objection asks of one organisation, and whether it has been done.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectionEffect {
    pub ods_code: String,
    pub name: String,
    pub detail: String,
    pub applied_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DecisionTemplate {
    pub id: i64,
    pub area_id: i64,
    pub outcome: CaseStatus,
    pub title: String,
    pub body: String,
}

#[async_trait::async_trait]
pub trait ObjectionDecisionStore: Send + Sync {
    async fn effects(&self, case_id: i64) -> StoreResult<Vec<ObjectionEffect>>;
    async fn mark_effect_applied(&self, case_id: i64, ods_code: &str, event: &CaseEvent, action: &StaffAction) -> StoreResult<bool>;
    async fn decision_templates(&self, area_id: i64) -> StoreResult<Vec<DecisionTemplate>>;
    async fn add_decision_template(&self, area_id: i64, outcome: CaseStatus, title: &str, body: &str) -> StoreResult<DecisionTemplate>;
    async fn remove_decision_template(&self, area_id: i64, id: i64) -> StoreResult<u64>;
}
