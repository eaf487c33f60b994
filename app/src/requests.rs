//! "Your requests": every objection and request the patient has made, where each stands, and
//! every step so far in plain English. Only ever the signed-in patient's own.

use crate::components::{Layout, LoadError, PageTitle};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestSummary {
    pub reference: String,
    pub kind: String,
    pub status: String,
    pub tag_class: String,
    pub received: String,
    /// "Due by 24 December 2026", or why there is no date.
    pub due: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestDetail {
    pub summary: RequestSummary,
    pub asked: Vec<(String, Vec<String>)>,
    pub timeline: Vec<(String, String)>,
    pub can_withdraw: bool,
    pub is_objection: bool,
    /// The decision's heading and reason, when there is one.
    pub decision: Option<(String, String)>,
    pub declined: bool,
    /// Each organisation an upheld objection applies to, and whether it has acted.
    pub effects: Vec<(String, bool)>,
    /// Where to download the response, and until when.
    pub download: Option<(String, String)>,
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::*;
    use crate::domain::{CaseKind, CaseStatus};
    use crate::ssr::{CaseDetails, CaseRecord};

    pub fn long_date(d: chrono::NaiveDate) -> String {
        d.format("%-d %B %Y").to_string()
    }

    pub fn summary(c: &CaseRecord) -> RequestSummary {
        let due = if c.status.is_open() {
            Some(match (c.status, c.due_on) {
                (CaseStatus::InformationNeeded, _) | (_, None) => "Paused until we hear from you".to_string(),
                (_, Some(d)) => format!("Due by {}", long_date(d)),
            })
        } else {
            None
        };
        RequestSummary {
            reference: c.reference.to_string(),
            kind: c.kind.label().to_string(),
            status: c.status.label().to_string(),
            tag_class: c.status.tag_class().to_string(),
            received: long_date(c.received_on),
            due,
        }
    }

    pub fn asked(c: &CaseRecord) -> Vec<(String, Vec<String>)> {
        let mut rows: Vec<(String, Vec<String>)> = match &c.details {
            CaseDetails::Objection(o) => vec![
                ("What it is about".into(), vec![o.scope.describe()]),
                ("Your reason".into(), vec![o.reason.as_str().to_string()]),
            ],
            CaseDetails::AccessConcern(concern) => vec![
                ("The access".into(), vec![concern.summary.clone()]),
                ("What you told us".into(), vec![concern.words.as_str().to_string()]),
            ],
            CaseDetails::AccessRequest(r) => vec![
                ("What you asked for".into(), r.describe_info().into_iter().map(String::from).collect()),
                ("Dates".into(), vec![r.describe_dates()]),
                ("How you will receive it".into(), vec![r.delivery.label().to_string()]),
            ],
        };
        rows.push(("Updates".into(), vec![c.contact.describe()]));
        rows
    }

    pub fn is_objection(c: &CaseRecord) -> bool {
        c.kind == CaseKind::Objection
    }
}

#[server(prefix = "/api", endpoint = "requests/list")]
pub async fn your_requests() -> Result<Option<Vec<RequestSummary>>, ServerFnError> {
    use crate::people::SignedIn;
    let Some(SignedIn::Patient(p)) = crate::ssr::signed_in() else {
        crate::ssr::redirect("/sign-in");
        return Ok(None);
    };
    let store = crate::ssr::services()?.store;
    let cases = store.cases_for_patient(&p.subject).await.map_err(crate::ssr::internal)?;
    Ok(Some(cases.iter().map(ssr::summary).collect()))
}

#[server(prefix = "/api", endpoint = "requests/one")]
pub async fn your_request(reference: String) -> Result<Option<RequestDetail>, ServerFnError> {
    use crate::domain::CaseStatus;
    use crate::people::SignedIn;
    let Some(SignedIn::Patient(p)) = crate::ssr::signed_in() else {
        crate::ssr::redirect("/sign-in");
        return Ok(None);
    };
    let store = crate::ssr::services()?.store;
    let Some(case) = crate::ssr::cases::patients_case(&*store, &p, &reference).await.map_err(crate::ssr::internal)? else {
        crate::pages::set_status(404);
        return Ok(None);
    };
    let events = store.case_events(case.id).await.map_err(crate::ssr::internal)?;
    let timeline = events
        .into_iter()
        .filter(|e| e.public)
        .map(|e| (ssr::long_date(crate::domain::uk_date(e.at)), e.text))
        .collect();
    let effects = store.effects(case.id).await.map_err(crate::ssr::internal)?.into_iter().map(|e| (e.name, e.applied_at.is_some())).collect();
    let now = chrono::Utc::now();
    let (decision, download) = match &case.outcome {
        Some(crate::ssr::CaseOutcome::Decision { reason_title, reason, .. }) => (Some((reason_title.clone(), reason.clone())), None),
        Some(crate::ssr::CaseOutcome::Response { available_until: Some(until), document_id: Some(_), .. }) if *until > now => (
            None,
            Some((format!("/your-requests/{}/download", case.reference), ssr::long_date(crate::domain::uk_date(*until)))),
        ),
        _ => (None, None),
    };
    Ok(Some(RequestDetail {
        summary: ssr::summary(&case),
        asked: ssr::asked(&case),
        timeline,
        can_withdraw: case.status.can_become(CaseStatus::Withdrawn, case.kind),
        is_objection: ssr::is_objection(&case),
        decision,
        declined: case.status == CaseStatus::Declined,
        effects,
        download,
    }))
}

#[component]
pub fn YourRequestsPage() -> impl IntoView {
    let data = your_requests();
    view! {
        <Layout title="Your requests">
            <h1>"Your requests"</h1>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(list)) if list.is_empty() => view! {
                        <p>"You have not made any objections or requests."</p>
                        <StartLinks/>
                    }.into_any(),
                    Ok(Some(list)) => view! {
                        <table class="nhsuk-table-responsive">
                            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Your objections and requests"</caption>
                            <thead class="nhsuk-table__head">
                                <tr role="row">
                                    <th role="columnheader" scope="col">"Reference"</th>
                                    <th role="columnheader" scope="col">"What"</th>
                                    <th role="columnheader" scope="col">"Received"</th>
                                    <th role="columnheader" scope="col">"Status"</th>
                                </tr>
                            </thead>
                            <tbody class="nhsuk-table__body">
                                {list.into_iter().map(|r| view! {
                                    <tr role="row" class="nhsuk-table__row">
                                        <td role="cell" class="nhsuk-table__cell">
                                            <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Reference "</span>
                                            <a href=format!("/your-requests/{}", r.reference)>{r.reference.clone()}</a>
                                        </td>
                                        <td role="cell" class="nhsuk-table__cell">
                                            <span class="nhsuk-table-responsive__heading" aria-hidden="true">"What "</span>{r.kind.clone()}
                                        </td>
                                        <td role="cell" class="nhsuk-table__cell">
                                            <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Received "</span>{r.received.clone()}
                                        </td>
                                        <td role="cell" class="nhsuk-table__cell">
                                            <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Status "</span>
                                            <strong class=r.tag_class.clone()>{r.status.clone()}</strong>
                                            {r.due.clone().map(|d| view! { <span class="nhsuk-body-s nhsuk-u-display-block">{d}</span> })}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <StartLinks/>
                    }.into_any(),
                    Ok(None) => view! { <p><a href="/sign-in">"Sign in to see your requests"</a></p> }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[component]
fn StartLinks() -> impl IntoView {
    view! {
        <ul class="nhsuk-list">
            <li><a href="/objections/new">"Object to your information being in the shared care record"</a></li>
            <li><a href="/access-requests/new">"Ask for a copy of your information"</a></li>
        </ul>
    }
}

fn reference_param() -> String {
    use_params_map().read_untracked().get("reference").unwrap_or_default()
}

/// One request: what was asked, where it stands and every step so far.
#[component]
pub fn YourRequestPage() -> impl IntoView {
    let reference = reference_param();
    let data = your_request(reference.clone());
    view! {
        <Layout>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(d)) => view! { <RequestBody d=d/> }.into_any(),
                    Ok(None) => view! {
                        <PageTitle text="Page not found"/>
                        <h1>"Page not found"</h1>
                        <p>"We could not find that request. Check the reference, or see "<a href="/your-requests">"all your requests"</a>"."</p>
                    }.into_any(),
                    Err(e) => view! { <PageTitle text="Your request"/><h1>"Your request"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[component]
fn SummaryRows(rows: Vec<(String, Vec<String>)>) -> impl IntoView {
    view! {
        <dl class="nhsuk-summary-list">
            {rows.into_iter().map(|(k, lines)| view! {
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">{k}</dt>
                    <dd class="nhsuk-summary-list__value">
                        {lines.into_iter().map(|l| view! { <p class="nhsuk-body nhsuk-u-margin-bottom-1 scr-preserve-lines">{l}</p> }).collect_view()}
                    </dd>
                </div>
            }).collect_view()}
        </dl>
    }
}

#[component]
fn RequestBody(d: RequestDetail) -> impl IntoView {
    let s = d.summary;
    let title = format!("{} {}", s.kind, s.reference);
    let withdraw = d.can_withdraw.then(|| {
        let what = if d.is_objection { "objection" } else { "request" };
        view! {
            <h2>{format!("Withdraw this {what}")}</h2>
            <p>{format!("You can withdraw your {what} until your area has decided it.")}</p>
            <a class="nhsuk-button nhsuk-button--secondary" role="button" draggable="false"
                href=format!("/your-requests/{}/withdraw", s.reference)>{format!("Withdraw {what}")}</a>
        }
    });
    view! {
        <PageTitle text=title/>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <span class="nhsuk-caption-l">{s.reference.clone()}</span>
                <h1>{s.kind.clone()}</h1>
                <p><strong class=s.tag_class.clone()>{s.status.clone()}</strong></p>
                {s.due.clone().map(|due| view! { <p>{due}</p> })}
                {d.download.clone().map(|(href, until)| view! {
                    <h2>"Your information is ready"</h2>
                    <p>{format!("You can download it until {until}. It is a ZIP file with a page you can read in a web browser, and the same information for health and care systems.")}</p>
                    <p><a class="nhsuk-button" role="button" draggable="false" href=href download="">"Download your information"</a></p>
                })}
                {d.decision.clone().map(|(title, reason)| view! {
                    <h2>"The decision"</h2>
                    <p><strong>{title}</strong></p>
                    <p class="scr-preserve-lines">{reason}</p>
                })}
                {(!d.effects.is_empty()).then(|| view! {
                    <h2>"What each organisation is doing"</h2>
                    <ul class="nhsuk-list">
                        {d.effects.clone().into_iter().map(|(name, done)| view! {
                            <li>{name}" "
                                {if done {
                                    view! { <strong class="nhsuk-tag nhsuk-tag--green">"Stopped sharing"</strong> }.into_any()
                                } else {
                                    view! { <strong class="nhsuk-tag nhsuk-tag--blue">"In progress"</strong> }.into_any()
                                }}
                            </li>
                        }).collect_view()}
                    </ul>
                })}
                {d.declined.then(|| view! {
                    <h2>"If you are not happy with this decision"</h2>
                    <p>"Contact your area using the details in its privacy notice and ask it to look again."</p>
                    <p>"You can also complain to the Information Commissioner's Office (ICO), which upholds information rights: "
                        <a href="https://ico.org.uk/make-a-complaint/" rel="external">"make a complaint to the ICO"</a>
                        ", or call 0303 123 1113."</p>
                })}
                <h2>"What you asked"</h2>
                <SummaryRows rows=d.asked/>
                <h2>"What has happened so far"</h2>
                <ol class="nhsuk-list scr-timeline">
                    {d.timeline.into_iter().map(|(day, text)| view! {
                        <li>
                            <p class="nhsuk-body-s nhsuk-u-secondary-text-color nhsuk-u-margin-bottom-1">{day}</p>
                            <p>{text}</p>
                        </li>
                    }).collect_view()}
                </ol>
                {withdraw}
                <p><a href="/your-requests">"All your requests"</a></p>
            </div>
        </div>
    }
}

/// After sending: the reference to quote, and what happens next.
#[component]
pub fn RequestSentPage() -> impl IntoView {
    let data = your_request(reference_param());
    view! {
        <Layout>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(d)) => {
                        let s = d.summary;
                        let heading = if d.is_objection {
                            "Objection sent"
                        } else if s.reference.starts_with("CON-") {
                            "Concern sent"
                        } else {
                            "Request sent"
                        };
                        view! {
                            <PageTitle text=heading/>
                            <div class="nhsuk-grid-row">
                                <div class="nhsuk-grid-column-two-thirds">
                                    <div class="nhsuk-card nhsuk-card--confirmation scr-confirmation">
                                        <div class="nhsuk-card__content">
                                            <h1 class="nhsuk-card__heading">{heading}</h1>
                                            <p class="nhsuk-card__description">"Your reference is"</p>
                                            <p class="nhsuk-heading-l nhsuk-u-margin-bottom-0"><strong>{s.reference.clone()}</strong></p>
                                        </div>
                                    </div>
                                    {s.due.clone().map(|due| view! { <p>{format!("{due}. We will tell you when there is an update.")}</p> })}
                                    <h2>"What happens next"</h2>
                                    <p>{if d.is_objection {
                                        "Your area will consider your objection. It may contact you if it needs to know more. It will tell you its decision and the reasons for it."
                                    } else if s.reference.starts_with("CON-") {
                                        "Your area's information governance lead will find out why this person looked at your record, and tell you what they find."
                                    } else {
                                        "Your area may contact you if it needs to check your identity or understand what you want. The time it has to answer stops while it waits for you."
                                    }}</p>
                                    <p><a href=format!("/your-requests/{}", s.reference)>{format!("See this {}", if d.is_objection { "objection" } else if s.reference.starts_with("CON-") { "concern" } else { "request" })}</a></p>
                                    <p><a href="/your-requests">"All your requests"</a></p>
                                </div>
                            </div>
                        }.into_any()
                    }
                    Ok(None) => view! { <PageTitle text="Page not found"/><h1>"Page not found"</h1> }.into_any(),
                    Err(e) => view! { <PageTitle text="Request sent"/><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

/// "Are you sure?" before withdrawing: a plain form post.
#[component]
pub fn WithdrawPage() -> impl IntoView {
    let reference = reference_param();
    let data = your_request(reference.clone());
    view! {
        <Layout>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(d)) if d.can_withdraw => {
                        let what = if d.is_objection { "objection" } else { "request" };
                        let heading = format!("Are you sure you want to withdraw your {what}?");
                        view! {
                            <PageTitle text=heading.clone()/>
                            <span class="nhsuk-caption-l">{d.summary.reference.clone()}</span>
                            <h1>{heading}</h1>
                            <p>{format!("Your area will stop working on it. If you change your mind, you can make a new {what}.")}</p>
                            <form action=format!("/your-requests/{}/withdraw", d.summary.reference) method="post">
                                <button class="nhsuk-button nhsuk-button--warning" type="submit">{format!("Yes, withdraw my {what}")}</button>
                            </form>
                            <p><a href=format!("/your-requests/{}", d.summary.reference)>{format!("No, keep my {what}")}</a></p>
                        }.into_any()
                    }
                    Ok(Some(d)) => view! {
                        <PageTitle text="This cannot be withdrawn"/>
                        <h1>"This cannot be withdrawn"</h1>
                        <p>"It has already been decided or withdrawn."</p>
                        <p><a href=format!("/your-requests/{}", d.summary.reference)>"Back to it"</a></p>
                    }.into_any(),
                    Ok(None) => view! { <PageTitle text="Page not found"/><h1>"Page not found"</h1> }.into_any(),
                    Err(e) => view! { <PageTitle text="Withdraw"/><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}
