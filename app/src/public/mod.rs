//! Pages anyone can read: the start page, finding your area, an area's privacy notice.

pub mod api;
mod finder;

use crate::ui::{loaded, ErrorSummary, Layout, LoadError, PageTitle, set_status};
use api::{area_page, find_area, list_areas, AreaLookup, AreaSummary, PracticeFound};
use finder::PracticeFinder;
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
                    <FindAreaForm/>
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

/// The search field's label and hint, the same on the start page and the search page.
const SEARCH_LABEL: &str = "Your GP surgery\u{2019}s name or postcode";
const SEARCH_HINT: &str = "For example, Riverside Medical Centre, or a postcode like NS1 4AB. Your own postcode finds the surgeries near you. You can also use the surgery\u{2019}s code, like Y90001.";

/// The start page's search: a plain GET form (the search page adds the list as you type).
#[component]
fn FindAreaForm() -> impl IntoView {
    view! {
        <form action="/find-your-area" method="get" novalidate>
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="practice">{SEARCH_LABEL}</label>
                <div class="nhsuk-hint" id="practice-hint">{SEARCH_HINT}</div>
                <input class="nhsuk-input" id="practice" name="practice" type="search" spellcheck="false" autocomplete="off" aria-describedby="practice-hint"/>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Find my area"</button>
        </form>
    }
}

/// Surgeries found, each with its address and a link to its area.
#[component]
fn PracticeList(practices: Vec<PracticeFound>) -> impl IntoView {
    view! {
        <ul class="nhsuk-list scr-practice-list">
            {practices.into_iter().map(|p| view! {
                <li>
                    <a href=format!("/areas/{}", p.area.slug)>{p.name}</a>
                    {(!p.address.is_empty()).then(|| view! { <span class="nhsuk-u-display-block">{p.address}</span> })}
                    <span class="nhsuk-u-display-block nhsuk-body-s">{format!("Part of {}", p.area.name)}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The search page: the form (with the list as you type), and what a sent search found.
#[component]
pub fn FindAreaPage() -> impl IntoView {
    let query = use_query_map();
    let practice = move || query.read().get("practice");
    let lookup = find_area(practice());
    let typed = move || practice().unwrap_or_default();
    let form = move |error: Option<String>| view! {
        <form action="/find-your-area" method="get" novalidate>
            <PracticeFinder value=typed() error=error/>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Find my area"</button>
        </form>
    };
    let problem = move |message: String, status: u16| {
        set_status(status);
        view! {
            <ErrorSummary errors=vec![("practice".into(), message.clone())]/>
            <h1>"Find your area"</h1>
            {form(Some(message))}
            <p><a href="/">"Choose your area from the list"</a></p>
        }
        .into_any()
    };
    view! {
        <Layout title="Find your area">
            <div class="nhsuk-grid-row">
                <div class="nhsuk-grid-column-two-thirds">
                    {loaded(lookup, move |v| match v {
                            AreaLookup::Start => view! {
                                <h1>"Find your area"</h1>
                                <p>"Shared care records are run by local areas. Your area depends on your GP surgery."</p>
                                {form(None)}
                                <p><a href="/">"Choose your area from the list"</a></p>
                            }.into_any(),
                            AreaLookup::Found { area, practice_name } => view! {
                                <h1>{format!("Your area is {}", area.name)}</h1>
                                <p>{format!("{practice_name} is part of {}.", area.name)}</p>
                                <a class="nhsuk-button" href=format!("/areas/{}", area.slug) role="button" draggable="false">"Read this area's privacy notice"</a>
                                <p><a href="/find-your-area">"Look up a different GP surgery"</a></p>
                            }.into_any(),
                            AreaLookup::Matches { heading, practices, more } => view! {
                                <h1>"Find your area"</h1>
                                {form(None)}
                                <h2>{heading}</h2>
                                <p>"Choose your GP surgery to read its area\u{2019}s privacy notice and what you can do."</p>
                                <PracticeList practices=practices/>
                                {more.then(|| view! { <p>"Only the first 20 are shown. Add more of the name to narrow them down."</p> })}
                                <p><a href="/">"Not listed? Choose your area from the list"</a></p>
                            }.into_any(),
                            AreaLookup::Invalid(message) => problem(message, 422),
                            AreaLookup::NotFound(message) => problem(message, 404),
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
                                    <crate::notices::RightsAndContact area_name=page.area.name.clone() contact=page.contact.clone()/>
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

/// The accessibility statement, following the GOV.UK model statement that the Public Sector
/// Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 expect.
#[component]
pub fn AccessibilityPage() -> impl IntoView {
    crate::ui::public_page();
    let contacts = api::area_contacts();
    view! {
        <Layout title="Accessibility statement">
            <div class="nhsuk-grid-row">
                <div class="nhsuk-grid-column-two-thirds">
                    <h1>"Accessibility statement"</h1>
                    <p>"This accessibility statement applies to the shared care record privacy service: its privacy notices, finding your area, objecting, asking for a copy of your information, seeing who has looked at your record, and the pages staff use to answer you."</p>
                    <p>"The service is run by the shared care record areas listed below. We want as many people as possible to be able to use it. For example, that means you should be able to:"</p>
                    <ul>
                        <li>"change colours, contrast levels and fonts"</li>
                        <li>"zoom in up to 400% without the text spilling off the screen"</li>
                        <li>"navigate the whole service using just a keyboard"</li>
                        <li>"use the whole service with JavaScript turned off"</li>
                        <li>"listen to the service using a screen reader"</li>
                    </ul>
                    <p>"We have also made the text as simple as we can, and each area can publish its privacy notice in easy read and in other languages."</p>
                    <p><a href="https://mcmw.abilitynet.org.uk/">"AbilityNet has advice on making your device easier to use if you have a disability"</a>"."</p>

                    <h2>"How accessible this service is"</h2>
                    <p>"We know of no part of this service that fails the accessibility standard. The downloads of your access log (CSV and FHIR JSON) and the FHIR part of a response to your request are data for other systems to read: everything in them is also on the page, or in the readable page in the same download."</p>

                    <h2>"Feedback and contact information"</h2>
                    <p>"If you need information from this service in a different format, like large print, easy read, an audio recording or braille, or you need help using it, contact the area that runs your shared care record:"</p>
                    {loaded(contacts, move |list| view! { <AreaContacts list=list/> }.into_any())}
                    <p>"We will consider your request and get back to you within 10 working days."</p>

                    <h2>"Reporting accessibility problems with this service"</h2>
                    <p>"We are always looking to improve the accessibility of this service. If you find any problems not listed on this page, or think we are not meeting accessibility requirements, contact the area that runs your shared care record (above)."</p>

                    <h2>"Enforcement procedure"</h2>
                    <p>"The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the \u{2018}accessibility regulations\u{2019}). If you are not happy with how we respond to your complaint, "
                        <a href="https://www.equalityadvisoryservice.com/">"contact the Equality Advisory and Support Service (EASS)"</a>"."</p>

                    <h2>"Technical information about this service\u{2019}s accessibility"</h2>
                    <p>"The areas that run this service are committed to making it accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018."</p>
                    <h3>"Compliance status"</h3>
                    <p>"We believe this service is fully compliant with the "<a href="https://www.w3.org/TR/WCAG22/">"Web Content Accessibility Guidelines version 2.2"</a>" AA standard. It is checked by automated tools and by the team that builds it; it has not yet had an independent accessibility audit, and we will publish what one finds."</p>

                    <h2>"Non-accessible content"</h2>
                    <p>"We know of no content in this service that is not accessible. If you find some, please tell us (see \u{2018}Reporting accessibility problems\u{2019} above)."</p>
                    <h3>"Disproportionate burden"</h3>
                    <p>"We are not claiming that any part of this service would be a disproportionate burden to make accessible."</p>
                    <h3>"Content that\u{2019}s not within the scope of the accessibility regulations"</h3>
                    <p>"Documents an area publishes elsewhere, and the records held by the organisations that share information, are not part of this service."</p>

                    <h2>"What we\u{2019}re doing to improve accessibility"</h2>
                    <p>"Every page of every journey is checked automatically against WCAG 2.2 at levels A and AA each time the service changes, with JavaScript turned on and turned off, and the pages staff use are checked for reflow on a screen 320 CSS pixels wide."</p>

                    <h2>"Preparation of this accessibility statement"</h2>
                    <p>"This statement was prepared on 2 December 2026. It was last reviewed on 2 December 2026."</p>
                    <p>"This service was last tested on 2 December 2026. The test was carried out by the team that builds the service: automated checks of every page with axe (WCAG 2.2 A and AA) in every journey, with JavaScript on and off."</p>
                </div>
            </div>
        </Layout>
    }
}

/// Each area with its contact details, for the accessibility statement.
#[component]
fn AreaContacts(list: Vec<(String, crate::domain::area_contact::AreaContact)>) -> impl IntoView {
    view! {
        <ul class="nhsuk-list">
            {list.into_iter().map(|(name, c)| {
                let phone = c.phone_href().map(|h| (h, c.phone.clone()));
                let email = (!c.email.is_empty()).then(|| c.email.clone());
                view! {
                    <li>
                        <strong>{name}</strong>
                        {email.map(|e| view! { <span class="nhsuk-u-display-block">"Email: "<a href=format!("mailto:{e}")>{e.clone()}</a></span> })}
                        {phone.map(|(h, p)| view! { <span class="nhsuk-u-display-block">"Phone: "<a href=h>{p}</a></span> })}
                        {c.is_empty().then(|| view! { <span class="nhsuk-u-display-block">"Ask your GP surgery how to reach this area."</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
