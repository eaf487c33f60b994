//! The frame of every page, from the NHS.UK design system: skip link, header, main, footer,
//! width container, and the demonstration banner.

use crate::domain::people::Viewer;
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
    use crate::server::{services, signed_in};
    let services = services()?;
    let viewer = match signed_in() {
        None => Viewer::Anonymous,
        Some(holder) => crate::sign_in::api::viewer_for(&*services.store, holder).await?,
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
