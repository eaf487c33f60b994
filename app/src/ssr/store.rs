//! The one storage trait. The server implements it for SQLite and PostgreSQL; the same
//! conformance suite runs on both. Errors are the store's own: callers never see SQL.

use crate::domain::access_request::{AccessRequest, Delivery};
use crate::domain::objection::{Objection, ObjectionScope};
use crate::domain::{AreaSlug, BankHolidays, CaseKind, CaseReference, CaseStatus, Contact, NhsNumber, OdsCode, Pause, Role};
use crate::people::{Grant, SignedIn};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("already exists")]
    Conflict,
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub id: i64,
    pub slug: AreaSlug,
    pub name: String,
    /// Patients see the names of the people who looked at their record (or roles only).
    pub show_staff_names: bool,
    /// Working days the area has to answer a concern about an access.
    pub concern_working_days: i64,
    /// Months the access events its systems send are kept.
    pub retention_months: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    pub ods_code: OdsCode,
    pub name: String,
    pub area_id: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Organisation {
    pub ods_code: OdsCode,
    pub name: String,
}

/// One published version of a notice. It is in force from `published_at` until the next
/// version of the same notice (area and variant) is published.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub id: i64,
    pub area_id: i64,
    /// `main`, `easy-read` or a language code (`crate::domain::NoticeVariant`).
    pub variant: String,
    pub version: i64,
    pub title: String,
    pub body_markdown: String,
    pub published_at: DateTime<Utc>,
    /// The review trail (absent for the versions seeded before reviews existed).
    pub author_name: Option<String>,
    pub approver_name: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
}

/// Where a change to a notice stands. Published and discarded drafts are history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftStatus {
    Draft,
    Submitted,
    Returned,
    Approved,
    Published,
    Discarded,
}

impl DraftStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftStatus::Draft => "draft",
            DraftStatus::Submitted => "submitted",
            DraftStatus::Returned => "returned",
            DraftStatus::Approved => "approved",
            DraftStatus::Published => "published",
            DraftStatus::Discarded => "discarded",
        }
    }

    pub fn parse(s: &str) -> Option<DraftStatus> {
        [DraftStatus::Draft, DraftStatus::Submitted, DraftStatus::Returned, DraftStatus::Approved, DraftStatus::Published, DraftStatus::Discarded]
            .into_iter()
            .find(|d| d.as_str() == s)
    }

    /// The author may still change the words.
    pub fn editable(self) -> bool {
        matches!(self, DraftStatus::Draft | DraftStatus::Returned)
    }
}

/// A change to a notice on its way to publication.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeDraft {
    pub id: i64,
    pub area_id: i64,
    pub variant: String,
    pub title: String,
    pub body_markdown: String,
    pub status: DraftStatus,
    pub author_subject: String,
    pub author_name: String,
    pub approver_subject: Option<String>,
    pub approver_name: Option<String>,
    pub publish_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub approved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub notice_id: Option<i64>,
}

/// A step in a draft's review: submitted, returned (with the approver's comments), approved,
/// published, discarded.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeReview {
    pub at: DateTime<Utc>,
    pub actor_name: String,
    pub action: String,
    pub comment: Option<String>,
}

/// Something an area publishes about its engagement with the public.
#[derive(Debug, Clone, PartialEq)]
pub struct EngagementItem {
    pub id: i64,
    pub area_id: i64,
    /// `event`, `consultation` or `outcome` ("you said, we did").
    pub kind: String,
    pub title: String,
    pub summary: String,
    /// An event's start, or when a consultation opens.
    pub starts_at: Option<DateTime<Utc>>,
    /// An event's end, or when a consultation closes.
    pub ends_at: Option<DateTime<Utc>>,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub accessibility: Option<String>,
    pub how_to_respond: Option<String>,
    pub publish_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub withdrawn_reason: Option<String>,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
}

/// One case as the public figures count it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFigure {
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    /// When it was decided or fulfilled.
    pub closed_at: Option<DateTime<Utc>>,
}

/// A move in the review: who makes it, and the guard the store checks in the same statement.
#[derive(Debug, Clone, PartialEq)]
pub enum ReviewStep {
    /// The author sends a draft (or a returned one) for review.
    Submit,
    /// A second person sends it back with comments.
    Return { comment: String },
    /// A second person approves it, to publish at `publish_at`.
    Approve { publish_at: DateTime<Utc> },
    /// The author gives the change up.
    Discard,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StaffRecord {
    pub subject: String,
    pub name: String,
    pub grants: Vec<Grant>,
}

/// A server-side session. `id_hash` is a keyed hash of the cookie's token: the token itself is never stored.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub id_hash: String,
    pub holder: SignedIn,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub idle_timeout_secs: i64,
    pub absolute_expires_at: DateTime<Utc>,
}

/// An OIDC sign-in under way: what the callback needs to check `state`, `nonce` and PKCE.
#[derive(Clone)]
pub struct LoginFlow {
    pub state_hash: String,
    pub audience: String,
    pub pkce_verifier: String,
    pub nonce: String,
    pub browser_hash: String,
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for LoginFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginFlow")
            .field("audience", &self.audience)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

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

/// What a case is about, in the patient's words and choices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CaseDetails {
    Objection(Objection),
    AccessRequest(AccessRequest),
    AccessConcern(AccessConcern),
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

/// A system registered to send access events: a client with a secret (stored hashed).
#[derive(Clone, PartialEq)]
pub struct EventSource {
    pub id: i64,
    pub name: String,
    pub client_id: String,
    pub secret_hash: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub first_event_at: Option<DateTime<Utc>>,
    pub latest_event_at: Option<DateTime<Utc>>,
    /// The area whose shared care record this system is (its retention period applies).
    pub area_id: Option<i64>,
}

impl std::fmt::Debug for EventSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventSource").field("id", &self.id).field("client_id", &self.client_id).finish_non_exhaustive()
    }
}

/// One look at a patient's record, as a source reported it (or the portal itself, for staff
/// opening the patient's case: `source_id` is then `None`).
#[derive(Clone, PartialEq)]
pub struct AccessEvent {
    pub id: i64,
    pub source_id: Option<i64>,
    pub source_event_id: String,
    pub nhs_number: String,
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
}

impl std::fmt::Debug for AccessEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessEvent").field("id", &self.id).field("source_id", &self.source_id).finish_non_exhaustive()
    }
}

/// A page of one patient's access events, newest first, after the `before` cursor.
#[derive(Debug, Clone, PartialEq)]
pub struct AccessQuery {
    pub nhs_number: String,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub org_ods: Option<String>,
    pub include_automated: bool,
    /// Keyset cursor: (recorded_at, id) of the last event of the previous page.
    pub before: Option<(DateTime<Utc>, i64)>,
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
    pub kind: String,
    pub public: bool,
    pub text: String,
}

/// A message to the patient, queued in the same transaction as the change it tells them about.
/// `template` is the kind of update (`received`, `information_needed`, `decided`, `fulfilled`);
/// the message itself never carries more than the case's reference.
#[derive(Clone, PartialEq)]
pub struct NewMessage {
    pub contact: Contact,
    pub template: String,
    pub reference: CaseReference,
}

impl std::fmt::Debug for NewMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewMessage").field("template", &self.template).field("reference", &self.reference).finish_non_exhaustive()
    }
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

/// A queued message claimed by a sender.
#[derive(Clone, PartialEq)]
pub struct OutboxMessage {
    pub id: i64,
    pub case_id: i64,
    pub contact: Contact,
    pub template: String,
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
    pub template: String,
    pub channel: String,
    pub attempts: i32,
    pub sent: bool,
    pub failed: bool,
}

#[async_trait::async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which backend this is, for logs and `/readyz`.
    fn backend(&self) -> &'static str;
    async fn ping(&self) -> StoreResult<()>;

    // Areas
    async fn list_areas(&self) -> StoreResult<Vec<Area>>;
    async fn area_by_slug(&self, slug: &AreaSlug) -> StoreResult<Option<Area>>;
    async fn create_area(&self, slug: &AreaSlug, name: &str) -> StoreResult<Area>;
    async fn set_area_access_settings(&self, area_id: i64, show_staff_names: bool, concern_working_days: i64) -> StoreResult<()>;
    async fn add_practice(&self, area_id: i64, ods: &OdsCode, name: &str) -> StoreResult<()>;
    async fn practice(&self, ods: &OdsCode) -> StoreResult<Option<Practice>>;
    async fn add_organisation(&self, area_id: i64, ods: &OdsCode, name: &str) -> StoreResult<()>;
    async fn rename_area(&self, area_id: i64, name: &str) -> StoreResult<()>;
    async fn set_area_retention(&self, area_id: i64, months: i64) -> StoreResult<()>;
    async fn practices(&self, area_id: i64) -> StoreResult<Vec<Practice>>;
    async fn remove_practice(&self, area_id: i64, ods: &OdsCode) -> StoreResult<u64>;
    async fn remove_organisation(&self, area_id: i64, ods: &OdsCode) -> StoreResult<u64>;
    /// Links a source to the area whose shared care record it is, so the area's retention
    /// period applies to its events.
    async fn set_source_area(&self, source_id: i64, area_id: Option<i64>) -> StoreResult<()>;
    /// Deletes a batch of the events sent by the area's sources recorded before `cutoff`.
    async fn delete_area_access_events_before(&self, area_id: i64, cutoff: DateTime<Utc>, limit: i64) -> StoreResult<u64>;
    async fn organisations(&self, area_id: i64) -> StoreResult<Vec<Organisation>>;

    // Privacy notices
    /// Publishes a version straight away, with no review: for seeding an area's first notice.
    async fn publish_notice(&self, area_id: i64, variant: &str, title: &str, body_markdown: &str, at: DateTime<Utc>) -> StoreResult<Notice>;
    async fn current_notice(&self, area_id: i64, variant: &str, now: DateTime<Utc>) -> StoreResult<Option<Notice>>;
    /// Every version of every notice of the area, oldest first.
    async fn notice_versions(&self, area_id: i64) -> StoreResult<Vec<Notice>>;
    /// Starts a change to a notice. `Conflict` when one is already on its way.
    async fn start_notice_draft(&self, area_id: i64, variant: &str, title: &str, body_markdown: &str, author: (&str, &str), now: DateTime<Utc>) -> StoreResult<NoticeDraft>;
    async fn notice_draft(&self, id: i64) -> StoreResult<Option<NoticeDraft>>;
    /// Drafts of the area still on their way (not published or discarded).
    async fn open_notice_drafts(&self, area_id: i64) -> StoreResult<Vec<NoticeDraft>>;
    /// The author's new words; `NotFound` unless it is theirs and still editable.
    async fn save_notice_draft(&self, id: i64, author_subject: &str, title: &str, body_markdown: &str, now: DateTime<Utc>) -> StoreResult<()>;
    /// A review move, guarded in the database: submitting and discarding only by the author of
    /// an editable draft; returning and approving only of a submitted draft, and never by its
    /// author. `NotFound` when the guard does not hold.
    async fn review_notice_draft(&self, id: i64, actor: (&str, &str), step: &ReviewStep, now: DateTime<Utc>) -> StoreResult<()>;
    async fn notice_reviews(&self, draft_id: i64) -> StoreResult<Vec<NoticeReview>>;
    /// Publishes approved drafts whose time has come, each exactly once even when several
    /// portal instances run this at the same moment. Returns what was published.
    async fn publish_due_notices(&self, now: DateTime<Utc>) -> StoreResult<Vec<Notice>>;
    // Engagement
    async fn add_engagement_item(&self, item: &EngagementItem) -> StoreResult<EngagementItem>;
    /// Every item of the area, withdrawn ones too, newest first.
    async fn engagement_items(&self, area_id: i64) -> StoreResult<Vec<EngagementItem>>;
    /// Withdraws a published or scheduled item; `NotFound` if it is not the area's or is withdrawn.
    async fn withdraw_engagement_item(&self, area_id: i64, id: i64, reason: &str, now: DateTime<Utc>) -> StoreResult<()>;
    /// The area's cases, as the public transparency figures count them.
    async fn case_figures(&self, area_id: i64) -> StoreResult<Vec<CaseFigure>>;

    /// One more view of a version today. Nothing about the reader is stored.
    async fn count_notice_view(&self, notice_id: i64, day: NaiveDate) -> StoreResult<()>;
    /// Views per version per day for an area's notices, from `from` to `to` inclusive.
    async fn notice_views(&self, area_id: i64, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<(i64, NaiveDate, i64)>>;

    // Staff directory
    async fn add_staff_grant(&self, subject: &str, name: &str, role: Role, area: &AreaSlug) -> StoreResult<()>;
    /// Removes one grant, or with `None` every grant and the person. Returns how many grants went.
    async fn remove_staff(&self, subject: &str, grant: Option<(Role, &AreaSlug)>) -> StoreResult<u64>;
    async fn staff_member(&self, subject: &str) -> StoreResult<Option<StaffRecord>>;
    async fn list_staff(&self) -> StoreResult<Vec<StaffRecord>>;

    // Sessions
    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()>;
    async fn session(&self, id_hash: &str) -> StoreResult<Option<SessionRecord>>;
    async fn touch_session(&self, id_hash: &str, at: DateTime<Utc>, idle_expires_at: DateTime<Utc>) -> StoreResult<()>;
    async fn delete_session(&self, id_hash: &str) -> StoreResult<()>;
    async fn delete_expired_sessions(&self, now: DateTime<Utc>) -> StoreResult<u64>;

    // OIDC sign-ins under way
    async fn put_login_flow(&self, flow: &LoginFlow) -> StoreResult<()>;
    /// Takes the flow out, so a callback can be used once only.
    async fn take_login_flow(&self, state_hash: &str) -> StoreResult<Option<LoginFlow>>;

    // Forms between steps
    /// Saves a draft, unless the key is already someone else's.
    async fn save_draft(&self, draft: &Draft) -> StoreResult<()>;
    async fn draft(&self, key: &str, owner_subject: &str) -> StoreResult<Option<Draft>>;
    async fn delete_old_drafts(&self, before: DateTime<Utc>) -> StoreResult<u64>;
    /// Reads a draft and deletes it, so what it holds is shown once only.
    async fn take_draft(&self, key: &str, owner_subject: &str) -> StoreResult<Option<Draft>>;

    // Cases
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
    async fn record_staff_action(&self, action: &StaffAction) -> StoreResult<()>;
    async fn staff_actions(&self, case_id: i64) -> StoreResult<Vec<StaffAction>>;
    async fn effects(&self, case_id: i64) -> StoreResult<Vec<ObjectionEffect>>;
    async fn mark_effect_applied(&self, case_id: i64, ods_code: &str, event: &CaseEvent, action: &StaffAction) -> StoreResult<bool>;
    async fn decision_templates(&self, area_id: i64) -> StoreResult<Vec<DecisionTemplate>>;
    async fn add_decision_template(&self, area_id: i64, outcome: CaseStatus, title: &str, body: &str) -> StoreResult<DecisionTemplate>;
    async fn remove_decision_template(&self, area_id: i64, id: i64) -> StoreResult<u64>;
    /// Adds a document with its timeline line and staff action; returns its id.
    async fn add_document(&self, doc: &NewDocument, event: &CaseEvent, action: Option<&StaffAction>) -> StoreResult<i64>;
    async fn documents(&self, case_id: i64) -> StoreResult<Vec<DocumentMeta>>;
    async fn document(&self, case_id: i64, id: i64) -> StoreResult<Option<(DocumentMeta, Vec<u8>)>>;

    // Messages to patients
    /// Claims up to `limit` messages that are due, each for `lease`; another instance will not
    /// claim them until the lease runs out.
    async fn claim_messages(&self, now: DateTime<Utc>, lease: chrono::Duration, limit: i64) -> StoreResult<Vec<OutboxMessage>>;
    async fn message_sent(&self, id: i64, provider_id: &str, at: DateTime<Utc>) -> StoreResult<()>;
    /// Records a failed attempt: tried again at `retry_at`, or given up when `None`.
    async fn message_failed(&self, id: i64, error: &str, retry_at: Option<DateTime<Utc>>, at: DateTime<Utc>) -> StoreResult<()>;
    async fn messages_for_case(&self, case_id: i64) -> StoreResult<Vec<MessageStatus>>;

    // Systems that send access events
    async fn add_source(&self, name: &str, client_id: &str, secret_hash: &str, at: DateTime<Utc>) -> StoreResult<EventSource>;
    async fn sources(&self) -> StoreResult<Vec<EventSource>>;
    async fn source_by_client_id(&self, client_id: &str) -> StoreResult<Option<EventSource>>;
    async fn revoke_source(&self, client_id: &str, at: DateTime<Utc>) -> StoreResult<bool>;
    async fn put_source_token(&self, token_hash: &str, source_id: i64, expires_at: DateTime<Utc>) -> StoreResult<()>;
    /// The live, unrevoked source a bearer token belongs to.
    async fn source_for_token(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<EventSource>>;

    // Access events
    /// Stores the events in bulk; a (source, id) already held is skipped. Returns the ids stored.
    async fn ingest_access_events(&self, events: &[AccessEvent], received_at: DateTime<Utc>) -> StoreResult<Vec<String>>;
    async fn access_events(&self, query: &AccessQuery) -> StoreResult<Vec<AccessEvent>>;
    /// The organisations that have looked at this patient's record: (ODS code, name).
    /// Automated checks in `[from, to)` (the query's other filters applied), counted per system
    /// per UTC hour, oldest hour last: the page folds hours into UK days. Counted in the
    /// database, so a busy day of automated checks costs a few rows, not thousands.
    async fn automated_access_counts(&self, query: &AccessQuery) -> StoreResult<Vec<(DateTime<Utc>, String, i64)>>;
    async fn access_organisations(&self, nhs_number: &str) -> StoreResult<Vec<(String, String)>>;
    async fn access_event(&self, nhs_number: &str, id: i64) -> StoreResult<Option<AccessEvent>>;
    /// Deletes up to `limit` events recorded before `cutoff` (the retention job); returns how many.
    async fn delete_access_events_before(&self, cutoff: DateTime<Utc>, limit: i64) -> StoreResult<u64>;

    // Bank holidays (England and Wales), for deadlines
    async fn bank_holidays(&self) -> StoreResult<BankHolidays>;
    /// Bank holidays on or after `from`, with their names.
    async fn bank_holiday_list(&self, from: NaiveDate) -> StoreResult<Vec<(NaiveDate, String)>>;
    async fn add_bank_holiday(&self, day: NaiveDate, name: &str) -> StoreResult<()>;
    async fn remove_bank_holiday(&self, day: NaiveDate) -> StoreResult<u64>;
}
