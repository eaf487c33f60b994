//! Alerts when a patient's record is looked at: the patient's choice, kept per NHS number. The
//! messages themselves are queued by the monitoring rules' run (`MonitoringStore::run_monitoring`),
//! which reads each arriving look once, whatever the number of instances.

use super::StoreResult;
use crate::domain::record_alerts::AlertChoice;
use crate::domain::NhsNumber;
use chrono::{DateTime, NaiveDate, Utc};

/// A patient's saved choice, and the last UK day a message was queued for it.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedAlertChoice {
    pub choice: AlertChoice,
    pub chosen_at: DateTime<Utc>,
    pub last_alert_on: Option<NaiveDate>,
}

#[async_trait::async_trait]
pub trait RecordAlertStore: Send + Sync {
    async fn record_alert_choice(&self, nhs_number: &NhsNumber) -> StoreResult<Option<SavedAlertChoice>>;
    /// Saves the patient's choice (`Some`) or ends it (`None`, forgetting the address but not the
    /// day of the last message, which still counts towards one a day). Messages not yet sent
    /// follow it, in the same transaction: to the new address, or not at all.
    async fn set_record_alert_choice(&self, nhs_number: &NhsNumber, subject: &str, choice: Option<&AlertChoice>, at: DateTime<Utc>) -> StoreResult<()>;
}
