//! Messages to patients, queued with the change they tell them about and sent by a background worker.

use super::StoreResult;
use crate::domain::{CaseReference, Contact, MessageTemplate};
use chrono::{DateTime, Utc};

/// A message to the patient, queued in the same transaction as the change it tells them about.
/// The message itself never carries more than that there is an update and the case's reference.
#[derive(Clone, PartialEq)]
pub struct NewMessage {
    pub contact: Contact,
    pub template: MessageTemplate,
    pub reference: CaseReference,
}

impl std::fmt::Debug for NewMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMessage").field("template", &self.template).field("reference", &self.reference).finish_non_exhaustive()
    }
}


/// A queued message claimed by a sender.
#[derive(Clone, PartialEq)]
pub struct OutboxMessage {
    pub id: i64,
    pub case_id: i64,
    pub contact: Contact,
    pub template: MessageTemplate,
    pub reference: String,
    pub attempts: i32,
}

impl std::fmt::Debug for OutboxMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OutboxMessage").field("id", &self.id).field("template", &self.template).finish_non_exhaustive()
    }
}

/// Where a message stands, for the case page and the tests.
#[derive(Debug, Clone, PartialEq)]
pub struct MessageStatus {
    pub template: MessageTemplate,
    pub channel: String,
    pub attempts: i32,
    pub sent: bool,
    pub failed: bool,
}

#[async_trait::async_trait]
pub trait OutboxStore: Send + Sync {
    /// Claims up to `limit` messages that are due, each for `lease`; another instance will not
    /// claim them until the lease runs out.
    async fn claim_messages(&self, now: DateTime<Utc>, lease: chrono::Duration, limit: i64) -> StoreResult<Vec<OutboxMessage>>;
    async fn message_sent(&self, id: i64, provider_id: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Records a failed attempt: tried again at `retry_at`, or given up when `None`.
    async fn message_failed(&self, id: i64, error: &str, retry_at: Option<DateTime<Utc>>, at: DateTime<Utc>) -> StoreResult<()>;
    async fn messages_for_case(&self, case_id: i64) -> StoreResult<Vec<MessageStatus>>;
}
