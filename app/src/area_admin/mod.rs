//! Administering areas: an admin keeps each area's name, member organisations (ODS codes), GP
//! practices and retention period as real data, here or with `scr-portal areas …`.

pub mod api;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::ui::{group_class, loaded, ErrorMessage, ErrorSummary, Errors, Layout};
use api::*;
use crate::ui::Table;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn AdminAreasPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let data = areas_admin(q.get("form").is_some());
    view! {
        <Layout title="Areas">
            {loaded(data, move |v| match v {
                    Some(v) => {
                        let errors = Errors(v.errors.clone());
                        let answer = |k: &str| v.answers.iter().find(|(f, _)| f == k).map(|(_, x)| x.clone()).unwrap_or_default();
                        view! {
                            <ErrorSummary errors=v.errors.clone()/>
                            <h1>"Areas"</h1>
                            <p>"Each area is a shared care record: its member organisations, the GP practices whose patients belong to it, and how long it keeps access records."</p>
                            <Table caption="Areas" hide_caption=true headings=vec!["Area", "Organisations", "GP practices"]
    rows={v.areas.clone().into_iter().map(|(slug, name, o, p)| vec![
            view! { <a href=format!("/admin/areas/{slug}")>{name}</a> }.into_any(),
            view! { {o} }.into_any(),
            view! { {p} }.into_any(),
        ]).collect::<Vec<_>>()}/>
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
                    None => view! { <h1>"You cannot manage areas"</h1><p>"Only an administrator manages areas."</p> }.into_any(),
                })}
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
            {loaded(data, move |v| match v {
                    Some(a) => view! { <AreaAdminView a=a done=done.clone()/> }.into_any(),
                    None => view! { <h1>"Page not found"</h1><p>"There is no area here that you administer."</p> }.into_any(),
                })}
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
        <h2>"Contact details for patients"</h2>
        <p>"Shown with the area\u{2019}s privacy notice, beside patients\u{2019} rights, and in the accessibility statement: how a patient reaches the area\u{2019}s data protection officer."</p>
        <form action=format!("/admin/areas/{slug}/contact") method="post" novalidate>
            <div class=group_class(errors.get("contact-address").is_some())>
                <label class="nhsuk-label" for="contact-address">"Postal address"</label>
                <ErrorMessage id="contact-address" message=errors.get("contact-address")/>
                <textarea class="nhsuk-textarea" id="contact-address" name="contact-address" rows="4">{crate::ui::textarea_text(answer("contact-address", a.contact.address.clone()))}</textarea>
            </div>
            <div class=group_class(errors.get("contact-email").is_some())>
                <label class="nhsuk-label" for="contact-email">"Email address"</label>
                <ErrorMessage id="contact-email" message=errors.get("contact-email")/>
                <input class="nhsuk-input" id="contact-email" name="contact-email" type="email" spellcheck="false" value=answer("contact-email", a.contact.email.clone())/>
            </div>
            <div class=group_class(errors.get("contact-phone").is_some())>
                <label class="nhsuk-label" for="contact-phone">"Phone number"</label>
                <ErrorMessage id="contact-phone" message=errors.get("contact-phone")/>
                <input class="nhsuk-input nhsuk-input--width-20" id="contact-phone" name="contact-phone" type="tel" value=answer("contact-phone", a.contact.phone.clone())/>
            </div>
            <button class="nhsuk-button" type="submit">"Save contact details"</button>
        </form>
        <h2>"Member organisations"</h2>
        <CodeList slug=slug.clone() what="organisation" list=a.organisations.clone()/>
        <form action=format!("/admin/areas/{slug}/add-organisation") method="post" novalidate>
            {input("org-code", "ODS code", answer("org-code", String::new()))}
            {input("org-name", "Organisation name", answer("org-name", String::new()))}
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add organisation"</button>
        </form>
        <h2>"GP practices"</h2>
        <p>"Patients find their area by their surgery\u{2019}s name, address or postcode: give all three."</p>
        <CodeList slug=slug.clone() what="practice" list=a.practices.clone()/>
        <form action=format!("/admin/areas/{slug}/add-practice") method="post" novalidate>
            {input("practice-code", "Practice ODS code", answer("practice-code", String::new()))}
            {input("practice-name", "Practice name", answer("practice-name", String::new()))}
            {input("practice-address", "Address (street and town, as on a letter)", answer("practice-address", String::new()))}
            <div class=group_class(errors.get("practice-postcode").is_some())>
                <label class="nhsuk-label" for="practice-postcode">"Postcode"</label>
                <ErrorMessage id="practice-postcode" message=errors.get("practice-postcode")/>
                <input class="nhsuk-input nhsuk-input--width-10" id="practice-postcode" name="practice-postcode" type="text" autocomplete="off"
                    value=answer("practice-postcode", String::new())/>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add practice"</button>
        </form>
        <p><a href="/admin/areas">"All areas"</a></p>
    }
}
