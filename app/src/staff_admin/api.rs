//! The admin pages' data: the staff directory, bank holidays, and the systems that send
//! access records (a new one's secret shown once).

use crate::domain::people::Grant;
#[cfg(feature = "ssr")]
use crate::domain::Role;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a newly registered source's secret waits to be shown, once (see `ssr::add_source`).
pub fn secret_key(admin: &str) -> String {
    format!("source-secret:{admin}")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffRow {
    pub subject: String,
    pub name: String,
    pub grants: Vec<Grant>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectoryView {
    pub rows: Vec<StaffRow>,
    /// The areas this admin may grant roles in: (slug, name).
    pub areas: Vec<(String, String)>,
}

/// The directory, limited to the areas the signed-in admin administers. Anyone else is sent away.
#[server(prefix = "/api", endpoint = "staff/directory")]
pub async fn staff_directory() -> Result<Option<DirectoryView>, ServerFnError> {
    use crate::domain::people::SignedIn;
    let Some(SignedIn::Staff(me)) = crate::server::signed_in() else {
        crate::server::redirect("/sign-in");
        return Ok(None);
    };
    let my_areas = me.areas_with(Role::Admin);
    if my_areas.is_empty() {
        return Ok(None);
    }
    let store = crate::server::services()?.store;
    let rows = store
        .list_staff()
        .await
        .map_err(crate::server::internal)?
        .into_iter()
        .filter_map(|s| {
            let grants: Vec<Grant> = s.grants.into_iter().filter(|g| my_areas.contains(&g.area_slug)).collect();
            (!grants.is_empty()).then_some(StaffRow { subject: s.subject, name: s.name, grants })
        })
        .collect();
    let areas = store
        .list_areas()
        .await
        .map_err(crate::server::internal)?
        .into_iter()
        .filter(|a| my_areas.contains(&a.slug.to_string()))
        .map(|a| (a.slug.to_string(), a.name))
        .collect();
    Ok(Some(DirectoryView { rows, areas }))
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct HolidayRow {
    pub iso: String,
    pub day: String,
    pub name: String,
}

#[server(prefix = "/api", endpoint = "admin/bank-holidays")]
pub async fn bank_holidays_page() -> Result<Option<Vec<HolidayRow>>, ServerFnError> {
    use crate::domain::people::SignedIn;
    use chrono::Datelike;
    match crate::server::signed_in() {
        Some(SignedIn::Staff(s)) if s.has_role(Role::Admin) => {}
        Some(_) => return Ok(None),
        None => {
            crate::server::redirect("/sign-in");
            return Ok(None);
        }
    }
    let store = crate::server::services()?.store;
    let start = chrono::NaiveDate::from_ymd_opt(chrono::Utc::now().year(), 1, 1).unwrap_or_default();
    let list = store.bank_holiday_list(start).await.map_err(crate::server::internal)?;
    Ok(Some(
        list.into_iter()
            .map(|(d, name)| HolidayRow { iso: d.format("%Y-%m-%d").to_string(), day: d.format("%A %-d %B %Y").to_string(), name })
            .collect(),
    ))
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SourcesView {
    /// (name, client id, active, first event, latest event, area)
    pub sources: Vec<(String, String, bool, String, String, String)>,
    /// The admin's areas, for linking a new system: (slug, name).
    pub areas: Vec<(String, String)>,
    /// A just-registered source: (name, client id, secret), shown this once.
    pub new_secret: Option<(String, String, String)>,
}

#[server(prefix = "/api", endpoint = "admin/sources")]
pub async fn sources_page() -> Result<Option<SourcesView>, ServerFnError> {
    use crate::domain::people::SignedIn;
    let me = match crate::server::signed_in() {
        Some(SignedIn::Staff(s)) if s.has_role(Role::Admin) => s,
        Some(_) => return Ok(None),
        None => {
            crate::server::redirect("/sign-in");
            return Ok(None);
        }
    };
    let store = crate::server::services()?.store;
    let day = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(crate::domain::when::moment).unwrap_or_else(|| "None yet".into());
    let all_areas = store.list_areas().await.map_err(crate::server::internal)?;
    let area_name = |id: Option<i64>| id.and_then(|id| all_areas.iter().find(|a| a.id == id)).map(|a| a.name.clone()).unwrap_or_else(|| "None".into());
    let mine = me.areas_with(Role::Admin);
    let my_ids: Vec<i64> = all_areas.iter().filter(|a| mine.contains(&a.slug.to_string())).map(|a| a.id).collect();
    // Only the systems of the admin's own areas.
    let sources = store
        .sources()
        .await
        .map_err(crate::server::internal)?
        .into_iter()
        .filter(|s| s.area_id.is_some_and(|a| my_ids.contains(&a)))
        .map(|s| (s.name, s.client_id, s.revoked_at.is_none(), day(s.first_event_at), day(s.latest_event_at), area_name(s.area_id)))
        .collect();
    let areas = all_areas.iter().filter(|a| mine.contains(&a.slug.to_string())).map(|a| (a.slug.to_string(), a.name.clone())).collect();
    let new_secret = store
        .take_draft(&secret_key(&me.subject), &me.subject)
        .await
        .map_err(crate::server::internal)?
        .map(|d| {
            let g = |k: &str| d.answers[k].as_str().unwrap_or_default().to_string();
            (g("name"), g("client_id"), g("secret"))
        });
    Ok(Some(SourcesView { sources, areas, new_secret }))
}
