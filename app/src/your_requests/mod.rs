//! "Your requests": every objection, request and concern the patient has made, where each
//! stands, and every step so far in plain English; withdrawing one; downloading a response.

pub mod api;
#[cfg(feature = "ssr")]
pub mod form;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::ui::{loaded, Layout, PageTitle, SummaryRows, Table};
use api::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn YourRequestsPage() -> impl IntoView {
    let data = your_requests();
    view! {
        <Layout title="Your requests">
            <h1>"Your requests"</h1>
            {loaded(data, |list| match list {
                Some(list) if list.is_empty() => view! {
                    <p>"You have not made any objections or requests."</p>
                    <StartLinks/>
                }.into_any(),
                Some(list) => {
                    let rows = list.into_iter().map(|r| vec![
                        view! { <a href=format!("/your-requests/{}", r.reference)>{r.reference.clone()}</a> }.into_any(),
                        r.kind.into_any(),
                        r.received.into_any(),
                        view! {
                            <strong class=r.tag_class>{r.status}</strong>
                            {r.due.map(|d| view! { <span class="nhsuk-body-s nhsuk-u-display-block">{d}</span> })}
                        }.into_any(),
                    ]).collect();
                    view! {
                        <Table caption="Your objections and requests" hide_caption=true
                            headings=vec!["Reference", "What", "Received", "Status"] rows={rows}/>
                        <StartLinks/>
                    }.into_any()
                }
                None => view! { <p><a href="/sign-in">"Sign in to see your requests"</a></p> }.into_any(),
            })}
        </Layout>
    }
}

#[component]
fn StartLinks() -> impl IntoView {
    view! {
        <ul class="nhsuk-list">
            <li><a href="/objections/new">"Object to your information being in the shared care record"</a></li>
            <li><a href="/access-requests/new">"Ask for a copy of your information"</a></li>
            <li><a href="/complaints/new">"Complain, or ask us to look at a decision again"</a></li>
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
            {loaded(data, move |v| match v {
                    Some(d) => view! { <RequestBody d=d/> }.into_any(),
                    None => view! {
                        <PageTitle text="Page not found"/>
                        <h1>"Page not found"</h1>
                        <p>"We could not find that request. Check the reference, or see "<a href="/your-requests">"all your requests"</a>"."</p>
                    }.into_any(),
                })}
        </Layout>
    }
}

#[component]
fn RequestBody(d: RequestDetail) -> impl IntoView {
    let s = d.summary;
    let title = format!("{} {}", s.kind, s.reference);
    // Back at a form already sent (the browser's Back, say): it says so, and a change made to it
    // afterwards was not sent, never silently dropped.
    let what = d.noun.clone();
    let sent_before = match use_query_map().read_untracked().get("sent").as_deref() {
        Some("already") => Some(format!("You have already sent this {what}. This is it, as your area received it.")),
        Some("change-not-sent") => Some(format!(
            "You had already sent this {what}, so your change was not sent. This is what your area received. To change it, withdraw it below (while it is being considered) and send a new one."
        )),
        _ => None,
    };
    let withdraw = d.can_withdraw.then(|| {
        let what = d.noun.clone();
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
                {sent_before.map(|words| view! {
                    <div class="nhsuk-inset-text" role="status">
                        <span class="nhsuk-u-visually-hidden">"Information: "</span>
                        <p>{words}</p>
                    </div>
                })}
                <span class="nhsuk-caption-l">{s.reference.clone()}</span>
                <h1>{s.kind.clone()}</h1>
                <p><strong class=s.tag_class.clone()>{s.status.clone()}</strong></p>
                {s.due.clone().map(|due| view! { <p>{due}</p> })}
                {d.download.clone().map(|(href, until)| view! {
                    <h2>"Your information is ready"</h2>
                    <p>{format!("You can download it until {until}. It is a ZIP file with a page you can read in a web browser, and the same information for health and care systems.")}</p>
                    <p><a class="nhsuk-button" role="button" draggable="false" href=href download="">"Download your information"</a></p>
                })}
                {(!d.withheld.is_empty()).then(|| view! {
                    <h2>"Information we have withheld"</h2>
                    <p>"We have not included some of the information we hold about you, because the law allows or requires us to keep it back. This is on these grounds:"</p>
                    <ul class="nhsuk-list nhsuk-list--bullet">{d.withheld.clone().into_iter().map(|g| view! { <li>{g}</li> }).collect_view()}</ul>
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
                {d.can_complain.then(|| view! {
                    <h2>"Not happy with this?"</h2>
                    <p>{format!("You can complain about how we handled your {what}, or ask us to look at a decision again. Your area's information governance lead will look into it, acknowledge it within 30 days and tell you what they find.")}</p>
                    <p><a href=format!("/complaints/new?about={}", s.reference)>"Complain or ask us to look again"</a></p>
                    {d.declined.then(|| view! {
                        <p>"You can also complain to the Information Commissioner's Office (ICO), which upholds information rights, at any time: "
                            <a href="https://ico.org.uk/make-a-complaint/" rel="external">"make a complaint to the ICO"</a>", or call 0303 123 1113."</p>
                    })}
                })}
                {d.complaint_answered.then(|| view! {
                    <h2>"If you are still not happy"</h2>
                    <p>"You can complain to the Information Commissioner's Office (ICO), which upholds information rights. Tell them your reference, "{s.reference.clone()}", and what we told you."</p>
                    <p><a href="https://ico.org.uk/make-a-complaint/" rel="external">"Make a complaint to the ICO"</a>", or call the ICO's helpline on 0303 123 1113."</p>
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
            {loaded(data, move |v| match v {
                    Some(d) => {
                        let s = d.summary;
                        let heading = if d.is_objection {
                            "Objection sent"
                        } else if s.reference.starts_with("CON-") {
                            "Concern sent"
                        } else if s.reference.starts_with("CMP-") {
                            "Complaint sent"
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
                                    } else if s.reference.starts_with("CMP-") {
                                        "Your area's information governance lead will acknowledge your complaint within 30 days and tell you when to expect an answer. They will keep you updated, and tell you what they find and what they will do."
                                    } else {
                                        "Your area may contact you if it needs to check your identity or understand what you want. The time it has to answer stops while it waits for you."
                                    }}</p>
                                    <p><a href=format!("/your-requests/{}", s.reference)>{format!("See this {}", d.noun)}</a></p>
                                    <p><a href="/your-requests">"All your requests"</a></p>
                                </div>
                            </div>
                        }.into_any()
                    }
                    None => view! { <PageTitle text="Page not found"/><h1>"Page not found"</h1> }.into_any(),
                })}
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
            {loaded(data, move |v| match v {
                    Some(d) if d.can_withdraw => {
                        let what = d.noun.clone();
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
                    Some(d) => {
                        // Not an error of theirs, but it can no longer be done: 409 Conflict.
                        crate::ui::set_status(409);
                        view! {
                        <PageTitle text="This cannot be withdrawn"/>
                        <h1>"This cannot be withdrawn"</h1>
                        <p>"It has already been decided or withdrawn."</p>
                        <p><a href=format!("/your-requests/{}", d.summary.reference)>"Back to it"</a></p>
                        }.into_any()
                    }
                    None => view! { <PageTitle text="Page not found"/><h1>"Page not found"</h1> }.into_any(),
                })}
        </Layout>
    }
}
