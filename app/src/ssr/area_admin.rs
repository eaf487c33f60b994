//! An admin's area forms: add an area, rename it, set its retention period, add and remove its
//! member organisations and GP practices. Errors go back with what was typed.

use super::{trouble};
use super::store::*;
use super::{CurrentSession, Services};
use crate::area_admin::form_key;
use crate::domain::{AreaSlug, OdsCode, Role};
use crate::people::{SignedIn, StaffMember};
use axum::body::Bytes;
use axum::extract::{FromRef, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Extension, Router};
use chrono::Utc;

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/admin/areas/add", post(add)).route("/admin/areas/{slug}/{action}", post(change))
}

fn one<'a>(f: &'a [(String, String)], k: &str) -> &'a str {
    f.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim()).unwrap_or_default()
}

fn admin(session: &CurrentSession) -> Result<&StaffMember, Response> {
    match &session.0 {
        Some(SignedIn::Staff(me)) if !me.areas_with(Role::Admin).is_empty() => Ok(me),
        Some(_) => Err((http::StatusCode::FORBIDDEN, "Only an administrator manages areas.").into_response()),
        None => Err(Redirect::to("/sign-in").into_response()),
    }
}

/// Sends the form back with its answers and errors.
async fn again(store: &dyn Store, me: &StaffMember, slug: &str, f: &[(String, String)], errors: Vec<(String, String)>, to: &str) -> Response {
    let draft = Draft { key: form_key(&me.subject, slug), owner_subject: me.subject.clone(), form: "area-admin".into(), answers: serde_json::to_value(f).unwrap_or_default(), errors, updated_at: Utc::now() };
    match store.save_draft(&draft).await {
        Ok(()) => Redirect::to(to).into_response(),
        Err(e) => trouble(e),
    }
}

async fn audit(store: &dyn Store, me: &StaffMember, area_id: i64, action: &str, detail: String) {
    let a = StaffAction { at: Utc::now(), actor_subject: me.subject.clone(), area_id, case_id: None, action: action.into(), detail };
    if let Err(e) = store.record_staff_action(&a).await {
        super::internal(e);
    }
}

/// `POST /admin/areas/add`. The admin who adds an area becomes its admin too.
async fn add(State(services): State<Services>, Extension(session): Extension<CurrentSession>, body: Bytes) -> Response {
    let me = match admin(&session) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let store = &*services.store;
    let f: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let mut errors = Vec::new();
    let name = one(&f, "name");
    if name.is_empty() || name.chars().count() > 120 {
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
            let _ = crate::ssr::casework::ensure_starter_templates(store, area.id).await;
            if let Err(e) = store.add_staff_grant(&me.subject, &me.name, Role::Admin, &slug).await {
                return trouble(e);
            }
            audit(store, me, area.id, "area added", slug.to_string()).await;
            let _ = store.take_draft(&form_key(&me.subject, "new"), &me.subject).await;
            Redirect::to(&format!("/admin/areas/{slug}")).into_response()
        }
        Err(StoreError::Conflict) => again(store, me, "new", &f, vec![("slug".into(), "There is already an area with that short name".into())], "/admin/areas?form=add").await,
        Err(e) => trouble(e),
    }
}

/// `POST /admin/areas/{slug}/{settings|add-organisation|remove-organisation|add-practice|remove-practice}`.
async fn change(State(services): State<Services>, Extension(session): Extension<CurrentSession>, Path((slug, action)): Path<(String, String)>, body: Bytes) -> Response {
    let me = match admin(&session) {
        Ok(m) => m,
        Err(r) => return r,
    };
    let store = &*services.store;
    let area = match AreaSlug::parse(&slug) {
        Ok(s) if me.areas_with(Role::Admin).contains(&s.to_string()) => match store.area_by_slug(&s).await {
            Ok(Some(a)) => a,
            Ok(None) => return (http::StatusCode::NOT_FOUND, "Page not found").into_response(),
            Err(e) => return trouble(e),
        },
        _ => return (http::StatusCode::NOT_FOUND, "Page not found").into_response(),
    };
    let f: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let page = format!("/admin/areas/{slug}");
    let back = format!("{page}?form=1");
    let mut errors: Vec<(String, String)> = Vec::new();
    let result = match action.as_str() {
        "settings" => {
            let name = one(&f, "name");
            if name.is_empty() || name.chars().count() > 120 {
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
            if name.is_empty() || name.chars().count() > 200 {
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
            let Ok(code) = OdsCode::parse(one(&f, "code")) else { return Redirect::to(&page).into_response() };
            let removed = if action == "remove-practice" { store.remove_practice(area.id, &code).await } else { store.remove_organisation(area.id, &code).await };
            removed.map(|_| format!("{action} {code}"))
        }
        _ => return (http::StatusCode::NOT_FOUND, "Page not found").into_response(),
    };
    match result {
        Ok(detail) => {
            audit(store, me, area.id, "area changed", detail).await;
            let _ = store.take_draft(&form_key(&me.subject, &slug), &me.subject).await;
            Redirect::to(&format!("{page}?done=1")).into_response()
        }
        Err(e) => trouble(e),
    }
}
