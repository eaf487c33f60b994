//! Building the evidence of engagement report and the public figures.

use super::api::*;
use leptos::prelude::*;
use crate::domain::figures::{quarterly, shown, Counted};
use crate::domain::uk_date;
use crate::domain::when::{day, moment};
use crate::notices::service::{comms_areas, label, staff};
use crate::server::{internal, services, Area, Store, StoreResult};
use chrono::{NaiveDate, Utc};

/// The report's range: ISO dates, defaulting to the last twelve months.
pub fn range(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let today = uk_date(Utc::now());
    let parse = |s: &str, default: NaiveDate| {
        if s.trim().is_empty() { Ok(default) } else { NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| "Enter dates like 2026-04-01".to_string()) }
    };
    let (f, t) = (parse(from, today - chrono::Duration::days(365))?, parse(to, today)?);
    if f > t {
        return Err("The start of the range must be on or before its end".into());
    }
    Ok((f, t))
}

pub async fn build(store: &dyn Store, area: &Area, from: NaiveDate, to: NaiveDate) -> StoreResult<(Vec<EvidenceVersion>, Vec<EvidenceItem>, Vec<(String, String, i64, i64)>)> {
    let now = Utc::now();
    let all = store.notice_versions(area.id).await?;
    let views = store.notice_views(area.id, from, to).await?;
    let mut versions = Vec::new();
    for n in all.iter().filter(|n| n.published_at <= now) {
        let until = all.iter().filter(|x| x.variant == n.variant && x.version > n.version && x.published_at <= now).map(|x| x.published_at).min();
        // In force at any point of the range.
        let starts = uk_date(n.published_at);
        if starts > to || until.is_some_and(|u| uk_date(u) < from) {
            continue;
        }
        versions.push(EvidenceVersion {
            format: label(&n.variant),
            version: n.version,
            title: n.title.clone(),
            author: n.author_name.clone().unwrap_or_else(|| "Before reviews were recorded".into()),
            submitted: n.submitted_at.map(moment).unwrap_or_default(),
            approver: n.approver_name.clone().unwrap_or_default(),
            approved: n.approved_at.map(moment).unwrap_or_default(),
            from: moment(n.published_at),
            until: until.map(moment).unwrap_or_else(|| "In force".into()),
            views: views.iter().filter(|v| v.0 == n.id).map(|v| v.2).sum(),
        });
    }
    let items = store
        .engagement_items(area.id)
        .await?
        .into_iter()
        .filter(|i| {
            let published = uk_date(i.publish_at);
            published <= to && i.withdrawn_at.is_none_or(|w| uk_date(w) >= from)
        })
        .map(|i| {
            let v = crate::engagement::service::view(&i, now);
            EvidenceItem {
                kind: v.kind_label,
                title: i.title,
                when: v.when.unwrap_or_default(),
                added_by: format!("{} on {}", i.created_by_name, day(i.created_at)),
                published: moment(i.publish_at),
                status: v.state,
            }
        })
        .collect();
    let views = views
        .into_iter()
        .filter_map(|(id, d, n)| all.iter().find(|x| x.id == id).map(|x| (d.format("%Y-%m-%d").to_string(), label(&x.variant), x.version, n)))
        .collect();
    Ok((versions, items, views))
}

pub async fn evidence(area: Option<String>, from: String, to: String) -> Result<Option<Evidence>, ServerFnError> {
    let Some(me) = staff() else { return Ok(None) };
    let store = services()?.store;
    let areas = comms_areas(&*store, &me).await.map_err(internal)?;
    let Some((chosen, _, _)) = areas.iter().find(|(a, _, _)| Some(a.slug.as_str()) == area.as_deref()).or(areas.first()) else {
        crate::ui::set_status(403);
        return Ok(None);
    };
    let listed = areas.iter().map(|(a, _, _)| (a.slug.to_string(), a.name.clone())).collect();
    let (error, (f, t)) = match range(&from, &to) {
        Ok(r) => (None, r),
        Err(e) => (Some(e), range("", "").map_err(internal)?),
    };
    let (versions, items, views) = build(&*store, chosen, f, t).await.map_err(internal)?;
    Ok(Some(Evidence {
        areas: listed,
        area_slug: chosen.slug.to_string(),
        area_name: chosen.name.clone(),
        from: f.format("%Y-%m-%d").to_string(),
        to: t.format("%Y-%m-%d").to_string(),
        range: format!("{} to {}", f.format("%-d %B %Y"), t.format("%-d %B %Y")),
        versions,
        items,
        views,
        error,
    }))
}

/// How many days of audit chain digests the figures page shows.
const DIGEST_DAYS: u64 = 14;

/// A chain's head at the end of each of the last days (UK time), newest first: (day in words,
/// entries, digest). One indexed read a day, whatever the chain's length.
async fn daily_digests(store: &dyn Store, area_id: i64) -> StoreResult<Vec<(String, i64, String)>> {
    let today = uk_date(Utc::now());
    let mut out = Vec::new();
    for back in 1..=DIGEST_DAYS {
        let Some(day) = today.checked_sub_days(chrono::Days::new(back)) else { break };
        let Some(next) = day.succ_opt() else { break };
        let end = crate::domain::uk_local_to_utc(next.and_time(chrono::NaiveTime::MIN));
        match store.audit_head_before(area_id, end).await? {
            Some((seq, hash, _)) => out.push((crate::domain::when::day_of(day), seq, hash)),
            None => break,
        }
    }
    Ok(out)
}

pub async fn figures(slug: &str) -> Result<Option<Figures>, ServerFnError> {
    let Ok(slug) = crate::domain::AreaSlug::parse(slug) else { return Ok(None) };
    let store = services()?.store;
    let Some(area) = store.area_by_slug(&slug).await.map_err(internal)? else { return Ok(None) };
    let cases: Vec<Counted> = store
        .case_figures(area.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|c| Counted::new(c.kind, c.status, c.received_on, c.due_on, c.closed_at).acknowledged(c.acknowledged_at))
        .collect();
    let counted = quarterly(&cases, uk_date(Utc::now()));
    let quarters = counted
        .iter()
        .map(|(q, f)| {
            (q.label(), shown(f.objections_received), shown(f.objections_upheld), shown(f.objections_declined), shown(f.requests_answered), shown(f.requests_answered_in_time))
        })
        .collect();
    let complaints = counted
        .iter()
        .map(|(q, f)| {
            vec![
                q.label(),
                shown(f.complaints_received),
                shown(f.complaints_acknowledged_in_time),
                shown(f.complaints_answered),
                shown(f.complaints_answered_in_time),
                shown(f.complaints_upheld),
            ]
        })
        .collect();
    let digests = daily_digests(&*store, area.id).await.map_err(internal)?;
    let portal_digests = daily_digests(&*store, 0).await.map_err(internal)?;
    let settings = store.monitoring_settings(area.id).await.map_err(internal)?;
    let monitoring = crate::monitoring::service::figures(&*store, area.id, settings.review_target_days, uk_date(Utc::now()))
        .await
        .map_err(internal)?
        .into_iter()
        .map(|(q, f)| (q.label(), shown(f.raised), shown(f.reviewed_in_target), shown(f.inappropriate), shown(f.referred)))
        .collect();
    Ok(Some(Figures { area_slug: area.slug.to_string(), area_name: area.name, quarters, complaints, monitoring, review_target_days: settings.review_target_days, digests, portal_digests }))
}
