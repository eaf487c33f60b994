//! "Your choices": the signed-in patient's home, with what they can do and where things stand.

pub mod api;
mod sessions;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use sessions::YourSessionsPage;

use crate::ui::{loaded, Layout, Table};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChoicesView {
    pub name: String,
    pub masked_nhs_number: String,
    pub proofing: String,
    pub verified: bool,
    pub area: Option<(String, String)>,
    /// Every objection they have made and not withdrawn, newest first.
    pub objections: Vec<ObjectionStanding>,
    /// Across every upheld objection: each organisation, and whether it has stopped sharing.
    pub stopped: Vec<(String, bool)>,
    /// What each member organisation of their area shares, and who can see it.
    pub sharing: Vec<crate::sharing::api::SharingRow>,
    /// Alerts when their record is looked at, in a sentence; `None` when off.
    pub alerts: Option<String>,
}

/// Where one of the patient's objections stands.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObjectionStanding {
    pub reference: String,
    pub status: String,
    pub tag: String,
    pub open: bool,
    pub declined: bool,
    /// What it covers, in words.
    pub scope: String,
}

/// The patient's own summary. Anyone else is sent to sign in.
#[server(prefix = "/api", endpoint = "patient/choices")]
pub async fn your_choices() -> Result<Option<ChoicesView>, ServerFnError> {
    use crate::domain::people::{SignedIn, Viewer};
    let Some(holder @ SignedIn::Patient(_)) = crate::server::signed_in() else {
        crate::server::redirect("/sign-in");
        return Ok(None);
    };
    let store = crate::server::services()?.store;
    let (subject, me_nhs) = match &holder {
        SignedIn::Patient(p) => (p.subject.clone(), p.nhs_number.clone()),
        SignedIn::Staff(_) => return Ok(None),
    };
    let Viewer::Patient { name, masked_nhs_number, proofing, area_slug, area_name, .. } =
        crate::sign_in::api::viewer_for(&*store, holder).await?
    else {
        return Ok(None);
    };
    use crate::server::internal;
    let theirs: Vec<_> = store
        .cases_for_patient(&subject)
        .await
        .map_err(internal)?
        .into_iter()
        .filter(|c| c.kind == crate::domain::CaseKind::Objection && c.status != crate::domain::CaseStatus::Withdrawn)
        .collect();
    let mut objections = Vec::new();
    // An organisation has stopped when it confirmed it for any upheld objection.
    let mut stopped: Vec<(String, bool)> = Vec::new();
    for c in &theirs {
        if matches!(c.status, crate::domain::CaseStatus::Upheld | crate::domain::CaseStatus::PartlyUpheld) {
            for e in store.effects(c.id).await.map_err(internal)? {
                match stopped.iter_mut().find(|(name, _)| *name == e.name) {
                    Some(line) => line.1 |= e.applied_at.is_some(),
                    None => stopped.push((e.name, e.applied_at.is_some())),
                }
            }
        }
        let scope = match &c.details {
            crate::server::CaseDetails::Objection(o) => o.scope.describe(),
            _ => String::new(),
        };
        objections.push(ObjectionStanding {
            reference: c.reference.to_string(),
            status: c.status.label().to_string(),
            tag: c.status.tag_class().to_string(),
            open: c.status.is_open(),
            declined: c.status == crate::domain::CaseStatus::Declined,
            scope,
        });
    }
    let area = match &area_slug {
        Some(slug) => match crate::domain::AreaSlug::parse(slug) {
            Ok(s) => store.area_by_slug(&s).await.map_err(internal)?,
            Err(_) => None,
        },
        None => None,
    };
    let sharing = match area {
        Some(a) => crate::sharing::api::rows(&*store, a.id).await.map_err(internal)?,
        None => Vec::new(),
    };
    let alerts = crate::record_alerts::api::describe(&*store, &me_nhs).await.map_err(internal)?;
    Ok(Some(ChoicesView {
        name,
        masked_nhs_number,
        proofing: proofing.describe().to_string(),
        verified: proofing.is_verified(),
        area: area_slug.zip(area_name),
        objections,
        stopped,
        sharing,
        alerts,
    }))
}

#[component]
pub fn YourChoicesPage() -> impl IntoView {
    let data = your_choices();
    let done = leptos_router::hooks::use_query_map().read_untracked().get("done");
    view! {
        <Layout title="Your choices">
            {loaded(data, move |v| match v {
                    Some(v) => {
                        // Said only when it is so: the address alone proves nothing.
                        let words = match (done.as_deref(), v.verified, v.alerts.is_some()) {
                            (Some("alerts-on"), true, true) => Some("Alerts saved. We will tell you when there is something new in your access log."),
                            (Some("alerts-off"), true, false) => Some("Alerts turned off. We will not send you any more."),
                            _ => None,
                        };
                        view! {
                            {words.map(|words| view! {
                                <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>{words}</p></div>
                            })}
                            <ChoicesBody v=v/>
                        }.into_any()
                    }
                    None => view! { <h1>"Your choices"</h1><p><a href="/sign-in">"Sign in to see your choices"</a></p> }.into_any(),
                })}
        </Layout>
    }
}

#[component]
fn ChoicesBody(v: ChoicesView) -> impl IntoView {
    let area_row = match v.area.clone() {
        Some((slug, name)) => view! { <a href=format!("/areas/{slug}")>{name}</a> }.into_any(),
        None => view! { <span>"We could not tell your area from your GP surgery"</span> }.into_any(),
    };
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <h1>"Your choices"</h1>
                <dl class="nhsuk-summary-list">
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"Name"</dt>
                        <dd class="nhsuk-summary-list__value">{v.name.clone()}</dd>
                    </div>
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"NHS number"</dt>
                        <dd class="nhsuk-summary-list__value">
                            <span class="nhsuk-u-visually-hidden">"Ending in "</span>{v.masked_nhs_number.clone()}
                        </dd>
                    </div>
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"Your area"</dt>
                        <dd class="nhsuk-summary-list__value">{area_row}</dd>
                    </div>
                    <div class="nhsuk-summary-list__row">
                        <dt class="nhsuk-summary-list__key">"Identity"</dt>
                        <dd class="nhsuk-summary-list__value">{v.proofing.clone()}</dd>
                    </div>
                </dl>
                {if v.verified {
                    view! {
                        <h2>"What you can do"</h2>
                        <ul class="nhsuk-list">
                            <Action href="/objections/new".into() title="Object to your information being in the shared care record".into() text="Tell your area you do not want your information shared, and why."/>
                            <Action href="/access-requests/new".into() title="Ask for a copy of your information".into() text="Make a subject access request. Your area must answer within one month."/>
                            <Action href="/your-requests".into() title="Your requests".into() text="See where your objections and requests are up to, and withdraw one."/>
                            <Action href="/access-log".into() title="See who has looked at your record".into() text="See which health and care professionals looked at your record, when and why."/>
                        </ul>
                    }.into_any()
                } else {
                    // Told once, here, rather than behind three of the four things to do.
                    view! {
                        <h2>"What you can do now"</h2>
                        <ul class="nhsuk-list">
                            {v.area.clone().map(|(slug, name)| view! {
                                <Action href=format!("/areas/{slug}") title=format!("Read {name}\u{2019}s privacy notice") text="How your area uses and protects your information, your rights, and how to contact it."/>
                            })}
                            <Action href="/your-requests".into() title="Your requests".into() text="See where any objections and requests you have made are up to."/>
                        </ul>
                        <h2>"To do more, prove who you are"</h2>
                        <crate::ui::ProveWhoYouAre area=v.area.clone()/>
                    }.into_any()
                }}
                <ObjectionSection v=v.clone()/>
                {v.verified.then(|| view! { <AlertsSection alerts=v.alerts.clone()/> })}
                <h2 id="national-data-opt-out">"The national data opt-out"</h2>
                <p>"The national data opt-out is a different choice. It is about using your information for "<strong>"research and planning"</strong>", not for your own care."</p>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    <li>"It does not stop health and care professionals seeing your information in the shared care record when they care for you. Objecting, above, is how you ask for that."</li>
                    <li>"Objecting to the shared care record does not change your national data opt-out choice."</li>
                </ul>
                <p>"You can see or change your national data opt-out choice at any time in the NHS App, or on the NHS website: "
                    <a href="https://www.nhs.uk/your-nhs-data-matters/" rel="external">"make your choice about sharing data from your health records"</a>"."</p>
                <p>"This portal cannot see your national data opt-out choice, and never asks for it or keeps it."</p>
                {v.area.clone().map(|(slug, name)| view! {
                    <h2 id="what-is-shared">{format!("What {name} contains")}</h2>
                    {if v.sharing.is_empty() {
                        view! { <p>"Your area has not listed its member organisations yet. Its "<a href=format!("/areas/{slug}")>"privacy notice"</a>" explains what it shares."</p> }.into_any()
                    } else {
                        view! {
                            <p>"These organisations share information through it. Only the people listed can see it, and only when they are caring for you."</p>
                            <crate::sharing::SharingTable rows=v.sharing.clone() caption="What each organisation shares, and who can see it".to_string()/>
                        }.into_any()
                    }}
                })}
                <p><a href="/your-choices/sessions">"Where you are signed in"</a></p>
            </div>
        </div>
    }
}

/// Alerts when their record is looked at: whether they are on, and the way to change them.
#[component]
fn AlertsSection(alerts: Option<String>) -> impl IntoView {
    view! {
        <h2 id="record-alerts">"Alerts when your record is looked at"</h2>
        {match alerts {
            Some(words) => view! {
                <p>{format!("On. {words}")}</p>
                <p><a href="/your-choices/alerts">"Change or turn off alerts"</a></p>
            }.into_any(),
            None => view! {
                <p>"Off. We can email or text you when an organisation looks at your record for the first time, or someone looks at it in an emergency. The message only says there is something new to see."</p>
                <p><a href="/your-choices/alerts">"Turn on alerts"</a></p>
            }.into_any(),
        }}
    }
}

#[component]
fn Action(href: String, title: String, text: &'static str) -> impl IntoView {
    view! {
        <li class="nhsuk-card nhsuk-card--clickable">
            <div class="nhsuk-card__content">
                <h3 class="nhsuk-card__heading nhsuk-heading-m"><a class="nhsuk-card__link" href=href>{title}</a></h3>
                <p class="nhsuk-card__description">{text}</p>
            </div>
        </li>
    }
}

/// The patient's local choice: their objections to the shared care record, and their effect on
/// each organisation.
#[component]
fn ObjectionSection(v: ChoicesView) -> impl IntoView {
    let body = if v.objections.is_empty() {
        view! {
            <p>"You have not objected. Health and care professionals caring for you can see your information through the shared care record."</p>
            {v.verified.then(|| view! { <p><a href="/objections/new">"Object to your information being in the shared care record"</a></p> })}
        }
        .into_any()
    } else {
        let rows: Vec<Vec<AnyView>> = v
            .objections
            .iter()
            .map(|o| {
                let what = if o.open {
                    "Being considered: until your area decides, your information is shared as before.".to_string()
                } else if o.declined {
                    "Declined: your information is shared as before.".to_string()
                } else {
                    String::new()
                };
                vec![
                    view! { <a href=format!("/your-requests/{}", o.reference)>{o.reference.clone()}</a> }.into_any(),
                    view! { {o.scope.clone()} }.into_any(),
                    view! { <strong class=o.tag.clone()>{o.status.clone()}</strong>{(!what.is_empty()).then(|| view! { <span class="nhsuk-body-s nhsuk-u-display-block">{what.clone()}</span> })} }.into_any(),
                ]
            })
            .collect();
        let stopped: Vec<Vec<AnyView>> = v
            .stopped
            .iter()
            .map(|(name, done)| {
                let tag = if *done {
                    view! { <strong class="nhsuk-tag nhsuk-tag--green">"Stopped sharing"</strong> }.into_any()
                } else {
                    view! { <strong class="nhsuk-tag nhsuk-tag--blue">"In progress"</strong> }.into_any()
                };
                vec![view! { {name.clone()} }.into_any(), tag]
            })
            .collect();
        let declined = v.objections.iter().find(|o| o.declined).map(|o| o.reference.clone());
        view! {
            <Table caption="Your objections" hide_caption=true headings=vec!["Objection", "What it covers", "Where it stands"] rows=rows/>
            {(!stopped.is_empty()).then(|| view! {
                <Table caption="Each organisation your upheld objections apply to, and whether it has stopped sharing" headings=vec!["Organisation", "Stopped sharing?"] rows=stopped/>
            })}
            {declined.map(|reference| view! {
                <p>"Not happy that an objection was declined? "<a href=format!("/complaints/new?about={reference}")>"Complain or ask us to look again"</a>"."</p>
            })}
        }
        .into_any()
    };
    view! {
        <h2 id="your-objection">"Your objection to the shared care record"</h2>
        {body}
    }
}
