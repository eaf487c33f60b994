//! The monitoring pages' data: an IG lead's queue of flagged accesses grouped by the person who
//! looked, one person's alerts, and the area's rules and watch list. IG leads of the area only.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The queue's filters, as the address gives them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonitoringFilter {
    pub rule: String,
    pub org: String,
    /// `""` (waiting), `reviewed` or `all`.
    pub state: String,
    /// Only alerts older than this many days (`""`: any age).
    pub age: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonRow {
    pub href: String,
    pub name: String,
    pub role: String,
    pub organisations: String,
    pub rules: Vec<String>,
    pub waiting: i64,
    pub total: i64,
    pub oldest: String,
    pub overdue: bool,
    pub concern: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitoringQueue {
    /// The IG lead's areas: (slug, name).
    pub areas: Vec<(String, String)>,
    pub area_slug: String,
    pub area_name: String,
    pub filter: MonitoringFilter,
    /// The area's member organisations, for the filter: (ODS code, name).
    pub organisations: Vec<(String, String)>,
    /// Every rule: (value, title).
    pub rules: Vec<(String, String)>,
    pub people: Vec<PersonRow>,
    /// More people than the page lists have alerts that match.
    pub more: bool,
    pub target_days: u32,
    pub referrals: Vec<ReferralRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiguresView {
    pub area_slug: String,
    pub area_name: String,
    pub target_days: u32,
    /// (quarter, raised, reviewed within target, confirmed inappropriate, referred)
    pub figures: Vec<(String, u64, u64, u64, u64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralRow {
    pub href: String,
    pub title: String,
    pub person: String,
    pub organisation: String,
    pub due: String,
    pub overdue: bool,
    pub state: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRow {
    pub id: i64,
    pub when: String,
    pub patient: String,
    pub organisation: String,
    pub role: String,
    pub purpose: String,
    pub rule: String,
    pub status: String,
    pub waiting: bool,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonView {
    pub area_slug: String,
    pub area_name: String,
    pub person: String,
    pub name: String,
    pub role: String,
    pub organisations: String,
    /// The rules this person's alerts met: (title, explanation).
    pub why: Vec<(String, String)>,
    pub concern: bool,
    /// The organisations the person looked from: (ODS code, name).
    pub orgs: Vec<(String, String)>,
    pub referral_days: u32,
    pub alerts: Vec<AlertRow>,
    pub answers: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
    pub done: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackRow {
    pub when: String,
    pub patient: String,
    pub organisation: String,
    pub role: String,
    pub purpose: String,
    pub viewed: String,
    pub rule: String,
    pub explanation: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferralView {
    pub area_slug: String,
    pub area_name: String,
    pub id: i64,
    pub person: String,
    pub person_href: String,
    pub role: String,
    pub organisation: String,
    pub contact: String,
    pub due: String,
    pub overdue: bool,
    pub referred: String,
    pub note: String,
    pub rows: Vec<PackRow>,
    /// The patients' concern cases among the accesses (their references).
    pub concerns: Vec<String>,
    /// (outcome label, what they found, recorded when and by whom)
    pub outcome: Option<(String, String, String)>,
    pub confirmed: bool,
    /// Whether and when the patient was told, in words, once recorded.
    pub patient_told: Option<String>,
    pub answers: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
    pub done: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WatchRow {
    pub nhs_number: String,
    pub reason: String,
    pub added: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsView {
    pub area_slug: String,
    pub area_name: String,
    /// Every automatic rule: (value, title, explanation, on).
    pub rules: Vec<(String, String, String, bool)>,
    pub start: String,
    pub end: String,
    pub volume: String,
    pub days: String,
    pub window: String,
    pub target: String,
    pub watch_list: Vec<WatchRow>,
    pub answers: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
    pub done: Option<String>,
}

/// The draft key of an IG lead's monitoring form (so a form sent back keeps what was typed).
pub fn form_key(subject: &str, area: &str, form: &str) -> String {
    format!("monitoring:{form}:{area}:{subject}")
}

/// A person's page is addressed by one of their alerts, so that no name or staff identifier is
/// in an address (addresses go into logs).
pub fn person_href(area: &str, alert_id: i64) -> String {
    format!("/monitoring/{area}/people/{alert_id}")
}

/// People the queue lists at once: the first to deal with. Filters narrow the rest.
#[cfg(feature = "ssr")]
const QUEUE_PEOPLE: usize = 50;

#[server(prefix = "/api", endpoint = "monitoring/queue")]
pub async fn load_monitoring_queue(area: String, filter: MonitoringFilter) -> Result<Option<MonitoringQueue>, ServerFnError> {
    use super::service::{ig_lead_area, ig_lead_areas};
    use crate::domain::monitoring::Rule;
    use crate::server::{internal, services, AlertFilter, AlertState};
    let Some((_, mine)) = ig_lead_areas().await? else { return Ok(None) };
    let store = services()?.store;
    let slug = if area.is_empty() { mine[0].0.clone() } else { area };
    let Some(area) = ig_lead_area(&*store, &mine, &slug).await? else { return Ok(None) };
    let settings = store.monitoring_settings(area.id).await.map_err(internal)?;
    let now = chrono::Utc::now();
    // Older than this many days: 1 to 365, as the list offers or a link gives (`05` is 5).
    let age = filter.age.trim().parse::<i64>().ok().filter(|d| (1..=365).contains(d));
    let query = AlertFilter {
        state: match filter.state.as_str() {
            "reviewed" => AlertState::Reviewed,
            "all" => AlertState::All,
            _ => AlertState::Waiting,
        },
        rule: Rule::parse(&filter.rule),
        // Only a well-formed ODS code reaches the database (a NUL would be refused there).
        org_ods: crate::domain::OdsCode::parse(filter.org.trim()).ok().map(|c| c.to_string()),
        raised_before: age.map(|d| now - chrono::Duration::days(d)),
    };
    let mut people = store.alert_queue(area.id, &query, QUEUE_PEOPLE + 1).await.map_err(internal)?;
    let more = people.len() > QUEUE_PEOPLE;
    people.truncate(QUEUE_PEOPLE);
    let people = people
        .into_iter()
        .map(|p| {
            let waited = p.oldest_open.map(|o| (now - o).num_days());
            PersonRow {
                href: person_href(area.slug.as_str(), p.alert_id),
                name: p.person_name,
                role: p.person_role.unwrap_or_default(),
                organisations: p.organisations.join(", "),
                rules: p.rules.iter().map(|r| r.title().to_string()).collect(),
                waiting: p.open,
                total: p.total,
                oldest: match waited {
                    None => "Nothing waiting".into(),
                    Some(0) => "Today".into(),
                    Some(1) => "1 day".into(),
                    Some(d) => format!("{d} days"),
                },
                overdue: waited.is_some_and(|d| d >= i64::from(settings.review_target_days)),
                concern: p.concern,
            }
        })
        .collect();
    let mut organisations: Vec<(String, String)> = store.organisations(area.id).await.map_err(internal)?.into_iter().map(|o| (o.ods_code.to_string(), o.name)).collect();
    // The filter given back is the one applied, in the form the lists hold, so that what is
    // chosen shows chosen: a rule or status not recognised is none; an ODS code in upper case,
    // and, when it is not one of the area's organisations (alerts can be about others), listed.
    let mut filter = filter;
    filter.rule = query.rule.map(|r| r.as_str().to_string()).unwrap_or_default();
    filter.org = query.org_ods.clone().unwrap_or_default();
    if !filter.org.is_empty() && !organisations.iter().any(|(c, _)| *c == filter.org) {
        organisations.push((filter.org.clone(), filter.org.clone()));
    }
    filter.state = match query.state {
        AlertState::Waiting => String::new(),
        AlertState::Reviewed => "reviewed".into(),
        AlertState::All => "all".into(),
    };
    filter.age = age.map(|d| d.to_string()).unwrap_or_default();
    let today = crate::domain::uk_date(now);
    let referrals = store
        .referrals(area.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|r| ReferralRow {
            href: format!("/monitoring/{}/referrals/{}", area.slug, r.id),
            title: format!("Referral {}", r.id),
            person: r.person_name,
            organisation: r.org_name,
            due: crate::domain::when::day_of(r.due_on),
            overdue: r.outcome.is_none() && r.due_on < today,
            state: r.outcome.map_or_else(|| "Waiting for their reply".to_string(), |o| o.label().to_string()),
        })
        .collect();
    Ok(Some(MonitoringQueue {
        areas: mine,
        area_slug: area.slug.to_string(),
        area_name: area.name,
        filter,
        organisations,
        rules: Rule::ALL.iter().map(|r| (r.as_str().to_string(), r.title().to_string())).collect(),
        people,
        more,
        target_days: settings.review_target_days,
        referrals,
    }))
}

#[server(prefix = "/api", endpoint = "monitoring/person")]
pub async fn load_person_alerts(area: String, person: String, with_form: bool, done: Option<String>) -> Result<Option<PersonView>, ServerFnError> {
    use super::service::{ig_lead_area, ig_lead_areas, saved_form};
    use crate::access_log::describe::why;
    use crate::domain::when;
    use crate::server::{internal, services};
    let Some((me, mine)) = ig_lead_areas().await? else { return Ok(None) };
    let store = services()?.store;
    let Some(area) = ig_lead_area(&*store, &mine, &area).await? else { return Ok(None) };
    let key = match person.trim().parse::<i64>() {
        Ok(id) => store.alert(area.id, id).await.map_err(internal)?.map(|a| a.person_key),
        Err(_) => None,
    };
    let alerts = match key {
        Some(key) => store.person_alerts(area.id, &key).await.map_err(internal)?,
        None => Vec::new(),
    };
    let Some(first) = alerts.first().cloned() else {
        crate::ui::set_status(404);
        return Ok(None);
    };
    let settings = store.monitoring_settings(area.id).await.map_err(internal)?;
    let mut why_rules: Vec<_> = alerts.iter().map(|a| a.rule).collect();
    why_rules.sort();
    why_rules.dedup();
    let mut organisations: Vec<String> = alerts.iter().filter_map(|a| a.org_name.clone().or_else(|| a.org_ods.clone())).collect();
    organisations.sort();
    organisations.dedup();
    let (answers, errors) = if with_form { saved_form(&*store, &me.subject, &form_key(&me.subject, area.slug.as_str(), &person)).await? } else { (Vec::new(), Vec::new()) };
    let mut orgs: Vec<(String, String)> = alerts.iter().filter_map(|a| a.org_ods.clone().map(|c| (c.clone(), a.org_name.clone().unwrap_or(c)))).collect();
    orgs.sort();
    orgs.dedup_by(|a, b| a.0 == b.0);
    Ok(Some(PersonView {
        area_slug: area.slug.to_string(),
        area_name: area.name,
        person,
        name: first.person_name.clone(),
        role: first.person_role.clone().unwrap_or_default(),
        organisations: organisations.join(", "),
        // The explanation as raised is kept on each alert; the page explains each rule once,
        // with today's settings.
        why: why_rules.iter().map(|r| (r.title().to_string(), r.explanation(&settings))).collect(),
        concern: alerts.iter().any(|a| a.case_id.is_some() && a.status.is_open()),
        orgs,
        referral_days: crate::domain::monitoring::REFERRAL_WORKING_DAYS,
        alerts: alerts
            .into_iter()
            .map(|a| AlertRow {
                id: a.id,
                when: when::moment(a.recorded_at),
                patient: a.nhs_number.formatted(),
                organisation: a.org_name.clone().or(a.org_ods.clone()).unwrap_or_else(|| "Not given".into()),
                role: a.person_role.unwrap_or_default(),
                purpose: why(&a.purpose),
                rule: a.rule.title().to_string(),
                status: a.status.label().to_string(),
                waiting: a.status.is_open(),
                reason: a.reason.unwrap_or_default(),
            })
            .collect(),
        answers,
        errors,
        done,
    }))
}

#[server(prefix = "/api", endpoint = "monitoring/settings")]
pub async fn load_monitoring_settings(area: String, with_form: bool, done: Option<String>) -> Result<Option<SettingsView>, ServerFnError> {
    use super::service::{ig_lead_area, ig_lead_areas, saved_form};
    use crate::domain::monitoring::Rule;
    use crate::server::{internal, services};
    let Some((me, mine)) = ig_lead_areas().await? else { return Ok(None) };
    let store = services()?.store;
    let Some(area) = ig_lead_area(&*store, &mine, &area).await? else { return Ok(None) };
    let s = store.monitoring_settings(area.id).await.map_err(internal)?;
    let watch_list = store
        .watch_list(area.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|w| WatchRow { nhs_number: w.nhs_number.formatted(), reason: w.reason, added: crate::domain::when::day(w.added_at) })
        .collect();
    let (mut answers, mut errors) = (Vec::new(), Vec::new());
    if with_form {
        for form in ["settings", "watch-list"] {
            let (a, e) = saved_form(&*store, &me.subject, &form_key(&me.subject, area.slug.as_str(), form)).await?;
            answers.extend(a);
            errors.extend(e);
        }
    }
    Ok(Some(SettingsView {
        area_slug: area.slug.to_string(),
        area_name: area.name,
        rules: Rule::AUTOMATIC.iter().map(|r| (r.as_str().to_string(), r.title().to_string(), r.explanation(&s), s.is_on(*r))).collect(),
        start: s.working_hours_start.format("%H:%M").to_string(),
        end: s.working_hours_end.format("%H:%M").to_string(),
        volume: s.volume_threshold.to_string(),
        days: s.repeated_days.to_string(),
        window: s.repeated_window_days.to_string(),
        target: s.review_target_days.to_string(),
        watch_list,
        answers,
        errors,
        done,
    }))
}

#[server(prefix = "/api", endpoint = "monitoring/referral")]
pub async fn load_referral(area: String, id: String, with_form: bool, done: Option<String>) -> Result<Option<ReferralView>, ServerFnError> {
    use super::service::{ig_lead_area, ig_lead_areas, saved_form};
    use crate::access_log::describe::why;
    use crate::domain::when;
    use crate::server::{internal, services};
    let Some((me, mine)) = ig_lead_areas().await? else { return Ok(None) };
    let store = services()?.store;
    let Some(area) = ig_lead_area(&*store, &mine, &area).await? else { return Ok(None) };
    let referral = match id.trim().parse::<i64>() {
        Ok(id) => store.referral(area.id, id).await.map_err(internal)?,
        Err(_) => None,
    };
    let Some(r) = referral else {
        crate::ui::set_status(404);
        return Ok(None);
    };
    let alerts = store.referral_alerts(area.id, r.id).await.map_err(internal)?;
    let settings = store.monitoring_settings(area.id).await.map_err(internal)?;
    let mut rows = Vec::new();
    for a in &alerts {
        let fallback = a.rule.explanation(&settings);
        let viewed = store.access_event(&a.nhs_number, a.event_id).await.map_err(internal)?.map_or_else(|| "No longer held (past its retention period)".to_string(), |e| e.viewed);
        rows.push(PackRow {
            when: when::moment(a.recorded_at),
            patient: a.nhs_number.formatted(),
            organisation: a.org_name.clone().or(a.org_ods.clone()).unwrap_or_else(|| "Not given".into()),
            role: a.person_role.clone().unwrap_or_default(),
            purpose: why(&a.purpose),
            viewed,
            rule: a.rule.shared_title().to_string(),
            explanation: a.rule.shared_explanation(if a.explanation.is_empty() { &fallback } else { &a.explanation }),
        });
    }
    let mut concerns: Vec<String> = alerts.iter().filter_map(|a| a.case_reference.clone()).collect();
    concerns.sort();
    concerns.dedup();
    let staff_name = |subject: &str| {
        let store = store.clone();
        let subject = subject.to_string();
        async move { store.staff_member(&subject).await.ok().flatten().map_or(subject, |s| s.name) }
    };
    let referred = format!("{} by {}", when::moment(r.referred_at), staff_name(&r.referred_by).await);
    let outcome = match (r.outcome, &r.outcome_note, r.outcome_at, &r.outcome_by) {
        (Some(o), Some(note), Some(at), Some(by)) => Some((o.label().to_string(), note.clone(), format!("{} by {}", when::moment(at), staff_name(by).await))),
        _ => None,
    };
    let patient_told = r.patient_told.map(|told| match (told, r.patient_told_on) {
        (true, Some(on)) => format!("The patient was told on {}.", when::day_of(on)),
        (true, None) => "The patient was told.".to_string(),
        (false, _) => "The patient was not told.".to_string(),
    } + &r.patient_told_note.clone().filter(|n| !n.is_empty()).map(|n| format!(" {n}")).unwrap_or_default());
    let (answers, errors) = if with_form { saved_form(&*store, &me.subject, &form_key(&me.subject, area.slug.as_str(), &format!("referral-{}", r.id))).await? } else { (Vec::new(), Vec::new()) };
    let person_href = alerts.last().map(|a| person_href(area.slug.as_str(), a.id)).unwrap_or_default();
    Ok(Some(ReferralView {
        area_slug: area.slug.to_string(),
        area_name: area.name,
        id: r.id,
        person: r.person_name,
        person_href,
        role: alerts.iter().find_map(|a| a.person_role.clone()).unwrap_or_default(),
        organisation: format!("{} ({})", r.org_name, r.org_ods),
        contact: r.contact,
        due: when::day_of(r.due_on),
        overdue: r.outcome.is_none() && r.due_on < crate::domain::uk_date(chrono::Utc::now()),
        referred,
        note: r.note,
        rows,
        concerns,
        outcome,
        confirmed: r.outcome == Some(crate::domain::monitoring::ReferralOutcome::Confirmed),
        patient_told,
        answers,
        errors,
        done,
    }))
}

#[server(prefix = "/api", endpoint = "monitoring/figures")]
pub async fn load_monitoring_figures(area: String) -> Result<Option<FiguresView>, ServerFnError> {
    use super::service::{ig_lead_area, ig_lead_areas};
    use crate::server::{internal, services};
    let Some((_, mine)) = ig_lead_areas().await? else { return Ok(None) };
    let store = services()?.store;
    let Some(area) = ig_lead_area(&*store, &mine, &area).await? else { return Ok(None) };
    let settings = store.monitoring_settings(area.id).await.map_err(internal)?;
    let figures = super::service::figures(&*store, area.id, settings.review_target_days, crate::domain::uk_date(chrono::Utc::now()))
        .await
        .map_err(internal)?
        .into_iter()
        .map(|(q, f)| (q.label(), f.raised, f.reviewed_in_target, f.inappropriate, f.referred))
        .collect();
    Ok(Some(FiguresView { area_slug: area.slug.to_string(), area_name: area.name, target_days: settings.review_target_days, figures }))
}
