//! The engagement pages' data: an area's public engagement page, and the comms editors' desk.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The draft key's prefix for the "add an item" form.
pub const FORM: &str = "engagement";

/// An item as a page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub summary_html: crate::domain::NoticeHtml,
    /// "Tuesday 3 March 2026, 6:30pm to 8pm", or a consultation's "Open from … to …".
    pub when: Option<String>,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub accessibility: Option<String>,
    pub how_to_respond: Option<String>,
    /// For staff: "Published 1 March 2026", "Scheduled for …", "Withdrawn …: reason".
    pub state: String,
    pub withdrawn: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementPage {
    pub area_slug: String,
    pub area_name: String,
    pub upcoming: Vec<ItemView>,
    pub outcomes: Vec<ItemView>,
    pub past: Vec<ItemView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementDesk {
    /// (slug, name, items)
    pub areas: Vec<(String, String, Vec<ItemView>)>,
    pub answers: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "engagement/public")]
pub async fn public_engagement(slug: String) -> Result<Option<EngagementPage>, ServerFnError> {
    super::service::public(&slug).await
}

#[server(prefix = "/api", endpoint = "engagement/staff")]
pub async fn staff_engagement(form: Option<String>) -> Result<Option<EngagementDesk>, ServerFnError> {
    use crate::server::{internal, services};
    let Some(me) = crate::notices::service::staff() else { return Ok(None) };
    let store = services()?.store;
    let areas = crate::notices::service::comms_areas(&*store, &me).await.map_err(internal)?;
    let areas: Vec<_> = areas.into_iter().filter(|(_, editor, _)| *editor).collect();
    if areas.is_empty() {
        crate::ui::set_status(403);
        return Ok(None);
    }
    let now = chrono::Utc::now();
    let mut out = Vec::new();
    for (a, _, _) in areas {
        let items = store.engagement_items(a.id).await.map_err(internal)?.iter().map(|i| super::service::view(i, now)).collect();
        out.push((a.slug.to_string(), a.name, items));
    }
    let (answers, errors) = match form {
        Some(_) => match store.draft(&format!("{}:{}", FORM, me.subject), &me.subject).await.map_err(internal)? {
            Some(d) => (serde_json::from_value(d.answers).unwrap_or_default(), d.errors),
            None => (Vec::new(), Vec::new()),
        },
        None => (Vec::new(), Vec::new()),
    };
    Ok(Some(EngagementDesk { areas: out, answers, errors }))
}
