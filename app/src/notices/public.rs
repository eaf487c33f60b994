//! The public notice: the version in force (or an earlier one), with its dates, the easy-read
//! and other-language versions, and every previous version.

use super::api::*;
use crate::ui::{loaded, Layout};
use crate::ui::Table;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PublicNoticePage() -> impl IntoView {
    let params = use_params_map().read_untracked().clone();
    let slug = params.get("slug").unwrap_or_default();
    let variant = params.get("variant").unwrap_or_else(|| "main".into());
    // A version that is not a number is no version: not found (never the notice in force).
    let version = params.get("version").map(|v| v.parse::<i64>().ok().filter(|n| *n > 0).unwrap_or(0));
    let data = public_notice(slug, variant, version);
    view! {
        <Layout>
            {loaded(data, move |v| match v {
                    Some(n) => view! { <PublicNoticeView n=n/> }.into_any(),
                    None => view! { <crate::public::NotFoundBody/> }.into_any(),
                })}
        </Layout>
    }
}

#[component]
pub fn PublicNoticeView(n: NoticePage) -> impl IntoView {
    let title = match (n.variant.as_str(), &n.superseded_on) {
        ("main", None) => format!("{} privacy notice", n.area_name),
        ("main", Some(_)) => format!("Version {}: {} privacy notice", n.version, n.area_name),
        (_, None) => format!("{}: {} privacy notice", n.format_label, n.area_name),
        (_, Some(_)) => format!("Version {}, {}: {} privacy notice", n.version, n.format_label, n.area_name),
    };
    let slug = n.area_slug.clone();
    let variant = n.variant.clone();
    view! {
        <crate::ui::PageTitle text=title/>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                <span class="nhsuk-caption-l">{n.area_name.clone()}</span>
                {n.superseded_on.clone().map(|until| view! {
                    <div class="nhsuk-warning-callout">
                        <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>"This is an older version"</span></h2>
                        <p>{format!("Version {} was in force from {} until {}.", n.version, n.effective_from, until)}" "
                            <a href=format!("/areas/{slug}/notices/{variant}")>"Read the notice in force now"</a></p>
                    </div>
                })}
                <div lang=n.lang.clone() dir=n.dir.clone()>
                    <h1>{n.title.clone()}</h1>
                </div>
                <dl class="nhsuk-summary-list scr-notice-dates">
                    <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">"In force from"</dt><dd class="nhsuk-summary-list__value">{n.effective_from.clone()}</dd></div>
                    <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">"Last updated"</dt><dd class="nhsuk-summary-list__value">{n.last_updated.clone()}</dd></div>
                    <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">"Version"</dt><dd class="nhsuk-summary-list__value">
                        {n.version}" · "<a href=format!("/areas/{slug}/notices/{variant}/versions")>"Previous versions"</a></dd></div>
                </dl>
                {(!n.formats.is_empty()).then(|| view! {
                    <nav aria-label="Other formats">
                        <h2 class="nhsuk-heading-s">"This notice in other formats"</h2>
                        <ul class="nhsuk-list">
                            {n.formats.clone().into_iter().map(|(v, label, lang)| {
                                let href = if v == "main" { format!("/areas/{slug}") } else { format!("/areas/{slug}/notices/{v}") };
                                view! { <li><a href=href hreflang=lang.clone() lang=lang>{label}</a></li> }
                            }).collect_view()}
                        </ul>
                    </nav>
                })}
                <div class="scr-notice" lang=n.lang.clone() dir=n.dir.clone() inner_html=n.html.clone().into_string()></div>
                <RightsAndContact area_name=n.area_name.clone() contact=n.contact.clone()/>
                <h2>"Organisations that share information in this area"</h2>
                <ul>
                    {n.organisations.clone().into_iter().map(|(name, code)| view! { <li>{format!("{name} ({code})")}</li> }).collect_view()}
                </ul>
                <h2>"Find out more"</h2>
                <ul class="nhsuk-list">
                    <li><a href=format!("/areas/{slug}/engagement")>"Events, consultations and what we changed"</a></li>
                    <li><a href=format!("/areas/{slug}/figures")>"Objections and requests, in figures"</a></li>
                </ul>
            </div>
        </div>
    }
}

/// Under every privacy notice: a way to act on each right, and how to reach the area.
#[component]
pub fn RightsAndContact(area_name: String, contact: crate::domain::area_contact::AreaContact) -> impl IntoView {
    let phone_href = contact.phone_href();
    let lines: Vec<String> = contact.address_lines().into_iter().map(str::to_string).collect();
    view! {
        <h2>"Use your rights"</h2>
        <ul class="nhsuk-list">
            <li><a href="/objections/new">"Object to your information being in the shared care record"</a></li>
            <li><a href="/access-requests/new">"Ask for a copy of your information"</a></li>
            <li><a href="/access-log">"See who has looked at your record, and why"</a></li>
        </ul>
        <p>"You will need to sign in with NHS login. If you cannot, or would rather not, contact us and we will help."</p>
        <h2>{format!("Contact {area_name}")}</h2>
        {if contact.is_empty() {
            view! { <p>"This area has not given its contact details in this service yet. Your GP surgery can tell you how to reach it."</p> }.into_any()
        } else {
            view! {
                <p>"Write, email or phone the data protection officer:"</p>
                {(!lines.is_empty()).then(|| view! {
                    <p class="scr-address">{lines.into_iter().map(|l| view! { {l}<br/> }).collect_view()}</p>
                })}
                <ul class="nhsuk-list">
                    {(!contact.email.is_empty()).then(|| view! { <li>"Email: "<a href=format!("mailto:{}", contact.email)>{contact.email.clone()}</a></li> })}
                    {(!contact.phone.is_empty()).then(|| view! {
                        <li>"Phone: "{match phone_href {
                            Some(h) => view! { <a href=h>{contact.phone.clone()}</a> }.into_any(),
                            None => view! { {contact.phone.clone()} }.into_any(),
                        }}</li>
                    })}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
pub fn NoticeVersionsPage() -> impl IntoView {
    crate::ui::public_page();
    let params = use_params_map().read_untracked().clone();
    let data = notice_versions(params.get("slug").unwrap_or_default(), params.get("variant").unwrap_or_default());
    view! {
        <Layout>
            {loaded(data, move |v| match v {
                    Some(v) => {
                        let title = format!("Previous versions: {} {}", v.area_name, v.format_label.to_lowercase());
                        let (slug, variant) = (v.area_slug.clone(), v.variant.clone());
                        view! {
                            <crate::ui::PageTitle text=title.clone()/>
                            <span class="nhsuk-caption-l">{v.area_name.clone()}</span>
                            <h1>{format!("{}: every version", v.format_label)}</h1>
                            <Table caption="Versions, newest first" hide_caption=true headings=vec!["Version", "In force"]
    rows={v.versions.into_iter().map(|(n, title, from, until)| {
        let href = format!("/areas/{slug}/notices/{variant}/versions/{n}");
        vec![
            view! { <a href=href>{format!("Version {n}: {title}")}</a> }.into_any(),
            view! { {match until { Some(u) => format!("{from} to {u}"), None => format!("From {from} (in force now)") }} }.into_any(),
        ]
    }).collect::<Vec<_>>()}/>
                        }.into_any()
                    }
                    None => view! { <crate::public::NotFoundBody/> }.into_any(),
                })}
        </Layout>
    }
}

