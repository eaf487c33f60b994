//! The comms team's posts: save or remove one member organisation's entry.

use super::api::{comms_areas, form_key};
use crate::domain::sharing::Sharing;
use crate::domain::{AreaSlug, OdsCode};
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
    Router::new().route("/sharing/{slug}/{ods}/{action}", post(change))
}

/// `POST /sharing/{slug}/{ods}/{save|remove}`.
async fn change(State(services): State<Services>, staff: SignedInStaff, Path((slug, ods, action)): Path<(String, String, String)>, f: Fields) -> HandlerResult {
    let me = &staff.0;
    let mine = comms_areas(me);
    if mine.is_empty() {
        return Err(HandlerError::Forbidden("Only an area's comms team keeps what each organisation shares."));
    }
    let store = &*services.store;
    let area = match AreaSlug::parse(&slug) {
        Ok(s) if mine.contains(&s.to_string()) => store.area_by_slug(&s).await?.ok_or(HandlerError::NotFound)?,
        _ => return Err(HandlerError::NotFound),
    };
    let code = OdsCode::parse(&ods).map_err(|_| HandlerError::NotFound)?;
    let Some(org) = store.organisations(area.id).await?.into_iter().find(|o| o.ods_code == code) else { return Err(HandlerError::NotFound) };
    let page = format!("/sharing/{slug}/{code}");
    let key = form_key(&me.subject, &slug, code.as_str());
    let sharing = match action.as_str() {
        "save" => match Sharing::read(&f.all("kinds"), &f.all("seen_by")) {
            Ok(s) => Some(s),
            Err(errors) => {
                let draft = Draft { key, owner_subject: me.subject.clone(), form: "sharing".into(), answers: serde_json::to_value(&f).unwrap_or_default(), errors, updated_at: Utc::now() };
                store.save_draft(&draft).await?;
                return Ok(Redirect::to(&page).into_response());
            }
        },
        "remove" => {
            if let Some(asking) = ask_first(&f, &format!("{page}/remove"), || Ask {
                question: format!("Remove what {} shares from {}\u{2019}s list?", org.name, area.name),
                detail: "Patients will read \u{201c}Not given yet\u{201d} for this organisation until it is filled in again.".into(),
                yes: "Yes, remove it",
                back: page.clone(),
            }) {
                return Ok(asking);
            }
            None
        }
        _ => return Err(HandlerError::NotFound),
    };
    let detail = match &sharing {
        Some(s) => format!("{code}: {} kinds, {} viewers", s.kinds.len(), s.seen_by.len()),
        None => format!("{code}: removed"),
    };
    let a = StaffAction { at: Utc::now(), actor_subject: me.subject.clone(), area_id: area.id, case_id: None, action: "sharing changed".into(), detail };
    if !store.set_sharing(area.id, &code, sharing.as_ref(), &a).await? {
        return Err(HandlerError::NotFound);
    }
    store.take_draft(&key, &me.subject).await?;
    tracing::info!(area = area.id, "what an organisation shares was changed");
    Ok(Redirect::to(if sharing.is_some() { "/sharing?done=saved" } else { "/sharing?done=removed" }).into_response())
}
