//! "Your choices": the signed-in patient's home, with what they can do and where things stand.

pub mod api;
mod sessions;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use sessions::YourSessionsPage;

use crate::ui::{loaded, Layout};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChoicesView {
    pub name: String,
    pub masked_nhs_number: String,
    pub proofing: String,
    pub verified: bool,
    pub area: Option<(String, String)>,
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
    let Viewer::Patient { name, masked_nhs_number, proofing, area_slug, area_name, .. } =
        crate::sign_in::api::viewer_for(&*store, holder).await?
    else {
        return Ok(None);
    };
    Ok(Some(ChoicesView {
        name,
        masked_nhs_number,
        proofing: proofing.describe().to_string(),
        verified: proofing.is_verified(),
        area: area_slug.zip(area_name),
    }))
}

#[component]
pub fn YourChoicesPage() -> impl IntoView {
    let data = your_choices();
    view! {
        <Layout title="Your choices">
            {loaded(data, move |v| match v {
                    Some(v) => view! { <ChoicesBody v=v/> }.into_any(),
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
                <p><a href="/your-choices/sessions">"Where you are signed in"</a></p>
            </div>
        </div>
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
