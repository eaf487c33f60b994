//! The `scr-portal` commands that keep the staff directory, areas, bank holidays and the
//! systems that send access records, for the first administrator and for scripts.

use app::domain::{AreaSlug, Role};
use app::server::Store;
use chrono::Utc;

/// `scr-portal staff add|remove|list`.
pub async fn staff_command(store: &dyn Store, cmd: crate::cli::StaffCommand) -> Result<(), String> {
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
                Err(app::server::StoreError::NotFound) => Err(format!("there is no area called {area}")),
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

/// A practice's details from the command line, checked as the admin page checks them.
fn practice_details(m: &crate::cli::PracticeArgs) -> Result<app::server::PracticeDetails, String> {
    app::domain::practice::read_practice_details(&m.member.name, &m.address, &m.postcode)
        .map_err(|errors| errors.into_iter().map(|(field, message)| format!("--{field}: {message}")).collect::<Vec<_>>().join("; "))
}

/// `scr-portal areas list|add|add-practice|set-practice|add-organisation|set-contact|…`.
pub async fn areas_command(store: &dyn Store, cmd: crate::cli::AreasCommand) -> Result<(), String> {
    use crate::cli::AreasCommand;
    use app::domain::OdsCode;
    use app::server::StoreError;
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
            app::casework::ssr::ensure_starter_templates(store, area.id).await.map_err(|e| e.to_string())?;
            println!("Added area {slug}.");
            Ok(())
        }
        AreasCommand::AddPractice(m) => {
            let (area, ods, details) = (area_of(&m.member.area).await?, parse_ods(&m.member.ods)?, practice_details(&m)?);
            store.add_practice(area.id, &ods, &details).await.map_err(conflict(format!("the practice {ods}")))?;
            println!("Added practice {ods} to {}.", area.slug);
            Ok(())
        }
        AreasCommand::SetPractice(m) => {
            let (area, ods, details) = (area_of(&m.member.area).await?, parse_ods(&m.member.ods)?, practice_details(&m)?);
            match store.update_practice(area.id, &ods, &details).await.map_err(|e| e.to_string())? {
                0 => Err(format!("{ods} is not a practice of {}", area.slug)),
                _ => {
                    println!("Changed practice {ods} of {}.", area.slug);
                    Ok(())
                }
            }
        }
        AreasCommand::Rename { area, name } => {
            let (area, name) = (area_of(&area).await?, text(&name, "name")?);
            store.rename_area(area.id, &name).await.map_err(|e| e.to_string())?;
            println!("{} is now called {name}.", area.slug);
            Ok(())
        }
        AreasCommand::SetContact { area, address, email, phone } => {
            let area = area_of(&area).await?;
            let contact = app::domain::area_contact::read_area_contact(&address.replace("\\n", "\n"), &email, &phone)
                .map_err(|errors| errors.into_iter().map(|(field, message)| format!("--{}: {message}", field.trim_start_matches("contact-"))).collect::<Vec<_>>().join("; "))?;
            store.set_area_contact(area.id, &contact).await.map_err(|e| e.to_string())?;
            println!("{}: contact details set.", area.slug);
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

/// `scr-portal bank-holidays list|add|remove`.
pub async fn bank_holidays_command(store: &dyn Store, cmd: crate::cli::BankHolidaysCommand) -> Result<(), String> {
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
                app::server::StoreError::Conflict => format!("{day} is already a bank holiday"),
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

/// `scr-portal sources add|list|revoke`.
pub async fn sources_command(store: &dyn Store, cmd: super::SourcesCommand) -> Result<(), String> {
    use super::SourcesCommand;
    match cmd {
        SourcesCommand::Add { name, area } => {
            let area = match area {
                Some(slug) => {
                    let slug = app::domain::AreaSlug::parse(&slug).map_err(|e| e.to_string())?;
                    Some(store.area_by_slug(&slug).await.map_err(|e| e.to_string())?.ok_or_else(|| format!("there is no area called {slug}"))?)
                }
                None => None,
            };
            let (client_id, secret) = app::staff_admin::ssr::register_source(store, &name, area.as_ref().map(|a| a.id)).await?;
            println!("Registered {}.", name.trim());
            println!("client id: {client_id}");
            println!("secret:    {secret}");
            println!("The secret is shown once only: give it to the source's team now.");
            Ok(())
        }
        SourcesCommand::List => {
            for s in store.sources().await.map_err(|e| e.to_string())? {
                let state = if s.revoked_at.is_some() { "revoked" } else { "active" };
                let latest = s.latest_event_at.map(|t| t.to_rfc3339()).unwrap_or_else(|| "no events yet".into());
                println!("{}\t{}\t{state}\tlatest event {latest}", s.client_id, s.name);
            }
            Ok(())
        }
        SourcesCommand::Revoke { client_id } => match store.revoke_source(&client_id, Utc::now()).await.map_err(|e| e.to_string())? {
            true => {
                println!("Revoked {client_id}: its credentials and tokens stop working now.");
                Ok(())
            }
            false => Err(format!("there is no active source {client_id}")),
        },
    }
}


/// `scr-portal audit verify|seal`.
pub async fn audit_command(store: &dyn Store, cmd: crate::cli::AuditCommand) -> Result<(), String> {
    use crate::audit::{self, Scope};
    use crate::cli::AuditCommand;
    let areas = store.list_areas().await.map_err(|e| e.to_string())?;
    let name = |id: i64| match areas.iter().find(|a| a.id == id) {
        Some(a) => format!("area {}", a.slug),
        None if id == 0 => "the portal's own chain".to_string(),
        None => format!("area {id} (no longer listed)"),
    };
    match cmd {
        AuditCommand::Seal => {
            let n = audit::seal(store, Utc::now()).await.map_err(|e| e.to_string())?;
            println!("Sealed {n} row(s). Rows that arrived in the last {} seconds wait for the next seal.", audit::seal::SETTLE_SECONDS);
            Ok(())
        }
        AuditCommand::Verify { area, since, digests } => {
            let area_id = match area.as_deref() {
                None => None,
                Some("portal") => Some(0),
                Some(slug) => Some(areas.iter().find(|a| a.slug.as_str() == slug).map(|a| a.id).ok_or_else(|| format!("there is no area called {slug}"))?),
            };
            let since = match since {
                None => None,
                Some(d) => {
                    let day = chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| format!("--since {d:?} is not a date like 2026-12-01"))?;
                    Some(app::domain::uk_local_to_utc(day.and_time(chrono::NaiveTime::MIN)))
                }
            };
            let report = audit::verify(store, &Scope { area_id, since, digests }).await.map_err(|e| e.to_string())?;
            let rows: Vec<String> = report.rows_checked.iter().map(|(s, n)| format!("{n} {}(s)", s.row_name())).collect();
            println!(
                "Checked {} chain entr{} and {}{}.",
                report.entries_checked,
                if report.entries_checked == 1 { "y" } else { "ies" },
                if rows.is_empty() { "no sealed rows".to_string() } else { rows.join(" and ") },
                if report.rows_pruned > 0 { format!("; {} sealed access event(s) since deleted by retention, as it recorded", report.rows_pruned) } else { String::new() }
            );
            for (stream, last) in &report.sealed_up_to {
                println!("Sealed up to {} {last}; later ones are sealed within a few minutes of arriving.", stream.row_name());
            }
            for (id, seq, hash, at) in report.heads.iter().filter(|h| area_id.is_none_or(|a| a == h.0)) {
                println!("Head of {}: entry {seq}, {}, digest {hash}", name(*id), app::domain::when::moment(*at));
            }
            if report.passed() {
                println!("The audit trail matches its seals: nothing was changed, deleted, inserted or reordered.");
                return Ok(());
            }
            for p in &report.problems {
                println!("PROBLEM: {}", p.describe(&name));
            }
            Err(format!("the audit trail does not match its seals: {} problem(s), listed above", report.problems.len()))
        }
    }
}
