//! What the patient journeys' pages share: who may use them, the state of a form between its
//! steps, and check your answers. The forms post to `your_requests::form`.

use super::{loaded, ErrorSummary, Layout};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Whether the signed-in person can use a rights journey, and if so what its page needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Gate<T> {
    Ready(T),
    /// Signed in at P5: requests need a verified identity.
    NotVerified,
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
            Gate::NotVerified => Err(Gate::NotVerified),
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

/// What to show instead of a form the patient cannot use yet.
#[component]
pub fn NotReady(#[prop(into)] title: String, verified: bool) -> impl IntoView {
    view! {
        <h1>{title}</h1>
        {if verified {
            view! {
                <p>"We could not tell which shared care record area you are in from your GP surgery."</p>
                <p>"Contact your GP surgery, or your area using the details in its privacy notice. "
                   <a href="/">"Find your area"</a></p>
            }.into_any()
        } else {
            view! {
                <p>"To object or ask for your information, you need to fully verify your identity with NHS login. This keeps your information safe."</p>
                <p>"You can do this in the NHS App: go to your account and choose to prove who you are with photo ID, such as a passport or driving licence."</p>
                <p>"If you cannot do this, contact your area using the details in its privacy notice. "<a href="/">"Find your area"</a></p>
            }.into_any()
        }}
        <p><a href="/your-choices">"Back to your choices"</a></p>
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
                    Gate::NotVerified => view! { <NotReady title=title verified=false/> }.into_any(),
                    Gate::NoArea => view! { <NotReady title=title verified=true/> }.into_any(),
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
