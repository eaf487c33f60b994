//! Objecting to being in the shared care record: the form, check your answers, and sending it.
//! Its pages are here, its data in [`api`], its form posts in [`ssr`].

pub mod api;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::domain::objection::{DataCategory, ObjectionAnswers, REASON_MAX};
use crate::ui::{gated, CheckAnswers, Choice, ContactQuestion, Errors, FormState, FormTop, OpenCases, Options, TextArea};
use api::{objection_check, objection_form};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn draft_param() -> Option<String> {
    use_query_map().read_untracked().get("draft")
}

#[component]
pub fn ObjectionFormPage() -> impl IntoView {
    gated("Object to your information being in the shared care record", objection_form(draft_param()), |s| {
        view! { <ObjectionForm state=s/> }.into_any()
    })
}

#[component]
fn ObjectionForm(state: FormState<ObjectionAnswers>) -> impl IntoView {
    let a = state.answers;
    let errors = Errors(state.errors.clone());
    let orgs = state
        .organisations
        .iter()
        .map(|(code, name)| Choice::new(code.clone(), name.clone()))
        .collect::<Vec<_>>();
    let cats = DataCategory::ALL.iter().map(|c| Choice::new(c.as_str(), c.label())).collect::<Vec<_>>();
    let scope = vec![
        Choice::new("whole", "All of my information").hint("No health or care professional will be able to see any of your information through the shared care record."),
        Choice::new("organisations", "Information from some organisations").reveals(
            view! {
                <Options name="organisations" legend="Which organisations?" hint="Select all that apply"
                    choices=orgs selected=a.organisations.clone() error=errors.get("organisations") multiple=true/>
            }
            .into_any(),
        ),
        Choice::new("categories", "Some kinds of information").reveals(
            view! {
                <Options name="categories" legend="Which kinds of information?" hint="Select all that apply"
                    choices=cats selected=a.categories.clone() error=errors.get("categories") multiple=true/>
            }
            .into_any(),
        ),
    ];
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <FormTop errors=state.errors area_name=state.area_name/>
                <OpenCases cases=state.open_cases what="an objection" plural="objections"/>
                <h1>"Object to your information being in the shared care record"</h1>
                <p>"Health and care professionals in your area use the shared care record to see information from your GP, hospital, community and social care services when they care for you."</p>
                <p>"You can object. Your area will consider your objection and tell you its decision. It may not be able to agree in every case, for example where sharing is needed to keep you or others safe."</p>
                <div class="nhsuk-inset-text">
                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                    <p>"If your objection is upheld, professionals may not see important information about you, such as your medicines or allergies, in an emergency."</p>
                </div>
                <form action="/objections/new" method="post" novalidate>
                    <input type="hidden" name="key" value=state.key/>
                    <Options name="scope" legend="What is your objection about?" choices=scope
                        selected=vec![a.scope.clone()] error=errors.get("scope")/>
                    <TextArea name="reason" label="Why are you objecting?"
                        hint="Tell us in your own words. This helps your area consider your objection. Do not include other people's medical details."
                        value=a.reason.clone() error=errors.get("reason") max=REASON_MAX rows=8 label_size="nhsuk-label--s"/>
                    <ContactQuestion method=a.contact.clone() email=a.email.clone() mobile=a.mobile.clone()
                        address=a.address.clone() errors=errors.clone()/>
                    <button class="nhsuk-button" type="submit">"Continue"</button>
                </form>
            </div>
        </div>
    }
}

#[component]
pub fn ObjectionCheckPage() -> impl IntoView {
    let draft = draft_param().unwrap_or_default();
    gated("Check your answers", objection_check(draft), |s| {
        view! { <CheckAnswers state=s base="/objections" send="Send objection"/> }.into_any()
    })
}
