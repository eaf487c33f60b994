//! The evidence report's data (for comms teams) and the area's public figures.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceVersion {
    pub format: String,
    pub version: i64,
    pub title: String,
    pub author: String,
    pub submitted: String,
    pub approver: String,
    pub approved: String,
    pub from: String,
    pub until: String,
    pub views: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem {
    pub kind: String,
    pub title: String,
    pub when: String,
    pub added_by: String,
    pub published: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub areas: Vec<(String, String)>,
    pub area_slug: String,
    pub area_name: String,
    /// The range as given (ISO dates) and as read.
    pub from: String,
    pub to: String,
    pub range: String,
    pub versions: Vec<EvidenceVersion>,
    pub items: Vec<EvidenceItem>,
    /// (day, format, version, views)
    pub views: Vec<(String, String, i64, i64)>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub area_slug: String,
    pub area_name: String,
    /// (quarter, objections received, upheld, declined, requests answered, answered in time)
    pub quarters: Vec<(String, String, String, String, String, String)>,
    /// Complaints per quarter: quarter, received, acknowledged within 30 days, answered,
    /// answered by the date given, upheld (in whole or part); small numbers suppressed.
    pub complaints: Vec<Vec<String>>,
    /// Privacy monitoring per quarter: (quarter, alerts raised, reviewed within the area's
    /// target, confirmed inappropriate, referred), small numbers suppressed.
    pub monitoring: Vec<(String, String, String, String, String)>,
    pub review_target_days: u32,
    /// The audit chain's digest at the end of each recent day: (day in words, entries, digest).
    pub digests: Vec<(String, i64, String)>,
    /// The same for the portal's own chain (events from no area's system, and retention
    /// across the portal).
    pub portal_digests: Vec<(String, i64, String)>,
}

#[server(prefix = "/api", endpoint = "evidence/report")]
pub async fn evidence_report(area: Option<String>, from: String, to: String) -> Result<Option<Evidence>, ServerFnError> {
    super::service::evidence(area, from, to).await
}

#[server(prefix = "/api", endpoint = "evidence/figures")]
pub async fn transparency_figures(slug: String) -> Result<Option<Figures>, ServerFnError> {
    super::service::figures(&slug).await
}
