//! The admin's staff directory forms. Plain HTML form posts: each checks, inside the handler,
//! that the signed-in person administers the area the change is for.

use crate::state::AppState;
use app::domain::{AreaSlug, Role};
use app::people::SignedIn;
use app::ssr::CurrentSession;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::{Extension, Form, Router};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/staff/add", post(add))
        .route("/admin/staff/remove", post(remove))
        .route("/admin/bank-holidays/add", post(add_holiday))
        .route("/admin/bank-holidays/remove", post(remove_holiday))
        .route("/admin/sources/add", post(add_source))
        .route("/admin/sources/revoke", post(revoke_source))
}

#[derive(Deserialize)]
pub struct HolidayForm {
    #[serde(default, rename = "date-day")]
    day: String,
    #[serde(default, rename = "date-month")]
    month: String,
    #[serde(default, rename = "date-year")]
    year: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    date: String,
}

fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// `POST /admin/bank-holidays/add`: any administrator; bank holidays are the same for every area.
async fn add_holiday(State(state): State<AppState>, Extension(session): Extension<CurrentSession>, Form(f): Form<HolidayForm>) -> Response {
    let Some((actor, _)) = admin_areas(&session) else { return forbidden() };
    let date = match (f.day.trim().parse::<u32>(), f.month.trim().parse::<u32>(), f.year.trim().parse::<i32>()) {
        (Ok(d), Ok(m), Ok(y)) if (2000..=2100).contains(&y) => chrono::NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    };
    let name = f.name.trim();
    let mut errors = Vec::new();
    if date.is_none() {
        errors.push("date");
    }
    if name.is_empty() || name.len() > 100 {
        errors.push("name");
    }
    let (Some(date), true) = (date, errors.is_empty()) else {
        let q: Vec<String> = errors.iter().map(|e| format!("error={e}")).collect();
        return Redirect::to(&format!(
            "/admin/bank-holidays?{}&day={}&month={}&year={}&name={}",
            q.join("&"),
            encode(&f.day),
            encode(&f.month),
            encode(&f.year),
            encode(&f.name)
        ))
        .into_response();
    };
    match state.store.add_bank_holiday(date, name).await {
        Ok(()) => {
            tracing::info!(actor = %actor, %date, "bank holiday added");
            Redirect::to("/admin/bank-holidays?done=added").into_response()
        }
        Err(app::ssr::StoreError::Conflict) => Redirect::to("/admin/bank-holidays?error=exists").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "could not add a bank holiday");
            (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service. Try again later.").into_response()
        }
    }
}

async fn remove_holiday(State(state): State<AppState>, Extension(session): Extension<CurrentSession>, Form(f): Form<HolidayForm>) -> Response {
    let Some((actor, _)) = admin_areas(&session) else { return forbidden() };
    let Ok(date) = chrono::NaiveDate::parse_from_str(&f.date, "%Y-%m-%d") else {
        return Redirect::to("/admin/bank-holidays").into_response();
    };
    match state.store.remove_bank_holiday(date).await {
        Ok(_) => {
            tracing::info!(actor = %actor, %date, "bank holiday removed");
            Redirect::to("/admin/bank-holidays?done=removed").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "could not remove a bank holiday");
            (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service. Try again later.").into_response()
        }
    }
}

/// `scr-portal bank-holidays list|add|remove`.
pub async fn bank_holidays_command(store: &dyn app::ssr::Store, cmd: crate::cli::BankHolidaysCommand) -> Result<(), String> {
    use crate::cli::BankHolidaysCommand;
    use chrono::Datelike;
    let parse = |s: &str| chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| format!("--date must be a date like 2029-01-01, not {s}"));
    match cmd {
        BankHolidaysCommand::List => {
            let start = chrono::NaiveDate::from_ymd_opt(chrono::Utc::now().year(), 1, 1).unwrap_or_default();
            for (day, name) in store.bank_holiday_list(start).await.map_err(|e| e.to_string())? {
                println!("{day}\t{name}");
            }
            Ok(())
        }
        BankHolidaysCommand::Add { date, name } => {
            let day = parse(&date)?;
            if name.trim().is_empty() {
                return Err("--name must not be empty".into());
            }
            store.add_bank_holiday(day, name.trim()).await.map_err(|e| match e {
                app::ssr::StoreError::Conflict => format!("{day} is already a bank holiday"),
                other => other.to_string(),
            })?;
            println!("Added {day}.");
            Ok(())
        }
        BankHolidaysCommand::Remove { date } => {
            let day = parse(&date)?;
            match store.remove_bank_holiday(day).await.map_err(|e| e.to_string())? {
                0 => Err(format!("{day} is not a bank holiday")),
                _ => {
                    println!("Removed {day}.");
                    Ok(())
                }
            }
        }
    }
}

#[derive(Deserialize)]
pub struct GrantForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    area: String,
}

fn forbidden() -> Response {
    (StatusCode::FORBIDDEN, "Only an administrator of that area can change its staff.").into_response()
}

/// The admin's own areas, or `None` when the session holds no admin role.
fn admin_areas(session: &CurrentSession) -> Option<(String, Vec<String>)> {
    match &session.0 {
        Some(SignedIn::Staff(me)) if me.has_role(Role::Admin) => Some((me.subject.clone(), me.areas_with(Role::Admin))),
        _ => None,
    }
}

async fn add(State(state): State<AppState>, Extension(session): Extension<CurrentSession>, Form(f): Form<GrantForm>) -> Response {
    let Some((actor, areas)) = admin_areas(&session) else { return forbidden() };
    let mut errors = Vec::new();
    let subject = f.subject.trim();
    let name = f.name.trim();
    if subject.is_empty() || subject.len() > 200 {
        errors.push("subject");
    }
    if name.is_empty() || name.len() > 200 {
        errors.push("name");
    }
    let role = Role::parse(&f.role).ok();
    if role.is_none() {
        errors.push("role");
    }
    let area = AreaSlug::parse(&f.area).ok().filter(|a| areas.contains(&a.to_string()));
    if area.is_none() {
        errors.push("area");
    }
    let (Some(role), Some(area), true) = (role, area, errors.is_empty()) else {
        let q: Vec<String> = errors.iter().map(|e| format!("error={e}")).collect();
        return Redirect::to(&format!("/admin/staff?{}", q.join("&"))).into_response();
    };
    match state.store.add_staff_grant(subject, name, role, &area).await {
        Ok(()) => {
            tracing::info!(actor = %actor, role = role.as_str(), area = %area, "staff role added");
            Redirect::to("/admin/staff?done=added").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "could not add staff role");
            (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service. Try again later.").into_response()
        }
    }
}

async fn remove(State(state): State<AppState>, Extension(session): Extension<CurrentSession>, Form(f): Form<GrantForm>) -> Response {
    let Some((actor, areas)) = admin_areas(&session) else { return forbidden() };
    let (Ok(role), Ok(area)) = (Role::parse(&f.role), AreaSlug::parse(&f.area)) else {
        return Redirect::to("/admin/staff").into_response();
    };
    if !areas.contains(&area.to_string()) {
        return forbidden();
    }
    match state.store.remove_staff(f.subject.trim(), Some((role, &area))).await {
        Ok(_) => {
            tracing::info!(actor = %actor, role = role.as_str(), area = %area, "staff role removed");
            Redirect::to("/admin/staff?done=removed").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "could not remove staff role");
            (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service. Try again later.").into_response()
        }
    }
}

/// `scr-portal staff add|remove|list`.
pub async fn staff_command(store: &dyn app::ssr::Store, cmd: crate::cli::StaffCommand) -> Result<(), String> {
    use crate::cli::StaffCommand;
    match cmd {
        StaffCommand::Add { subject, name, role, area } => {
            let role = Role::parse(&role).map_err(|e| e.to_string())?;
            let area = AreaSlug::parse(&area).map_err(|e| e.to_string())?;
            if subject.trim().is_empty() || name.trim().is_empty() {
                return Err("--subject and --name must not be empty".into());
            }
            match store.add_staff_grant(subject.trim(), name.trim(), role, &area).await {
                Ok(()) => {
                    println!("Added {} as {} in {}.", subject.trim(), role, area);
                    Ok(())
                }
                Err(app::ssr::StoreError::NotFound) => Err(format!("there is no area called {area}")),
                Err(e) => Err(e.to_string()),
            }
        }
        StaffCommand::Remove { subject, role, area } => {
            let grant = match (role, area) {
                (Some(r), Some(a)) => Some((
                    Role::parse(&r).map_err(|e| e.to_string())?,
                    AreaSlug::parse(&a).map_err(|e| e.to_string())?,
                )),
                _ => None,
            };
            let n = store
                .remove_staff(&subject, grant.as_ref().map(|(r, a)| (*r, a)))
                .await
                .map_err(|e| e.to_string())?;
            if n == 0 {
                return Err(format!("{subject} has no such role in the directory"));
            }
            println!("Removed {n} role(s) from {subject}.");
            Ok(())
        }
        StaffCommand::List => {
            for s in store.list_staff().await.map_err(|e| e.to_string())? {
                let grants: Vec<String> = s.grants.iter().map(|g| format!("{}@{}", g.role, g.area_slug)).collect();
                println!("{}\t{}\t{}", s.subject, s.name, grants.join(","));
            }
            Ok(())
        }
    }
}

/// `scr-portal areas list|add|add-practice|add-organisation`.
pub async fn areas_command(store: &dyn app::ssr::Store, cmd: crate::cli::AreasCommand) -> Result<(), String> {
    use crate::cli::AreasCommand;
    use app::domain::OdsCode;
    use app::ssr::StoreError;
    let area_of = |slug: &str| {
        let slug = AreaSlug::parse(slug).map_err(|e| e.to_string());
        async move {
            let slug = slug?;
            store
                .area_by_slug(&slug)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("there is no area called {slug}"))
        }
    };
    let text = |s: &str, what: &str| {
        let t = s.trim();
        if t.is_empty() || t.len() > 200 {
            Err(format!("--{what} must be 1 to 200 characters"))
        } else {
            Ok(t.to_string())
        }
    };
    let parse_ods = |s: &str| OdsCode::parse(s).map_err(|e| e.to_string());
    let conflict = |what: String| move |e: StoreError| match e {
        StoreError::Conflict => format!("{what} already exists"),
        other => other.to_string(),
    };
    match cmd {
        AreasCommand::List => {
            for a in store.list_areas().await.map_err(|e| e.to_string())? {
                let orgs = store.organisations(a.id).await.map_err(|e| e.to_string())?;
                let practices = store.practices(a.id).await.map_err(|e| e.to_string())?;
                println!("{}\t{}\t{} organisation(s)\t{} practice(s)\tkeeps access events {} months", a.slug, a.name, orgs.len(), practices.len(), a.retention_months);
            }
            Ok(())
        }
        AreasCommand::Add { slug, name } => {
            let slug = AreaSlug::parse(&slug).map_err(|e| e.to_string())?;
            let name = text(&name, "name")?;
            let area = store.create_area(&slug, &name).await.map_err(conflict(format!("an area called {slug}")))?;
            app::ssr::casework::ensure_starter_templates(store, area.id).await.map_err(|e| e.to_string())?;
            println!("Added area {slug}.");
            Ok(())
        }
        AreasCommand::AddPractice(m) => {
            let (area, ods, name) = (area_of(&m.area).await?, parse_ods(&m.ods)?, text(&m.name, "name")?);
            store.add_practice(area.id, &ods, &name).await.map_err(conflict(format!("the practice {ods}")))?;
            println!("Added practice {ods} to {}.", area.slug);
            Ok(())
        }
        AreasCommand::Rename { area, name } => {
            let (area, name) = (area_of(&area).await?, text(&name, "name")?);
            store.rename_area(area.id, &name).await.map_err(|e| e.to_string())?;
            println!("{} is now called {name}.", area.slug);
            Ok(())
        }
        AreasCommand::SetRetention { area, months } => {
            let area = area_of(&area).await?;
            if !(1..=240).contains(&months) {
                return Err("--months must be 1 to 240".into());
            }
            store.set_area_retention(area.id, months).await.map_err(|e| e.to_string())?;
            println!("{}: access events from its systems are kept {months} months.", area.slug);
            Ok(())
        }
        AreasCommand::RemovePractice(m) => {
            let (area, ods) = (area_of(&m.area).await?, parse_ods(&m.ods)?);
            match store.remove_practice(area.id, &ods).await.map_err(|e| e.to_string())? {
                0 => Err(format!("{ods} is not a practice of {}", area.slug)),
                _ => {
                    println!("Removed practice {ods} from {}.", area.slug);
                    Ok(())
                }
            }
        }
        AreasCommand::RemoveOrganisation(m) => {
            let (area, ods) = (area_of(&m.area).await?, parse_ods(&m.ods)?);
            match store.remove_organisation(area.id, &ods).await.map_err(|e| e.to_string())? {
                0 => Err(format!("{ods} is not a member of {}", area.slug)),
                _ => {
                    println!("Removed organisation {ods} from {}.", area.slug);
                    Ok(())
                }
            }
        }
        AreasCommand::SetAccessLog { area, show, concern_days } => {
            let area = area_of(&area).await?;
            let names = match show.as_str() {
                "names" => true,
                "roles" => false,
                _ => return Err("--show must be names or roles".into()),
            };
            if !(1..=60).contains(&concern_days) {
                return Err("--concern-days must be 1 to 60".into());
            }
            store.set_area_access_settings(area.id, names, concern_days).await.map_err(|e| e.to_string())?;
            println!("{}: access log shows {show}; concerns due in {concern_days} working days.", area.slug);
            Ok(())
        }
        AreasCommand::AddOrganisation(m) => {
            let (area, ods, name) = (area_of(&m.area).await?, parse_ods(&m.ods)?, text(&m.name, "name")?);
            store
                .add_organisation(area.id, &ods, &name)
                .await
                .map_err(conflict(format!("the organisation {ods} in {}", area.slug)))?;
            println!("Added organisation {ods} to {}.", area.slug);
            Ok(())
        }
    }
}

#[derive(Deserialize)]
pub struct SourceForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    client_id: String,
    /// The area whose shared care record the system is; empty for none.
    #[serde(default)]
    area: String,
}

/// Where a new source's secret waits to be shown, once, to the administrator who made it.
pub fn secret_draft_key(admin: &str) -> String {
    format!("source-secret:{admin}")
}

/// `POST /admin/sources/add`: registers a system; its secret is shown once on the next page.
async fn add_source(State(state): State<AppState>, Extension(session): Extension<CurrentSession>, Form(f): Form<SourceForm>) -> Response {
    let Some((actor, mine)) = admin_areas(&session) else { return forbidden() };
    let name = f.name.trim();
    if name.is_empty() || name.len() > 200 {
        return Redirect::to("/admin/sources?error=name").into_response();
    }
    let trouble = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "could not register a source");
        (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service. Try again later.").into_response()
    };
    // Only one of the admin's own areas.
    let area = match AreaSlug::parse(f.area.trim()) {
        Ok(slug) if mine.contains(&slug.to_string()) => match state.store.area_by_slug(&slug).await {
            Ok(a) => a,
            Err(e) => return trouble(&e),
        },
        _ => None,
    };
    let (client_id, secret) = match crate::fhir::register(&*state.store, name).await {
        Ok(x) => x,
        Err(e) => return trouble(&e),
    };
    if let Some(area) = &area {
        let linked = match state.store.source_by_client_id(&client_id).await {
            Ok(Some(source)) => state.store.set_source_area(source.id, Some(area.id)).await,
            Ok(None) => Err(app::ssr::StoreError::NotFound),
            Err(e) => Err(e),
        };
        if let Err(e) = linked {
            return trouble(&e);
        }
    }
    let draft = app::ssr::Draft {
        key: secret_draft_key(&actor),
        owner_subject: actor.clone(),
        form: "source_secret".into(),
        answers: serde_json::json!({ "client_id": client_id, "secret": secret, "name": name }),
        errors: Vec::new(),
        updated_at: chrono::Utc::now(),
    };
    if let Err(e) = state.store.save_draft(&draft).await {
        tracing::error!(error = %e, "could not keep the new source's credentials for the next page");
    }
    tracing::info!(actor = %actor, client_id = %client_id, "source registered");
    Redirect::to("/admin/sources?done=added").into_response()
}

async fn revoke_source(State(state): State<AppState>, Extension(session): Extension<CurrentSession>, Form(f): Form<SourceForm>) -> Response {
    let Some((actor, _)) = admin_areas(&session) else { return forbidden() };
    match state.store.revoke_source(f.client_id.trim(), chrono::Utc::now()).await {
        Ok(_) => {
            tracing::info!(actor = %actor, client_id = %f.client_id.trim(), "source revoked");
            Redirect::to("/admin/sources?done=revoked").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "could not revoke a source");
            (StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service. Try again later.").into_response()
        }
    }
}
