//! What an area's shared care record contains: for each member organisation, the kinds of
//! information it shares and who can see them. The comms team keeps it here; patients read it
//! on Your choices. Its pages are here, its data in [`api`], its form posts in [`ssr`].

pub mod api;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::domain::sharing::{InfoKind, SeenBy};
use crate::ui::{loaded, Choice, ErrorSummary, Errors, Layout, Options, PageTitle, Table};
use api::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A list in words, one per line, or a dash when there is nothing yet.
fn listed(items: Vec<String>) -> AnyView {
    if items.is_empty() {
        view! { <span>"Not given yet"</span> }.into_any()
    } else {
        view! { <ul class="nhsuk-list nhsuk-u-margin-bottom-0">{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul> }.into_any()
    }
}

/// The table patients read, and the comms team checks.
#[component]
pub fn SharingTable(rows: Vec<SharingRow>, caption: String, #[prop(optional)] change: Option<String>) -> impl IntoView {
    let headings = if change.is_some() { vec!["Organisation", "What it shares", "Who can see it", "Change"] } else { vec!["Organisation", "What it shares", "Who can see it"] };
    let rows = rows
        .into_iter()
        .map(|r| {
            let mut cells = vec![view! { {r.name.clone()} }.into_any(), listed(r.kinds), listed(r.seen_by)];
            if let Some(base) = &change {
                cells.push(view! { <a href=format!("{base}/{}", r.ods)>"Change"<span class="nhsuk-u-visually-hidden">{format!(" what {} shares", r.name)}</span></a> }.into_any());
            }
            cells
        })
        .collect();
    view! { <Table caption=caption headings=headings rows=rows/> }
}

#[component]
pub fn SharingListPage() -> impl IntoView {
    let data = sharing_list();
    let done = use_query_map().read_untracked().get("done").map(|d| {
        if d == "removed" { "Removed. Patients read \u{201c}Not given yet\u{201d} for that organisation until it is filled in again." } else { "Saved. Patients see it on Your choices." }
    });
    view! {
        <Layout title="What each organisation shares">
            <h1>"What each organisation shares"</h1>
            {done.map(|words| view! { <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>{words}</p></div> })}
            <p>"Patients read this on Your choices, beside their own choices: which kinds of information each member organisation shares through the shared care record, and who can see them."</p>
            {loaded(data, |v| match v {
                Some(areas) => areas.into_iter().map(|a| view! {
                    <h2>{a.name.clone()}</h2>
                    {if a.rows.is_empty() {
                        view! { <p>"This area has no member organisations yet."</p> }.into_any()
                    } else {
                        view! { <SharingTable rows=a.rows caption=format!("Member organisations of {}", a.name) change=format!("/sharing/{}", a.slug)/> }.into_any()
                    }}
                }).collect_view().into_any(),
                None => view! { <p>"Only an area's comms team keeps this list."</p> }.into_any(),
            })}
        </Layout>
    }
}

#[component]
pub fn SharingFormPage() -> impl IntoView {
    let params = use_params_map().read_untracked().clone();
    let data = sharing_form(params.get("slug").unwrap_or_default(), params.get("ods").unwrap_or_default());
    view! {
        <Layout>
            {loaded(data, |v| match v {
                Some(f) => view! { <SharingFormBody f=f/> }.into_any(),
                None => view! { <PageTitle text="Page not found"/><h1>"Page not found"</h1><p>"There is no such member organisation in your areas."</p> }.into_any(),
            })}
        </Layout>
    }
}

#[component]
fn SharingFormBody(f: SharingEntry) -> impl IntoView {
    let errors = Errors(f.errors.clone());
    let heading = format!("What {} shares", f.org_name);
    let action = format!("/sharing/{}/{}", f.slug, f.ods);
    let kinds = InfoKind::ALL.iter().map(|k| Choice::new(k.as_str(), k.label())).collect::<Vec<_>>();
    let viewers = SeenBy::ALL.iter().map(|k| Choice::new(k.as_str(), k.label())).collect::<Vec<_>>();
    view! {
        <PageTitle text=heading.clone()/>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <ErrorSummary errors=f.errors.clone()/>
                <span class="nhsuk-caption-l">{f.area_name.clone()}</span>
                <h1>{heading}</h1>
                <form action=format!("{action}/save") method="post" novalidate>
                    <Options name="kinds" legend="What kinds of information does it share?" hint="Select all that apply"
                        choices=kinds selected=f.kinds.clone() error=errors.get("kinds") multiple=true/>
                    <Options name="seen_by" legend="Who can see it, when caring for the patient?" hint="Select all that apply"
                        choices=viewers selected=f.seen_by.clone() error=errors.get("seen_by") multiple=true/>
                    <button class="nhsuk-button" type="submit">"Save"</button>
                </form>
                {f.exists.then(|| view! {
                    <form action=format!("{action}/remove") method="post">
                        <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Remove this entry"</button>
                    </form>
                })}
                <p><a href="/sharing">"Back to every organisation"</a></p>
            </div>
        </div>
    }
}
