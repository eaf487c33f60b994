//! Engagement: the events, consultations and "you said, we did" outcomes an area publishes.
//! Editors add them (now or scheduled) and withdraw them; the public area page lists what is
//! coming and what has been; withdrawn items stay in the evidence register.

use crate::components::{ErrorSummary, Layout, LoadError, PageTitle};
use crate::forms::{group_class, ErrorMessage, Errors};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// An item as a page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    pub summary_html: String,
    /// "Tuesday 3 March 2026, 6:30pm to 8pm", or a consultation's "Open from … to …".
    pub when: Option<String>,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub accessibility: Option<String>,
    pub how_to_respond: Option<String>,
    /// For staff: "Published 1 March 2026", "Scheduled for …", "Withdrawn …: reason".
    pub state: String,
    pub withdrawn: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementPage {
    pub area_slug: String,
    pub area_name: String,
    pub upcoming: Vec<ItemView>,
    pub outcomes: Vec<ItemView>,
    pub past: Vec<ItemView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementDesk {
    /// (slug, name, items)
    pub areas: Vec<(String, String, Vec<ItemView>)>,
    pub answers: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

#[cfg(feature = "ssr")]
pub mod data {
    use super::*;
    use crate::domain::{render_notice, uk_time};
    use crate::ssr::{internal, services, EngagementItem};
    use chrono::{DateTime, Utc};

    pub const FORM: &str = "engagement";

    pub fn kind_label(kind: &str) -> &'static str {
        match kind {
            "event" => "Event",
            "consultation" => "Consultation",
            _ => "You said, we did",
        }
    }

    fn at(t: DateTime<Utc>) -> String {
        let l = uk_time(t);
        let time = if l.format("%M").to_string() == "00" { l.format("%-I%P").to_string() } else { l.format("%-I:%M%P").to_string() };
        format!("{}, {time}", l.format("%A %-d %B %Y"))
    }

    fn when(i: &EngagementItem) -> Option<String> {
        match (i.kind.as_str(), i.starts_at, i.ends_at) {
            ("event", Some(s), Some(e)) if uk_time(s).date() == uk_time(e).date() => {
                let end = uk_time(e);
                let end = if end.format("%M").to_string() == "00" { end.format("%-I%P").to_string() } else { end.format("%-I:%M%P").to_string() };
                Some(format!("{} to {end}", at(s)))
            }
            ("event", Some(s), Some(e)) => Some(format!("{} to {}", at(s), at(e))),
            ("event", Some(s), None) => Some(at(s)),
            ("consultation", Some(s), Some(e)) => Some(format!("Open from {} to {}", crate::notices::data::day(s), crate::notices::data::day(e))),
            ("consultation", None, Some(e)) => Some(format!("Closes {}", crate::notices::data::day(e))),
            _ => None,
        }
    }

    pub fn view(i: &EngagementItem, now: DateTime<Utc>) -> ItemView {
        let state = match (&i.withdrawn_at, &i.withdrawn_reason) {
            (Some(w), reason) => format!("Withdrawn {}{}", crate::notices::data::day(*w), reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default()),
            (None, _) if i.publish_at > now => format!("Scheduled for {}", crate::notices::data::moment(i.publish_at)),
            (None, _) => format!("Published {}", crate::notices::data::day(i.publish_at)),
        };
        ItemView {
            id: i.id,
            kind: i.kind.clone(),
            kind_label: kind_label(&i.kind).into(),
            title: i.title.clone(),
            summary_html: render_notice(&i.summary),
            when: when(i),
            place: i.place.clone(),
            online_url: i.online_url.clone(),
            accessibility: i.accessibility.clone(),
            how_to_respond: i.how_to_respond.clone(),
            state,
            withdrawn: i.withdrawn_at.is_some(),
        }
    }

    pub async fn public(slug: &str) -> Result<Option<EngagementPage>, ServerFnError> {
        let Ok(slug) = crate::domain::AreaSlug::parse(slug) else { return Ok(None) };
        let store = services()?.store;
        let Some(area) = store.area_by_slug(&slug).await.map_err(internal)? else { return Ok(None) };
        let now = Utc::now();
        let items: Vec<EngagementItem> =
            store.engagement_items(area.id).await.map_err(internal)?.into_iter().filter(|i| i.withdrawn_at.is_none() && i.publish_at <= now).collect();
        let is_open = |i: &EngagementItem| i.ends_at.or(i.starts_at).is_some_and(|t| t >= now);
        let mut upcoming: Vec<&EngagementItem> = items.iter().filter(|i| i.kind != "outcome" && is_open(i)).collect();
        upcoming.sort_by_key(|i| i.starts_at.or(i.ends_at));
        Ok(Some(EngagementPage {
            area_slug: area.slug.to_string(),
            area_name: area.name,
            upcoming: upcoming.into_iter().map(|i| view(i, now)).collect(),
            outcomes: items.iter().filter(|i| i.kind == "outcome").map(|i| view(i, now)).collect(),
            past: items.iter().filter(|i| i.kind != "outcome" && !is_open(i)).map(|i| view(i, now)).collect(),
        }))
    }
}

#[server(prefix = "/api", endpoint = "engagement/public")]
pub async fn public_engagement(slug: String) -> Result<Option<EngagementPage>, ServerFnError> {
    data::public(&slug).await
}

#[server(prefix = "/api", endpoint = "engagement/staff")]
pub async fn staff_engagement(form: Option<String>) -> Result<Option<EngagementDesk>, ServerFnError> {
    use crate::ssr::{internal, services};
    let Some(me) = crate::notices::data::staff() else { return Ok(None) };
    let store = services()?.store;
    let areas = crate::notices::data::comms_areas(&*store, &me).await.map_err(internal)?;
    let areas: Vec<_> = areas.into_iter().filter(|(_, editor, _)| *editor).collect();
    if areas.is_empty() {
        crate::pages::set_status(403);
        return Ok(None);
    }
    let now = chrono::Utc::now();
    let mut out = Vec::new();
    for (a, _, _) in areas {
        let items = store.engagement_items(a.id).await.map_err(internal)?.iter().map(|i| data::view(i, now)).collect();
        out.push((a.slug.to_string(), a.name, items));
    }
    let (answers, errors) = match form {
        Some(_) => match store.draft(&format!("{}:{}", data::FORM, me.subject), &me.subject).await.map_err(internal)? {
            Some(d) => (serde_json::from_value(d.answers).unwrap_or_default(), d.errors),
            None => (Vec::new(), Vec::new()),
        },
        None => (Vec::new(), Vec::new()),
    };
    Ok(Some(EngagementDesk { areas: out, answers, errors }))
}

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
                <div class="scr-notice" inner_html=item.summary_html.clone()></div>
                {item.accessibility.clone().map(|a| view! { <p><strong>"Access: "</strong>{a}</p> })}
                {item.how_to_respond.clone().map(|h| view! { <p><strong>"How to respond: "</strong>{h}</p> })}
            </div>
        </div>
    }
}

#[component]
pub fn PublicEngagementPage() -> impl IntoView {
    let slug = use_params_map().read_untracked().get("slug").unwrap_or_default();
    let data = public_engagement(slug);
    view! {
        <Layout>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(p)) => view! {
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
                    Ok(None) => view! { <crate::pages::NotFoundBody/> }.into_any(),
                    Err(e) => view! { <h1>"Sorry, there is a problem with the service"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
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
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(s)) => view! { <StaffEngagementView s=s done=done.clone()/> }.into_any(),
                    Ok(None) => view! { <h1>"You cannot publish engagement items"</h1><p>"Only the comms editors of an area publish its engagement items."</p> }.into_any(),
                    Err(e) => view! { <h1>"Engagement"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
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
            <div class=group_class(errors.get("summary").is_some())>
                <label class="nhsuk-label" for="summary">"What it is about"</label>
                <div class="nhsuk-hint" id="summary-hint">"Markdown, as in the privacy notice."</div>
                <ErrorMessage id="summary" message=errors.get("summary")/>
                <textarea class="nhsuk-textarea" id="summary" name="summary" rows="5" aria-describedby="summary-hint">{answer("summary")}</textarea>
            </div>
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
