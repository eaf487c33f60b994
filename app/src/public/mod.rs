//! Pages anyone can read: the start page, finding your area, an area's privacy notice.

pub mod api;

use crate::ui::{loaded, ErrorSummary, Layout, LoadError, PageTitle, set_status};
use api::{area_page, find_area, list_areas, AreaLookup, AreaSummary};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn HomePage() -> impl IntoView {
    crate::ui::public_page();
    let areas = list_areas();
    view! {
        <Layout title="Your shared care record and your choices">
            <div class="nhsuk-grid-row">
                <div class="nhsuk-grid-column-two-thirds">
                    <h1>"Your shared care record and your choices"</h1>
                    <p class="nhsuk-lede-text">
                        "The people who care for you can see important information from your health and social care records in one place. This is called a shared care record."
                    </p>
                    <p>"Use this service to:"</p>
                    <ul>
                        <li>"read how your local area uses and protects your information"</li>
                        <li>"say you do not want your information in the shared care record (object)"</li>
                        <li>"ask for a copy of the information held about you"</li>
                        <li>"see which health and care professionals have looked at your record, and why"</li>
                    </ul>
                    <a class="nhsuk-button" href="/sign-in" role="button" draggable="false">"Sign in with NHS login"</a>
                    <h2>"Find your area"</h2>
                    <p>"Shared care records are run by local areas. Your area depends on your GP surgery."</p>
                    <FindAreaForm value=String::new() error=None/>
                    <h3>"Or choose your area from the list"</h3>
                    {loaded(areas, move |list| view! { <AreaList areas=list/> }.into_any())}
                </div>
            </div>
        </Layout>
    }
}

#[component]
fn AreaList(areas: Vec<AreaSummary>) -> impl IntoView {
    view! {
        <ul class="nhsuk-list nhsuk-list--bullet">
            {areas.into_iter().map(|a| view! {
                <li><a href=format!("/areas/{}", a.slug)>{a.name}</a></li>
            }).collect_view()}
        </ul>
    }
}

/// A plain GET form: works the same with or without JavaScript.
#[component]
fn FindAreaForm(value: String, error: Option<String>) -> impl IntoView {
    let has_error = error.is_some();
    view! {
        <form action="/find-your-area" method="get" novalidate>
            <div class=if has_error { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" }>
                <label class="nhsuk-label" for="practice">"Your GP surgery's code"</label>
                <div class="nhsuk-hint" id="practice-hint">
                    "This is 6 letters and numbers, like Y90001. Your surgery can tell you it."
                </div>
                {error.map(|e| view! {
                    <span class="nhsuk-error-message" id="practice-error">
                        <span class="nhsuk-u-visually-hidden">"Error: "</span>{e}
                    </span>
                })}
                <input
                    class=if has_error { "nhsuk-input nhsuk-input--width-10 nhsuk-input--error" } else { "nhsuk-input nhsuk-input--width-10" }
                    id="practice"
                    name="practice"
                    type="text"
                    spellcheck="false"
                    autocomplete="off"
                    aria-describedby=if has_error { "practice-hint practice-error" } else { "practice-hint" }
                    value=value
                />
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Find my area"</button>
        </form>
    }
}

#[component]
pub fn FindAreaPage() -> impl IntoView {
    crate::ui::public_page();
    let query = use_query_map();
    let practice = move || query.read().get("practice").unwrap_or_default();
    let lookup = find_area(practice());
    view! {
        <Layout title="Find your area">
            <div class="nhsuk-grid-row">
                <div class="nhsuk-grid-column-two-thirds">
                    {loaded(lookup, move |v| match v {
                            AreaLookup::Found { area, practice_name } => view! {
                                <h1>{format!("Your area is {}", area.name)}</h1>
                                <p>{format!("{practice_name} is part of {}.", area.name)}</p>
                                <a class="nhsuk-button" href=format!("/areas/{}", area.slug) role="button" draggable="false">"Read this area's privacy notice"</a>
                                <p><a href="/">"Look up a different GP surgery"</a></p>
                            }.into_any(),
                            AreaLookup::Invalid(message) => {
                                set_status(422);
                                view! {
                                    <ErrorSummary errors=vec![("practice".into(), message.clone())]/>
                                    <h1>"Find your area"</h1>
                                    <FindAreaForm value=practice() error=Some(message)/>
                                }.into_any()
                            }
                            AreaLookup::NotFound => {
                                let message = "We could not find a GP surgery with that code in any area using this service. Check the code, or choose your area from the list.".to_string();
                                set_status(404);
                                view! {
                                    <ErrorSummary errors=vec![("practice".into(), message.clone())]/>
                                    <h1>"Find your area"</h1>
                                    <FindAreaForm value=practice() error=Some(message)/>
                                    <p><a href="/">"Choose your area from the list"</a></p>
                                }.into_any()
                            }
                        })}
                </div>
            </div>
        </Layout>
    }
}


#[component]
pub fn AreaPage() -> impl IntoView {
    crate::ui::public_page();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    // The area's page is its privacy notice in force; an area that has not published one yet
    // says so, with the organisations that share information in it.
    let notice = crate::notices::public_notice(slug(), "main".into(), None);
    let data = area_page(slug());
    view! {
        <Layout>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match notice.await {
                    Ok(Some(n)) => return view! { <crate::notices::PublicNoticeView n=n/> }.into_any(),
                    Err(e) => return view! {
                        <PageTitle text="Sorry, there is a problem with the service"/>
                        <h1>"Sorry, there is a problem with the service"</h1>
                        <LoadError error=e/>
                    }.into_any(),
                    Ok(None) => {}
                }
                match data.await {
                    Ok(Some(page)) => {
                        let title = format!("{} privacy notice", page.area.name);
                        view! {
                            <PageTitle text=title.clone()/>
                            <div class="nhsuk-grid-row">
                                <div class="nhsuk-grid-column-two-thirds">
                                    <span class="nhsuk-caption-l">{page.area.name.clone()}</span>
                                    {match page.notice {
                                        Some(n) => view! {
                                            <h1>{n.title.clone()}</h1>
                                            <p class="nhsuk-body-s">
                                                {format!("Version {}. Last updated {}.", n.version, n.published_on)}
                                            </p>
                                            <div class="scr-notice" inner_html=n.html.into_string()></div>
                                        }.into_any(),
                                        None => view! {
                                            <h1>{title.clone()}</h1>
                                            <p>"This area has not published its privacy notice in this service yet."</p>
                                        }.into_any(),
                                    }}
                                    <h2>"Organisations that share information in this area"</h2>
                                    <ul>
                                        {page.organisations.into_iter().map(|(name, code)| view! {
                                            <li>{format!("{name} ({code})")}</li>
                                        }).collect_view()}
                                    </ul>
                                </div>
                            </div>
                        }.into_any()
                    }
                    Ok(None) => view! { <PageTitle text="Page not found"/><NotFoundContent/> }.into_any(),
                    Err(e) => view! {
                        <PageTitle text="Sorry, there is a problem with the service"/>
                        <h1>"Sorry, there is a problem with the service"</h1>
                        <LoadError error=e/>
                    }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <Layout title="Page not found">
            <NotFoundContent/>
        </Layout>
    }
}

/// "Page not found", with its title, inside a page of one's own.
#[component]
pub fn NotFoundBody() -> impl IntoView {
    view! { <PageTitle text="Page not found"/><NotFoundContent/> }
}

#[component]
fn NotFoundContent() -> impl IntoView {
    set_status(404);
    view! {
        <h1>"Page not found"</h1>
        <p>"If you typed the web address, check it is correct."</p>
        <p>"If you pasted the web address, check you copied the entire address."</p>
        <p><a href="/">"Go to the start page"</a></p>
    }
}

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    crate::ui::public_page();
    view! {
        <Layout title="Accessibility statement">
            <div class="nhsuk-grid-row">
                <div class="nhsuk-grid-column-two-thirds">
                    <h1>"Accessibility statement"</h1>
                    <p>"We want as many people as possible to be able to use this service. You should be able to:"</p>
                    <ul>
                        <li>"change colours, contrast levels and fonts"</li>
                        <li>"zoom in up to 400% without the text spilling off the screen"</li>
                        <li>"navigate the whole service using just a keyboard"</li>
                        <li>"use the whole service with JavaScript turned off"</li>
                        <li>"listen to the service using a screen reader"</li>
                    </ul>
                    <h2>"How we test this service"</h2>
                    <p>"Every page is checked automatically against the Web Content Accessibility Guidelines (WCAG) 2.2 at levels A and AA each time the service changes."</p>
                </div>
            </div>
        </Layout>
    }
}
