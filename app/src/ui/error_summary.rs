//! The NHS error summary at the top of a page with problems, and the message for a page whose
//! data could not be loaded.

use leptos::prelude::*;
use leptos_meta::Title;

/// The NHS error summary: shown at the top of a form's page, each message linking to its field.
/// Plain server HTML, so it is right after any page change; the small island inside takes focus
/// when JavaScript is on, so a screen reader reads the problems out first (what the NHS.UK
/// frontend's own script does).
#[component]
pub fn ErrorSummary(errors: Vec<(String, String)>) -> impl IntoView {
    // A page showing what to fix answers 422: the answers sent could not be taken.
    if !errors.is_empty() {
        super::default_status(422);
    }
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

/// A page-level message for something that went wrong loading data. The page answers 500 (or
/// the status already set, such as 503), and its title says there is a problem.
#[component]
pub fn LoadError(error: ServerFnError) -> impl IntoView {
    let text = match error {
        ServerFnError::ServerError(s) => s,
        _ => "Sorry, there is a problem with the service. Try again later.".to_string(),
    };
    // A database out for a moment is 503 (monitoring counts it as the outage it is), else 500.
    let unavailable = text.starts_with("Sorry, the service is unavailable");
    super::set_status(if unavailable { 503 } else { 500 });
    view! {
        <super::PageTitle text={if unavailable { "Sorry, the service is unavailable" } else { "Sorry, there is a problem with the service" }}/>
        <div class="nhsuk-error-summary" tabindex="-1">
            <div role="alert">
                <h2 class="nhsuk-error-summary__heading">"There is a problem"</h2>
                <div class="nhsuk-error-summary__body"><p>{text}</p></div>
            </div>
        </div>
    }
}
