//! What an area publishes about its engagement with the public.

use super::StoreResult;
use chrono::{DateTime, Utc};

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

#[async_trait::async_trait]
pub trait EngagementStore: Send + Sync {
    async fn add_engagement_item(&self, item: &EngagementItem) -> StoreResult<EngagementItem>;
    /// Every item of the area, withdrawn ones too, newest first.
    async fn engagement_items(&self, area_id: i64) -> StoreResult<Vec<EngagementItem>>;
    /// Withdraws a published or scheduled item; `NotFound` if it is not the area's or is withdrawn.
    async fn withdraw_engagement_item(&self, area_id: i64, id: i64, reason: &str, now: DateTime<Utc>) -> StoreResult<()>;
}
