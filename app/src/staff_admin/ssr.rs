//! An administrator's forms: roles in the staff directory, bank holidays, and the systems that
//! send access records. Plain form posts; each checks, here, that the signed-in person
//! administers the area the change is for.

use crate::domain::people::StaffMember;
use crate::domain::names::parse_name;
use crate::domain::{AreaSlug, Role};
use crate::server::credentials::{hash_secret, random_token};
use crate::server::security::{self, SecurityEvent};
use crate::server::*;
use axum::extract::{FromRef, State};
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
        .route("/admin/staff/add", post(add_grant))
        .route("/admin/staff/remove", post(remove_grant))
        .route("/admin/bank-holidays/add", post(add_holiday))
        .route("/admin/bank-holidays/remove", post(remove_holiday))
        .route("/admin/sources/add", post(add_source))
        .route("/admin/sources/revoke", post(revoke_source))
}

const ONLY_ADMINS: &str = "Only an administrator of that area can change its staff.";
const NOT_YOURSELF: &str = "Nobody can give or take away their own roles. Ask another administrator of the area.";

/// Records an administrator's change in the append-only staff actions, once for each area it
/// applies to: who did it (the actor), what, to whom or what (the detail), and when.
async fn record(store: &dyn StaffStore, actor: &StaffMember, area_ids: &[i64], action: &str, detail: String) -> StoreResult<()> {
    let at = Utc::now();
    for area_id in area_ids {
        store
            .record_staff_action(&StaffAction { at, actor_subject: actor.subject.clone(), area_id: *area_id, case_id: None, action: action.into(), detail: detail.clone() })
            .await?;
    }
    Ok(())
}

/// The ids of the areas this administrator administers.
async fn admin_area_ids(store: &dyn AreaStore, slugs: &[String]) -> StoreResult<Vec<i64>> {
    Ok(store.list_areas().await?.into_iter().filter(|a| slugs.contains(&a.slug.to_string())).map(|a| a.id).collect())
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `POST /admin/bank-holidays/add`: any administrator; bank holidays are the same for every area.
async fn add_holiday(State(services): State<Services>, staff: SignedInStaff, f: Fields) -> HandlerResult {
    let mine = staff.areas_with(Role::Admin, ONLY_ADMINS)?;
    let (day, month, year, name) = (f.one("date-day"), f.one("date-month"), f.one("date-year"), f.one("name"));
    let date = match (day.trim().parse::<u32>(), month.trim().parse::<u32>(), year.trim().parse::<i32>()) {
        (Ok(d), Ok(m), Ok(y)) if (2000..=2100).contains(&y) => chrono::NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    };
    let trimmed = name.trim();
    let mut errors = Vec::new();
    if date.is_none() {
        errors.push("date");
    }
    if trimmed.is_empty() || trimmed.len() > 100 {
        errors.push("name");
    }
    let (Some(date), true) = (date, errors.is_empty()) else {
        let q: Vec<String> = errors.iter().map(|e| format!("error={e}")).collect();
        return Ok(Redirect::to(&format!(
            "/admin/bank-holidays?{}&day={}&month={}&year={}&name={}",
            q.join("&"),
            encode(day),
            encode(month),
            encode(year),
            encode(name)
        ))
        .into_response());
    };
    match services.store.add_bank_holiday(date, trimmed).await {
        Ok(()) => {
            let store = &*services.store;
            record(store, &staff.0, &admin_area_ids(store, &mine).await?, "bank holiday added", date.to_string()).await?;
            tracing::info!(%date, "bank holiday added");
            Ok(Redirect::to("/admin/bank-holidays?done=added").into_response())
        }
        Err(StoreError::Conflict) => Ok(Redirect::to("/admin/bank-holidays?error=exists").into_response()),
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/bank-holidays/remove`.
async fn remove_holiday(State(services): State<Services>, staff: SignedInStaff, f: Fields) -> HandlerResult {
    let mine = staff.areas_with(Role::Admin, ONLY_ADMINS)?;
    let Ok(date) = chrono::NaiveDate::parse_from_str(f.one("date"), "%Y-%m-%d") else {
        return Ok(Redirect::to("/admin/bank-holidays").into_response());
    };
    if let Some(asking) = crate::server::ask_first(&f, "/admin/bank-holidays/remove", || crate::server::Ask {
        question: format!("Remove {} from the bank holidays?", date.format("%A %-d %B %Y")),
        detail: "Deadlines that are still running will count it as a working day.".into(),
        yes: "Yes, remove it",
        back: "/admin/bank-holidays".into(),
    }) {
        return Ok(asking);
    }
    let store = &*services.store;
    if store.remove_bank_holiday(date).await? > 0 {
        record(store, &staff.0, &admin_area_ids(store, &mine).await?, "bank holiday removed", date.to_string()).await?;
    }
    tracing::info!(%date, "bank holiday removed");
    Ok(Redirect::to("/admin/bank-holidays?done=removed").into_response())
}

/// `POST /admin/staff/add`: a role in one of the admin's areas.
async fn add_grant(State(services): State<Services>, staff: SignedInStaff, f: Fields) -> HandlerResult {
    let areas = staff.areas_with(Role::Admin, ONLY_ADMINS)?;
    let mut errors = Vec::new();
    let subject = f.one("subject").trim();
    let name = f.one("name").trim();
    if subject.is_empty() || subject.len() > 200 {
        errors.push("subject");
    }
    if parse_name(name, 200).is_err() {
        errors.push("name");
    }
    let role = Role::parse(f.one("role")).ok();
    if role.is_none() {
        errors.push("role");
    }
    let area = AreaSlug::parse(f.one("area")).ok().filter(|a| areas.contains(&a.to_string()));
    if area.is_none() {
        errors.push("area");
    }
    let (Some(role), Some(area), true) = (role, area, errors.is_empty()) else {
        let q: Vec<String> = errors.iter().map(|e| format!("error={e}")).collect();
        return Ok(Redirect::to(&format!("/admin/staff?{}", q.join("&"))).into_response());
    };
    if subject == staff.0.subject {
        return Err(HandlerError::Forbidden(NOT_YOURSELF));
    }
    let store = &*services.store;
    store.add_staff_grant(subject, name, role, &area).await?;
    let area_id = store.area_by_slug(&area).await?.map(|a| a.id).into_iter().collect::<Vec<_>>();
    record(store, &staff.0, &area_id, "role granted", format!("{} to {subject}", role.as_str())).await?;
    security::record(SecurityEvent::RoleGranted, &format!("actor={} subject={subject} role={} area={area}", staff.0.subject, role.as_str()));
    tracing::info!(role = role.as_str(), area = %area, "staff role added");
    Ok(Redirect::to("/admin/staff?done=added").into_response())
}

/// `POST /admin/staff/remove`.
async fn remove_grant(State(services): State<Services>, staff: SignedInStaff, f: Fields) -> HandlerResult {
    let areas = staff.areas_with(Role::Admin, ONLY_ADMINS)?;
    let (Ok(role), Ok(area)) = (Role::parse(f.one("role")), AreaSlug::parse(f.one("area"))) else {
        return Ok(Redirect::to("/admin/staff").into_response());
    };
    if !areas.contains(&area.to_string()) {
        return Err(HandlerError::Forbidden(ONLY_ADMINS));
    }
    let subject = f.one("subject").trim();
    if subject == staff.0.subject {
        return Err(HandlerError::Forbidden(NOT_YOURSELF));
    }
    let store = &*services.store;
    let name = store.staff_member(subject).await?.map_or_else(|| subject.to_string(), |s| s.name);
    let area_name = store.area_by_slug(&area).await?.map_or_else(|| area.to_string(), |a| a.name);
    if let Some(asking) = crate::server::ask_first(&f, "/admin/staff/remove", || crate::server::Ask {
        question: format!("Remove {name} as {} in {area_name}?", role.label().to_lowercase()),
        detail: "They will no longer see or do what the role allows in that area, from their next page.".into(),
        yes: "Yes, remove the role",
        back: "/admin/staff".into(),
    }) {
        return Ok(asking);
    }
    if store.remove_staff(subject, Some((role, &area))).await? > 0 {
        let area_id = store.area_by_slug(&area).await?.map(|a| a.id).into_iter().collect::<Vec<_>>();
        record(store, &staff.0, &area_id, "role removed", format!("{} from {subject}", role.as_str())).await?;
        security::record(SecurityEvent::RoleRemoved, &format!("actor={} subject={subject} role={} area={area}", staff.0.subject, role.as_str()));
    }
    tracing::info!(role = role.as_str(), area = %area, "staff role removed");
    Ok(Redirect::to("/admin/staff?done=removed").into_response())
}

/// Registers a system that sends access events: its client id, and a secret kept only as a
/// hash. Returns the client id and the secret, which is shown once.
pub async fn register_source(store: &dyn SourceStore, name: &str, area_id: Option<i64>) -> Result<(String, String), String> {
    let name = parse_name(name, 200).map_err(|e| format!("the name: {e}"))?;
    let client_id = format!("src-{}", uuid::Uuid::new_v4().simple());
    let secret = random_token();
    let source = store.add_source(name, &client_id, &hash_secret(&secret), Utc::now()).await.map_err(|e| e.to_string())?;
    if area_id.is_some() {
        store.set_source_area(source.id, area_id).await.map_err(|e| e.to_string())?;
    }
    Ok((client_id, secret))
}

/// `POST /admin/sources/add`: registers a system; its secret is shown once on the next page.
async fn add_source(State(services): State<Services>, staff: SignedInStaff, f: Fields) -> HandlerResult {
    let mine = staff.areas_with(Role::Admin, ONLY_ADMINS)?;
    let me: &StaffMember = &staff.0;
    let store = &*services.store;
    let Ok(name) = parse_name(f.one("name"), 200) else {
        return Ok(Redirect::to("/admin/sources?error=name").into_response());
    };
    // A system belongs to one of the admin's own areas: that area's admins manage it.
    let area = match AreaSlug::parse(f.one("area").trim()) {
        Ok(slug) if mine.contains(&slug.to_string()) => store.area_by_slug(&slug).await?,
        _ => None,
    };
    let Some(area) = area else {
        return Ok(Redirect::to("/admin/sources?error=area").into_response());
    };
    let (client_id, secret) = register_source(store, name, Some(area.id)).await.map_err(HandlerError::Internal)?;
    record(store, me, &[area.id], "source registered", client_id.clone()).await?;
    security::record(SecurityEvent::SourceRegistered, &format!("actor={} client_id={client_id} area={}", me.subject, area.slug));
    let draft = Draft {
        key: super::api::secret_key(&me.subject),
        owner_subject: me.subject.clone(),
        form: "source_secret".into(),
        answers: serde_json::json!({ "client_id": client_id, "secret": secret, "name": name }),
        errors: Vec::new(),
        updated_at: Utc::now(),
    };
    if let Err(e) = store.save_draft(&draft).await {
        tracing::error!(error = %e, "could not keep the new source's credentials for the next page");
    }
    tracing::info!(client_id = %client_id, "source registered");
    Ok(Redirect::to("/admin/sources?done=added").into_response())
}

/// `POST /admin/sources/revoke`.
async fn revoke_source(State(services): State<Services>, staff: SignedInStaff, f: Fields) -> HandlerResult {
    let mine = staff.areas_with(Role::Admin, ONLY_ADMINS)?;
    let store = &*services.store;
    let client_id = f.one("client_id").trim();
    // Only a system of one of the admin's own areas; any other is "not found".
    let mine = admin_area_ids(store, &mine).await?;
    let source = store.source_by_client_id(client_id).await?.filter(|s| s.area_id.is_some_and(|a| mine.contains(&a))).ok_or(HandlerError::NotFound)?;
    if let Some(asking) = crate::server::ask_first(&f, "/admin/sources/revoke", || crate::server::Ask {
        question: format!("Stop {} sending access records?", source.name),
        detail: "Its secret and tokens stop working at once, and it cannot be started again: a system that should send records again is registered afresh.".into(),
        yes: "Yes, revoke it",
        back: "/admin/sources".into(),
    }) {
        return Ok(asking);
    }
    if store.revoke_source(client_id, Utc::now()).await? {
        record(store, &staff.0, &[source.area_id.unwrap_or_default()], "source revoked", client_id.to_string()).await?;
        security::record(SecurityEvent::SourceRevoked, &format!("actor={} client_id={client_id}", staff.0.subject));
    }
    tracing::info!(client_id = %client_id, "source revoked");
    Ok(Redirect::to("/admin/sources?done=revoked").into_response())
}
