//! The NHS.UK design system pieces every page uses: header, skip link, footer, width container,
//! the demonstration banner and the error summary.

use crate::people::Viewer;
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

pub const SERVICE_NAME: &str = "Shared care record privacy";

/// What every page's frame needs to know.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PageFrame {
    pub viewer: Viewer,
    pub demo: bool,
}

#[server(prefix = "/api", endpoint = "page-context")]
pub async fn page_context() -> Result<PageFrame, ServerFnError> {
    use crate::ssr::{services, signed_in};
    let services = services()?;
    let viewer = match signed_in() {
        None => Viewer::Anonymous,
        Some(holder) => crate::areas::viewer_for(&*services.store, holder).await?,
    };
    Ok(PageFrame { viewer, demo: services.sign_in.demo })
}

/// The page's `<title>`, in the form the NHS uses: "Page - Service - NHS".
#[component]
pub fn PageTitle(#[prop(into)] text: String) -> impl IntoView {
    view! { <Title text=format!("{text} - {SERVICE_NAME} - NHS")/> }
}

/// The frame of every page: skip link, header, main, footer, and the `<title>` when the page
/// knows it up front (pages whose title comes from data set it with [`PageTitle`]).
/// Every resource a page needs is made before any `Suspense`, so a page renders in one pass.
#[component]
pub fn Layout(#[prop(optional, into)] title: Option<String>, children: Children) -> impl IntoView {
    let ctx = page_context();
    let body = children();
    view! {
        {title.map(|t| view! { <PageTitle text=t/> })}
        <a class="nhsuk-skip-link" href="#maincontent">"Skip to main content"</a>
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                let frame = ctx.await.unwrap_or(PageFrame { viewer: Viewer::Anonymous, demo: false });
                view! { <Header ctx=frame/> }
            })}
        </Suspense>
        <div class="nhsuk-width-container">
            <main class="nhsuk-main-wrapper" id="maincontent">
                {body}
            </main>
        </div>
        <Footer/>
    }
}

#[component]
fn Header(ctx: PageFrame) -> impl IntoView {
    let account = match &ctx.viewer {
        Viewer::Anonymous => None,
        Viewer::Patient { name, .. } => Some((name.clone(), "/your-choices")),
        Viewer::Staff { name, .. } => Some((name.clone(), "/staff")),
    };
    view! {
        <header class="nhsuk-header" role="banner">
            <div class="nhsuk-header__container nhsuk-width-container">
                <div class="nhsuk-header__service">
                    <a class="nhsuk-header__service-logo" href="/" aria-label=format!("{SERVICE_NAME} homepage")>
                        <NhsLogo/>
                    </a>
                    <span class="nhsuk-header__service-name">{SERVICE_NAME}</span>
                </div>
                {account.map(|(name, home)| view! {
                    <nav class="nhsuk-header__account" aria-label="Account">
                        <ul class="nhsuk-header__account-list">
                            <li class="nhsuk-header__account-item">
                                <a class="nhsuk-header__account-link" href=home>{name}</a>
                            </li>
                            <li class="nhsuk-header__account-item">
                                <form class="nhsuk-header__account-form" action="/auth/sign-out" method="post">
                                    <button class="nhsuk-header__account-button" type="submit">"Sign out"</button>
                                </form>
                            </li>
                        </ul>
                    </nav>
                })}
            </div>
        </header>
        {ctx.demo.then(|| view! { <DemoBanner/> })}
    }
}

#[component]
fn NhsLogo() -> impl IntoView {
    view! {
        <svg class="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS">
            <title>"NHS"</title>
            <path fill="currentcolor" d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"></path>
        </svg>
    }
}

/// Shown on every page while demonstration sign-in is on, so nobody mistakes it for the real service.
#[component]
pub fn DemoBanner() -> impl IntoView {
    view! {
        <div class="scr-demo-banner" role="region" aria-label="Demonstration">
            <div class="nhsuk-width-container">
                <p class="nhsuk-body-s nhsuk-u-margin-0">
                    <strong class="nhsuk-tag nhsuk-tag--orange">"Demonstration"</strong>
                    " This is a demonstration of the portal. The people and records in it are made up."
                </p>
            </div>
        </div>
    }
}

#[component]
fn Footer() -> impl IntoView {
    view! {
        <footer class="nhsuk-footer" role="contentinfo">
            <div class="nhsuk-width-container">
                <div class="nhsuk-footer__meta">
                    <h2 class="nhsuk-u-visually-hidden">"Support links"</h2>
                    <ul class="nhsuk-footer__list">
                        <li class="nhsuk-footer__list-item">
                            <a class="nhsuk-footer__list-item-link" href="/accessibility">"Accessibility statement"</a>
                        </li>
                        <li class="nhsuk-footer__list-item">
                            <a class="nhsuk-footer__list-item-link" href="/">"Find your area's privacy notice"</a>
                        </li>
                        <li class="nhsuk-footer__list-item">
                            <a class="nhsuk-footer__list-item-link" href="/staff">"Staff sign in"</a>
                        </li>
                    </ul>
                    <p class="nhsuk-body-s">"© NHS England"</p>
                </div>
            </div>
        </footer>
    }
}

/// The NHS error summary: shown at the top of a form's page, each message linking to its field.
/// Plain server HTML, so it is right after any page change; the small island inside takes focus
/// when JavaScript is on, so a screen reader reads the problems out first (what the NHS.UK
/// frontend's own script does).
#[component]
pub fn ErrorSummary(errors: Vec<(String, String)>) -> impl IntoView {
    (!errors.is_empty()).then(|| {
        view! {
            // The NHS pattern: "Error: " before the page's title, so it is heard first.
            <Title formatter=|t: String| format!("Error: {t}")/>
            <div class="nhsuk-error-summary" id="error-summary" aria-labelledby="error-summary-title" tabindex="-1">
                <div role="alert">
                    <h2 class="nhsuk-error-summary__heading" id="error-summary-title">"There is a problem"</h2>
                    <div class="nhsuk-error-summary__body">
                        <ul class="nhsuk-list nhsuk-error-summary__list">
                            {errors
                                .into_iter()
                                .map(|(field, message)| view! {
                                    <li><a href=format!("#{field}")>{message}</a></li>
                                })
                                .collect_view()}
                        </ul>
                    </div>
                </div>
                <FocusErrorSummary/>
            </div>
        }
    })
}

/// Moves focus to the error summary around it once the island is alive (after a full load, or
/// after public/enhance.js swaps a page in), and makes its links focus their field (as the
/// NHS.UK frontend's script does), rather than only scrolling to it.
#[island]
fn FocusErrorSummary() -> impl IntoView {
    Effect::new(move |_| {
        use leptos::web_sys::{Element, Event, HtmlElement};
        use wasm_bindgen::{closure::Closure, JsCast};
        let Some(summary) = document().get_element_by_id("error-summary") else { return };
        if let Some(el) = summary.dyn_ref::<HtmlElement>() {
            let _ = el.focus();
        }
        let on_click = Closure::<dyn FnMut(Event)>::new(move |ev: Event| {
            let link = ev
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|e| e.closest("a").ok().flatten());
            let Some(id) = link.and_then(|a| a.get_attribute("href")).and_then(|h| h.strip_prefix('#').map(String::from)) else {
                return;
            };
            if let Some(field) = document().get_element_by_id(&id) {
                ev.prevent_default();
                field.scroll_into_view();
                if let Some(f) = field.dyn_ref::<HtmlElement>() {
                    let _ = f.focus();
                }
            }
        });
        let _ = summary.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
        // The listener lives as long as the summary does.
        on_click.forget();
    });
}

/// A page-level message for something that went wrong loading data.
#[component]
pub fn LoadError(error: ServerFnError) -> impl IntoView {
    let text = match error {
        ServerFnError::ServerError(s) => s,
        _ => "Sorry, there is a problem with the service. Try again later.".to_string(),
    };
    view! {
        <div class="nhsuk-error-summary" tabindex="-1">
            <div role="alert">
                <h2 class="nhsuk-error-summary__heading">"There is a problem"</h2>
                <div class="nhsuk-error-summary__body"><p>{text}</p></div>
            </div>
        </div>
    }
}
