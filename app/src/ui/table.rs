//! The NHS table. Responsive: on a narrow screen each row becomes a block and each cell is
//! labelled with its column's heading, so nothing scrolls sideways (WCAG 1.4.10 reflow).

use leptos::prelude::*;

/// A table with a caption (visually hidden when `hide_caption`), column headings, and rows of cells.
#[component]
pub fn Table(
    #[prop(into)] caption: String,
    #[prop(optional)] hide_caption: bool,
    headings: Vec<&'static str>,
    rows: Vec<Vec<AnyView>>,
) -> impl IntoView {
    let caption_class = if hide_caption { "nhsuk-table__caption nhsuk-u-visually-hidden" } else { "nhsuk-table__caption" };
    let heads = headings.clone();
    view! {
        <table class="nhsuk-table-responsive">
            <caption class=caption_class>{caption}</caption>
            <thead class="nhsuk-table__head">
                <tr role="row">
                    {heads.into_iter().map(|h| view! { <th role="columnheader" scope="col" class="nhsuk-table__header">{h}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">
                {rows.into_iter().map(|cells| {
                    let headings = headings.clone();
                    view! {
                        <tr role="row" class="nhsuk-table__row">
                            {cells.into_iter().zip(headings).map(|(cell, h)| view! {
                                <td role="cell" class="nhsuk-table__cell">
                                    <span class="nhsuk-table-responsive__heading" aria-hidden="true">{format!("{h} ")}</span>
                                    {cell}
                                </td>
                            }).collect_view()}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
