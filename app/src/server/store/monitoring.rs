//! Privacy monitoring: each area's rules and watch list, the alerts the rules raise as access
//! events arrive, and the IG lead's reviews of them.

use super::{AccessEvent, StaffAction, StoreResult};
use crate::domain::monitoring::{AlertStatus, MonitoringSettings, ReferralOutcome, Rule};
use crate::domain::{BankHolidays, NhsNumber};
use chrono::{DateTime, NaiveDate, Utc};

/// One flagged access.
#[derive(Clone, PartialEq)]
pub struct AlertRecord {
    pub id: i64,
    pub area_id: i64,
    pub event_id: i64,
    pub rule: Rule,
    /// The rule's explanation as it stood when the alert was raised.
    pub explanation: String,
    pub person_key: String,
    pub person_name: String,
    pub person_role: Option<String>,
    pub org_ods: Option<String>,
    pub org_name: Option<String>,
    pub nhs_number: NhsNumber,
    pub recorded_at: DateTime<Utc>,
    pub purpose: String,
    pub raised_at: DateTime<Utc>,
    /// The patient's concern case, for a concern.
    pub case_id: Option<i64>,
    pub case_reference: Option<String>,
    pub status: AlertStatus,
    pub reason: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub referral_id: Option<i64>,
}

impl std::fmt::Debug for AlertRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlertRecord").field("id", &self.id).field("rule", &self.rule).field("status", &self.status).finish_non_exhaustive()
    }
}

/// The alerts of one person, as the queue lists them.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonAlerts {
    pub person_key: String,
    /// Their newest alert: the address of their page names it, not them.
    pub alert_id: i64,
    pub person_name: String,
    pub person_role: Option<String>,
    pub organisations: Vec<String>,
    pub rules: Vec<Rule>,
    /// Alerts still waiting (not reviewed, or waiting for information).
    pub open: i64,
    pub total: i64,
    pub oldest_open: Option<DateTime<Utc>>,
    pub latest: DateTime<Utc>,
    pub concern: bool,
}

/// Which alerts the queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AlertState {
    /// Not reviewed, or waiting for information.
    #[default]
    Waiting,
    /// Reviewed: appropriate, inappropriate or referred.
    Reviewed,
    All,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlertFilter {
    pub state: AlertState,
    pub rule: Option<Rule>,
    pub org_ods: Option<String>,
    /// Only alerts raised before this (the "older than" filter).
    pub raised_before: Option<DateTime<Utc>>,
}

/// A record on an area's watch list.
#[derive(Clone, PartialEq)]
pub struct WatchEntry {
    pub nhs_number: NhsNumber,
    pub reason: String,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

impl std::fmt::Debug for WatchEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WatchEntry").field("added_at", &self.added_at).finish_non_exhaustive()
    }
}

/// A referral of a person's flagged accesses to their employing organisation's IG lead.
#[derive(Debug, Clone, PartialEq)]
pub struct Referral {
    pub id: i64,
    pub area_id: i64,
    pub person_key: String,
    pub person_name: String,
    pub org_ods: String,
    pub org_name: String,
    /// Who at the organisation it went to (their IG lead's name or address).
    pub contact: String,
    pub due_on: NaiveDate,
    /// What the IG lead asked them to look into.
    pub note: String,
    pub referred_by: String,
    pub referred_at: DateTime<Utc>,
    pub outcome: Option<ReferralOutcome>,
    pub outcome_note: Option<String>,
    pub outcome_by: Option<String>,
    pub outcome_at: Option<DateTime<Utc>>,
    /// For confirmed inappropriate access without a concern: whether the patient was told.
    pub patient_told: Option<bool>,
    pub patient_told_on: Option<NaiveDate>,
    pub patient_told_note: Option<String>,
}

/// A new referral: to whom, and by when.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReferral {
    pub person_name: String,
    pub org_ods: String,
    pub org_name: String,
    pub contact: String,
    pub due_on: NaiveDate,
    pub note: String,
}

/// One alert as the figures count it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertFigure {
    pub raised_at: DateTime<Utc>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub status: AlertStatus,
    pub referred: bool,
}

/// What one run of the rules did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MonitoringRun {
    pub events_checked: u64,
    pub alerts_raised: u64,
    /// Messages queued to patients who asked to be told when their record is looked at.
    pub patients_told: u64,
}

#[async_trait::async_trait]
pub trait MonitoringStore: Send + Sync {
    /// The area's settings (the defaults until its IG lead changes them).
    async fn monitoring_settings(&self, area_id: i64) -> StoreResult<MonitoringSettings>;
    async fn set_monitoring_settings(&self, area_id: i64, settings: &MonitoringSettings, action: &StaffAction) -> StoreResult<()>;
    async fn watch_list(&self, area_id: i64) -> StoreResult<Vec<WatchEntry>>;
    /// `Conflict` when the record is already listed.
    async fn add_to_watch_list(&self, area_id: i64, entry: &WatchEntry, action: &StaffAction) -> StoreResult<()>;
    async fn remove_from_watch_list(&self, area_id: i64, nhs_number: &NhsNumber, action: &StaffAction) -> StoreResult<u64>;
    /// Runs the rules over the next access events that arrived before `settled_before` (up to
    /// `limit`), raising alerts. Once across instances: a run holds the rules' progress row.
    async fn run_monitoring(&self, settled_before: DateTime<Utc>, limit: i64, holidays: &BankHolidays, now: DateTime<Utc>) -> StoreResult<MonitoringRun>;
    /// A patient's concern about an access joins the alerts of the person who looked.
    async fn raise_concern_alert(&self, area_id: i64, event: &AccessEvent, case_id: i64, case_reference: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// The queue: alerts grouped by person, concerns first, then oldest waiting first.
    async fn alert_queue(&self, area_id: i64, filter: &AlertFilter, limit: usize) -> StoreResult<Vec<PersonAlerts>>;
    /// One alert of the area.
    async fn alert(&self, area_id: i64, id: i64) -> StoreResult<Option<AlertRecord>>;
    /// One person's alerts in the area, newest first.
    async fn person_alerts(&self, area_id: i64, person_key: &str) -> StoreResult<Vec<AlertRecord>>;
    /// Records the IG lead's decision on those of the person's alerts given that still wait;
    /// returns how many it decided.
    async fn review_alerts(&self, area_id: i64, person_key: &str, ids: &[i64], status: AlertStatus, reason: &str, action: &StaffAction) -> StoreResult<u64>;
    /// Refers those of the person's alerts given that still wait to their employing
    /// organisation; `None` when none still waited (nothing is written).
    async fn refer_alerts(&self, area_id: i64, person_key: &str, ids: &[i64], referral: &NewReferral, action: &StaffAction) -> StoreResult<Option<i64>>;
    async fn referral(&self, area_id: i64, id: i64) -> StoreResult<Option<Referral>>;
    /// The area's referrals: those waiting for a reply first, soonest due first.
    async fn referrals(&self, area_id: i64) -> StoreResult<Vec<Referral>>;
    async fn referral_alerts(&self, area_id: i64, referral_id: i64) -> StoreResult<Vec<AlertRecord>>;
    /// Records the organisation's reply once (`false` when one was already recorded), and
    /// closes the referred alerts accordingly.
    async fn record_referral_outcome(&self, area_id: i64, id: i64, outcome: ReferralOutcome, note: &str, action: &StaffAction) -> StoreResult<bool>;
    /// Records whether and when the patient was told of confirmed inappropriate access.
    async fn record_patient_told(&self, area_id: i64, id: i64, told: bool, on: Option<NaiveDate>, note: &str, action: &StaffAction) -> StoreResult<bool>;
    /// Forgets each person's looks per day before `day` (the rules look back a year at most).
    async fn delete_monitoring_days_before(&self, day: NaiveDate) -> StoreResult<u64>;
    /// Every alert of the area, as the figures count them.
    async fn alert_figures(&self, area_id: i64) -> StoreResult<Vec<AlertFigure>>;
}
