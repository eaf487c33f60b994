//! The area's reasons for its objection decisions, as its IG lead keeps them.

use crate::ui::{loaded, ErrorMessage, ErrorSummary, Errors, Layout, Options, Choice, group_class, TextArea};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// One template as the page lists it: (id, outcome label, title, body).
pub type TemplateLine = (i64, String, String, String);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TemplatesView {
    /// (area slug, area name, its templates)
    pub areas: Vec<(String, String, Vec<TemplateLine>)>,
    pub draft: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "cases/templates")]
pub async fn templates_page(form: Option<String>) -> Result<Option<TemplatesView>, ServerFnError> {
    use crate::domain::people::SignedIn;
    use crate::casework::ssr as casework;
    use crate::server::{internal, services, signed_in};
    let Some(SignedIn::Staff(me)) = signed_in() else {
        crate::server::redirect("/sign-in");
        return Ok(None);
    };
    let store = services()?.store;
    let areas = casework::templates::template_areas(&*store, &me).await.map_err(internal)?;
    if areas.is_empty() {
        crate::ui::set_status(403);
        return Ok(None);
    }
    let mut out = Vec::new();
    for a in areas {
        let templates = store
            .decision_templates(a.id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|t| (t.id, t.outcome.label().to_string(), t.title, t.body))
            .collect();
        out.push((a.slug.to_string(), a.name, templates));
    }
    let (draft, errors) = match form {
        Some(_) => match store.draft(&crate::server::keys::staff_draft_key(&me.subject, 0, casework::templates::TEMPLATES_DRAFT), &me.subject).await.map_err(internal)? {
            Some(d) => (serde_json::from_value(d.answers).unwrap_or_default(), d.errors),
            None => (Vec::new(), Vec::new()),
        },
        None => (Vec::new(), Vec::new()),
    };
    Ok(Some(TemplatesView { areas: out, draft, errors }))
}

#[component]
pub fn DecisionTemplatesPage() -> impl IntoView {
    let q = use_query_map().read_untracked().clone();
    let data = templates_page(q.get("form"));
    let done = q.get("done");
    view! {
        <Layout title="Decision templates">
            {loaded(data, move |v| match v {
                    Some(t) => view! { <Templates t=t done=done.clone()/> }.into_any(),
                    None => view! {
                        <h1>"You cannot change decision templates"</h1>
                        <p>"Only an information governance lead of an area can change the reasons it gives for its decisions."</p>
                    }.into_any(),
                })}
        </Layout>
    }
}

#[component]
fn Templates(t: TemplatesView, done: Option<String>) -> impl IntoView {
    let errors = Errors(t.errors.clone());
    let value = |k: &str| t.draft.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let areas_for_select = t.areas.iter().map(|(slug, name, _)| (slug.clone(), name.clone())).collect::<Vec<_>>();
    let chosen_area = value("area");
    let outcomes = vec![
        Choice::new("upheld", "Upheld"),
        Choice::new("partly_upheld", "Upheld in part"),
        Choice::new("declined", "Declined"),
    ];
    view! {
        <ErrorSummary errors=t.errors.clone()/>
        <h1>"Decision templates"</h1>
        <p>"The reasons case workers choose from when they decide an objection. Patients read them, so write them plainly."</p>
        {done.map(|d| view! {
            <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>{if d == "removed" { "The template was removed." } else { "The template was added." }}</p></div>
        })}
        {t.areas.into_iter().map(|(slug, name, templates)| view! {
            <h2>{name.clone()}</h2>
            {if templates.is_empty() { view! { <p>"No templates yet."</p> }.into_any() } else {
                view! { <ul class="nhsuk-list">
                    {templates.into_iter().map(|(id, outcome, title, body)| {
                        let slug = slug.clone();
                        view! {
                            <li class="nhsuk-card">
                                <div class="nhsuk-card__content">
                                    <h3 class="nhsuk-card__heading nhsuk-heading-s">{format!("{title} ({outcome})")}</h3>
                                    <p class="nhsuk-card__description scr-preserve-lines">{body}</p>
                                    <form action="/cases/templates/remove" method="post">
                                        <input type="hidden" name="area" value=slug/>
                                        <input type="hidden" name="id" value=id.to_string()/>
                                        <button class="nhsuk-button nhsuk-button--warning nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit"
                                            aria-label=format!("Remove {title}")>"Remove"</button>
                                    </form>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul> }.into_any()
            }}
        }).collect_view()}
        <h2>"Add a template"</h2>
        <form action="/cases/templates/add" method="post" novalidate>
            <div class=group_class(errors.get("area").is_some())>
                <label class="nhsuk-label" for="area">"Area"</label>
                <ErrorMessage id="area" message=errors.get("area")/>
                <select class="nhsuk-select" id="area" name="area">
                    {areas_for_select.into_iter().map(|(s, n)| view! { <option value=s.clone() selected=s == chosen_area>{n}</option> }).collect_view()}
                </select>
            </div>
            <Options name="outcome" legend="For which decision?" choices=outcomes selected=vec![value("outcome")] error=errors.get("outcome")/>
            <div class=group_class(errors.get("title").is_some())>
                <label class="nhsuk-label" for="title">"Name"</label>
                <ErrorMessage id="title" message=errors.get("title")/>
                <input class="nhsuk-input" id="title" name="title" type="text" value=value("title")/>
            </div>
            <TextArea name="body" label="What the patient reads" value=value("body") error=errors.get("body") rows=5 max=2000/>
            <button class="nhsuk-button" type="submit">"Add template"</button>
        </form>
    }
}

