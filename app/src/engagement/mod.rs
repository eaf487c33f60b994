//! Engagement: the events, consultations and "you said, we did" outcomes an area publishes.
//! Editors add them (now or scheduled) and withdraw them; the public area page lists what is
//! coming and what has been; withdrawn items stay in the evidence register.


pub mod api;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod ssr;

use crate::ui::{group_class, loaded, ErrorMessage, ErrorSummary, Errors, Layout, PageTitle, TextArea};
use api::*;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
fn Item(item: ItemView, #[prop(optional)] staff: bool) -> impl IntoView {
    view! {
        <div class="nhsuk-card">
            <div class="nhsuk-card__content">
                <p class="nhsuk-body-s nhsuk-u-margin-bottom-1"><strong class="nhsuk-tag nhsuk-tag--grey">{item.kind_label.clone()}</strong></p>
                <h3 class="nhsuk-card__heading">{item.title.clone()}</h3>
                {staff.then(|| view! { <p class="nhsuk-body-s">{item.state.clone()}</p> })}
                {item.when.clone().map(|w| view! { <p><strong>"When: "</strong>{w}</p> })}
                {item.place.clone().map(|p| view! { <p><strong>"Where: "</strong>{p}</p> })}
                {item.online_url.clone().map(|u| view! { <p><strong>"Online: "</strong><a href=u.clone()>{u.clone()}</a></p> })}
                <div class="scr-notice" inner_html=item.summary_html.clone().into_string()></div>
                {item.accessibility.clone().map(|a| view! { <p><strong>"Access: "</strong>{a}</p> })}
                {item.how_to_respond.clone().map(|h| view! { <p><strong>"How to respond: "</strong>{h}</p> })}
            </div>
        </div>
    }
}

#[component]
pub fn PublicEngagementPage() -> impl IntoView {
    crate::ui::public_page();
    let slug = use_params_map().read_untracked().get("slug").unwrap_or_default();
    let data = public_engagement(slug);
    view! {
        <Layout>
            {loaded(data, move |v| match v {
                    Some(p) => view! {
                        <PageTitle text=format!("Events, consultations and what we changed: {}", p.area_name)/>
                        <span class="nhsuk-caption-l">{p.area_name.clone()}</span>
                        <h1>"Events, consultations and what we changed"</h1>
                        <p>"How we tell people about the shared care record, ask what they think, and what we changed because of it."</p>
                        <h2>"Coming up and open now"</h2>
                        {if p.upcoming.is_empty() { view! { <p>"Nothing planned at the moment."</p> }.into_any() } else {
                            p.upcoming.into_iter().map(|i| view! { <Item item=i/> }).collect_view().into_any()
                        }}
                        <h2>"You said, we did"</h2>
                        {if p.outcomes.is_empty() { view! { <p>"Nothing yet."</p> }.into_any() } else {
                            p.outcomes.into_iter().map(|i| view! { <Item item=i/> }).collect_view().into_any()
                        }}
                        <h2>"Past events and consultations"</h2>
                        {if p.past.is_empty() { view! { <p>"None yet."</p> }.into_any() } else {
                            p.past.into_iter().map(|i| view! { <Item item=i/> }).collect_view().into_any()
                        }}
                        <p><a href=format!("/areas/{}", p.area_slug)>"Read the privacy notice"</a></p>
                    }.into_any(),
                    None => view! { <crate::public::NotFoundBody/> }.into_any(),
                })}
        </Layout>
    }
}

#[component]
pub fn StaffEngagementPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let done = q.get("done");
    let data = staff_engagement(q.get("form"));
    view! {
        <Layout title="Engagement">
            {loaded(data, move |v| match v {
                    Some(s) => view! { <StaffEngagementView s=s done=done.clone()/> }.into_any(),
                    None => view! { <h1>"You cannot publish engagement items"</h1><p>"Only the comms editors of an area publish its engagement items."</p> }.into_any(),
                })}
        </Layout>
    }
}

#[component]
fn StaffEngagementView(s: EngagementDesk, done: Option<String>) -> impl IntoView {
    let errors = Errors(s.errors.clone());
    let answer = |k: &str| s.answers.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let text = |id: &'static str, label: &'static str, hint: Option<&'static str>| {
        let describe = hint.map(|_| format!("{id}-hint"));
        view! {
            <div class=group_class(errors.get(id).is_some())>
                <label class="nhsuk-label" for=id>{label}</label>
                {hint.map(|h| view! { <div class="nhsuk-hint" id=format!("{id}-hint")>{h}</div> })}
                <ErrorMessage id=id message=errors.get(id)/>
                <input class="nhsuk-input" id=id name=id type="text" value=answer(id) aria-describedby=describe/>
            </div>
        }
    };
    let area_choices: Vec<(String, String)> = s.areas.iter().map(|(slug, name, _)| (slug.clone(), name.clone())).collect();
    let chosen = answer("area");
    let kind = answer("kind");
    view! {
        <ErrorSummary errors=s.errors.clone()/>
        <h1>"Engagement"</h1>
        {done.map(|d| view! {
            <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>{if d == "withdrawn" { "The item was withdrawn. It stays in the evidence register." } else { "The item was added." }}</p></div>
        })}
        {s.areas.clone().into_iter().map(|(slug, name, items)| view! {
            <h2>{name.clone()}</h2>
            <p><a href=format!("/areas/{slug}/engagement")>{format!("The public page for {name}")}</a></p>
            {if items.is_empty() { view! { <p>"No items yet."</p> }.into_any() } else {
                items.into_iter().map(|i| {
                    let (id, withdrawn, title) = (i.id, i.withdrawn, i.title.clone());
                    let slug = slug.clone();
                    view! {
                        <Item item=i staff=true/>
                        {(!withdrawn).then(|| view! {
                            <form action="/engagement/withdraw" method="post" class="nhsuk-u-margin-bottom-5">
                                <input type="hidden" name="area" value=slug/>
                                <input type="hidden" name="id" value=id.to_string()/>
                                <div class="nhsuk-form-group">
                                    <label class="nhsuk-label" for=format!("reason-{id}")>{format!("Why withdraw \u{201c}{title}\u{201d}? (optional)")}</label>
                                    <input class="nhsuk-input" id=format!("reason-{id}") name="reason" type="text"/>
                                </div>
                                <button class="nhsuk-button nhsuk-button--warning nhsuk-button--small" type="submit">"Withdraw"</button>
                            </form>
                        })}
                    }
                }).collect_view().into_any()
            }}
        }).collect_view()}
        <h2>"Add an item"</h2>
        <form action="/engagement/add" method="post" novalidate>
            <div class=group_class(errors.get("area").is_some())>
                <label class="nhsuk-label" for="area">"Area"</label>
                <ErrorMessage id="area" message=errors.get("area")/>
                <select class="nhsuk-select" id="area" name="area">
                    {area_choices.into_iter().map(|(v, l)| view! { <option value=v.clone() selected=v == chosen>{l}</option> }).collect_view()}
                </select>
            </div>
            <div class=group_class(errors.get("kind").is_some())>
                <fieldset class="nhsuk-fieldset">
                    <legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">"What is it?"</legend>
                    <ErrorMessage id="kind" message=errors.get("kind")/>
                    <div class="nhsuk-radios">
                        {[("event", "An event", "kind"), ("consultation", "A consultation", "kind-consultation"), ("outcome", "You said, we did: what changed", "kind-outcome")].into_iter().map(|(v, l, id)| view! {
                            <div class="nhsuk-radios__item">
                                <input class="nhsuk-radios__input" id=id name="kind" type="radio" value=v checked=kind == v/>
                                <label class="nhsuk-label nhsuk-radios__label" for=id>{l}</label>
                            </div>
                        }).collect_view()}
                    </div>
                </fieldset>
            </div>
            {text("title", "Title", None)}
            <TextArea name="summary" label="What it is about" hint="Markdown, as in the privacy notice." value=answer("summary") error=errors.get("summary") rows=5/>
            {text("starts", "Starts or opens (UK time)", Some("Day, month, year and time, like 3 3 2027 18:30. For an event or a consultation."))}
            {text("ends", "Ends or closes (UK time)", Some("Like 3 3 2027 20:00"))}
            {text("place", "Where", Some("An address, for an event in person"))}
            {text("online", "Online link", Some("For an event online or a consultation, starting https://"))}
            {text("accessibility", "Access notes", Some("Step-free access, hearing loop, BSL interpreter, and so on"))}
            {text("respond", "How to respond", Some("For a consultation"))}
            {text("publish", "Publish at (UK time, optional)", Some("Leave empty to publish now, or give a day, month, year and time, like 1 3 2027 09:00"))}
            <button class="nhsuk-button" type="submit">"Add item"</button>
        </form>
        <p><a href="/notices">"Privacy notices"</a>" · "<a href="/notices/evidence">"Evidence of engagement"</a></p>
    }
}
