//! The notice pages' data: the public notice and its versions; the comms team's home, drafts
//! and comparisons.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The largest notice an editor can write (characters of Markdown).
pub const MAX_NOTICE_CHARS: usize = 60_000;

/// One notice of an area on the comms home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeLine {
    pub variant: String,
    pub label: String,
    /// The version in force and the day it was published.
    pub current: Option<(i64, String)>,
    /// The change on its way: draft id, where it stands, who started it.
    pub draft: Option<(i64, String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublishingArea {
    pub slug: String,
    pub name: String,
    pub can_edit: bool,
    pub notices: Vec<NoticeLine>,
    /// Formats not yet started: (variant, label).
    pub other_formats: Vec<(String, String)>,
}

/// A draft as the person looking at it may see and act on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftView {
    pub id: i64,
    pub area_slug: String,
    pub area_name: String,
    pub variant: String,
    pub format_label: String,
    pub title: String,
    pub body: String,
    /// The body as it will be published (the same renderer as the public page).
    pub preview_html: crate::domain::NoticeHtml,
    pub status: String,
    pub status_label: String,
    pub author_name: String,
    pub can_edit: bool,
    pub can_review: bool,
    /// When an approved change will be published.
    pub publish_at: Option<String>,
    /// The review trail: (when, who, what, comment).
    pub reviews: Vec<(String, String, String, Option<String>)>,
    /// Word-level changes from the version in force: ("same" | "added" | "removed", text).
    pub changes: Vec<(String, String)>,
    pub current_version: Option<i64>,
    /// A review form sent back with errors: its answers and what was wrong.
    pub review_answers: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

/// The public page of one notice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticePage {
    pub area_slug: String,
    pub area_name: String,
    pub variant: String,
    pub format_label: String,
    pub lang: Option<String>,
    pub dir: String,
    pub title: String,
    pub html: crate::domain::NoticeHtml,
    pub version: i64,
    pub effective_from: String,
    pub last_updated: String,
    /// Whether this is an older version, and until when it was in force.
    pub superseded_on: Option<String>,
    /// The notice's other formats in force: (variant, label, lang).
    pub formats: Vec<(String, String, Option<String>)>,
    pub organisations: Vec<(String, String)>,
    pub contact: crate::domain::area_contact::AreaContact,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionsView {
    pub area_slug: String,
    pub area_name: String,
    pub variant: String,
    pub format_label: String,
    /// (version, title, in force from, until)
    pub versions: Vec<(i64, String, String, Option<String>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareView {
    pub area_slug: String,
    pub area_name: String,
    pub variant: String,
    pub format_label: String,
    pub versions: Vec<i64>,
    pub from: i64,
    pub to: i64,
    pub changes: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "notices/home")]
pub async fn publishing_home() -> Result<Option<Vec<PublishingArea>>, ServerFnError> {
    let Some(me) = super::service::staff() else { return Ok(None) };
    let areas = super::service::home(&me).await?;
    if areas.is_empty() {
        crate::ui::set_status(403);
        return Ok(None);
    }
    Ok(Some(areas))
}

#[server(prefix = "/api", endpoint = "notices/draft")]
pub async fn notice_draft(id: i64) -> Result<Option<DraftView>, ServerFnError> {
    let Some(me) = super::service::staff() else { return Ok(None) };
    let view = super::service::draft_view(&me, id).await?;
    if view.is_none() {
        crate::ui::set_status(404);
    }
    Ok(view)
}

#[server(prefix = "/api", endpoint = "notices/public")]
pub async fn public_notice(slug: String, variant: String, version: Option<i64>) -> Result<Option<NoticePage>, ServerFnError> {
    super::service::public(&slug, &variant, version).await
}

#[server(prefix = "/api", endpoint = "notices/versions")]
pub async fn notice_versions(slug: String, variant: String) -> Result<Option<VersionsView>, ServerFnError> {
    super::service::versions(&slug, &variant).await
}

#[server(prefix = "/api", endpoint = "notices/compare")]
pub async fn compare_versions(slug: String, variant: String, from: Option<i64>, to: Option<i64>) -> Result<Option<CompareView>, ServerFnError> {
    let Some(me) = super::service::staff() else { return Ok(None) };
    let page = super::service::compare(&me, &slug, &variant, from, to).await?;
    if page.is_none() {
        crate::ui::set_status(404);
    }
    Ok(page)
}
