//! The one way a page waits for its data: the page is rendered whole on the server once the
//! data is there (the routes use `SsrMode::Async`), and a failure to load is shown as the NHS
//! error summary with the reference to quote.

use super::LoadError;
use leptos::prelude::*;
use std::future::Future;

/// Shows `ready(data)` once the server function's answer is in, or the load error.
pub fn loaded<T, F>(data: F, ready: impl FnOnce(T) -> AnyView + Send + 'static) -> impl IntoView
where
    T: Send + 'static,
    F: Future<Output = Result<T, ServerFnError>> + Send + 'static,
{
    view! {
        <Suspense fallback=|| ()>
            {Suspend::new(async move {
                match data.await {
                    Ok(v) => ready(v),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// As [`loaded`], for data that may be missing (`None`: not found, or not theirs), shown by `missing`.
pub fn loaded_or<T, F>(
    data: F,
    ready: impl FnOnce(T) -> AnyView + Send + 'static,
    missing: impl FnOnce() -> AnyView + Send + 'static,
) -> impl IntoView
where
    T: Send + 'static,
    F: Future<Output = Result<Option<T>, ServerFnError>> + Send + 'static,
{
    loaded(data, move |v| match v {
        Some(v) => ready(v),
        None => missing(),
    })
}

/// The "Page not found" body, with its `<title>`.
#[component]
pub fn NotFound(#[prop(optional, into)] text: Option<String>) -> impl IntoView {
    view! {
        <super::PageTitle text="Page not found"/>
        <h1>"Page not found"</h1>
        {text.map(|t| view! { <p>{t}</p> })}
    }
}
