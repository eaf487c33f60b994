//! What the patient journeys' pages share: who may use them, the state of a form between its
//! steps, and check your answers. The forms post to `your_requests::form`.

use super::{loaded, ErrorSummary, Layout};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Whether the signed-in person can use a rights journey, and if so what its page needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Gate<T> {
    Ready(T),
    /// Signed in at P5: requests need a verified identity. Their area (slug, name), when their
    /// GP surgery is in one, so they are told where to turn without looking it up.
    NotVerified(Option<(String, String)>),
    /// Their GP practice is in no area this portal serves.
    NoArea,
    /// Not signed in as a patient (they have been sent to sign in).
    SignIn,
}

impl<T> Gate<T> {
    /// The page's data when the patient may go on; otherwise the same refusal, for any page.
    pub fn ready<U>(self) -> Result<T, Gate<U>> {
        match self {
            Gate::Ready(t) => Ok(t),
            Gate::NotVerified(area) => Err(Gate::NotVerified(area)),
            Gate::NoArea => Err(Gate::NoArea),
            Gate::SignIn => Err(Gate::SignIn),
        }
    }
}

/// A form as the patient left it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FormState<A> {
    pub key: String,
    pub answers: A,
    pub errors: Vec<(String, String)>,
    pub area_name: String,
    pub organisations: Vec<(String, String)>,
    /// The patient's cases of this kind still being considered: (reference, sent on, in words).
    pub open_cases: Vec<(String, String)>,
    /// The patient's cases other than complaints, for a complaint to be about: (reference, in words).
    pub your_cases: Vec<(String, String)>,
}

/// Above a rights form: the patient already has a case of this kind being considered. They are
/// told so, with a link to each, so that nobody sends a second one without knowing.
#[component]
pub fn OpenCases(cases: Vec<(String, String)>, what: &'static str, plural: &'static str) -> impl IntoView {
    (!cases.is_empty()).then(|| {
        let heading = if cases.len() == 1 { format!("You already have {what} being considered") } else { format!("You already have {plural} being considered") };
        view! {
            <div class="nhsuk-warning-callout">
                <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>{heading}</span></h2>
                <ul class="nhsuk-list">
                    {cases.into_iter().map(|(reference, sent)| view! {
                        <li><a href=format!("/your-requests/{reference}")>{reference.clone()}</a>{format!(", sent on {sent}")}</li>
                    }).collect_view()}
                </ul>
                <p>"You do not need to send another: your area will tell you its decision. To change what you asked, look at it: you can withdraw it there and send a new one. If you send another now, your area will consider each."</p>
            </div>
        }
    })
}

/// One row of check your answers: what was asked, what they said, and the field to change.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckRow {
    pub question: String,
    pub answer: Vec<String>,
    pub field: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckState {
    pub key: String,
    pub rows: Vec<CheckRow>,
    pub area_name: String,
}

/// What to show instead of a form the patient cannot use yet: a P5 patient is told once what
/// proving who they are unlocks and how (`area`: theirs, when known), anyone else that their
/// GP surgery is in no area this service serves.
#[component]
pub fn NotReady(#[prop(into)] title: String, verified: bool, area: Option<(String, String)>) -> impl IntoView {
    view! {
        <h1>{title}</h1>
        {if verified {
            view! {
                <p>"We could not tell which shared care record area you are in from your GP surgery."</p>
                <p>"Contact your GP surgery, or find your area by your surgery\u{2019}s name and use the contact details in its privacy notice. "
                   <a href="/find-your-area">"Find your area"</a></p>
            }.into_any()
        } else {
            view! { <ProveWhoYouAre area=area/> }.into_any()
        }}
        <p><a href="/your-choices">"Back to your choices"</a></p>
    }
}

/// For a patient signed in at P5: what proving who they are unlocks, how to do it in the NHS
/// App, and who to contact if they cannot.
#[component]
pub fn ProveWhoYouAre(area: Option<(String, String)>) -> impl IntoView {
    view! {
        <p>"You have signed in with NHS login, but you have not yet proved who you are with photo ID. To keep your information safe, you need to do that before you can object, ask for a copy of your information or see who has looked at your record."</p>
        <h2>"How to prove who you are"</h2>
        <ol class="nhsuk-list nhsuk-list--number">
            <li>"Open the NHS App and log in."</li>
            <li>"Go to your account settings and choose to prove who you are."</li>
            <li>"Follow the steps. You will need photo ID, such as a passport or driving licence, and to take a short video of your face."</li>
            <li>"Once you have proved who you are, sign out of this service and sign in again."</li>
        </ol>
        <p><a href="https://help.login.nhs.uk/">"NHS login help"</a>" explains each step."</p>
        <h2>"If you cannot prove who you are online"</h2>
        {match area {
            Some((slug, name)) => view! {
                <p>{format!("Contact {name}. They can take your objection or your request another way. ")}
                   <a href=format!("/areas/{slug}")>{format!("{name}\u{2019}s contact details are with its privacy notice")}</a></p>
            }.into_any(),
            None => view! {
                <p>"Contact the shared care record area your GP surgery belongs to. They can take your objection or your request another way. "
                   <a href="/find-your-area">"Find your area"</a></p>
            }.into_any(),
        }}
    }
}

/// A journey page's frame: the gate's outcomes around the page's own view.
pub fn gated<T: 'static + Send>(
    title: &'static str,
    data: impl std::future::Future<Output = Result<Gate<T>, ServerFnError>> + Send + 'static,
    ready: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <Layout title=title>
            {loaded(data, move |v| match v {
                    Gate::Ready(v) => ready(v),
                    Gate::NotVerified(area) => view! { <NotReady title=title verified=false area=area/> }.into_any(),
                    Gate::NoArea => view! { <NotReady title=title verified=true area=None/> }.into_any(),
                    Gate::SignIn => view! { <h1>{title}</h1><p><a href="/sign-in">"Sign in to continue"</a></p> }.into_any(),
                })}
        </Layout>
    }
}

/// Check your answers, then send.
#[component]
pub fn CheckAnswers(state: CheckState, #[prop(into)] base: String, #[prop(into)] send: String) -> impl IntoView {
    let rows = state
        .rows
        .into_iter()
        .map(|r| {
            let change = format!("{base}/new?draft={}#{}", state.key, r.field);
            let hidden = format!(" {}", r.question.to_lowercase());
            view! {
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">{r.question}</dt>
                    <dd class="nhsuk-summary-list__value">
                        {r.answer.into_iter().map(|line| view! { <p class="nhsuk-body nhsuk-u-margin-bottom-1 scr-preserve-lines">{line}</p> }).collect_view()}
                    </dd>
                    <dd class="nhsuk-summary-list__actions">
                        <a href=change>"Change"<span class="nhsuk-u-visually-hidden">{hidden}</span></a>
                    </dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <span class="nhsuk-caption-l">{state.area_name}</span>
                <h1>"Check your answers"</h1>
                <dl class="nhsuk-summary-list">{rows}</dl>
                <h2>"Now send it"</h2>
                <p>"By sending this you confirm that the information you have given is correct, to the best of your knowledge."</p>
                <form action=format!("{base}/submit") method="post">
                    <input type="hidden" name="key" value=state.key/>
                    <button class="nhsuk-button" type="submit" data-prevent-double-click="true">{send}</button>
                </form>
            </div>
        </div>
    }
}

/// The top of every form page: the error summary, the area as a caption.
#[component]
pub fn FormTop(errors: Vec<(String, String)>, area_name: String) -> impl IntoView {
    view! {
        <ErrorSummary errors=errors/>
        <span class="nhsuk-caption-l">{area_name}</span>
    }
}
