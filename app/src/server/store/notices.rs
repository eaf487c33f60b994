//! Privacy notices: published versions, changes on their way through review, and page views.

use super::StoreResult;
use crate::domain::NoticeVariant;
use chrono::{DateTime, NaiveDate, Utc};

/// One published version of a notice. It is in force from `published_at` until the next
/// version of the same notice (area and variant) is published.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub id: i64,
    pub area_id: i64,
    pub variant: NoticeVariant,
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
    pub variant: NoticeVariant,
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

#[async_trait::async_trait]
pub trait NoticeStore: Send + Sync {
    /// Publishes a version straight away, with no review: for seeding an area's first notice.
    async fn publish_notice(&self, area_id: i64, variant: NoticeVariant, title: &str, body_markdown: &str, at: DateTime<Utc>) -> StoreResult<Notice>;
    async fn current_notice(&self, area_id: i64, variant: NoticeVariant, now: DateTime<Utc>) -> StoreResult<Option<Notice>>;
    /// Every version of every notice of the area, oldest first.
    async fn notice_versions(&self, area_id: i64) -> StoreResult<Vec<Notice>>;
    /// Starts a change to a notice. `Conflict` when one is already on its way.
    async fn start_notice_draft(&self, area_id: i64, variant: NoticeVariant, title: &str, body_markdown: &str, author: (&str, &str), now: DateTime<Utc>) -> StoreResult<NoticeDraft>;
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
    /// One more view of a version today. Nothing about the reader is stored.
    /// Adds counted views: (notice, day, how many), to each day's total.
    async fn add_notice_views(&self, views: &[(i64, NaiveDate, i64)]) -> StoreResult<()>;
    /// Views per version per day for an area's notices, from `from` to `to` inclusive.
    async fn notice_views(&self, area_id: i64, from: NaiveDate, to: NaiveDate) -> StoreResult<Vec<(i64, NaiveDate, i64)>>;
}
