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
    /// The case it tells the patient about; none for an alert that their record was looked at.
    pub case_id: Option<i64>,
    pub contact: Contact,
    pub template: MessageTemplate,
    pub reference: String,
    pub attempts: i32,
    /// This claim's own token: only its holder may renew it or record the outcome.
    pub claim: String,
    /// An earlier claim ended with no outcome recorded (its instance stopped mid-send): the
    /// message may already have gone, so the sender asks Notify before sending again.
    pub in_doubt: bool,
}

impl OutboxMessage {
    /// The message's own reference at GOV.UK Notify, the same on every attempt, by which a
    /// send interrupted by a crash is recognised (the case reference alone is shared by all of
    /// a case's messages).
    pub fn notify_reference(&self) -> String {
        format!("{}-m{}", self.reference, self.id)
    }
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
    /// Renews a claim for `lease` from `now`, if it is still this claim's and unsent: the
    /// sender's check just before it sends. `false`: leave the message alone.
    async fn renew_claim(&self, id: i64, claim: &str, now: DateTime<Utc>, lease: chrono::Duration) -> StoreResult<bool>;
    /// Records the message as sent, under its claim (`false` if the claim was no longer held).
    async fn message_sent(&self, id: i64, claim: &str, provider_id: &str, at: DateTime<Utc>) -> StoreResult<bool>;
    /// Records a failed attempt under its claim: tried again at `retry_at`, or given up when `None`.
    async fn message_failed(&self, id: i64, claim: &str, error: &str, retry_at: Option<DateTime<Utc>>, at: DateTime<Utc>) -> StoreResult<bool>;
    async fn messages_for_case(&self, case_id: i64) -> StoreResult<Vec<MessageStatus>>;
}
