//! Privacy monitoring's services: who may see an area's monitoring (its IG leads), and the rules'
//! run over arriving events, which every instance's job calls.

use crate::domain::people::{SignedIn, StaffMember};
use crate::domain::{AreaSlug, Role};
use crate::server::{internal, Area, MonitoringRun, Store, StoreResult};
use leptos::prelude::ServerFnError;

/// The signed-in IG lead and their areas (slug, name); `None` (after a redirect or a 403) for
/// anyone else. Monitoring is for IG leads only: case workers, comms staff and administrators
/// do not see who is being looked into.
pub async fn ig_lead_areas() -> Result<Option<(StaffMember, Vec<(String, String)>)>, ServerFnError> {
    let Some(SignedIn::Staff(me)) = crate::server::signed_in() else {
        crate::server::redirect("/sign-in");
        return Ok(None);
    };
    let slugs = me.areas_with(Role::IgLead);
    if slugs.is_empty() {
        crate::ui::set_status(403);
        return Ok(None);
    }
    let store = crate::server::services()?.store;
    let areas = store
        .list_areas()
        .await
        .map_err(internal)?
        .into_iter()
        .filter(|a| slugs.contains(&a.slug.to_string()))
        .map(|a| (a.slug.to_string(), a.name))
        .collect::<Vec<_>>();
    if areas.is_empty() {
        crate::ui::set_status(403);
        return Ok(None);
    }
    Ok(Some((me, areas)))
}

/// One of the IG lead's areas by its slug; `None` (404) for any other.
pub async fn ig_lead_area(store: &dyn Store, mine: &[(String, String)], slug: &str) -> Result<Option<Area>, ServerFnError> {
    let area = match AreaSlug::parse(slug) {
        Ok(s) if mine.iter().any(|(m, _)| *m == s.to_string()) => store.area_by_slug(&s).await.map_err(internal)?,
        _ => None,
    };
    if area.is_none() {
        crate::ui::set_status(404);
    }
    Ok(area)
}

/// A form sent back with its answers and errors.
pub async fn saved_form(store: &dyn Store, subject: &str, key: &str) -> Result<(Vec<(String, String)>, Vec<(String, String)>), ServerFnError> {
    Ok(match store.draft(key, subject).await.map_err(internal)? {
        Some(d) => (serde_json::from_value(d.answers).unwrap_or_default(), d.errors),
        None => (Vec::new(), Vec::new()),
    })
}

/// Events per run of the rules: one transaction each, short enough not to hold others up (on
/// SQLite, runs of 2,000 during a large catch-up held the write lock past the 5 s busy timeout).
const RUN_EVENTS: i64 = 250;

/// How long an event waits before the rules check it: as for sealing, an event with a lower id
/// may still be committing until then (see `server::audit::seal`).
const SETTLE_SECONDS: i64 = 60;

/// The pause between runs: longer than SQLite's busy handler sleeps between its tries (100 ms),
/// so that a waiting writer gets its turn rather than being starved by a catch-up.
const PAUSE: std::time::Duration = std::time::Duration::from_millis(150);

/// Runs the rules over every event that has arrived and settled; safe in every instance.
pub async fn check_arrivals(store: &dyn Store, now: chrono::DateTime<chrono::Utc>) -> StoreResult<MonitoringRun> {
    let holidays = store.bank_holidays().await?;
    let settled = now - chrono::Duration::seconds(SETTLE_SECONDS);
    let mut total = MonitoringRun::default();
    // A bound on rounds, so one call never runs for ever behind a flood of events.
    for _ in 0..500 {
        let run = store.run_monitoring(settled, RUN_EVENTS, &holidays, now).await?;
        total.events_checked += run.events_checked;
        total.alerts_raised += run.alerts_raised;
        total.patients_told += run.patients_told;
        if run.events_checked == 0 {
            break;
        }
        // Between runs, a pause: on SQLite one writer holds the database at a time, and a
        // patient sending a form must not wait behind a long catch-up.
        tokio::time::sleep(PAUSE).await;
    }
    Ok(total)
}

/// The area's monitoring figures per quarter, newest first.
pub async fn figures(store: &dyn Store, area_id: i64, target_days: u32, today: chrono::NaiveDate) -> StoreResult<Vec<(crate::domain::figures::Quarter, crate::domain::figures::MonitoringFigures)>> {
    use crate::domain::figures::{monitoring_quarterly, CountedAlert};
    use crate::domain::monitoring::AlertStatus;
    let alerts: Vec<CountedAlert> = store
        .alert_figures(area_id)
        .await?
        .into_iter()
        .map(|a| CountedAlert { raised_at: a.raised_at, reviewed_at: a.reviewed_at, inappropriate: a.status == AlertStatus::Inappropriate, referred: a.referred })
        .collect();
    Ok(monitoring_quarterly(&alerts, target_days, today))
}
