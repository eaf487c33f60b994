//! Signing in and out: the choice of NHS login, staff sign-in and (demonstration only) made-up people.

pub mod api;
pub mod demo;

use crate::ui::{loaded, DemoBanner, Layout};
use api::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignInPage() -> impl IntoView {
    let choices = sign_in_choices();
    view! {
        <Layout title="Sign in">
            <div class="nhsuk-grid-row">
                <div class="nhsuk-grid-column-two-thirds">
                    <h1>"Sign in"</h1>
                    {loaded(choices, move |c| view! { <SignInChoicesView choices=c/> }.into_any())}
                </div>
            </div>
        </Layout>
    }
}

#[component]
fn SignInChoicesView(choices: SignInWays) -> impl IntoView {
    let demo = !choices.demo_people.is_empty();
    view! {
        {choices.nhs_login.then(|| view! {
            <h2>"Patients"</h2>
            <p>"Use NHS login to sign in. It is the same account you use for the NHS App."</p>
            // rel="external": these leave for the identity provider, so the page enhancer lets the
            // browser follow them itself (a fetch cannot follow a redirect to another origin).
            <a class="nhsuk-button" href="/auth/nhs-login" rel="external" role="button" draggable="false">"Continue to NHS login"</a>
        })}
        {choices.staff_oidc.then(|| view! {
            <h2>"Health and care staff"</h2>
            <p>"Sign in with your organisation's account to manage notices and requests."</p>
            <a class="nhsuk-button nhsuk-button--secondary" href="/auth/staff" rel="external" role="button" draggable="false">"Staff sign in"</a>
        })}
        {(!choices.nhs_login && !choices.staff_oidc && !demo).then(|| view! {
            <p>"Sign-in is not available at the moment. Try again later."</p>
        })}
        {demo.then(|| view! {
            <DemoBanner/>
            <h2>"Sign in as a demonstration person"</h2>
            <p>"Choose someone to see the service as they would. Nothing here is real."</p>
            <ul class="nhsuk-list">
                {choices.demo_people.into_iter().map(|(id, name, description)| view! {
                    <li class="nhsuk-u-margin-bottom-4">
                        <form action="/auth/demo" method="post">
                            <input type="hidden" name="person" value=id/>
                            <button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-1" type="submit">
                                {format!("Sign in as {name}")}
                            </button>
                            <p class="nhsuk-body-s">{description}</p>
                        </form>
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
pub fn SignInProblemPage() -> impl IntoView {
    let query = use_query_map();
    let reason = query.read_untracked().get("reason").unwrap_or_default();
    let explanation = match reason.as_str() {
        "expired" => "Your sign-in took too long or was started in another window, so we stopped it to keep your account safe.",
        "cancelled" => "You did not finish signing in.",
        "provider" => "The sign-in service did not let you in.",
        "identity" => "We could not confirm the identity the sign-in service sent us, so we did not sign you in.",
        _ => "Something went wrong while signing you in, so we did not sign you in.",
    };
    crate::ui::set_status(400);
    view! {
        <Layout title="We could not sign you in">
            <div class="nhsuk-grid-row">
                <div class="nhsuk-grid-column-two-thirds">
                    <h1>"We could not sign you in"</h1>
                    <p>{explanation}</p>
                    <p>"You have not been signed in. Nothing about you has been saved."</p>
                    <a class="nhsuk-button" href="/sign-in" role="button" draggable="false">"Try signing in again"</a>
                </div>
            </div>
        </Layout>
    }
}

#[component]
pub fn SignedOutPage() -> impl IntoView {
    view! {
        <Layout title="You have signed out">
            <h1>"You have signed out"</h1>
            <p>"For your security, close your browser if you are using a shared computer."</p>
            <p><a href="/sign-in">"Sign in again"</a></p>
        </Layout>
    }
}

#[component]
pub fn NoAccessPage() -> impl IntoView {
    crate::ui::set_status(403);
    view! {
        <Layout title="You do not have access to this service">
            <div class="nhsuk-grid-row">
                <div class="nhsuk-grid-column-two-thirds">
                    <h1>"You do not have access to this service"</h1>
                    <p>"Your account is not in this portal's staff directory, or it has no role in any area."</p>
                    <p>"Ask your area's portal administrator to add you, telling them the organisation you work for and the role you need."</p>
                    <p>"If you are a patient, "<a href="/sign-in">"sign in with NHS login"</a>" instead."</p>
                </div>
            </div>
        </Layout>
    }
}
