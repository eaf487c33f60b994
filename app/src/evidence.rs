//! Evidence for the assurance panel: the "evidence of engagement" report per area and date
//! range (every notice version with its review trail and publication window, every engagement
//! item, and page views per version per day, counted without cookies or identifiers), on
//! screen, printable and as CSV; and the public transparency figures per quarter.

use crate::components::{Layout, LoadError, PageTitle};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceVersion {
    pub format: String,
    pub version: i64,
    pub title: String,
    pub author: String,
    pub submitted: String,
    pub approver: String,
    pub approved: String,
    pub from: String,
    pub until: String,
    pub views: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceItem {
    pub kind: String,
    pub title: String,
    pub when: String,
    pub added_by: String,
    pub published: String,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub areas: Vec<(String, String)>,
    pub area_slug: String,
    pub area_name: String,
    /// The range as given (ISO dates) and as read.
    pub from: String,
    pub to: String,
    pub range: String,
    pub versions: Vec<EvidenceVersion>,
    pub items: Vec<EvidenceItem>,
    /// (day, format, version, views)
    pub views: Vec<(String, String, i64, i64)>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub area_slug: String,
    pub area_name: String,
    /// (quarter, objections received, upheld, declined, requests answered, answered in time)
    pub quarters: Vec<(String, String, String, String, String, String)>,
}

#[cfg(feature = "ssr")]
pub mod data {
    use super::*;
    use crate::domain::figures::{quarterly, shown, Counted};
    use crate::domain::uk_date;
    use crate::notices::data::{comms_areas, day, label, moment, staff};
    use crate::ssr::{internal, services, Area, Store, StoreResult};
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
                let v = crate::engagement::data::view(&i, now);
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
            crate::pages::set_status(403);
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

    pub async fn figures(slug: &str) -> Result<Option<Figures>, ServerFnError> {
        let Ok(slug) = crate::domain::AreaSlug::parse(slug) else { return Ok(None) };
        let store = services()?.store;
        let Some(area) = store.area_by_slug(&slug).await.map_err(internal)? else { return Ok(None) };
        let cases: Vec<Counted> = store
            .case_figures(area.id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|c| Counted::new(c.kind, c.status, c.received_on, c.due_on, c.closed_at))
            .collect();
        let quarters = quarterly(&cases, uk_date(Utc::now()))
            .into_iter()
            .map(|(q, f)| {
                (q.label(), shown(f.objections_received), shown(f.objections_upheld), shown(f.objections_declined), shown(f.requests_answered), shown(f.requests_answered_in_time))
            })
            .collect();
        Ok(Some(Figures { area_slug: area.slug.to_string(), area_name: area.name, quarters }))
    }
}

#[server(prefix = "/api", endpoint = "evidence/report")]
pub async fn evidence_report(area: Option<String>, from: String, to: String) -> Result<Option<Evidence>, ServerFnError> {
    data::evidence(area, from, to).await
}

#[server(prefix = "/api", endpoint = "evidence/figures")]
pub async fn transparency_figures(slug: String) -> Result<Option<Figures>, ServerFnError> {
    data::figures(&slug).await
}

#[component]
pub fn EvidencePage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let data = evidence_report(q.get("area"), q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default());
    view! {
        <Layout title="Evidence of engagement">
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(e)) => view! { <EvidenceView e=e/> }.into_any(),
                    Ok(None) => view! { <h1>"You cannot see this report"</h1><p>"The evidence report is for the comms editors and approvers of an area."</p> }.into_any(),
                    Err(err) => view! { <h1>"Evidence of engagement"</h1><LoadError error=err/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[component]
fn EvidenceView(e: Evidence) -> impl IntoView {
    let csv = format!("/notices/evidence.csv?area={}&from={}&to={}", e.area_slug, e.from, e.to);
    let errors: Vec<(String, String)> = e.error.clone().map(|m| vec![("from".to_string(), m)]).unwrap_or_default();
    view! {
        <crate::components::ErrorSummary errors=errors/>
        <span class="nhsuk-caption-l">{e.area_name.clone()}</span>
        <h1>"Evidence of engagement"</h1>
        <p>{format!("From {}.", e.range)}" What we published to tell people about the shared care record, who wrote and approved it, and how many times it was read."</p>
        <form action="/notices/evidence" method="get" class="scr-no-print">
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="area">"Area"</label>
                <select class="nhsuk-select" id="area" name="area">
                    {e.areas.iter().map(|(s, n)| view! { <option value=s.clone() selected=*s == e.area_slug>{n.clone()}</option> }).collect_view()}
                </select>
            </div>
            <div class=crate::forms::group_class(e.error.is_some())>
                <label class="nhsuk-label" for="from">"From (year-month-day)"</label>
                <crate::forms::ErrorMessage id="from" message=e.error.clone()/>
                <input class="nhsuk-input nhsuk-input--width-10" id="from" name="from" type="text" value=e.from.clone()/>
            </div>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="to">"To (year-month-day)"</label>
                <input class="nhsuk-input nhsuk-input--width-10" id="to" name="to" type="text" value=e.to.clone()/>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Show the report"</button>
        </form>
        <p class="scr-no-print"><a href=csv download>"Download as CSV"</a>" · To keep a copy as a document, print this page: the report prints without the menus."</p>
        <h2>"Privacy notice versions"</h2>
        <table class="nhsuk-table">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Every version in force in the range, with its review"</caption>
            <thead class="nhsuk-table__head"><tr>
                <th scope="col">"Version"</th><th scope="col">"Written and approved"</th><th scope="col">"In force"</th><th scope="col">"Views"</th>
            </tr></thead>
            <tbody class="nhsuk-table__body">
                {e.versions.into_iter().map(|v| view! { <tr class="nhsuk-table__row">
                    <td class="nhsuk-table__cell">{format!("{} version {}: {}", v.format, v.version, v.title)}</td>
                    <td class="nhsuk-table__cell">{if v.approver.is_empty() { v.author.clone() } else {
                        format!("Written by {}, sent {}; approved by {}, {}", v.author, v.submitted, v.approver, v.approved)
                    }}</td>
                    <td class="nhsuk-table__cell">{format!("{} to {}", v.from, v.until)}</td>
                    <td class="nhsuk-table__cell">{v.views}</td>
                </tr> }).collect_view()}
            </tbody>
        </table>
        <h2>"Engagement"</h2>
        {if e.items.is_empty() { view! { <p>"No engagement items in this range."</p> }.into_any() } else { view! {
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Every engagement item, withdrawn ones too"</caption>
                <thead class="nhsuk-table__head"><tr>
                    <th scope="col">"Item"</th><th scope="col">"When"</th><th scope="col">"Added"</th><th scope="col">"Status"</th>
                </tr></thead>
                <tbody class="nhsuk-table__body">
                    {e.items.into_iter().map(|i| view! { <tr class="nhsuk-table__row">
                        <td class="nhsuk-table__cell">{format!("{}: {}", i.kind, i.title)}</td>
                        <td class="nhsuk-table__cell">{i.when}</td>
                        <td class="nhsuk-table__cell">{i.added_by}</td>
                        <td class="nhsuk-table__cell">{i.status}</td>
                    </tr> }).collect_view()}
                </tbody>
            </table>
        }.into_any() }}
        <h2>"Views of the notice by day"</h2>
        <p>"Counted on our server each time the page is read. No cookie is set and no address or identifier is kept: only the version, the day and the count."</p>
        {if e.views.is_empty() { view! { <p>"No views in this range."</p> }.into_any() } else { view! {
            <table class="nhsuk-table">
                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Views per version per day"</caption>
                <thead class="nhsuk-table__head"><tr><th scope="col">"Day"</th><th scope="col">"Version"</th><th scope="col">"Views"</th></tr></thead>
                <tbody class="nhsuk-table__body">
                    {e.views.into_iter().map(|(d, f, v, n)| view! { <tr class="nhsuk-table__row">
                        <td class="nhsuk-table__cell">{d}</td><td class="nhsuk-table__cell">{format!("{f} version {v}")}</td><td class="nhsuk-table__cell">{n}</td>
                    </tr> }).collect_view()}
                </tbody>
            </table>
        }.into_any() }}
    }
}

#[component]
pub fn FiguresPage() -> impl IntoView {
    let slug = use_params_map().read_untracked().get("slug").unwrap_or_default();
    let data = transparency_figures(slug);
    view! {
        <Layout>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(f)) => view! {
                        <PageTitle text=format!("Objections and requests: {}", f.area_name)/>
                        <span class="nhsuk-caption-l">{f.area_name.clone()}</span>
                        <h1>"Objections and requests, in figures"</h1>
                        <p>"How many people objected to their information being in the shared care record, what we decided, and how quickly we answered requests for a copy of people's information (the law gives us one month)."</p>
                        <p>"To protect people's privacy, numbers from 1 to 4 are shown as \u{201c}fewer than 5\u{201d}."</p>
                        {if f.quarters.is_empty() { view! { <p>"There are no figures yet."</p> }.into_any() } else { view! {
                            <table class="nhsuk-table-responsive">
                                <caption class="nhsuk-table__caption">"Per quarter, newest first"</caption>
                                <thead class="nhsuk-table__head"><tr>
                                    <th scope="col">"Quarter"</th><th scope="col">"Objections received"</th><th scope="col">"Upheld"</th>
                                    <th scope="col">"Declined"</th><th scope="col">"Requests answered"</th><th scope="col">"Answered in time"</th>
                                </tr></thead>
                                <tbody class="nhsuk-table__body">
                                    {f.quarters.into_iter().map(|(q, r, u, d, a, t)| view! { <tr class="nhsuk-table__row">
                                        <th scope="row" class="nhsuk-table__cell">{q}</th>
                                        <td class="nhsuk-table__cell">{r}</td><td class="nhsuk-table__cell">{u}</td><td class="nhsuk-table__cell">{d}</td>
                                        <td class="nhsuk-table__cell">{a}</td><td class="nhsuk-table__cell">{t}</td>
                                    </tr> }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any() }}
                        <p><a href=format!("/areas/{}", f.area_slug)>"Read the privacy notice"</a></p>
                    }.into_any(),
                    Ok(None) => view! { <crate::pages::NotFoundBody/> }.into_any(),
                    Err(e) => view! { <h1>"Sorry, there is a problem with the service"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}
