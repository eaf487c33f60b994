//! Evidence for the assurance panel: the "evidence of engagement" report per area and date
//! range (every notice version with its review trail and publication window, every engagement
//! item, and page views per version per day, counted without cookies or identifiers), on
//! screen, printable and as CSV; and the public transparency figures per quarter.

pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::ui::{loaded, Layout, PageTitle};
use api::*;
use crate::ui::Table;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn EvidencePage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let data = evidence_report(q.get("area"), q.get("from").unwrap_or_default(), q.get("to").unwrap_or_default());
    view! {
        <Layout title="Evidence of engagement">
            {loaded(data, move |v| match v {
                    Some(e) => view! { <EvidenceView e=e/> }.into_any(),
                    None => view! { <h1>"You cannot see this report"</h1><p>"The evidence report is for the comms editors and approvers of an area."</p> }.into_any(),
                })}
        </Layout>
    }
}

#[component]
fn EvidenceView(e: Evidence) -> impl IntoView {
    let csv = format!("/notices/evidence.csv?area={}&from={}&to={}", e.area_slug, e.from, e.to);
    let errors: Vec<(String, String)> = e.error.clone().map(|m| vec![("from".to_string(), m)]).unwrap_or_default();
    view! {
        <crate::ui::ErrorSummary errors=errors/>
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
            <div class=crate::ui::group_class(e.error.is_some())>
                <label class="nhsuk-label" for="from">"From (year-month-day)"</label>
                <crate::ui::ErrorMessage id="from" message=e.error.clone()/>
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
        <Table caption="Every version in force in the range, with its review" hide_caption=true headings=vec!["Version", "Written and approved", "In force", "Views"]
    rows={e.versions.into_iter().map(|v| vec![
            view! { {format!("{} version {}: {}", v.format, v.version, v.title)} }.into_any(),
            view! { {if v.approver.is_empty() { v.author.clone() } else {
                        format!("Written by {}, sent {}; approved by {}, {}", v.author, v.submitted, v.approver, v.approved)
                    }} }.into_any(),
            view! { {format!("{} to {}", v.from, v.until)} }.into_any(),
            view! { {v.views} }.into_any(),
        ]).collect::<Vec<_>>()}/>
        <h2>"Engagement"</h2>
        {if e.items.is_empty() { view! { <p>"No engagement items in this range."</p> }.into_any() } else { view! {
            <Table caption="Every engagement item, withdrawn ones too" hide_caption=true headings=vec!["Item", "When", "Added", "Status"]
    rows={e.items.into_iter().map(|i| vec![
            view! { {format!("{}: {}", i.kind, i.title)} }.into_any(),
            view! { {i.when} }.into_any(),
            view! { {i.added_by} }.into_any(),
            view! { {i.status} }.into_any(),
        ]).collect::<Vec<_>>()}/>
        }.into_any() }}
        <h2>"Views of the notice by day"</h2>
        <p>"Counted on our server each time the page is read. No cookie is set and no address or identifier is kept: only the version, the day and the count."</p>
        {if e.views.is_empty() { view! { <p>"No views in this range."</p> }.into_any() } else { view! {
            <Table caption="Views per version per day" hide_caption=true headings=vec!["Day", "Version", "Views"]
    rows={e.views.into_iter().map(|(d, f, v, n)| vec![
            view! { {d} }.into_any(),
            view! { {format!("{f} version {v}")} }.into_any(),
            view! { {n} }.into_any(),
        ]).collect::<Vec<_>>()}/>
        }.into_any() }}
    }
}

#[component]
pub fn FiguresPage() -> impl IntoView {
    crate::ui::public_page();
    let slug = use_params_map().read_untracked().get("slug").unwrap_or_default();
    let data = transparency_figures(slug);
    view! {
        <Layout>
            {loaded(data, move |v| match v {
                    Some(f) => view! {
                        <PageTitle text=format!("Objections and requests: {}", f.area_name)/>
                        <span class="nhsuk-caption-l">{f.area_name.clone()}</span>
                        <h1>"Objections and requests, in figures"</h1>
                        <p>"How many people objected to their information being in the shared care record, what we decided, and how quickly we answered requests for a copy of people's information (the law gives us one month)."</p>
                        <p>"To protect people's privacy, numbers from 1 to 4 are shown as \u{201c}fewer than 5\u{201d}."</p>
                        {if f.quarters.is_empty() { view! { <p>"There are no figures yet."</p> }.into_any() } else { view! {
                            <Table caption="Per quarter, newest first"
                                headings=vec!["Quarter", "Objections received", "Upheld", "Declined", "Requests answered", "Answered in time"]
                                rows={f.quarters.into_iter().map(|(q, r, u, d, a, t)| vec![
                                    q.into_any(), r.into_any(), u.into_any(), d.into_any(), a.into_any(), t.into_any(),
                                ]).collect::<Vec<_>>()}/>
                        }.into_any() }}
                        <h2>"Complaints and requests to look again"</h2>
                        <p>"Anyone can complain to us about how we handled their information, or ask us to look at a decision again. We acknowledge each complaint within 30 days, give a date for our answer, and keep the person updated."</p>
                        {if f.complaints.iter().all(|row| row[1..].iter().all(|n| n == "0")) { view! { <p>"There have been no complaints yet."</p> }.into_any() } else { view! {
                            <Table caption="Complaints per quarter, newest first"
                                headings=vec!["Quarter", "Received", "Acknowledged within 30 days", "Answered", "Answered by the date we gave", "Upheld in whole or part"]
                                rows={f.complaints.into_iter().map(|row| row.into_iter().map(|cell| cell.into_any()).collect::<Vec<_>>()).collect::<Vec<_>>()}/>
                        }.into_any() }}
                        <h2>"Checking who looks at records"</h2>
                        <p>{format!("Our information governance team reviews accesses to shared care records that our rules flag: emergency access, access out of hours, unusual numbers of records, and others. We aim to review each within {} days. Where an access may have been wrong, we ask the person\u{2019}s employer to look into it.", f.review_target_days)}</p>
                        {if f.monitoring.is_empty() { view! { <p>"No accesses have been flagged yet."</p> }.into_any() } else { view! {
                            <Table caption="Alerts per quarter, newest first (one access can raise more than one)"
                                headings=vec!["Quarter", "Alerts raised", "Reviewed in time", "Found inappropriate", "Referred to the employer"]
                                rows={f.monitoring.into_iter().map(|(q, raised, in_time, bad, referred)| vec![
                                    q.into_any(), raised.into_any(), in_time.into_any(), bad.into_any(), referred.into_any(),
                                ]).collect::<Vec<_>>()}/>
                        }.into_any() }}
                        <h2 id="audit-trail">"Fingerprints of the audit trail"</h2>

                        <p>"Every time a professional looks at a shared care record, the system they use tells us, and everything our staff do with people\u{2019}s objections and requests is recorded too. A few minutes after each record arrives, the portal seals it into a chain in which every seal depends on all the seals before it."</p>
                        <p>"Below is the fingerprint of this area\u{2019}s chain at the end of each recent day. Anyone may keep a copy: this page is worked out from the chain itself, so it is a copy kept elsewhere that counts. If a record sealed before a fingerprint you kept were later changed, removed or slipped in, and the chain rewritten to hide it, your fingerprint would no longer be found in the chain, and our check would say so."</p>
                        {if f.digests.is_empty() { view! { <p>"Nothing has been sealed yet."</p> }.into_any() } else { view! {
                            <Table caption="The chain\u{2019}s fingerprint at the end of each day, newest first"
                                headings=vec!["End of", "Seals", "Fingerprint (SHA-256)"]
                                rows={f.digests.into_iter().map(|(day, seq, hash)| vec![
                                    day.into_any(), view! { {seq} }.into_any(), view! { <code class="scr-digest">{hash}</code> }.into_any(),
                                ]).collect::<Vec<_>>()}/>
                        }.into_any() }}
                        {(!f.portal_digests.is_empty()).then(|| view! {
                            <Table caption="The portal\u{2019}s own chain (records from systems outside any one area, and deletions at the end of the longest retention period), at the end of each day"
                                headings=vec!["End of", "Seals", "Fingerprint (SHA-256)"]
                                rows={f.portal_digests.into_iter().map(|(day, seq, hash)| vec![
                                    day.into_any(), view! { {seq} }.into_any(), view! { <code class="scr-digest">{hash}</code> }.into_any(),
                                ]).collect::<Vec<_>>()}/>
                        })}
                        <p><a href=format!("/areas/{}", f.area_slug)>"Read the privacy notice"</a></p>
                    }.into_any(),
                    None => view! { <crate::public::NotFoundBody/> }.into_any(),
                })}
        </Layout>
    }
}
