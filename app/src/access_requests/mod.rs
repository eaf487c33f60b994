//! Asking for a copy of your information (a subject access request): the form, check your
//! answers, and sending it. Its pages are here, its data in [`api`], its form posts in [`ssr`].

pub mod api;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::domain::access_request::{AccessRequestAnswers, RequestedInfo};
use crate::ui::{gated, CheckAnswers, Choice, ContactQuestion, DateInput, Errors, FormState, FormTop, OpenCases, Options, TextArea};
use api::{access_request_check, access_request_form};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn draft_param() -> Option<String> {
    use_query_map().read_untracked().get("draft")
}

#[component]
pub fn AccessRequestFormPage() -> impl IntoView {
    gated("Ask for a copy of your information", access_request_form(draft_param()), |s| {
        view! { <AccessRequestForm state=s/> }.into_any()
    })
}

#[component]
fn AccessRequestForm(state: FormState<AccessRequestAnswers>) -> impl IntoView {
    let a = state.answers;
    let errors = Errors(state.errors.clone());
    let info = RequestedInfo::ALL.iter().map(|i| Choice::new(i.as_str(), i.label())).collect::<Vec<_>>();
    let dates = vec![
        Choice::new("all", "All dates"),
        Choice::new("between", "Between two dates").reveals(
            view! {
                <DateInput prefix="from" legend="Start date" day=a.from_day.clone() month=a.from_month.clone()
                    year=a.from_year.clone() error=errors.get("from-day")/>
                <DateInput prefix="to" legend="End date" day=a.to_day.clone() month=a.to_month.clone()
                    year=a.to_year.clone() error=errors.get("to-day")/>
            }
            .into_any(),
        ),
    ];
    let delivery_error = errors.get("delivery-address");
    let delivery = vec![
        Choice::new("download", "Download it from this service").hint("We will tell you when it is ready. You will need to sign in to download it."),
        Choice::new("post", "By post").reveals(
            view! {
                <TextArea name="delivery-address" label="Address to post it to"
                    hint="Include the postcode. Leave this empty if it is the same as the address below."
                    value=a.delivery_address.clone() error=delivery_error.clone() rows=4 autocomplete="street-address"/>
            }
            .into_any(),
        ),
    ];
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <FormTop errors=state.errors area_name=state.area_name/>
                <OpenCases cases=state.open_cases what="a request for a copy of your information" plural="requests for a copy of your information"/>
                <h1>"Ask for a copy of your information"</h1>
                <p>"You have the right to a copy of the information your area's shared care record holds about you. This is called a subject access request."</p>
                <p>"Your area must answer within one calendar month. It may take up to 2 more months if your request is complex, and it will tell you if it does."</p>
                <form action="/access-requests/new" method="post" novalidate>
                    <input type="hidden" name="key" value=state.key/>
                    <Options name="info" legend="What information do you want?" hint="Select all that apply"
                        choices=info selected=a.info.clone() error=errors.get("info") multiple=true/>
                    <Options name="dates" legend="Which dates do you want information from?" choices=dates
                        selected=vec![a.dates.clone()] error=errors.get("dates")/>
                    <Options name="delivery" legend="How do you want to receive it?" choices=delivery
                        selected=vec![a.delivery.clone()] error=errors.get("delivery")/>
                    <ContactQuestion method=a.contact.clone() email=a.email.clone() mobile=a.mobile.clone()
                        address=a.address.clone() errors=errors.clone()/>
                    <button class="nhsuk-button" type="submit">"Continue"</button>
                </form>
            </div>
        </div>
    }
}

#[component]
pub fn AccessRequestCheckPage() -> impl IntoView {
    let draft = draft_param().unwrap_or_default();
    gated("Check your answers", access_request_check(draft), |s| {
        view! { <CheckAnswers state=s base="/access-requests" send="Send request"/> }.into_any()
    })
}
