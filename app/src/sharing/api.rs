//! What each member organisation shares and who can see it: the comms team's list and one
//! organisation's form, and the rows patients read on Your choices.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One member organisation's line, in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharingRow {
    pub ods: String,
    pub name: String,
    /// Empty when the comms team has not said yet.
    pub kinds: Vec<String>,
    pub seen_by: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SharingArea {
    pub slug: String,
    pub name: String,
    pub rows: Vec<SharingRow>,
}

/// One organisation's form.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SharingEntry {
    pub slug: String,
    pub area_name: String,
    pub ods: String,
    pub org_name: String,
    /// The ticked words (as stored), from the saved entry or the answers sent back.
    pub kinds: Vec<String>,
    pub seen_by: Vec<String>,
    pub exists: bool,
    pub errors: Vec<(String, String)>,
}

/// The draft key of one comms person's form for one organisation.
pub fn form_key(subject: &str, slug: &str, ods: &str) -> String {
    format!("sharing:{slug}:{ods}:{subject}")
}

/// Every member organisation of the area, with its entry in words when there is one.
#[cfg(feature = "ssr")]
pub async fn rows(store: &dyn crate::server::Store, area_id: i64) -> Result<Vec<SharingRow>, crate::server::StoreError> {
    let entries = store.area_sharing(area_id).await?;
    Ok(store
        .organisations(area_id)
        .await?
        .into_iter()
        .map(|o| {
            let entry = entries.iter().find(|(code, _)| *code == o.ods_code).map(|(_, s)| s);
            SharingRow {
                ods: o.ods_code.to_string(),
                name: o.name,
                kinds: entry.map(|s| s.kinds_in_words()).unwrap_or_default(),
                seen_by: entry.map(|s| s.seen_by_in_words()).unwrap_or_default(),
            }
        })
        .collect())
}

/// The areas where this person writes for the public (comms editor or approver).
#[cfg(feature = "ssr")]
pub fn comms_areas(me: &crate::domain::people::StaffMember) -> Vec<String> {
    use crate::domain::Role;
    let mut areas = me.areas_with(Role::CommsEditor);
    areas.extend(me.areas_with(Role::CommsApprover));
    areas.sort();
    areas.dedup();
    areas
}

#[cfg(feature = "ssr")]
fn comms() -> Result<Option<(crate::domain::people::StaffMember, Vec<String>)>, ServerFnError> {
    use crate::domain::people::SignedIn;
    let Some(SignedIn::Staff(me)) = crate::server::signed_in() else {
        crate::server::redirect("/sign-in");
        return Ok(None);
    };
    let areas = comms_areas(&me);
    if areas.is_empty() {
        crate::ui::set_status(403);
        return Ok(None);
    }
    Ok(Some((me, areas)))
}

#[server(prefix = "/api", endpoint = "sharing/list")]
pub async fn sharing_list() -> Result<Option<Vec<SharingArea>>, ServerFnError> {
    use crate::server::{internal, services};
    let Some((_, mine)) = comms()? else { return Ok(None) };
    let store = services()?.store;
    let mut out = Vec::new();
    for area in store.list_areas().await.map_err(internal)?.into_iter().filter(|a| mine.contains(&a.slug.to_string())) {
        let rows = rows(&*store, area.id).await.map_err(internal)?;
        out.push(SharingArea { slug: area.slug.to_string(), name: area.name, rows });
    }
    Ok(Some(out))
}

#[server(prefix = "/api", endpoint = "sharing/one")]
pub async fn sharing_form(slug: String, ods: String) -> Result<Option<SharingEntry>, ServerFnError> {
    use crate::server::{internal, services};
    let Some((me, mine)) = comms()? else { return Ok(None) };
    let store = services()?.store;
    let area = match crate::domain::AreaSlug::parse(&slug) {
        Ok(s) if mine.contains(&s.to_string()) => store.area_by_slug(&s).await.map_err(internal)?,
        _ => None,
    };
    let Some(area) = area else {
        crate::ui::set_status(404);
        return Ok(None);
    };
    let Some(org) = store.organisations(area.id).await.map_err(internal)?.into_iter().find(|o| o.ods_code.as_str() == ods) else {
        crate::ui::set_status(404);
        return Ok(None);
    };
    let saved = store.area_sharing(area.id).await.map_err(internal)?.into_iter().find(|(code, _)| *code == org.ods_code).map(|(_, s)| s);
    let draft = store.draft(&form_key(&me.subject, &slug, &ods), &me.subject).await.map_err(internal)?;
    let (kinds, seen_by, errors) = match (draft, &saved) {
        (Some(d), _) => {
            let fields: Vec<(String, String)> = serde_json::from_value(d.answers).unwrap_or_default();
            let all = |k: &str| fields.iter().filter(|(f, _)| f == k).map(|(_, v)| v.clone()).collect::<Vec<_>>();
            (all("kinds"), all("seen_by"), d.errors)
        }
        (None, Some(s)) => (s.kinds.iter().map(|k| k.as_str().to_string()).collect(), s.seen_by.iter().map(|k| k.as_str().to_string()).collect(), Vec::new()),
        (None, None) => (Vec::new(), Vec::new(), Vec::new()),
    };
    Ok(Some(SharingEntry { slug, area_name: area.name, ods: org.ods_code.to_string(), org_name: org.name, kinds, seen_by, exists: saved.is_some(), errors }))
}
