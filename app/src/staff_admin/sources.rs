//! The systems that send access records: register one (its secret shown once), revoke one.

use super::api::*;
use crate::ui::{loaded, ErrorSummary, Layout};
use crate::ui::Table;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The systems that send access events: register one (its secret is shown once), revoke one.
#[component]
pub fn AdminSourcesPage() -> impl IntoView {
    let data = sources_page();
    let q = use_query_map().read_untracked().clone();
    let errors: Vec<(String, String)> = match q.get("error").as_deref() {
        Some("area") => vec![("area".to_string(), "Choose the area whose shared care record the system is".to_string())],
        Some(_) => vec![("name".to_string(), "Enter the system's name".to_string())],
        None => Vec::new(),
    };
    let revoked = q.get("done").as_deref() == Some("revoked");
    view! {
        <Layout title="Systems that send access records">
            {loaded(data, move |v| match v {
                    Some(v) => {
                        let errs = crate::ui::Errors(errors.clone());
                        view! {
                            <ErrorSummary errors=errors.clone()/>
                            <h1>"Systems that send access records"</h1>
                            <p>"Shared care record systems send the portal a record each time someone looks at a patient's record. Each system has its own client id and secret."</p>
                            {v.new_secret.map(|(name, id, secret)| view! {
                                <div class="nhsuk-warning-callout">
                                    <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>{format!("{name} is registered")}</span></h2>
                                    <p>"Give these to the system's team now. The secret is shown this once: the portal keeps only a hash of it."</p>
                                    <dl class="nhsuk-summary-list">
                                        <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">"Client id"</dt><dd class="nhsuk-summary-list__value"><code>{id}</code></dd></div>
                                        <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">"Secret"</dt><dd class="nhsuk-summary-list__value"><code class="scr-secret">{secret}</code></dd></div>
                                    </dl>
                                </div>
                            })}
                            {revoked.then(|| view! { <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>"The system was revoked. Its secret and tokens no longer work."</p></div> })}
                            <Table caption="Registered systems" headings=vec!["System", "Client id", "Area", "First record", "Latest record", "Action"]
    rows={v.sources.into_iter().map(|(name, id, active, first, latest, area)| vec![
            view! { {name.clone()} }.into_any(),
            view! { <code>{id.clone()}</code> }.into_any(),
            view! { {area} }.into_any(),
            view! { {first} }.into_any(),
            view! { {latest} }.into_any(),
            view! { {if active {
                                                    view! {
                                                        <form action="/admin/sources/revoke" method="post">
                                                            <input type="hidden" name="client_id" value=id.clone()/>
                                                            <button class="nhsuk-button nhsuk-button--warning nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit"
                                                                aria-label=format!("Revoke {name}")>"Revoke"</button>
                                                        </form>
                                                    }.into_any()
                                                } else {
                                                    view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Revoked"</strong> }.into_any()
                                                }} }.into_any(),
        ]).collect::<Vec<_>>()}/>
                            <h2>"Register a system"</h2>
                            <form action="/admin/sources/add" method="post" novalidate>
                                <crate::ui::TextInput name="name" label="Name" hint="As patients will see it, for example Northshire Shared Care Record"
                                    value=String::new() error=errs.get("name") input_type="text" autocomplete="off"/>
                                <div class="nhsuk-form-group">
                                    <label class="nhsuk-label" for="area">"Area"</label>
                                    <div class="nhsuk-hint" id="area-hint">"The area whose shared care record this is: its retention period applies to the records it sends"</div>
                                    <select class="nhsuk-select" id="area" name="area" aria-describedby="area-hint">
                                        {v.areas.into_iter().map(|(slug, name)| view! { <option value=slug>{name}</option> }).collect_view()}
                                    </select>
                                </div>
                                <button class="nhsuk-button" type="submit">"Register system"</button>
                            </form>
                        }.into_any()
                    }
                    None => {
                        crate::ui::set_status(403);
                        view! { <h1>"You cannot manage these systems"</h1><p>"Only an administrator can register or revoke systems."</p> }.into_any()
                    }
                })}
        </Layout>
    }
}

