//! The case queue: open objections, requests and concerns in the worker's areas, soonest
//! due first, with counts and filters.

use crate::ui::{loaded, Layout};
use crate::ui::Table;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct QueueFilter {
    pub kind: String,
    pub status: String,
    pub assignee: String,
    pub due: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueueRow {
    pub reference: String,
    pub kind: String,
    pub patient: String,
    pub area: String,
    pub status: String,
    pub tag: String,
    pub due: String,
    pub overdue: bool,
    pub assignee: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QueueView {
    pub counts: Vec<(String, i64)>,
    pub rows: Vec<QueueRow>,
    pub filter: QueueFilter,
}

#[server(prefix = "/api", endpoint = "cases/queue")]
pub async fn case_queue(filter: QueueFilter) -> Result<Option<QueueView>, ServerFnError> {
    use crate::domain::{uk_date, CaseKind, CaseStatus};
    use crate::domain::people::SignedIn;
    use crate::casework::ssr as casework;
    use crate::server::{internal, services, signed_in, AssigneeFilter, QueueQuery};
    let Some(SignedIn::Staff(me)) = signed_in() else {
        crate::server::redirect("/sign-in");
        return Ok(None);
    };
    let store = services()?.store;
    let areas = casework::my_areas(&*store, &me).await.map_err(internal)?;
    if areas.is_empty() {
        crate::ui::set_status(403);
        return Ok(None);
    }
    let today = uk_date(chrono::Utc::now());
    let due_by = match filter.due.as_str() {
        "overdue" => Some(today - chrono::Duration::days(1)),
        "7" | "14" | "30" => filter.due.parse::<i64>().ok().map(|n| today + chrono::Duration::days(n)),
        _ => None,
    };
    let query = QueueQuery {
        area_ids: areas.iter().map(|a| a.id).collect(),
        kind: CaseKind::parse(&filter.kind),
        status: CaseStatus::parse(&filter.status).filter(|s| s.is_open()),
        assignee: match filter.assignee.as_str() {
            "me" => AssigneeFilter::Person(me.subject.clone()),
            "unassigned" => AssigneeFilter::Unassigned,
            _ => AssigneeFilter::Anyone,
        },
        due_by,
        limit: 200,
    };
    let cases = store.queue(&query).await.map_err(internal)?;
    let staff = store.list_staff().await.map_err(internal)?;
    let name_of = |s: &Option<String>| match s {
        None => "Nobody".to_string(),
        Some(s) if *s == me.subject => "You".to_string(),
        Some(s) => staff.iter().find(|p| &p.subject == s).map(|p| p.name.clone()).unwrap_or_else(|| s.clone()),
    };
    let rows = cases
        .iter()
        .map(|c| QueueRow {
            reference: c.reference.to_string(),
            kind: c.kind.label().to_string(),
            patient: c.patient.name.clone(),
            area: areas.iter().find(|a| a.id == c.area_id).map(|a| a.name.clone()).unwrap_or_default(),
            status: c.status.label().to_string(),
            tag: c.status.tag_class().to_string(),
            due: c.due_on.map(|d| d.format("%-d %b %Y").to_string()).unwrap_or_else(|| "Clock stopped".into()),
            overdue: c.due_on.is_some_and(|d| d < today),
            assignee: name_of(&c.assignee),
        })
        .collect();
    let counts = store
        .queue_counts(&query.area_ids)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|(k, s, n)| (format!("{}: {}", k.label(), s.label().to_lowercase()), n))
        .collect();
    Ok(Some(QueueView { counts, rows, filter }))
}

fn query_filter() -> QueueFilter {
    let q = use_query_map().read_untracked().clone();
    QueueFilter {
        kind: q.get("kind").unwrap_or_default(),
        status: q.get("status").unwrap_or_default(),
        assignee: q.get("assignee").unwrap_or_default(),
        due: q.get("due").unwrap_or_default(),
    }
}

fn select(name: &'static str, label: &'static str, options: &[(&'static str, &'static str)], selected: String) -> impl IntoView {
    view! {
        <div class="nhsuk-form-group scr-filter">
            <label class="nhsuk-label" for=name>{label}</label>
            <select class="nhsuk-select" id=name name=name>
                {options.iter().map(|(v, l)| view! { <option value=*v selected=selected == *v>{*l}</option> }).collect_view()}
            </select>
        </div>
    }
}

#[component]
pub fn CaseQueuePage() -> impl IntoView {
    let data = case_queue(query_filter());
    view! {
        <Layout title="Case queue">
            <h1>"Case queue"</h1>
            {loaded(data, move |v| match v {
                    Some(q) => view! { <Queue q=q/> }.into_any(),
                    None => view! { <p>"Only case workers, information governance leads and administrators see cases."</p> }.into_any(),
                })}
        </Layout>
    }
}

#[component]
fn Queue(q: QueueView) -> impl IntoView {
    let f = q.filter;
    let empty = q.rows.is_empty();
    view! {
        <h2 class="nhsuk-heading-s">"Open cases in your areas"</h2>
        <ul class="nhsuk-list scr-counts">
            {if q.counts.is_empty() {
                view! { <li>"None"</li> }.into_any()
            } else {
                q.counts.into_iter().map(|(label, n)| view! { <li>{format!("{label}: {n}")}</li> }).collect_view().into_any()
            }}
        </ul>
        <form action="/cases" method="get" class="scr-filters">
            {select("kind", "Type", &[("", "All types"), ("objection", "Objections"), ("access_request", "Requests for information"), ("access_concern", "Access concerns"), ("complaint", "Complaints")], f.kind)}
            {select("status", "Status", &[("", "All open"), ("received", "Received"), ("information_needed", "Waiting for the patient"), ("acknowledged", "Complaint acknowledged")], f.status)}
            {select("assignee", "Assigned to", &[("", "Anyone"), ("me", "Me"), ("unassigned", "Nobody")], f.assignee)}
            {select("due", "Due", &[("", "Any time"), ("overdue", "Overdue"), ("7", "Within 7 days"), ("14", "Within 14 days"), ("30", "Within 30 days")], f.due)}
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Filter"</button>
        </form>
        {if empty {
            view! { <p>"No cases match."</p> }.into_any()
        } else {
            view! {
                <Table caption="Cases, soonest due first" headings=vec!["Reference", "Type", "Patient", "Status", "Due", "Assigned to"]
    rows={q.rows.into_iter().map(|r| vec![
            view! { <a href=format!("/cases/{}", r.reference)>{r.reference.clone()}</a> }.into_any(),
            view! { {r.kind.clone()}
                                    <span class="nhsuk-body-s nhsuk-u-display-block">{r.area.clone()}</span> }.into_any(),
            view! { {r.patient.clone()} }.into_any(),
            view! { <strong class=r.tag.clone()>{r.status.clone()}</strong> }.into_any(),
            view! { {r.due.clone()}
                                    {r.overdue.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--red nhsuk-u-display-block">"Overdue"</strong> })} }.into_any(),
            view! { {r.assignee.clone()} }.into_any(),
        ]).collect::<Vec<_>>()}/>
            }.into_any()
        }}
    }
}

