//! Finding a GP surgery as you type: the search form's field, and under it the surgeries that
//! match what has been typed so far, each a link to its area. The field is a plain form's
//! field: without JavaScript (or before the WebAssembly arrives) the form is sent and the page
//! lists the same surgeries.

use super::api::{find_area, AreaLookup, PracticeFound};
use leptos::prelude::*;

/// What the list under the field shows.
#[derive(Debug, Clone, PartialEq)]
enum Shown {
    Nothing,
    Matches { heading: String, practices: Vec<PracticeFound>, more: bool },
    /// Nothing matched, or what was typed cannot be searched yet: said quietly, not as an error
    /// (the person has not finished typing).
    Note(String),
}

/// How long typing must pause before the surgeries are looked up.
const PAUSE_MS: u64 = 250;

#[island]
pub fn PracticeFinder(value: String, error: Option<String>) -> impl IntoView {
    let has_error = error.is_some();
    let shown = RwSignal::new(Shown::Nothing);
    // Each keystroke takes a number; only the answer to the latest is shown.
    let latest = StoredValue::new(0u64);
    let look_up = move |typed: String| {
        let n = latest.get_value() + 1;
        latest.set_value(n);
        if typed.trim().chars().count() < 2 {
            shown.set(Shown::Nothing);
            return;
        }
        set_timeout(
            move || {
                if latest.get_value() != n {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let answer = find_area(Some(typed)).await;
                    if latest.get_value() != n {
                        return;
                    }
                    shown.set(match answer {
                        Ok(AreaLookup::Matches { heading, practices, more }) => Shown::Matches { heading, practices, more },
                        Ok(AreaLookup::Found { area, practice_name }) => {
                            Shown::Matches { heading: "The GP surgery with that code".into(), practices: vec![PracticeFound { name: practice_name, address: String::new(), area }], more: false }
                        }
                        Ok(AreaLookup::NotFound(message) | AreaLookup::Invalid(message)) => Shown::Note(message),
                        // The form still works: sending it shows the same list, or the problem.
                        Ok(AreaLookup::Start) | Err(_) => Shown::Nothing,
                    });
                });
            },
            std::time::Duration::from_millis(PAUSE_MS),
        );
    };
    let field = NodeRef::<leptos::html::Input>::new();
    // What was typed before the island woke (on a slow connection the WebAssembly can arrive
    // seconds after the page) is looked up at once. The words a sent search shows back are
    // already listed on the page, so those are not.
    let sent = value.clone();
    Effect::new(move |_| {
        if let Some(el) = field.get() {
            if el.value() != sent {
                look_up(el.value());
            }
        }
    });
    let status = move || match shown.get() {
        Shown::Nothing => String::new(),
        Shown::Matches { practices, more, .. } => match (practices.len(), more) {
            (1, _) => "1 GP surgery found".into(),
            (n, false) => format!("{n} GP surgeries found"),
            (n, true) => format!("More than {n} GP surgeries found: type more to narrow them down"),
        },
        Shown::Note(message) => message,
    };
    view! {
        <div class=if has_error { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
            <label class="nhsuk-label" for="practice">{super::SEARCH_LABEL}</label>
            <div class="nhsuk-hint" id="practice-hint">{super::SEARCH_HINT}</div>
            {error.map(|e| view! {
                <span class="nhsuk-error-message" id="practice-error">
                    <span class="nhsuk-u-visually-hidden">"Error: "</span>{e}
                </span>
            })}
            <input
                class=if has_error { "nhsuk-input nhsuk-input--error" } else { "nhsuk-input" }
                id="practice"
                name="practice"
                type="search"
                spellcheck="false"
                autocomplete="off"
                aria-describedby=if has_error { "practice-hint practice-error" } else { "practice-hint" }
                value=value
                node_ref=field
                on:input=move |ev| look_up(event_target_value(&ev))
            />
        </div>
        // Read out when the list changes; the list itself is read when the person moves to it.
        <p class="nhsuk-u-visually-hidden" role="status">{status}</p>
        {move || match shown.get() {
            Shown::Matches { heading, practices, more } => view! {
                <div class="scr-practice-matches">
                    <h2 class="nhsuk-heading-s">{heading}</h2>
                    <super::PracticeList practices=practices/>
                    {more.then(|| view! { <p class="nhsuk-body-s">"Only the first 20 are shown. Type more of the name to narrow them down."</p> })}
                </div>
            }.into_any(),
            Shown::Note(message) => view! { <p class="nhsuk-body-s scr-practice-matches">{message}</p> }.into_any(),
            Shown::Nothing => ().into_any(),
        }}
    }
}
