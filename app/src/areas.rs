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
    pub html: String,
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
    let store = crate::ssr::services()?.store;
    let areas = store.list_areas().await.map_err(crate::ssr::internal)?;
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
    let store = crate::ssr::services()?.store;
    let Some(practice) = store.practice(&code).await.map_err(crate::ssr::internal)? else {
        return Ok(AreaLookup::NotFound);
    };
    let areas = store.list_areas().await.map_err(crate::ssr::internal)?;
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
    let store = crate::ssr::services()?.store;
    let Some(area) = store.area_by_slug(&slug).await.map_err(crate::ssr::internal)? else {
        return Ok(None);
    };
    let notice = store
        .current_notice(area.id, "main", chrono::Utc::now())
        .await
        .map_err(crate::ssr::internal)?
        .map(|n| NoticeView {
            html: crate::domain::render_notice(&n.body_markdown),
            title: n.title,
            version: n.version,
            published_on: n.published_at.format("%-d %B %Y").to_string(),
        });
    let organisations = store
        .organisations(area.id)
        .await
        .map_err(crate::ssr::internal)?
        .into_iter()
        .map(|o| (o.name, o.ods_code.to_string()))
        .collect();
    Ok(Some(AreaPageData {
        area: AreaSummary { slug: area.slug.to_string(), name: area.name },
        notice,
        organisations,
    }))
}

/// What a page may show of the session's holder; the area's name is looked up fresh.
#[cfg(feature = "ssr")]
pub async fn viewer_for(
    store: &dyn crate::ssr::Store,
    holder: crate::people::SignedIn,
) -> Result<crate::people::Viewer, ServerFnError> {
    use crate::domain::AreaSlug;
    use crate::people::{SignedIn, Viewer};
    Ok(match holder {
        SignedIn::Patient(p) => {
            let area = match p.area_slug.as_deref().map(AreaSlug::parse) {
                Some(Ok(slug)) => store.area_by_slug(&slug).await.map_err(crate::ssr::internal)?,
                _ => None,
            };
            Viewer::Patient {
                name: format!("{} {}", p.given_name, p.family_name),
                masked_nhs_number: p.nhs_number.masked(),
                proofing: p.proofing,
                area_slug: area.as_ref().map(|a| a.slug.to_string()),
                area_name: area.map(|a| a.name),
                gp_practice: p.gp_practice.map(|c| c.to_string()),
            }
        }
        SignedIn::Staff(s) => Viewer::Staff { name: s.name, grants: s.grants },
    })
}
