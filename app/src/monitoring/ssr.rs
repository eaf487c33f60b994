//! The IG lead's monitoring forms: review a person's alerts, set the area's rules, keep its
//! watch list. Every change is a staff action; errors go back with what was typed.

use super::api::form_key;
use crate::domain::monitoring::{parse_reason, AlertStatus, MonitoringSettings};
use crate::domain::people::StaffMember;
use crate::domain::{AreaSlug, NhsNumber, Role};
use crate::server::*;
use axum::extract::{FromRef, Path, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::post;
use axum::Router;
use chrono::Utc;

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/monitoring/{area}/people/{person}/review", post(review))
        .route("/monitoring/{area}/settings", post(settings))
        .route("/monitoring/{area}/watch-list/{action}", post(watch_list))
}

const ONLY_IG_LEADS: &str = "Only an information governance lead of the area reviews its monitoring.";

/// The area, when the signed-in person is one of its IG leads; "not found" otherwise.
async fn my_area(store: &dyn Store, staff: &SignedInStaff, slug: &str) -> HandlerResult<Area> {
    let mine = staff.areas_with(Role::IgLead, ONLY_IG_LEADS)?;
    match AreaSlug::parse(slug) {
        Ok(s) if mine.contains(&s.to_string()) => store.area_by_slug(&s).await?.ok_or(HandlerError::NotFound),
        _ => Err(HandlerError::NotFound),
    }
}

fn action(me: &StaffMember, area_id: i64, action: &str, detail: String) -> StaffAction {
    StaffAction { at: Utc::now(), actor_subject: me.subject.clone(), area_id, case_id: None, action: action.into(), detail }
}

/// Sends the form back to `to` with its answers and errors.
async fn again(store: &dyn DraftStore, me: &StaffMember, key: String, f: &Fields, errors: Vec<(String, String)>, to: String) -> HandlerResult {
    let draft = Draft { key, owner_subject: me.subject.clone(), form: "monitoring".into(), answers: serde_json::to_value(f).unwrap_or_default(), errors, updated_at: Utc::now() };
    store.save_draft(&draft).await?;
    Ok(Redirect::to(&to).into_response())
}

/// `POST /monitoring/{area}/people/{person}/review`: the IG lead's decision on the ticked alerts.
async fn review(State(services): State<Services>, staff: SignedInStaff, Path((slug, person)): Path<(String, String)>, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let area = my_area(store, &staff, &slug).await?;
    let me = &staff.0;
    let id: i64 = person.trim().parse().map_err(|_| HandlerError::NotFound)?;
    let key = store.alert(area.id, id).await?.ok_or(HandlerError::NotFound)?.person_key;
    let page = format!("/monitoring/{slug}/people/{person}");
    let form = form_key(&me.subject, &slug, &person);
    let mut errors: Vec<(String, String)> = Vec::new();
    let ids: Vec<i64> = f.all("alert").iter().filter_map(|v| v.trim().parse().ok()).collect();
    if ids.is_empty() {
        errors.push(("alert".into(), "Select the accesses this review covers".into()));
    }
    let decision = AlertStatus::parse(f.one("decision")).filter(|d| AlertStatus::DECISIONS.contains(d) && *d != AlertStatus::Referred);
    if decision.is_none() {
        errors.push(("decision".into(), "Select your decision".into()));
    }
    let reason = parse_reason(f.one("reason"), 2000).map_err(|e| errors.push(("reason".into(), e.into()))).ok();
    let (Some(decision), Some(reason), true) = (decision, reason, errors.is_empty()) else {
        return again(store, me, form, &f, errors, format!("{page}?form=1")).await;
    };
    let detail = format!("{} alert(s) reviewed as {}", ids.len(), decision.as_str());
    let n = store.review_alerts(area.id, &key, &ids, decision, &reason, &action(me, area.id, "alerts reviewed", detail)).await?;
    if n == 0 {
        // Nothing was still waiting: reviewed meanwhile (by another IG lead, or a second click).
        return again(store, me, form, &f, vec![("alert".into(), "These accesses have already been reviewed".into())], format!("{page}?form=1")).await;
    }
    tracing::info!(area = area.id, alerts = n, decision = decision.as_str(), "alerts reviewed");
    store.take_draft(&form, &me.subject).await?;
    Ok(Redirect::to(&format!("{page}?done=reviewed")).into_response())
}

/// `POST /monitoring/{area}/settings`: which rules run, and their limits.
async fn settings(State(services): State<Services>, staff: SignedInStaff, Path(slug): Path<String>, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let area = my_area(store, &staff, &slug).await?;
    let me = &staff.0;
    let page = format!("/monitoring/{slug}/settings");
    let form = form_key(&me.subject, &slug, "settings");
    let parsed = MonitoringSettings::from_form(&f.all("rule"), f.one("start"), f.one("end"), f.one("volume"), f.one("days"), f.one("window"), f.one("target"));
    let settings = match parsed {
        Ok(s) => s,
        Err(errors) => {
            let errors = errors.into_iter().map(|(k, m)| (k.to_string(), m)).collect();
            return again(store, me, form, &f, errors, format!("{page}?form=1")).await;
        }
    };
    let off: Vec<&str> = settings.off.iter().map(|r| r.as_str()).collect();
    let detail = format!(
        "rules off: [{}]; hours {}-{}; volume {}; repeated {} days in {}; target {} days",
        off.join(","),
        settings.working_hours_start.format("%H:%M"),
        settings.working_hours_end.format("%H:%M"),
        settings.volume_threshold,
        settings.repeated_days,
        settings.repeated_window_days,
        settings.review_target_days
    );
    store.set_monitoring_settings(area.id, &settings, &action(me, area.id, "monitoring rules changed", detail)).await?;
    store.take_draft(&form, &me.subject).await?;
    Ok(Redirect::to(&format!("{page}?done=saved")).into_response())
}

/// `POST /monitoring/{area}/watch-list/{add|remove}`.
async fn watch_list(State(services): State<Services>, staff: SignedInStaff, Path((slug, what)): Path<(String, String)>, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let area = my_area(store, &staff, &slug).await?;
    let me = &staff.0;
    let page = format!("/monitoring/{slug}/settings");
    let form = form_key(&me.subject, &slug, "settings");
    match what.as_str() {
        "add" => {
            let mut errors: Vec<(String, String)> = Vec::new();
            let nhs = NhsNumber::parse(f.one("nhs_number")).map_err(|e| errors.push(("nhs_number".into(), e.to_string()))).ok();
            let reason = match crate::domain::names::parse_name(f.one("watch_reason"), 200) {
                Ok(r) => Some(r.to_string()),
                Err(_) => {
                    errors.push(("watch_reason".into(), "Enter why every access to this record is reviewed, in one line of up to 200 characters".into()));
                    None
                }
            };
            let (Some(nhs), Some(reason), true) = (nhs, reason, errors.is_empty()) else {
                return again(store, me, form, &f, errors, format!("{page}?form=1#nhs_number")).await;
            };
            let entry = WatchEntry { nhs_number: nhs, reason, added_by: me.name.clone(), added_at: Utc::now() };
            // The staff action names no patient: the list itself is the record.
            match store.add_to_watch_list(area.id, &entry, &action(me, area.id, "watch list added", "one record".into())).await {
                Ok(()) => {}
                Err(StoreError::Conflict) => {
                    return again(store, me, form, &f, vec![("nhs_number".into(), "That record is already on the watch list".into())], format!("{page}?form=1#nhs_number")).await;
                }
                Err(e) => return Err(e.into()),
            }
            store.take_draft(&form, &me.subject).await?;
            Ok(Redirect::to(&format!("{page}?done=added")).into_response())
        }
        "remove" => {
            let Ok(nhs) = NhsNumber::parse(f.one("nhs_number")) else { return Err(HandlerError::BadRequest("The record to remove was not one on the list.")) };
            store.remove_from_watch_list(area.id, &nhs, &action(me, area.id, "watch list removed", "one record".into())).await?;
            Ok(Redirect::to(&format!("{page}?done=removed")).into_response())
        }
        _ => Err(HandlerError::NotFound),
    }
}
