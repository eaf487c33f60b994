//! Areas: finding yours (from a list or your GP practice's code) and reading its privacy notice.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaSummary {
    pub slug: String,
    pub name: String,
}

/// A GP surgery a search found, with the area it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PracticeFound {
    pub name: String,
    /// Its address and postcode, as on a letter ("12 River Road, Northtown, NS1 4AB").
    pub address: String,
    pub area: AreaSummary,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum AreaLookup {
    /// Nothing asked yet.
    Start,
    /// A practice code, found.
    Found { area: AreaSummary, practice_name: String },
    /// Surgeries matching a name or near a postcode: `heading` says which.
    Matches { heading: String, practices: Vec<PracticeFound>, more: bool },
    /// What was typed cannot be searched; the message says why.
    Invalid(String),
    /// Nothing matched; the message says what to try.
    NotFound(String),
}

/// The most surgeries a search lists.
pub const MOST_MATCHES: usize = 20;

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
    pub contact: crate::domain::area_contact::AreaContact,
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

/// Finds a GP surgery by what a person knows: its name, a postcode (theirs or the surgery's) or,
/// rarely, its code. `None`: nothing asked yet.
/// Each area with how to reach it, for the accessibility statement.
#[server(prefix = "/api", endpoint = "areas/contacts")]
pub async fn area_contacts() -> Result<Vec<(String, crate::domain::area_contact::AreaContact)>, ServerFnError> {
    let store = crate::server::services()?.store;
    let areas = store.list_areas().await.map_err(crate::server::internal)?;
    Ok(areas.into_iter().map(|a| (a.name, a.contact)).collect())
}

#[server(prefix = "/api", endpoint = "areas/find")]
pub async fn find_area(practice: Option<String>) -> Result<AreaLookup, ServerFnError> {
    use crate::domain::practice::{read_practice_search, PracticeSearch};
    use crate::server::{internal, PracticeMatch};
    let Some(practice) = practice else { return Ok(AreaLookup::Start) };
    let search = match read_practice_search(&practice) {
        Ok(s) => s,
        Err(e) => return Ok(AreaLookup::Invalid(e.to_string())),
    };
    let store = crate::server::services()?.store;
    let areas = store.list_areas().await.map_err(internal)?;
    let area_of = |id: i64| areas.iter().find(|a| a.id == id).map(|a| AreaSummary { slug: a.slug.to_string(), name: a.name.clone() });
    let (heading, mut found) = match &search {
        PracticeSearch::Code(code) => {
            let found = store.practice(code).await.map_err(internal)?.and_then(|p| area_of(p.area_id).map(|area| AreaLookup::Found { area, practice_name: p.name }));
            return Ok(found.unwrap_or_else(|| {
                AreaLookup::NotFound("We could not find a GP surgery with that code in any area using this service. Try your surgery\u{2019}s name, or choose your area from the list.".into())
            }));
        }
        PracticeSearch::Postcode(postcode) => {
            let mut near = store.search_practices(PracticeMatch::District(postcode.district()), MOST_MATCHES + 1).await.map_err(internal)?;
            // The surgery at that very postcode first.
            near.sort_by_key(|p| p.postcode.as_ref() != Some(postcode));
            if near.is_empty() {
                let wider = store.search_practices(PracticeMatch::PostcodeArea(postcode.area()), MOST_MATCHES + 1).await.map_err(internal)?;
                (format!("GP surgeries with {} postcodes", postcode.area()), wider)
            } else {
                (format!("GP surgeries in {}", postcode.district()), near)
            }
        }
        PracticeSearch::District(district) => (format!("GP surgeries in {district}"), store.search_practices(PracticeMatch::District(district), MOST_MATCHES + 1).await.map_err(internal)?),
        PracticeSearch::Words(words) => (
            format!("GP surgeries matching \u{2018}{}\u{2019}", words.join(" ")),
            store.search_practices(PracticeMatch::Words(words), MOST_MATCHES + 1).await.map_err(internal)?,
        ),
    };
    if found.is_empty() {
        let message = match search {
            PracticeSearch::Words(_) => "We could not find a GP surgery with that name in any area using this service. Check the spelling, try its postcode, or choose your area from the list.",
            _ => "We could not find a GP surgery near that postcode in any area using this service. Try your surgery\u{2019}s name, or choose your area from the list.",
        };
        return Ok(AreaLookup::NotFound(message.into()));
    }
    let more = found.len() > MOST_MATCHES;
    found.truncate(MOST_MATCHES);
    let practices = found
        .into_iter()
        .filter_map(|p| {
            let address = [p.address, p.postcode.map(|c| c.to_string()).unwrap_or_default()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
            area_of(p.area_id).map(|area| PracticeFound { name: p.name, address, area })
        })
        .collect();
    Ok(AreaLookup::Matches { heading, practices, more })
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
        contact: area.contact,
    }))
}
