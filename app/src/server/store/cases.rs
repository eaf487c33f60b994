//! Cases (objections, requests for a copy, access concerns), their timelines and queues.

use super::{NewMessage, StaffAction, StoreResult};
use crate::domain::access_request::{AccessRequest, Delivery};
use crate::domain::objection::{Objection, ObjectionScope};
use crate::domain::{CaseEventKind, CaseKind, CaseReference, CaseStatus, Contact, NhsNumber, Pause};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One case as the public figures count it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFigure {
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    /// When it was decided or fulfilled.
    pub closed_at: Option<DateTime<Utc>>,
    /// For a complaint: when it was acknowledged, or answered (which acknowledges it).
    pub acknowledged_at: Option<DateTime<Utc>>,
}

/// What a case is about, in the patient's words and choices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CaseDetails {
    Objection(Objection),
    AccessRequest(AccessRequest),
    AccessConcern(AccessConcern),
    Complaint(crate::domain::complaint::Complaint),
}

/// "I don't recognise this": the access the patient is worried about, and their words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessConcern {
    pub event_id: i64,
    /// The access as the patient saw it, kept as it was when they raised the concern.
    pub summary: String,
    pub words: crate::domain::FreeText,
}

/// The request's clock as stored: pauses and extensions, from which the due date is worked out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoredClock {
    pub pauses: Vec<(NaiveDate, Option<NaiveDate>)>,
    pub extension_months: u32,
    pub extension_reason: Option<String>,
}

impl StoredClock {
    pub fn to_clock(&self, received: NaiveDate) -> crate::domain::Clock {
        crate::domain::Clock {
            received,
            pauses: self.pauses.iter().map(|&(asked, arrived)| Pause { asked, arrived }).collect(),
            extension_months: self.extension_months,
        }
    }
}

/// Who the case is about, as NHS login described them when they made it.
#[derive(Clone, PartialEq)]
pub struct CasePatient {
    pub subject: String,
    pub nhs_number: NhsNumber,
    pub name: String,
    pub birth_date: Option<String>,
}

impl std::fmt::Debug for CasePatient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CasePatient").field("subject", &self.subject).finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CaseRecord {
    pub id: i64,
    pub reference: CaseReference,
    pub area_id: i64,
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub patient: CasePatient,
    pub details: CaseDetails,
    pub contact: Contact,
    pub received_on: NaiveDate,
    /// `None` while the clock is stopped.
    pub due_on: Option<NaiveDate>,
    pub clock: StoredClock,
    pub assignee: Option<String>,
    pub outcome: Option<CaseOutcome>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Who may not decide it again: whoever decided it before a complaint reopened it.
    pub barred_subject: Option<String>,
}

/// How a case ended: the decision on an objection or concern, or the response to a request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CaseOutcome {
    Decision {
        status: CaseStatus,
        reason_title: String,
        /// Shown to the patient: the template's text and the case worker's own words.
        reason: String,
        /// For an objection upheld in part: what was upheld.
        upheld_scope: Option<ObjectionScope>,
        decided_by: String,
        decided_at: DateTime<Utc>,
    },
    Response {
        delivery: Delivery,
        document_id: Option<i64>,
        available_until: Option<DateTime<Utc>>,
        note: String,
        sent_by: String,
        sent_at: DateTime<Utc>,
    },
}

/// A change to a case, applied in one transaction only while the case is still as the person
/// making it saw it (its status, and its assignee when `expect_assignee` is set): two people
/// acting at once cannot both succeed. With the change go its timeline line, the patient's
/// message and the staff action record.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseUpdate {
    pub case_id: i64,
    pub expect_status: Vec<CaseStatus>,
    pub expect_assignee: Option<Option<String>>,
    pub status: Option<CaseStatus>,
    pub clock: Option<(StoredClock, Option<NaiveDate>)>,
    pub assignee: Option<Option<String>>,
    pub outcome: Option<CaseOutcome>,
    /// Organisations an upheld objection must act on: (ODS code, name, what to do).
    pub effects: Vec<(String, String, String)>,
    pub event: CaseEvent,
    pub message: Option<NewMessage>,
    pub action: Option<StaffAction>,
    /// A complaint sends the decision back: its outcome and assignee are cleared, and this
    /// person (who made it) may not make the fresh one.
    pub reopen_barring: Option<String>,
}

impl CaseUpdate {
    /// A change that adds `event` and alters nothing else, guarded on the case's current status.
    pub fn on(case: &CaseRecord, event: CaseEvent) -> Self {
        Self {
            case_id: case.id,
            expect_status: vec![case.status],
            expect_assignee: None,
            status: None,
            clock: None,
            assignee: None,
            outcome: None,
            effects: Vec::new(),
            event,
            message: None,
            action: None,
            reopen_barring: None,
        }
    }
}

/// Whose cases a queue shows.
#[derive(Debug, Clone, PartialEq)]
pub enum AssigneeFilter {
    Anyone,
    Unassigned,
    Person(String),
}

/// A case worker's queue: their areas, filtered, soonest due first.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueQuery {
    pub area_ids: Vec<i64>,
    pub kind: Option<CaseKind>,
    /// `None`: every open case.
    pub status: Option<CaseStatus>,
    pub assignee: AssigneeFilter,
    /// Open cases due on or before this day.
    pub due_by: Option<NaiveDate>,
    pub limit: i64,
}

/// Who did something to a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Patient,
    Staff,
    System,
}

impl Actor {
    pub fn as_str(self) -> &'static str {
        match self {
            Actor::Patient => "patient",
            Actor::Staff => "staff",
            Actor::System => "system",
        }
    }
}

/// One line of a case's timeline. `public` lines are shown to the patient, in `text`.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseEvent {
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub actor_subject: Option<String>,
    pub actor_name: Option<String>,
    pub kind: CaseEventKind,
    pub public: bool,
    pub text: String,
}


#[derive(Debug, Clone, PartialEq)]
pub struct NewCase {
    pub reference: CaseReference,
    pub area_id: i64,
    pub kind: CaseKind,
    pub patient: CasePatient,
    pub details: CaseDetails,
    pub contact: Contact,
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub idempotency_key: String,
    pub at: DateTime<Utc>,
    pub event: CaseEvent,
    pub message: Option<NewMessage>,
}

#[async_trait::async_trait]
pub trait CaseStore: Send + Sync {
    /// Opens a case with its first timeline line and message, in one transaction. When the
    /// patient already made a case with this idempotency key, returns that one and `false`.
    async fn open_case(&self, case: &NewCase) -> StoreResult<(CaseRecord, bool)>;
    async fn case_by_reference(&self, reference: &CaseReference) -> StoreResult<Option<CaseRecord>>;
    async fn case_by_idempotency_key(&self, patient_subject: &str, key: &str) -> StoreResult<Option<CaseRecord>>;
    async fn cases_for_patient(&self, patient_subject: &str) -> StoreResult<Vec<CaseRecord>>;
    async fn case_events(&self, case_id: i64) -> StoreResult<Vec<CaseEvent>>;
    /// Applies the update if the case is still as expected; `false` when it was not.
    async fn update_case(&self, update: &CaseUpdate) -> StoreResult<bool>;
    async fn queue(&self, query: &QueueQuery) -> StoreResult<Vec<CaseRecord>>;
    /// How many open cases of each kind and status the areas have.
    async fn queue_counts(&self, area_ids: &[i64]) -> StoreResult<Vec<(CaseKind, CaseStatus, i64)>>;
    /// The area's cases, as the public transparency figures count them.
    async fn case_figures(&self, area_id: i64) -> StoreResult<Vec<CaseFigure>>;
}
