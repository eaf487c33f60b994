//! Administering areas: an admin keeps each area's name, member organisations (ODS codes), GP
//! practices and retention period as real data, here or with `scr-portal areas …`.

use crate::components::{ErrorSummary, Layout, LoadError};
use crate::forms::{group_class, ErrorMessage, Errors};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreaView {
    pub slug: String,
    pub name: String,
    pub retention_months: i64,
    /// (ODS code, name)
    pub organisations: Vec<(String, String)>,
    pub practices: Vec<(String, String)>,
    pub answers: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AreasView {
    /// (slug, name, organisations, practices)
    pub areas: Vec<(String, String, usize, usize)>,
    pub answers: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

/// The draft key of an admin's area form (so a form sent back keeps what was typed).
pub fn form_key(admin: &str, slug: &str) -> String {
    format!("area-admin:{slug}:{admin}")
}

#[cfg(feature = "ssr")]
async fn admin() -> Result<Option<(crate::people::StaffMember, Vec<String>)>, ServerFnError> {
    use crate::people::SignedIn;
    let Some(SignedIn::Staff(me)) = crate::ssr::signed_in() else {
        crate::ssr::redirect("/sign-in");
        return Ok(None);
    };
    let areas = me.areas_with(crate::domain::Role::Admin);
    if areas.is_empty() {
        crate::pages::set_status(403);
        return Ok(None);
    }
    Ok(Some((me, areas)))
}

#[cfg(feature = "ssr")]
async fn form(store: &dyn crate::ssr::Store, me: &str, slug: &str) -> Result<(Vec<(String, String)>, Vec<(String, String)>), ServerFnError> {
    Ok(match store.draft(&form_key(me, slug), me).await.map_err(crate::ssr::internal)? {
        Some(d) => (serde_json::from_value(d.answers).unwrap_or_default(), d.errors),
        None => (Vec::new(), Vec::new()),
    })
}

#[server(prefix = "/api", endpoint = "admin/areas")]
pub async fn areas_admin(with_form: bool) -> Result<Option<AreasView>, ServerFnError> {
    use crate::ssr::{internal, services};
    let Some((me, _)) = admin().await? else { return Ok(None) };
    let store = services()?.store;
    let mut areas = Vec::new();
    for a in store.list_areas().await.map_err(internal)? {
        let orgs = store.organisations(a.id).await.map_err(internal)?.len();
        let practices = store.practices(a.id).await.map_err(internal)?.len();
        areas.push((a.slug.to_string(), a.name, orgs, practices));
    }
    let (answers, errors) = if with_form { form(&*store, &me.subject, "new").await? } else { (Vec::new(), Vec::new()) };
    Ok(Some(AreasView { areas, answers, errors }))
}

#[server(prefix = "/api", endpoint = "admin/area")]
pub async fn area_admin(slug: String, with_form: bool) -> Result<Option<AreaView>, ServerFnError> {
    use crate::ssr::{internal, services};
    let Some((me, mine)) = admin().await? else { return Ok(None) };
    let store = services()?.store;
    let Ok(parsed) = crate::domain::AreaSlug::parse(&slug) else { return Ok(None) };
    let Some(area) = store.area_by_slug(&parsed).await.map_err(internal)?.filter(|a| mine.contains(&a.slug.to_string())) else {
        crate::pages::set_status(404);
        return Ok(None);
    };
    let organisations = store.organisations(area.id).await.map_err(internal)?.into_iter().map(|o| (o.ods_code.to_string(), o.name)).collect();
    let practices = store.practices(area.id).await.map_err(internal)?.into_iter().map(|p| (p.ods_code.to_string(), p.name)).collect();
    let (answers, errors) = if with_form { form(&*store, &me.subject, &slug).await? } else { (Vec::new(), Vec::new()) };
    Ok(Some(AreaView { slug: area.slug.to_string(), name: area.name, retention_months: area.retention_months, organisations, practices, answers, errors }))
}

#[component]
pub fn AdminAreasPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let data = areas_admin(q.get("form").is_some());
    view! {
        <Layout title="Areas">
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(v)) => {
                        let errors = Errors(v.errors.clone());
                        let answer = |k: &str| v.answers.iter().find(|(f, _)| f == k).map(|(_, x)| x.clone()).unwrap_or_default();
                        view! {
                            <ErrorSummary errors=v.errors.clone()/>
                            <h1>"Areas"</h1>
                            <p>"Each area is a shared care record: its member organisations, the GP practices whose patients belong to it, and how long it keeps access records."</p>
                            <table class="nhsuk-table">
                                <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Areas"</caption>
                                <thead class="nhsuk-table__head"><tr><th scope="col">"Area"</th><th scope="col">"Organisations"</th><th scope="col">"GP practices"</th></tr></thead>
                                <tbody class="nhsuk-table__body">
                                    {v.areas.clone().into_iter().map(|(slug, name, o, p)| view! { <tr class="nhsuk-table__row">
                                        <td class="nhsuk-table__cell"><a href=format!("/admin/areas/{slug}")>{name}</a></td>
                                        <td class="nhsuk-table__cell">{o}</td><td class="nhsuk-table__cell">{p}</td>
                                    </tr> }).collect_view()}
                                </tbody>
                            </table>
                            <h2>"Add an area"</h2>
                            <form action="/admin/areas/add" method="post" novalidate>
                                <div class=group_class(errors.get("name").is_some())>
                                    <label class="nhsuk-label" for="name">"Name"</label>
                                    <ErrorMessage id="name" message=errors.get("name")/>
                                    <input class="nhsuk-input" id="name" name="name" type="text" value=answer("name")/>
                                </div>
                                <div class=group_class(errors.get("slug").is_some())>
                                    <label class="nhsuk-label" for="slug">"Short name for web addresses"</label>
                                    <div class="nhsuk-hint" id="slug-hint">"Lower-case letters, numbers and hyphens, like north-east-london"</div>
                                    <ErrorMessage id="slug" message=errors.get("slug")/>
                                    <input class="nhsuk-input" id="slug" name="slug" type="text" aria-describedby="slug-hint" value=answer("slug")/>
                                </div>
                                <button class="nhsuk-button" type="submit">"Add area"</button>
                            </form>
                        }.into_any()
                    }
                    Ok(None) => view! { <h1>"You cannot manage areas"</h1><p>"Only an administrator manages areas."</p> }.into_any(),
                    Err(e) => view! { <h1>"Areas"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[component]
pub fn AdminAreaPage() -> impl IntoView {
    let slug = use_params_map().read_untracked().get("slug").unwrap_or_default();
    let q = use_query_map().read_untracked().clone();
    let done = q.get("done");
    let data = area_admin(slug, q.get("form").is_some());
    view! {
        <Layout title="Area">
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(a)) => view! { <AreaAdminView a=a done=done.clone()/> }.into_any(),
                    Ok(None) => view! { <h1>"Page not found"</h1><p>"There is no area here that you administer."</p> }.into_any(),
                    Err(e) => view! { <h1>"Area"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[component]
fn CodeList(slug: String, what: &'static str, list: Vec<(String, String)>) -> impl IntoView {
    view! {
        <ul class="nhsuk-list">
            {list.into_iter().map(|(code, name)| view! {
                <li>
                    <form action=format!("/admin/areas/{slug}/remove-{what}") method="post" class="scr-inline-form">
                        {format!("{name} ({code}) ")}
                        <input type="hidden" name="code" value=code.clone()/>
                        <button class="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit"
                            aria-label=format!("Remove {name}")>"Remove"</button>
                    </form>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn AreaAdminView(a: AreaView, done: Option<String>) -> impl IntoView {
    let errors = Errors(a.errors.clone());
    let answer = |k: &str, default: String| a.answers.iter().find(|(f, _)| f == k).map(|(_, x)| x.clone()).unwrap_or(default);
    let slug = a.slug.clone();
    let input = |id: &'static str, label: &'static str, value: String| view! {
        <div class=group_class(errors.get(id).is_some())>
            <label class="nhsuk-label" for=id>{label}</label>
            <ErrorMessage id=id message=errors.get(id)/>
            <input class="nhsuk-input" id=id name=id type="text" value=value/>
        </div>
    };
    view! {
        <ErrorSummary errors=a.errors.clone()/>
        <span class="nhsuk-caption-l">"Areas"</span>
        <h1>{a.name.clone()}</h1>
        {done.map(|_| view! { <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>"Saved."</p></div> })}
        <h2>"Name and retention"</h2>
        <form action=format!("/admin/areas/{slug}/settings") method="post" novalidate>
            {input("name", "Name", answer("name", a.name.clone()))}
            <div class=group_class(errors.get("retention").is_some())>
                <label class="nhsuk-label" for="retention">"Months to keep access records"</label>
                <div class="nhsuk-hint" id="retention-hint">"How long the access records sent by this area's systems are kept, from 1 to 240 months"</div>
                <ErrorMessage id="retention" message=errors.get("retention")/>
                <input class="nhsuk-input nhsuk-input--width-4" id="retention" name="retention" type="text" inputmode="numeric" aria-describedby="retention-hint"
                    value=answer("retention", a.retention_months.to_string())/>
            </div>
            <button class="nhsuk-button" type="submit">"Save"</button>
        </form>
        <h2>"Member organisations"</h2>
        <CodeList slug=slug.clone() what="organisation" list=a.organisations.clone()/>
        <form action=format!("/admin/areas/{slug}/add-organisation") method="post" novalidate>
            {input("org-code", "ODS code", answer("org-code", String::new()))}
            {input("org-name", "Organisation name", answer("org-name", String::new()))}
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add organisation"</button>
        </form>
        <h2>"GP practices"</h2>
        <CodeList slug=slug.clone() what="practice" list=a.practices.clone()/>
        <form action=format!("/admin/areas/{slug}/add-practice") method="post" novalidate>
            {input("practice-code", "Practice ODS code", answer("practice-code", String::new()))}
            {input("practice-name", "Practice name", answer("practice-name", String::new()))}
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add practice"</button>
        </form>
        <p><a href="/admin/areas">"All areas"</a></p>
    }
}
