//! An admin's area forms: add an area, rename it, set its retention period, add and remove its
//! member organisations and GP practices. Errors go back with what was typed.

use super::api::form_key;
use crate::domain::people::StaffMember;
use crate::domain::names::parse_name;
use crate::domain::{AreaSlug, OdsCode, Role};
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
    Router::new().route("/admin/areas/add", post(add)).route("/admin/areas/{slug}/{action}", post(change))
}

fn one<'a>(f: &'a Fields, k: &str) -> &'a str {
    f.one(k).trim()
}

const ONLY_ADMINS: &str = "Only an administrator manages areas.";

/// Sends the form back with its answers and errors.
async fn again(store: &dyn DraftStore, me: &StaffMember, slug: &str, f: &Fields, errors: Vec<(String, String)>, to: &str) -> HandlerResult {
    let draft = Draft { key: form_key(&me.subject, slug), owner_subject: me.subject.clone(), form: "area-admin".into(), answers: serde_json::to_value(f).unwrap_or_default(), errors, updated_at: Utc::now() };
    store.save_draft(&draft).await?;
    Ok(Redirect::to(to).into_response())
}

async fn audit(store: &dyn StaffStore, me: &StaffMember, area_id: i64, action: &str, detail: String) -> StoreResult<()> {
    let a = StaffAction { at: Utc::now(), actor_subject: me.subject.clone(), area_id, case_id: None, action: action.into(), detail };
    store.record_staff_action(&a).await
}

/// `POST /admin/areas/add`. The admin who adds an area becomes its admin too.
async fn add(State(services): State<Services>, staff: SignedInStaff, f: Fields) -> HandlerResult {
    staff.areas_with(Role::Admin, ONLY_ADMINS)?;
    let me = &staff.0;
    let store = &*services.store;
    let mut errors = Vec::new();
    let name = one(&f, "name");
    if parse_name(name, 120).is_err() {
        errors.push(("name".to_string(), "Enter the area's name, up to 120 characters".to_string()));
    }
    let slug = match AreaSlug::parse(one(&f, "slug")) {
        Ok(s) => Some(s),
        Err(e) => {
            errors.push(("slug".into(), e.to_string()));
            None
        }
    };
    let (Some(slug), true) = (slug, errors.is_empty()) else { return again(store, me, "new", &f, errors, "/admin/areas?form=add").await };
    match store.create_area(&slug, name).await {
        Ok(area) => {
            crate::casework::ssr::ensure_starter_templates(store, area.id).await?;
            store.add_staff_grant(&me.subject, &me.name, Role::Admin, &slug).await?;
            audit(store, me, area.id, "area added", slug.to_string()).await?;
            store.take_draft(&form_key(&me.subject, "new"), &me.subject).await?;
            Ok(Redirect::to(&format!("/admin/areas/{slug}")).into_response())
        }
        Err(StoreError::Conflict) => again(store, me, "new", &f, vec![("slug".into(), "There is already an area with that short name".into())], "/admin/areas?form=add").await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/areas/{slug}/{settings|add-organisation|remove-organisation|add-practice|remove-practice}`.
async fn change(State(services): State<Services>, staff: SignedInStaff, Path((slug, action)): Path<(String, String)>, f: Fields) -> HandlerResult {
    let mine = staff.areas_with(Role::Admin, ONLY_ADMINS)?;
    let me = &staff.0;
    let store = &*services.store;
    let area = match AreaSlug::parse(&slug) {
        Ok(s) if mine.contains(&s.to_string()) => store.area_by_slug(&s).await?.ok_or(HandlerError::NotFound)?,
        _ => return Err(HandlerError::NotFound),
    };
    let page = format!("/admin/areas/{slug}");
    let back = format!("{page}?form=1");
    let mut errors: Vec<(String, String)> = Vec::new();
    let result = match action.as_str() {
        "settings" => {
            let name = one(&f, "name");
            if parse_name(name, 120).is_err() {
                errors.push(("name".into(), "Enter the area's name, up to 120 characters".into()));
            }
            let months = one(&f, "retention").parse::<i64>().ok().filter(|m| (1..=240).contains(m));
            if months.is_none() {
                errors.push(("retention".into(), "Enter the months to keep access records as a whole number from 1 to 240".into()));
            }
            match (months, errors.is_empty()) {
                (Some(m), true) => match store.rename_area(area.id, name).await {
                    Ok(()) => store.set_area_retention(area.id, m).await.map(|()| format!("name and retention {m} months")),
                    Err(e) => Err(e),
                },
                _ => return again(store, me, &slug, &f, errors, &back).await,
            }
        }
        "add-organisation" | "add-practice" => {
            let (code_field, name_field) = if action == "add-practice" { ("practice-code", "practice-name") } else { ("org-code", "org-name") };
            let code = OdsCode::parse(one(&f, code_field)).map_err(|e| errors.push((code_field.into(), e.to_string()))).ok();
            let name = one(&f, name_field);
            if parse_name(name, 200).is_err() {
                errors.push((name_field.into(), "Enter the name, up to 200 characters".into()));
            }
            let (Some(code), true) = (code, errors.is_empty()) else { return again(store, me, &slug, &f, errors, &back).await };
            let added = if action == "add-practice" { store.add_practice(area.id, &code, name).await } else { store.add_organisation(area.id, &code, name).await };
            match added {
                Ok(()) => Ok(format!("{action} {code}")),
                Err(StoreError::Conflict) => {
                    let message = if action == "add-practice" { "That practice already belongs to an area" } else { "That organisation is already a member" };
                    return again(store, me, &slug, &f, vec![(code_field.into(), message.into())], &back).await;
                }
                Err(e) => Err(e),
            }
        }
        "remove-organisation" | "remove-practice" => {
            let Ok(code) = OdsCode::parse(one(&f, "code")) else { return Ok(Redirect::to(&page).into_response()) };
            let removed = if action == "remove-practice" { store.remove_practice(area.id, &code).await } else { store.remove_organisation(area.id, &code).await };
            removed.map(|_| format!("{action} {code}"))
        }
        _ => return Err(HandlerError::NotFound),
    };
    let detail = result?;
    audit(store, me, area.id, "area changed", detail).await?;
    // Its name and members are on its public pages.
    services.published();
    store.take_draft(&form_key(&me.subject, &slug), &me.subject).await?;
    Ok(Redirect::to(&format!("{page}?done=1")).into_response())
}
