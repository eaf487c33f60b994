//! The staff directory as the admin page shows it.

use crate::people::Grant;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

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
    use crate::domain::Role;
    use crate::people::SignedIn;
    let Some(SignedIn::Staff(me)) = crate::ssr::signed_in() else {
        crate::ssr::redirect("/sign-in");
        return Ok(None);
    };
    let my_areas = me.areas_with(Role::Admin);
    if my_areas.is_empty() {
        return Ok(None);
    }
    let store = crate::ssr::services()?.store;
    let rows = store
        .list_staff()
        .await
        .map_err(crate::ssr::internal)?
        .into_iter()
        .filter_map(|s| {
            let grants: Vec<Grant> = s.grants.into_iter().filter(|g| my_areas.contains(&g.area_slug)).collect();
            (!grants.is_empty()).then(|| StaffRow { subject: s.subject, name: s.name, grants })
        })
        .collect();
    let areas = store
        .list_areas()
        .await
        .map_err(crate::ssr::internal)?
        .into_iter()
        .filter(|a| my_areas.contains(&a.slug.to_string()))
        .map(|a| (a.slug.to_string(), a.name))
        .collect();
    Ok(Some(DirectoryView { rows, areas }))
}
