//! Two versions of a notice compared word by word, for the comms team.

use super::api::*;
use super::publishing::Changes;
use crate::ui::{loaded, Layout};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn CompareVersionsPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let num = |k: &str| q.get(k).and_then(|v| v.parse::<i64>().ok());
    let data = compare_versions(q.get("area").unwrap_or_default(), q.get("variant").unwrap_or_else(|| "main".into()), num("from"), num("to"));
    view! {
        <Layout title="Compare versions">
            {loaded(data, move |v| match v {
                    Some(c) => view! {
                        <span class="nhsuk-caption-l">{format!("{}: {}", c.area_name, c.format_label)}</span>
                        <h1>{format!("Changes from version {} to version {}", c.from, c.to)}</h1>
                        <form action="/notices/compare" method="get">
                            <input type="hidden" name="area" value=c.area_slug.clone()/>
                            <input type="hidden" name="variant" value=c.variant.clone()/>
                            <div class="nhsuk-form-group">
                                <label class="nhsuk-label" for="from">"From version"</label>
                                <select class="nhsuk-select" id="from" name="from">
                                    {c.versions.iter().map(|v| view! { <option value=v.to_string() selected=*v == c.from>{v.to_string()}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="nhsuk-form-group">
                                <label class="nhsuk-label" for="to">"To version"</label>
                                <select class="nhsuk-select" id="to" name="to">
                                    {c.versions.iter().map(|v| view! { <option value=v.to_string() selected=*v == c.to>{v.to_string()}</option> }).collect_view()}
                                </select>
                            </div>
                            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Compare"</button>
                        </form>
                        <p class="nhsuk-body-s">"Added words are underlined, removed words struck through."</p>
                        <Changes changes=c.changes/>
                        <p><a href="/notices">"Back to privacy notices"</a></p>
                    }.into_any(),
                    None => view! { <h1>"Page not found"</h1><p>"There are no versions of that notice you can compare."</p> }.into_any(),
                })}
        </Layout>
    }
}

