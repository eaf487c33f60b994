//! The NHS summary list: a question or label, and its answer in one or more lines.

use leptos::prelude::*;

#[component]
pub fn SummaryRows(rows: Vec<(String, Vec<String>)>) -> impl IntoView {
    view! {
        <dl class="nhsuk-summary-list">
            {rows.into_iter().map(|(k, lines)| view! {
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">{k}</dt>
                    <dd class="nhsuk-summary-list__value">
                        {lines.into_iter().map(|l| view! { <p class="nhsuk-body nhsuk-u-margin-bottom-1 scr-preserve-lines">{l}</p> }).collect_view()}
                    </dd>
                </div>
            }).collect_view()}
        </dl>
    }
}
