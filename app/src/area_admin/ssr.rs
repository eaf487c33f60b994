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

/// `POST /admin/areas/{slug}/{settings|contact|add-organisation|remove-organisation|add-practice|remove-practice}`.
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
        "contact" => match crate::domain::area_contact::read_area_contact(one(&f, "contact-address"), one(&f, "contact-email"), one(&f, "contact-phone")) {
            Ok(contact) => store.set_area_contact(area.id, &contact).await.map(|()| "contact details".to_string()),
            Err(problems) => return again(store, me, &slug, &f, problems.into_iter().map(|(k, m)| (k.to_string(), m)).collect(), &back).await,
        },
        "add-organisation" => {
            let code = OdsCode::parse(one(&f, "org-code")).map_err(|e| errors.push(("org-code".into(), e.to_string()))).ok();
            let name = one(&f, "org-name");
            if parse_name(name, 200).is_err() {
                errors.push(("org-name".into(), "Enter the name, up to 200 characters".into()));
            }
            let (Some(code), true) = (code, errors.is_empty()) else { return again(store, me, &slug, &f, errors, &back).await };
            match store.add_organisation(area.id, &code, name).await {
                Ok(()) => Ok(format!("{action} {code}")),
                Err(StoreError::Conflict) => return again(store, me, &slug, &f, vec![("org-code".into(), "That organisation is already a member".into())], &back).await,
                Err(e) => Err(e),
            }
        }
        "add-practice" => {
            let code = OdsCode::parse(one(&f, "practice-code")).map_err(|e| errors.push(("practice-code".into(), e.to_string()))).ok();
            let details = crate::domain::practice::read_practice_details(one(&f, "practice-name"), one(&f, "practice-address"), one(&f, "practice-postcode"))
                .map_err(|problems| errors.extend(problems.into_iter().map(|(field, message)| (format!("practice-{field}"), message))))
                .ok();
            let (Some(code), Some(details), true) = (code, details, errors.is_empty()) else { return again(store, me, &slug, &f, errors, &back).await };
            match store.add_practice(area.id, &code, &details).await {
                Ok(()) => Ok(format!("{action} {code}")),
                Err(StoreError::Conflict) => return again(store, me, &slug, &f, vec![("practice-code".into(), "That practice already belongs to an area".into())], &back).await,
                Err(e) => Err(e),
            }
        }
        "remove-organisation" | "remove-practice" => {
            let Ok(code) = OdsCode::parse(one(&f, "code")) else { return Ok(Redirect::to(&page).into_response()) };
            let what = if action == "remove-practice" { "GP practice" } else { "member organisation" };
            if let Some(asking) = crate::server::ask_first(&f, &format!("/admin/areas/{slug}/{action}"), || crate::server::Ask {
                question: format!("Remove the {what} {code} from {}?", area.name),
                detail: if action == "remove-practice" {
                    "Its patients will no longer find this area from their surgery, or be able to object or ask for their information here.".into()
                } else {
                    "It will no longer be listed as sharing information in this area, or offered to patients who object.".into()
                },
                yes: "Yes, remove it",
                back: page.clone(),
            }) {
                return Ok(asking);
            }
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
