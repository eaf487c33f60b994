//! Complaining, or asking for a decision to be looked at again: the form, check your answers,
//! and sending it. The complaint becomes a case for the area's IG lead (see
//! [`crate::domain::complaint`] for its clock); its pages are here, its data in [`api`], its form
//! posts in [`ssr`].

pub mod api;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::domain::complaint::{ComplaintAnswers, WORDS_MAX};
use crate::ui::{gated, CheckAnswers, Choice, ContactQuestion, Errors, FormState, FormTop, Options, TextArea};
use api::{complaint_check, complaint_form};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn param(name: &str) -> Option<String> {
    use_query_map().read_untracked().get(name)
}

#[component]
pub fn ComplaintFormPage() -> impl IntoView {
    // Linked from a decision: "Not happy with this?" carries the case it is about.
    let about = param("about").unwrap_or_default();
    gated("Complain or ask us to look again", complaint_form(param("draft")), move |s| {
        view! { <ComplaintForm state=s about=about.clone()/> }.into_any()
    })
}

#[component]
fn ComplaintForm(state: FormState<ComplaintAnswers>, about: String) -> impl IntoView {
    let a = state.answers;
    let errors = Errors(state.errors.clone());
    let chosen = if a.about.is_empty() { about.trim().to_uppercase() } else { a.about.clone() };
    let mut choices: Vec<Choice> = state.your_cases.iter().map(|(reference, words)| Choice::new(reference.clone(), words.clone())).collect();
    choices.push(Choice::new("other", "Something else").hint("For example, how we treated you, or something in our privacy notice."));
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <FormTop errors=state.errors area_name=state.area_name.clone()/>
                <h1>"Complain or ask us to look again"</h1>
                <p>{format!("If you are not happy with a decision {} made, with how it answered a request, or with how it handled your information, tell us here. Your area's information governance lead will look into it.", state.area_name)}</p>
                <p>"We will acknowledge your complaint within 30 days, tell you when to expect our answer, and keep you updated. If your area declined your objection and you tell us why it should look again, it may ask a different member of staff to decide it afresh."</p>
                <div class="nhsuk-inset-text">
                    <span class="nhsuk-u-visually-hidden">"Information: "</span>
                    <p>"If you are still not happy after our answer, you can complain to the Information Commissioner's Office (ICO). We will tell you how."</p>
                </div>
                <form action="/complaints/new" method="post" novalidate>
                    <input type="hidden" name="key" value=state.key/>
                    <Options name="about" legend="What is your complaint about?" choices=choices
                        selected=vec![chosen] error=errors.get("about")/>
                    <TextArea name="wrong" label="What are you unhappy about?"
                        hint="Tell us in your own words what happened and why you are unhappy. Do not include other people's medical details."
                        value=a.wrong.clone() error=errors.get("wrong") max=WORDS_MAX rows=8 label_size="nhsuk-label--s"/>
                    <TextArea name="wanted" label="What would you like to happen?"
                        hint="For example, look at the decision again, explain it, or put something right."
                        value=a.wanted.clone() error=errors.get("wanted") max=WORDS_MAX rows=5 label_size="nhsuk-label--s"/>
                    <ContactQuestion method=a.contact.clone() email=a.email.clone() mobile=a.mobile.clone()
                        address=a.address.clone() errors=errors.clone()/>
                    <button class="nhsuk-button" type="submit">"Continue"</button>
                </form>
            </div>
        </div>
    }
}

#[component]
pub fn ComplaintCheckPage() -> impl IntoView {
    let draft = param("draft").unwrap_or_default();
    gated("Check your answers", complaint_check(draft), |s| {
        view! { <CheckAnswers state=s base="/complaints" send="Send complaint"/> }.into_any()
    })
}
