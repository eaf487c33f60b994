//! Loading what the engagement pages show.

use super::api::*;
use crate::domain::{render_notice, uk_time};
use crate::server::{internal, services, EngagementItem};
use leptos::prelude::*;
use chrono::{DateTime, Utc};

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "event" => "Event",
        "consultation" => "Consultation",
        _ => "You said, we did",
    }
}

fn at(t: DateTime<Utc>) -> String {
    let l = uk_time(t);
    let time = if l.format("%M").to_string() == "00" { l.format("%-I%P").to_string() } else { l.format("%-I:%M%P").to_string() };
    format!("{}, {time}", l.format("%A %-d %B %Y"))
}

fn when(i: &EngagementItem) -> Option<String> {
    match (i.kind.as_str(), i.starts_at, i.ends_at) {
        ("event", Some(s), Some(e)) if uk_time(s).date() == uk_time(e).date() => {
            let end = uk_time(e);
            let end = if end.format("%M").to_string() == "00" { end.format("%-I%P").to_string() } else { end.format("%-I:%M%P").to_string() };
            Some(format!("{} to {end}", at(s)))
        }
        ("event", Some(s), Some(e)) => Some(format!("{} to {}", at(s), at(e))),
        ("event", Some(s), None) => Some(at(s)),
        ("consultation", Some(s), Some(e)) => Some(format!("Open from {} to {}", crate::domain::when::day(s), crate::domain::when::day(e))),
        ("consultation", None, Some(e)) => Some(format!("Closes {}", crate::domain::when::day(e))),
        _ => None,
    }
}

pub fn view(i: &EngagementItem, now: DateTime<Utc>) -> ItemView {
    let state = match (&i.withdrawn_at, &i.withdrawn_reason) {
        (Some(w), reason) => format!("Withdrawn {}{}", crate::domain::when::day(*w), reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default()),
        (None, _) if i.publish_at > now => format!("Scheduled for {}", crate::domain::when::moment(i.publish_at)),
        (None, _) => format!("Published {}", crate::domain::when::day(i.publish_at)),
    };
    ItemView {
        id: i.id,
        kind: i.kind.clone(),
        kind_label: kind_label(&i.kind).into(),
        title: i.title.clone(),
        summary_html: render_notice(&i.summary),
        when: when(i),
        place: i.place.clone(),
        online_url: i.online_url.clone(),
        accessibility: i.accessibility.clone(),
        how_to_respond: i.how_to_respond.clone(),
        state,
        withdrawn: i.withdrawn_at.is_some(),
    }
}

pub async fn public(slug: &str) -> Result<Option<EngagementPage>, ServerFnError> {
    let Ok(slug) = crate::domain::AreaSlug::parse(slug) else { return Ok(None) };
    let store = services()?.store;
    let Some(area) = store.area_by_slug(&slug).await.map_err(internal)? else { return Ok(None) };
    let now = Utc::now();
    let items: Vec<EngagementItem> =
        store.engagement_items(area.id).await.map_err(internal)?.into_iter().filter(|i| i.withdrawn_at.is_none() && i.publish_at <= now).collect();
    let is_open = |i: &EngagementItem| i.ends_at.or(i.starts_at).is_some_and(|t| t >= now);
    let mut upcoming: Vec<&EngagementItem> = items.iter().filter(|i| i.kind != "outcome" && is_open(i)).collect();
    upcoming.sort_by_key(|i| i.starts_at.or(i.ends_at));
    Ok(Some(EngagementPage {
        area_slug: area.slug.to_string(),
        area_name: area.name,
        upcoming: upcoming.into_iter().map(|i| view(i, now)).collect(),
        outcomes: items.iter().filter(|i| i.kind == "outcome").map(|i| view(i, now)).collect(),
        past: items.iter().filter(|i| i.kind != "outcome" && !is_open(i)).map(|i| view(i, now)).collect(),
    }))
}
