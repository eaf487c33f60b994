//! The area pages' data: every area, and one with its organisations and practices.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaView {
    pub slug: String,
    pub name: String,
    pub retention_months: i64,
    pub contact: crate::domain::area_contact::AreaContact,
    /// (ODS code, name)
    pub organisations: Vec<(String, String)>,
    pub practices: Vec<(String, String)>,
    pub answers: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreasView {
    /// (slug, name, organisations, practices)
    pub areas: Vec<(String, String, usize, usize)>,
    pub answers: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

/// The draft key of an admin's area form (so a form sent back keeps what was typed).
pub fn form_key(admin: &str, slug: &str) -> String {
    format!("area-admin:{slug}:{admin}")
}

#[cfg(feature = "ssr")]
async fn admin() -> Result<Option<(crate::domain::people::StaffMember, Vec<String>)>, ServerFnError> {
    use crate::domain::people::SignedIn;
    let Some(SignedIn::Staff(me)) = crate::server::signed_in() else {
        crate::server::redirect("/sign-in");
        return Ok(None);
    };
    let areas = me.areas_with(crate::domain::Role::Admin);
    if areas.is_empty() {
        crate::ui::set_status(403);
        return Ok(None);
    }
    Ok(Some((me, areas)))
}

#[cfg(feature = "ssr")]
async fn form(store: &dyn crate::server::Store, me: &str, slug: &str) -> Result<(Vec<(String, String)>, Vec<(String, String)>), ServerFnError> {
    Ok(match store.draft(&form_key(me, slug), me).await.map_err(crate::server::internal)? {
        Some(d) => (serde_json::from_value(d.answers).unwrap_or_default(), d.errors),
        None => (Vec::new(), Vec::new()),
    })
}

#[server(prefix = "/api", endpoint = "admin/areas")]
pub async fn areas_admin(with_form: bool) -> Result<Option<AreasView>, ServerFnError> {
    use crate::server::{internal, services};
    let Some((me, mine)) = admin().await? else { return Ok(None) };
    let store = services()?.store;
    let mut areas = Vec::new();
    // Only the areas this person administers.
    for a in store.list_areas().await.map_err(internal)?.into_iter().filter(|a| mine.contains(&a.slug.to_string())) {
        let orgs = store.organisations(a.id).await.map_err(internal)?.len();
        let practices = store.practices(a.id).await.map_err(internal)?.len();
        areas.push((a.slug.to_string(), a.name, orgs, practices));
    }
    let (answers, errors) = if with_form { form(&*store, &me.subject, "new").await? } else { (Vec::new(), Vec::new()) };
    Ok(Some(AreasView { areas, answers, errors }))
}

#[server(prefix = "/api", endpoint = "admin/area")]
pub async fn area_admin(slug: String, with_form: bool) -> Result<Option<AreaView>, ServerFnError> {
    use crate::server::{internal, services};
    let Some((me, mine)) = admin().await? else { return Ok(None) };
    let store = services()?.store;
    let Ok(parsed) = crate::domain::AreaSlug::parse(&slug) else { return Ok(None) };
    let Some(area) = store.area_by_slug(&parsed).await.map_err(internal)?.filter(|a| mine.contains(&a.slug.to_string())) else {
        crate::ui::set_status(404);
        return Ok(None);
    };
    let organisations = store.organisations(area.id).await.map_err(internal)?.into_iter().map(|o| (o.ods_code.to_string(), o.name)).collect();
    // Each practice as patients see it found: name, address and postcode.
    let practices = store
        .practices(area.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|p| {
            let place = [p.address, p.postcode.map(|c| c.to_string()).unwrap_or_default()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(", ");
            (p.ods_code.to_string(), if place.is_empty() { p.name } else { format!("{}, {place}", p.name) })
        })
        .collect();
    let (answers, errors) = if with_form { form(&*store, &me.subject, &slug).await? } else { (Vec::new(), Vec::new()) };
    Ok(Some(AreaView { slug: area.slug.to_string(), name: area.name, retention_months: area.retention_months, contact: area.contact, organisations, practices, answers, errors }))
}
