//! "Who has looked at your record": the patient's own access events, newest first, grouped by
//! day, with emergency access marked and automated checks collapsed; filters, keyset paging,
//! the systems that send them, downloads, and "I don't recognise this".

pub mod api;
pub mod describe;
#[cfg(feature = "ssr")]
pub mod fhir;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::ui::{gated, ContactQuestion, DateInput, ErrorSummary, Errors, PageTitle, TextArea};
use api::*;
use crate::ui::Table;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

fn filter_from_query() -> AccessFilter {
    let q = use_query_map().read_untracked().clone();
    let g = |k: &str| q.get(k).unwrap_or_default();
    AccessFilter {
        from_day: g("from-day"),
        from_month: g("from-month"),
        from_year: g("from-year"),
        to_day: g("to-day"),
        to_month: g("to-month"),
        to_year: g("to-year"),
        org: g("org"),
        automated: g("automated"),
        before: g("before"),
    }
}

#[component]
pub fn AccessLogPage() -> impl IntoView {
    gated("Who has looked at your record", access_log(filter_from_query()), |v| view! { <AccessLog v=v/> }.into_any())
}

#[component]
fn AccessLog(v: AccessLogView) -> impl IntoView {
    let errors = Errors(v.errors.clone());
    let f = v.filter.clone();
    let empty = v.days.is_empty();
    let toggle = {
        let mut g = f.clone();
        g.before.clear();
        g.automated = if v.showing_automated { String::new() } else { "show".into() };
        let q = g.query();
        (format!("/access-log?{q}"), if v.showing_automated { "Collapse automated checks" } else { "Show each automated check" })
    };
    view! {
        <ErrorSummary errors=v.errors.clone()/>
        <h1>"Who has looked at your record"</h1>
        <p class="nhsuk-body-l scr-access-summary">{v.summary.clone()}</p>
        <p>"Every time someone looks at your shared care record, the system they use records who, when and why. These are those records, newest first."</p>
        <div class="nhsuk-inset-text">
            <span class="nhsuk-u-visually-hidden">"Information: "</span>
            <p>"If you do not recognise something, choose \"I don't recognise this\" beside it and tell us. Your area will look into it."</p>
        </div>
        <details class="nhsuk-details" open=!v.errors.is_empty()>
            <summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">"Filter by date or organisation"</span></summary>
            <div class="nhsuk-details__text">
                <form action="/access-log" method="get" novalidate>
                    <DateInput prefix="from" legend="From" day=f.from_day.clone() month=f.from_month.clone() year=f.from_year.clone() error=errors.get("from-day")/>
                    <DateInput prefix="to" legend="To" day=f.to_day.clone() month=f.to_month.clone() year=f.to_year.clone() error=errors.get("to-day")/>
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label" for="org">"Organisation"</label>
                        <select class="nhsuk-select" id="org" name="org">
                            <option value="">"All organisations"</option>
                            {v.organisations.clone().into_iter().map(|(code, name)| {
                                let selected = code == f.org;
                                view! { <option value=code selected=selected>{name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    {v.showing_automated.then(|| view! { <input type="hidden" name="automated" value="show"/> })}
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Apply filter"</button>
                </form>
            </div>
        </details>
        {v.filtered.clone().map(|(words, clear)| view! {
            <p class="scr-filter-in-force"><strong>{format!("{words}.")}</strong>" "<a href=clear>"Clear the filter"</a></p>
        })}
        <h2 class="nhsuk-heading-s">"Download your whole list"</h2>
        {v.filtered.is_some().then(|| view! { <p class="nhsuk-body-s">"The downloads hold every look at your record, not only the ones the filter shows."</p> })}
        <ul class="nhsuk-list">
            <li><a href="/access-log/download.csv" download="">"Download as a spreadsheet (CSV)"</a></li>
            <li><a href="/access-log/download.json" download="">"Download for health and care systems (FHIR)"</a></li>
        </ul>
        <p class="nhsuk-body-s">"Automated checks are made by computer systems, not by people: for example, when one system keeps your record up to date in another. Each system's checks are shown as one line a day unless you choose to see each one."</p>
        <p><a href=toggle.0>{toggle.1}</a></p>
        {if empty {
            view! { <p>{if v.first_page { "There are no records of anyone looking at your record." } else { "There are no older records." }}</p> }.into_any()
        } else {
            v.days.into_iter().map(|d| view! {
                <h2 class="nhsuk-heading-m">{d.day.clone()}</h2>
                <ul class="nhsuk-list scr-access-list">
                    {d.lines.into_iter().map(|l| view! {
                        <li class="nhsuk-card scr-access">
                            <div class="nhsuk-card__content">
                                <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">
                                    {format!("{} · {}", l.time, l.organisation)}
                                    {l.emergency.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--red">"Emergency access"</strong> })}
                                    {l.automated.then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--grey">"Automated"</strong> })}
                                </p>
                                <h3 class="nhsuk-heading-s nhsuk-u-margin-bottom-1">{l.who.clone()}</h3>
                                <p class="nhsuk-u-margin-bottom-1">{l.viewed.clone()}</p>
                                <p class="nhsuk-u-margin-bottom-2">{format!("Why: {}", l.why)}</p>
                                <a href=format!("/access-log/{}/concern", l.id)>"I don't recognise this"
                                    <span class="nhsuk-u-visually-hidden">{format!(": {} at {}", l.who, l.time)}</span></a>
                            </div>
                        </li>
                    }).collect_view()}
                    {d.automated.into_iter().map(|(system, n)| view! {
                        <li class="scr-access-automated">
                            <p>{format!("Automated checks by {system}: {n} time{}", if n == 1 { "" } else { "s" })}</p>
                        </li>
                    }).collect_view()}
                </ul>
            }).collect_view().into_any()
        }}
        {(v.next.is_some() || v.newest.is_some()).then(|| view! {
            <nav class="nhsuk-pagination" role="navigation" aria-label="Pagination">
                <ul class="nhsuk-list nhsuk-pagination__list">
                    {v.newest.clone().map(|href| view! {
                        <li class="nhsuk-pagination-item--previous">
                            <a class="nhsuk-pagination__link nhsuk-pagination__link--prev" href=href>
                                <span class="nhsuk-pagination__title">"Newest"</span>
                                <span class="nhsuk-u-visually-hidden">":"</span>
                                <span class="nhsuk-pagination__page">"The latest looks at your record"</span>
                            </a>
                        </li>
                    })}
                    {v.next.clone().map(|href| view! {
                    <li class="nhsuk-pagination-item--next">
                        <a class="nhsuk-pagination__link nhsuk-pagination__link--next" href=href>
                            <span class="nhsuk-pagination__title">"Older"</span>
                            <span class="nhsuk-u-visually-hidden">":"</span>
                            <span class="nhsuk-pagination__page">"Earlier looks at your record"</span>
                        </a>
                    </li>
                    })}
                </ul>
            </nav>
        })}
        <h2>"Which systems send us these records"</h2>
        <p>"The systems in your area\u{2019}s shared care record that send us records of who looked."</p>
        {if v.sources.is_empty() {
            view! { <p>"No system has sent us any records yet."</p> }.into_any()
        } else {
            view! {
                <Table caption="Systems that send access records" hide_caption=true headings=vec!["System", "Since", "Most recent"]
    rows={v.sources.into_iter().map(|(name, since, latest)| vec![
            view! { {name} }.into_any(),
            view! { {since} }.into_any(),
            view! { {latest} }.into_any(),
        ]).collect::<Vec<_>>()}/>
            }.into_any()
        }}
    }
}

#[component]
pub fn ConcernPage() -> impl IntoView {
    let id = use_params_map().read_untracked().get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or_default();
    let draft = use_query_map().read_untracked().get("draft");
    gated("Tell us you do not recognise this", concern_form(id, draft), move |f| match f {
        Some(f) => view! { <ConcernBody f=f id=id/> }.into_any(),
        None => view! {
            <PageTitle text="Page not found"/>
            <p>"We could not find that record. "<a href="/access-log">"Back to who has looked at your record"</a></p>
        }
        .into_any(),
    })
}

#[component]
fn ConcernBody(f: ConcernFormState, id: i64) -> impl IntoView {
    let errors = Errors(f.errors.clone());
    let value = |k: &str| f.fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    view! {
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <ErrorSummary errors=f.errors.clone()/>
                <h1>"Tell us you do not recognise this"</h1>
                <div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>{f.event.clone()}</p></div>
                <p>"Your area's information governance lead will look into it and tell you what they find, usually within 20 working days."</p>
                <form action=format!("/access-log/{id}/concern") method="post" novalidate>
                    <input type="hidden" name="key" value=f.key.clone()/>
                    <TextArea name="words" label="What do you not recognise, and why does it worry you?"
                        hint="For example, you have never been treated by this organisation, or you do not know this person."
                        value=value("words") error=errors.get("words") max=2000/>
                    <ContactQuestion method=value("contact") email=value("email") mobile=value("mobile") address=value("address") errors=errors.clone()/>
                    <button class="nhsuk-button" type="submit">"Send concern"</button>
                </form>
                <p><a href="/access-log">"Back to who has looked at your record"</a></p>
            </div>
        </div>
    }
}
