//! Areas: finding yours (from a list or your GP practice's code) and reading its privacy notice.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaSummary {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AreaLookup {
    Found { area: AreaSummary, practice_name: String },
    /// The code was not well formed; the message says why.
    Invalid(String),
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoticeView {
    pub title: String,
    /// Sanitised HTML, rendered from Markdown on the server.
    pub html: crate::domain::NoticeHtml,
    pub version: i64,
    pub published_on: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaPageData {
    pub area: AreaSummary,
    pub notice: Option<NoticeView>,
    pub organisations: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "areas/list")]
pub async fn list_areas() -> Result<Vec<AreaSummary>, ServerFnError> {
    let store = crate::server::services()?.store;
    let areas = store.list_areas().await.map_err(crate::server::internal)?;
    Ok(areas
        .into_iter()
        .map(|a| AreaSummary { slug: a.slug.to_string(), name: a.name })
        .collect())
}

#[server(prefix = "/api", endpoint = "areas/find")]
pub async fn find_area(practice: String) -> Result<AreaLookup, ServerFnError> {
    use crate::domain::OdsCode;
    let code = match OdsCode::parse(&practice) {
        Ok(c) => c,
        Err(e) => return Ok(AreaLookup::Invalid(e.to_string())),
    };
    let store = crate::server::services()?.store;
    let Some(practice) = store.practice(&code).await.map_err(crate::server::internal)? else {
        return Ok(AreaLookup::NotFound);
    };
    let areas = store.list_areas().await.map_err(crate::server::internal)?;
    Ok(areas
        .into_iter()
        .find(|a| a.id == practice.area_id)
        .map(|a| AreaLookup::Found {
            area: AreaSummary { slug: a.slug.to_string(), name: a.name },
            practice_name: practice.name,
        })
        .unwrap_or(AreaLookup::NotFound))
}

#[server(prefix = "/api", endpoint = "areas/page")]
pub async fn area_page(slug: String) -> Result<Option<AreaPageData>, ServerFnError> {
    use crate::domain::AreaSlug;
    let Ok(slug) = AreaSlug::parse(&slug) else { return Ok(None) };
    let store = crate::server::services()?.store;
    let Some(area) = store.area_by_slug(&slug).await.map_err(crate::server::internal)? else {
        return Ok(None);
    };
    let notice = store
        .current_notice(area.id, crate::domain::NoticeVariant::Main, chrono::Utc::now())
        .await
        .map_err(crate::server::internal)?
        .map(|n| NoticeView {
            html: crate::domain::render_notice(&n.body_markdown),
            title: n.title,
            version: n.version,
            published_on: n.published_at.format("%-d %B %Y").to_string(),
        });
    let organisations = store
        .organisations(area.id)
        .await
        .map_err(crate::server::internal)?
        .into_iter()
        .map(|o| (o.name, o.ods_code.to_string()))
        .collect();
    Ok(Some(AreaPageData {
        area: AreaSummary { slug: area.slug.to_string(), name: area.name },
        notice,
        organisations,
    }))
}
