//! An administrator's pages: the staff directory (roles in their areas), bank holidays, and the
//! systems that send access records. Posts are in [`ssr`].

pub mod api;
mod holidays;
mod sources;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use holidays::AdminBankHolidaysPage;
pub use sources::AdminSourcesPage;

use api::*;
use crate::domain::Role;
use crate::ui::{loaded, ErrorSummary, Layout};
use crate::ui::Table;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Messages for the add form's fields, by the codes the form handler sends back.
fn field_errors(codes: &[String]) -> Vec<(String, String)> {
    codes
        .iter()
        .filter_map(|c| match c.as_str() {
            "subject" => Some(("subject".into(), "Enter the person's sign-in subject".into())),
            "name" => Some(("name".into(), "Enter the person's name".into())),
            "role" => Some(("role".into(), "Choose a role".into())),
            "area" => Some(("area".into(), "Choose an area you administer".into())),
            _ => None,
        })
        .collect()
}

#[component]
pub fn AdminStaffPage() -> impl IntoView {
    let dir = staff_directory();
    let query = use_query_map();
    let errors = field_errors(&query.read_untracked().get_all("error").unwrap_or_default());
    let done = query.read_untracked().get("done");
    view! {
        <Layout title="Staff directory">
            {loaded(dir, move |v| match v {
                    Some(d) => view! { <Directory dir=d errors=errors.clone() done=done.clone()/> }.into_any(),
                    None => {
                        crate::ui::set_status(403);
                        view! {
                            <h1>"You cannot manage the staff directory"</h1>
                            <p>"Only an administrator of an area can add or remove its staff."</p>
                        }.into_any()
                    }
                })}
        </Layout>
    }
}

#[component]
fn Directory(dir: DirectoryView, errors: Vec<(String, String)>, done: Option<String>) -> impl IntoView {
    let has = |f: &str| errors.iter().any(|(k, _)| k == f);
    let group = |f: &str| if has(f) { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" };
    let message = |f: &str| errors.iter().find(|(k, _)| k == f).map(|(_, m)| m.clone());
    let field_error = move |id: &'static str, m: Option<String>| m.map(|m| view! {
        <span class="nhsuk-error-message" id=format!("{id}-error")>
            <span class="nhsuk-u-visually-hidden">"Error: "</span>{m}
        </span>
    });
    view! {
        <ErrorSummary errors=errors.clone()/>
        <h1>"Staff directory"</h1>
        {done.map(|d| view! {
            <div class="nhsuk-inset-text" role="status">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>{if d == "removed" { "The role was removed." } else { "The role was added." }}</p>
            </div>
        })}
        <Table caption="Staff with roles in your areas" headings=vec!["Name", "Subject", "Role and area", "Action"]
            rows={dir.rows.into_iter().flat_map(|row| {
                row.grants.into_iter().map(move |g| {
                    let label = format!("Remove {} as {} in {}", row.name, g.role.label(), g.area_name);
                    vec![
                        view! { {row.name.clone()} }.into_any(),
                        view! { <code>{row.subject.clone()}</code> }.into_any(),
                        view! { {format!("{}, {}", g.role.label(), g.area_name)} }.into_any(),
                        view! {
                            <form action="/admin/staff/remove" method="post">
                                <input type="hidden" name="subject" value=row.subject.clone()/>
                                <input type="hidden" name="role" value=g.role.as_str()/>
                                <input type="hidden" name="area" value=g.area_slug.clone()/>
                                <button class="nhsuk-button nhsuk-button--warning nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit" aria-label=label>"Remove"</button>
                            </form>
                        }.into_any(),
                    ]
                }).collect::<Vec<_>>()
            }).collect::<Vec<_>>()}/>
        <h2>"Give someone a role"</h2>
        <form action="/admin/staff/add" method="post" novalidate>
            <div class=group("subject")>
                <label class="nhsuk-label" for="subject">"Sign-in subject"</label>
                <div class="nhsuk-hint" id="subject-hint">"The identifier the staff sign-in service gives this person (for NHS CIS2, their UUID)."</div>
                {field_error("subject", message("subject"))}
                <input class="nhsuk-input" id="subject" name="subject" type="text" spellcheck="false" autocomplete="off" aria-describedby="subject-hint"/>
            </div>
            <div class=group("name")>
                <label class="nhsuk-label" for="name">"Name"</label>
                {field_error("name", message("name"))}
                <input class="nhsuk-input" id="name" name="name" type="text" autocomplete="off"/>
            </div>
            <div class=group("role")>
                <label class="nhsuk-label" for="role">"Role"</label>
                {field_error("role", message("role"))}
                <select class="nhsuk-select" id="role" name="role">
                    <option value="">"Choose a role"</option>
                    {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class=group("area")>
                <label class="nhsuk-label" for="area">"Area"</label>
                {field_error("area", message("area"))}
                <select class="nhsuk-select" id="area" name="area">
                    {dir.areas.into_iter().map(|(slug, name)| view! { <option value=slug>{name}</option> }).collect_view()}
                </select>
            </div>
            <button class="nhsuk-button" type="submit">"Add role"</button>
        </form>
    }
}

