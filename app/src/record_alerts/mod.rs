//! Alerts when the patient's record is looked at: they choose to be emailed or texted when an
//! organisation looks at their record for the first time, or someone looks in an emergency.
//! The message says only that there is something new in their access log, at most once a day.
//! The page is here, its data in [`api`], its posts in [`ssr`]; the rule is
//! [`crate::domain::record_alerts`], and the messages are queued as looks arrive, by the
//! monitoring rules' run.

pub mod api;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::domain::record_alerts::AlertWhen;
use crate::ui::{gated, Choice, ErrorSummary, Errors, Options, TextInput};
use api::*;
use leptos::prelude::*;

const TITLE: &str = "Alerts when your record is looked at";

#[component]
pub fn RecordAlertsPage() -> impl IntoView {
    gated(TITLE, record_alerts_form(), |f| view! { <AlertsBody f=f/> }.into_any())
}

#[component]
fn AlertsBody(f: AlertsForm) -> impl IntoView {
    let errors = Errors(f.errors.clone());
    let when = AlertWhen::ALL.iter().map(|w| Choice::new(w.as_str(), w.label()).hint(w.hint())).collect::<Vec<_>>();
    let how = vec![
        Choice::new("email", "Email").reveals(
            view! { <TextInput name="email" label="Email address" value=f.email.clone() error=errors.get("email") input_type="email" autocomplete="email"/> }.into_any(),
        ),
        Choice::new("text", "Text message").reveals(
            view! {
                <TextInput name="mobile" label="UK mobile number" value=f.mobile.clone() error=errors.get("mobile")
                    input_type="tel" autocomplete="tel" width_class="nhsuk-input--width-20"/>
            }
            .into_any(),
        ),
    ];
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <ErrorSummary errors=f.errors.clone()/>
                <h1>{TITLE}</h1>
                <p>"We can email or text you when your shared care record is looked at in a way you may want to know about."</p>
                <ul class="nhsuk-list nhsuk-list--bullet">
                    <li>"The message only says there is something new to see in your access log. It never says who looked, where from, or what they saw: you sign in to see that."</li>
                    <li>"You get at most one message a day, however many looks there are."</li>
                    <li>"We only tell you about the kinds of look you choose below. Every look, whether we told you or not, is in your access log."</li>
                </ul>
                {f.on.then(|| view! {
                    <div class="nhsuk-inset-text">
                        <span class="nhsuk-u-visually-hidden">"Information: "</span>
                        <p>{format!("Alerts are on. {}", f.describe.clone().unwrap_or_default())}</p>
                        {f.last_told.clone().map(|d| view! { <p>{format!("We last sent you an alert on {d}.")}</p> })}
                    </div>
                })}
                <form action="/your-choices/alerts" method="post" novalidate>
                    <Options name="when" legend="When do you want to be told?" hint="Select all that apply"
                        choices=when selected=f.when.clone() error=errors.get("when") multiple=true/>
                    <Options name="contact" legend="How should we tell you?"
                        hint="We will only say there is something new in your access log."
                        choices=how selected=vec![f.method.clone()] error=errors.get("contact")/>
                    <button class="nhsuk-button" type="submit">{if f.on { "Save changes" } else { "Turn on alerts" }}</button>
                </form>
                {f.on.then(|| view! {
                    <form action="/your-choices/alerts/off" method="post">
                        <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Turn off alerts"</button>
                    </form>
                })}
                <p><a href="/access-log">"See who has looked at your record"</a></p>
                <p><a href="/your-choices">"Back to your choices"</a></p>
            </div>
        </div>
    }
}
