//! The case workers' console: the queue of objections and requests in their areas, and each
//! case with its timeline, notes and the actions its kind and status allow. Actions post to
//! `ssr::casework`; these are the pages and their data.

use crate::components::{ErrorSummary, Layout, LoadError, PageTitle};
use crate::forms::{group_class, Choice, ErrorMessage, Errors, Options};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
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
    use crate::people::SignedIn;
    use crate::ssr::{casework, internal, services, signed_in, AssigneeFilter, QueueQuery};
    let Some(SignedIn::Staff(me)) = signed_in() else {
        crate::ssr::redirect("/sign-in");
        return Ok(None);
    };
    let store = services()?.store;
    let areas = casework::my_areas(&*store, &me).await.map_err(internal)?;
    if areas.is_empty() {
        crate::pages::set_status(403);
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
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(q)) => view! { <Queue q=q/> }.into_any(),
                    Ok(None) => view! { <p>"Only case workers, information governance leads and administrators see cases."</p> }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
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
            {select("kind", "Type", &[("", "All types"), ("objection", "Objections"), ("access_request", "Requests for information"), ("access_concern", "Access concerns")], f.kind)}
            {select("status", "Status", &[("", "All open"), ("received", "Received"), ("information_needed", "Waiting for the patient")], f.status)}
            {select("assignee", "Assigned to", &[("", "Anyone"), ("me", "Me"), ("unassigned", "Nobody")], f.assignee)}
            {select("due", "Due", &[("", "Any time"), ("overdue", "Overdue"), ("7", "Within 7 days"), ("14", "Within 14 days"), ("30", "Within 30 days")], f.due)}
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Filter"</button>
        </form>
        {if empty {
            view! { <p>"No cases match."</p> }.into_any()
        } else {
            view! {
                <table class="nhsuk-table-responsive">
                    <caption class="nhsuk-table__caption">"Cases, soonest due first"</caption>
                    <thead class="nhsuk-table__head">
                        <tr role="row">
                            <th role="columnheader" scope="col">"Reference"</th>
                            <th role="columnheader" scope="col">"Type"</th>
                            <th role="columnheader" scope="col">"Patient"</th>
                            <th role="columnheader" scope="col">"Status"</th>
                            <th role="columnheader" scope="col">"Due"</th>
                            <th role="columnheader" scope="col">"Assigned to"</th>
                        </tr>
                    </thead>
                    <tbody class="nhsuk-table__body">
                        {q.rows.into_iter().map(|r| view! {
                            <tr role="row" class="nhsuk-table__row">
                                <td role="cell" class="nhsuk-table__cell">
                                    <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Reference "</span>
                                    <a href=format!("/cases/{}", r.reference)>{r.reference.clone()}</a>
                                </td>
                                <td role="cell" class="nhsuk-table__cell">
                                    <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Type "</span>{r.kind.clone()}
                                    <span class="nhsuk-body-s nhsuk-u-display-block">{r.area.clone()}</span>
                                </td>
                                <td role="cell" class="nhsuk-table__cell">
                                    <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Patient "</span>{r.patient.clone()}
                                </td>
                                <td role="cell" class="nhsuk-table__cell">
                                    <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Status "</span>
                                    <strong class=r.tag.clone()>{r.status.clone()}</strong>
                                </td>
                                <td role="cell" class="nhsuk-table__cell">
                                    <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Due "</span>{r.due.clone()}
                                    {r.overdue.then(|| view! { <strong class="nhsuk-tag nhsuk-tag--red nhsuk-u-display-block">"Overdue"</strong> })}
                                </td>
                                <td role="cell" class="nhsuk-table__cell">
                                    <span class="nhsuk-table-responsive__heading" aria-hidden="true">"Assigned to "</span>{r.assignee.clone()}
                                </td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TimelineLine {
    pub when: String,
    pub who: String,
    pub text: String,
    pub public: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EffectLine {
    pub ods: String,
    pub name: String,
    pub detail: String,
    pub applied: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CaseView {
    pub reference: String,
    pub kind: String,
    pub kind_label: String,
    pub status_label: String,
    pub tag: String,
    pub area: String,
    pub received: String,
    pub due: String,
    pub patient_name: String,
    pub nhs_number: String,
    pub birth_date: String,
    pub contact: String,
    /// `None` for a role that sees demographics only.
    pub asked: Option<Vec<(String, Vec<String>)>>,
    pub timeline: Vec<TimelineLine>,
    pub messages: Vec<String>,
    pub assignee: String,
    pub assigned_to_me: bool,
    pub unassigned: bool,
    pub colleagues: Vec<(String, String)>,
    pub templates: Vec<(String, String, String)>,
    pub organisations: Vec<(String, String)>,
    pub effects: Vec<EffectLine>,
    pub outcome: Option<(String, String)>,
    pub documents: Vec<(i64, String, String)>,
    pub can_act: bool,
    pub can_decide: bool,
    pub can_decide_concern: bool,
    pub can_ask: bool,
    pub can_resume: bool,
    pub can_extend: bool,
    pub can_fulfil: bool,
    pub draft_form: String,
    pub draft: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
    pub done: Option<String>,
}

#[cfg(feature = "ssr")]
fn done_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "claimed" => "You claimed this case.",
        "released" => "You released this case.",
        "assigned" => "The case was assigned.",
        "noted" => "Your note was added.",
        "decided" => "The decision was recorded and the patient told there is an update.",
        "asked" => "The patient was asked for information. The clock has stopped.",
        "resumed" => "The clock has started again.",
        "extended" => "The request was extended and the patient told.",
        "fulfilled" => "The response was compiled and the patient told.",
        "applied" => "The organisation's action was recorded.",
        "uploaded" => "The document was added.",
        "no-file" => "Choose a file to add.",
        "too-big" => "The file is too large. Documents can be up to 10 MB.",
        "stale" => "Someone else changed this case first. Check it and try again.",
        _ => return None,
    })
}

#[server(prefix = "/api", endpoint = "cases/one")]
pub async fn case_page(reference: String, form: Option<String>, done: Option<String>) -> Result<Option<CaseView>, ServerFnError> {
    use crate::domain::{uk_date, CaseAccess, CaseKind, CaseStatus};
    use crate::people::SignedIn;
    use crate::ssr::{casework, internal, services, signed_in, CaseOutcome, StaffAction};
    let Some(SignedIn::Staff(me)) = signed_in() else {
        crate::ssr::redirect("/sign-in");
        return Ok(None);
    };
    let store = services()?.store;
    let Some(sc) = casework::case_for(&*store, &me, &reference).await.map_err(internal)? else {
        crate::pages::set_status(404);
        return Ok(None);
    };
    let now = chrono::Utc::now();
    // Every look at a case is on the record.
    store
        .record_staff_action(&StaffAction { at: now, actor_subject: me.subject.clone(), area_id: sc.area.id, case_id: Some(sc.case.id), action: "viewed".into(), detail: String::new() })
        .await
        .map_err(internal)?;
    casework::log_view(&*store, &me, &sc, now).await.map_err(internal)?;
    let c = &sc.case;
    let full = sc.access == CaseAccess::Full;
    let staff = store.list_staff().await.map_err(internal)?;
    let name_of = |s: &str| staff.iter().find(|p| p.subject == s).map(|p| p.name.clone()).unwrap_or_else(|| s.to_string());
    let events = store.case_events(c.id).await.map_err(internal)?;
    let timeline = events
        .into_iter()
        .filter(|e| full || e.public)
        .map(|e| TimelineLine {
            when: e.at.format("%-d %b %Y %H:%M UTC").to_string(),
            who: match e.actor {
                crate::ssr::Actor::Patient => "Patient".into(),
                crate::ssr::Actor::System => "Portal".into(),
                crate::ssr::Actor::Staff => e.actor_name.clone().unwrap_or_default(),
            },
            text: e.text,
            public: e.public,
        })
        .collect();
    let messages = store
        .messages_for_case(c.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|m| {
            let state = if m.sent { "sent".to_string() } else if m.failed { format!("failed after {} attempts", m.attempts) } else { "waiting to send".to_string() };
            format!("{} ({}): {state}", m.template.replace('_', " "), m.channel)
        })
        .collect();
    let asked = full.then(|| crate::requests::ssr::asked(c));
    let templates = store
        .decision_templates(sc.area.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|t| (t.id.to_string(), t.outcome.as_str().to_string(), t.title))
        .collect();
    let organisations = store
        .organisations(sc.area.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|o| (o.ods_code.to_string(), o.name))
        .collect();
    let effects = store
        .effects(c.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|e| EffectLine { ods: e.ods_code, name: e.name, detail: e.detail, applied: e.applied_at.map(|a| uk_date(a).format("%-d %B %Y").to_string()) })
        .collect();
    let outcome = match &c.outcome {
        Some(CaseOutcome::Decision { reason_title, reason, decided_by, .. }) if full => Some((format!("{reason_title} (decided by {decided_by})"), reason.clone())),
        Some(CaseOutcome::Response { available_until, note, sent_by, .. }) if full => Some((
            format!("Response sent by {sent_by}"),
            match available_until {
                Some(u) => format!("Available to download until {}. {note}", uk_date(*u).format("%-d %B %Y")),
                None => format!("To be sent by post. {note}"),
            },
        )),
        _ => None,
    };
    let documents = if full {
        store
            .documents(c.id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|d| (d.id, d.file_name, if d.role == "response" { "Response sent to the patient".to_string() } else { format!("{} KB", (d.size + 1023) / 1024) }))
            .collect()
    } else {
        Vec::new()
    };
    let (draft_form, draft, errors) = match form.as_deref() {
        Some(f) if full => match store.draft(&casework::staff_draft_key(&me.subject, c.id, f), &me.subject).await.map_err(internal)? {
            Some(d) => (f.to_string(), serde_json::from_value(d.answers).unwrap_or_default(), d.errors),
            None => (String::new(), Vec::new(), Vec::new()),
        },
        _ => (String::new(), Vec::new(), Vec::new()),
    };
    let open = c.status.is_open();
    let sar = c.kind == CaseKind::AccessRequest;
    Ok(Some(CaseView {
        reference: c.reference.to_string(),
        kind: c.kind.as_str().to_string(),
        kind_label: c.kind.label().to_string(),
        status_label: c.status.label().to_string(),
        tag: c.status.tag_class().to_string(),
        area: sc.area.name.clone(),
        received: c.received_on.format("%-d %B %Y").to_string(),
        due: match (open, c.due_on) {
            (false, _) => "Closed".into(),
            (true, Some(d)) => format!("{}{}", d.format("%-d %B %Y"), if d < uk_date(now) { " (overdue)" } else { "" }),
            (true, None) => "Clock stopped: waiting for the patient".into(),
        },
        patient_name: c.patient.name.clone(),
        nhs_number: c.patient.nhs_number.formatted(),
        birth_date: c.patient.birth_date.clone().unwrap_or_else(|| "Not known".into()),
        contact: c.contact.describe(),
        asked,
        timeline,
        messages,
        assignee: c.assignee.as_deref().map(name_of).unwrap_or_else(|| "Nobody".into()),
        assigned_to_me: c.assignee.as_deref() == Some(me.subject.as_str()),
        unassigned: c.assignee.is_none(),
        colleagues: casework::colleagues(&*store, &sc.area).await.map_err(internal)?,
        templates,
        organisations,
        effects,
        outcome,
        documents,
        can_act: full,
        can_decide: full && open && c.kind == CaseKind::Objection,
        can_decide_concern: open && c.kind == CaseKind::AccessConcern && me.areas_with(crate::domain::Role::IgLead).contains(&sc.area.slug.to_string()),
        can_ask: full && sar && c.status == CaseStatus::Received,
        can_resume: full && sar && c.status == CaseStatus::InformationNeeded,
        can_extend: full && sar && open && c.clock.extension_months < 2,
        can_fulfil: full && sar && c.status == CaseStatus::Received,
        draft_form,
        draft,
        errors,
        done: done.as_deref().and_then(done_text).map(String::from),
    }))
}

#[component]
pub fn CasePage() -> impl IntoView {
    let reference = use_params_map().read_untracked().get("reference").unwrap_or_default();
    let q = use_query_map().read_untracked().clone();
    let data = case_page(reference, q.get("form"), q.get("done"));
    view! {
        <Layout>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(c)) => view! { <CaseBody c=c/> }.into_any(),
                    Ok(None) => view! {
                        <PageTitle text="Page not found"/>
                        <h1>"Page not found"</h1>
                        <p>"There is no case with that reference in your areas."</p>
                    }.into_any(),
                    Err(e) => view! { <PageTitle text="Case"/><h1>"Case"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

fn rows(rows: Vec<(String, Vec<String>)>) -> impl IntoView {
    view! {
        <dl class="nhsuk-summary-list">
            {rows.into_iter().map(|(k, lines)| view! {
                <div class="nhsuk-summary-list__row">
                    <dt class="nhsuk-summary-list__key">{k}</dt>
                    <dd class="nhsuk-summary-list__value">
                        {lines.into_iter().map(|l| view! { <p class="nhsuk-body nhsuk-u-margin-bottom-1 scr-preserve-lines">{l}</p> }).collect_view()}
                    </dd>
                </div>
            }).collect_view()}
        </dl>
    }
}

/// A field's value from the draft a form was sent back with.
fn draft_value(c: &CaseView, form: &str, field: &str) -> String {
    if c.draft_form != form {
        return String::new();
    }
    c.draft.iter().find(|(k, _)| k == field).map(|(_, v)| v.clone()).unwrap_or_default()
}

fn draft_values(c: &CaseView, form: &str, field: &str) -> Vec<String> {
    if c.draft_form != form {
        return Vec::new();
    }
    c.draft.iter().filter(|(k, _)| k == field).map(|(_, v)| v.clone()).collect()
}

#[component]
fn CaseBody(c: CaseView) -> impl IntoView {
    let title = format!("{} {}", c.kind_label, c.reference);
    let errors = Errors(c.errors.clone());
    let action = |what: &str| format!("/cases/{}/{what}", c.reference);
    let details = vec![
        ("Area".to_string(), vec![c.area.clone()]),
        ("Received".to_string(), vec![c.received.clone()]),
        ("Due".to_string(), vec![c.due.clone()]),
        ("Assigned to".to_string(), vec![c.assignee.clone()]),
    ];
    let patient = vec![
        ("Name".to_string(), vec![c.patient_name.clone()]),
        ("NHS number".to_string(), vec![c.nhs_number.clone()]),
        ("Date of birth".to_string(), vec![c.birth_date.clone()]),
        ("Updates".to_string(), vec![c.contact.clone()]),
    ];
    let assignment = c.can_act.then(|| {
        let colleagues = c.colleagues.clone();
        view! {
            <h2>"Who is working on it"</h2>
            {if c.unassigned {
                view! { <form action=action("claim") method="post"><button class="nhsuk-button nhsuk-button--secondary" type="submit">"Claim this case"</button></form> }.into_any()
            } else if c.assigned_to_me {
                view! { <form action=action("release") method="post"><button class="nhsuk-button nhsuk-button--secondary" type="submit">"Release this case"</button></form> }.into_any()
            } else {
                ().into_any()
            }}
            <form action=action("assign") method="post">
                <div class=group_class(errors.get("to").is_some())>
                    <label class="nhsuk-label" for="to">"Assign to a colleague"</label>
                    <ErrorMessage id="to" message=errors.get("to")/>
                    <select class="nhsuk-select" id="to" name="to">
                        {colleagues.into_iter().map(|(s, n)| view! { <option value=s>{n}</option> }).collect_view()}
                    </select>
                </div>
                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Assign"</button>
            </form>
        }
    });
    let decide = c.can_decide.then(|| {
        let templates = c.templates.clone();
        let template_choices = templates
            .iter()
            .map(|(id, outcome, t)| Choice::new(id.clone(), t.clone()).hint(match outcome.as_str() {
                "upheld" => "For: upheld",
                "partly_upheld" => "For: upheld in part",
                _ => "For: declined",
            }))
            .collect::<Vec<_>>();
        let orgs = c.organisations.iter().map(|(code, n)| Choice::new(code.clone(), n.clone())).collect::<Vec<_>>();
        let cats = crate::domain::objection::DataCategory::ALL.iter().map(|k| Choice::new(k.as_str(), k.label())).collect::<Vec<_>>();
        let outcomes = vec![
            Choice::new("upheld", "Uphold in full"),
            Choice::new("partly_upheld", "Uphold in part").reveals(view! {
                <Options name="organisations" legend="For which organisations?" choices=orgs multiple=true
                    selected=draft_values(&c, "decide", "organisations") error=errors.get("organisations")/>
                <Options name="categories" legend="Or for which kinds of information?" choices=cats multiple=true
                    selected=draft_values(&c, "decide", "categories") error=None/>
            }.into_any()),
            Choice::new("declined", "Decline").hint("The patient is told how to complain to the Information Commissioner's Office."),
        ];
        view! {
            <h2>"Decide the objection"</h2>
            <form action=action("decide") method="post" novalidate>
                <Options name="outcome" legend="Decision" choices=outcomes selected=draft_values(&c, "decide", "outcome") error=errors.get("outcome")/>
                {(!template_choices.is_empty()).then(|| view! {
                    <Options name="template" legend="Reason" hint="The area's wording for this decision. Choose one that matches the decision."
                        choices=template_choices selected=draft_values(&c, "decide", "template") error=errors.get("template")/>
                })}
                <div class=group_class(errors.get("reason").is_some())>
                    <label class="nhsuk-label" for="reason">"Explain the decision in your own words"</label>
                    <div class="nhsuk-hint" id="reason-hint">"The patient sees this with the reason. Do not include anything they should not read."</div>
                    <ErrorMessage id="reason" message=errors.get("reason")/>
                    <textarea class="nhsuk-textarea" id="reason" name="reason" rows="5" aria-describedby="reason-hint">{draft_value(&c, "decide", "reason")}</textarea>
                </div>
                <button class="nhsuk-button" type="submit">"Record decision"</button>
            </form>
        }
    });
    let decide_concern = c.can_decide_concern.then(|| {
        let outcomes = vec![
            Choice::new("explained", "Explained").hint("The access was part of the patient's care; say how."),
            Choice::new("investigated", "Investigated").hint("You looked into it and found it was proper."),
            Choice::new("upheld", "Upheld").hint("The access should not have happened; say what has been done."),
        ];
        view! {
            <h2>"Decide the concern"</h2>
            <form action=action("decide-concern") method="post" novalidate>
                <Options name="outcome" legend="What did you find?" choices=outcomes selected=draft_values(&c, "decide-concern", "outcome") error=errors.get("outcome")/>
                <div class=group_class(errors.get("explanation").is_some())>
                    <label class="nhsuk-label" for="explanation">"What you found, for the patient"</label>
                    <ErrorMessage id="explanation" message=errors.get("explanation")/>
                    <textarea class="nhsuk-textarea" id="explanation" name="explanation" rows="5">{draft_value(&c, "decide-concern", "explanation")}</textarea>
                </div>
                <div class=group_class(errors.get("action").is_some())>
                    <label class="nhsuk-label" for="action">"What has been done (when upheld)"</label>
                    <ErrorMessage id="action" message=errors.get("action")/>
                    <textarea class="nhsuk-textarea" id="action" name="action" rows="3">{draft_value(&c, "decide-concern", "action")}</textarea>
                </div>
                <button class="nhsuk-button" type="submit">"Record the outcome"</button>
            </form>
        }
    });
    let ask = c.can_ask.then(|| {
        let needs = vec![Choice::new("identity", "Proof of identity"), Choice::new("clarification", "What the patient wants (clarification)")];
        view! {
            <h2>"Ask the patient for information"</h2>
            <p>"The clock stops until it arrives."</p>
            <form action=action("ask") method="post" novalidate>
                <Options name="need" legend="What do you need?" choices=needs selected=draft_values(&c, "ask", "need") error=errors.get("need")/>
                <div class=group_class(errors.get("detail").is_some())>
                    <label class="nhsuk-label" for="detail">"What the patient should send, and how"</label>
                    <ErrorMessage id="detail" message=errors.get("detail")/>
                    <textarea class="nhsuk-textarea" id="detail" name="detail" rows="4">{draft_value(&c, "ask", "detail")}</textarea>
                </div>
                <button class="nhsuk-button" type="submit">"Ask the patient"</button>
            </form>
        }
    });
    let resume = c.can_resume.then(|| view! {
        <h2>"The patient has sent what you asked for"</h2>
        <form action=action("received") method="post">
            <button class="nhsuk-button" type="submit">"Record it and start the clock again"</button>
        </form>
    });
    let extend = c.can_extend.then(|| {
        let months = vec![Choice::new("1", "1 month"), Choice::new("2", "2 months")];
        view! {
            <h2>"Extend the time to answer"</h2>
            <p>"Only for a complex request or many requests from this patient, and only within the first month. The patient is told why."</p>
            <form action=action("extend") method="post" novalidate>
                <Options name="months" legend="Extend by" choices=months selected=draft_values(&c, "extend", "months") error=errors.get("months")/>
                <div class=group_class(errors.get("reason").is_some())>
                    <label class="nhsuk-label" for="reason">"Why"</label>
                    <ErrorMessage id="reason" message=errors.get("reason")/>
                    <textarea class="nhsuk-textarea" id="reason" name="reason" rows="3">{draft_value(&c, "extend", "reason")}</textarea>
                </div>
                <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Extend"</button>
            </form>
        }
    });
    let fulfil = c.can_fulfil.then(|| view! {
        <h2>"Respond"</h2>
        <p>"This compiles the patient's records and the documents below into one download (a readable page and a FHIR bundle), and tells the patient."</p>
        <form action=action("fulfil") method="post">
            <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="fulfil-note">"Note for the record (optional)"</label>
                <textarea class="nhsuk-textarea" id="fulfil-note" name="note" rows="2"></textarea>
            </div>
            <button class="nhsuk-button" type="submit">"Compile and send the response"</button>
        </form>
    });
    let effects = (!c.effects.is_empty()).then(|| {
        let reference = c.reference.clone();
        view! {
            <h2>"What each organisation must do"</h2>
            <ul class="nhsuk-list">
                {c.effects.clone().into_iter().map(|e| view! {
                    <li>
                        <strong>{e.name.clone()}</strong>": "{e.detail.clone()}". "
                        {match e.applied.clone() {
                            Some(day) => view! { <strong class="nhsuk-tag nhsuk-tag--green">{format!("Done {day}")}</strong> }.into_any(),
                            None => view! {
                                <form action=format!("/cases/{reference}/effect-applied") method="post" class="scr-inline-form">
                                    <input type="hidden" name="ods" value=e.ods.clone()/>
                                    <button class="nhsuk-button nhsuk-button--small nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit"
                                        aria-label=format!("Record that {} has done this", e.name)>"Record as done"</button>
                                </form>
                            }.into_any(),
                        }}
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    let documents = c.can_act.then(|| {
        let reference = c.reference.clone();
        view! {
            <h2>"Documents"</h2>
            {if c.documents.is_empty() { view! { <p>"None yet."</p> }.into_any() } else {
                view! { <ul class="nhsuk-list">
                    {c.documents.clone().into_iter().map(|(id, name, about)| view! {
                        <li><a href=format!("/cases/{reference}/documents/{id}") download="">{name}</a>{format!(" ({about})")}</li>
                    }).collect_view()}
                </ul> }.into_any()
            }}
            {c.can_fulfil.then(|| view! {
                <form action=format!("/cases/{}/documents", c.reference) method="post" enctype="multipart/form-data">
                    <div class="nhsuk-form-group">
                        <label class="nhsuk-label" for="document">"Add a document to include in the response"</label>
                        <div class="nhsuk-hint" id="document-hint">"Up to 10 MB"</div>
                        <input class="nhsuk-file-upload" id="document" name="document" type="file" aria-describedby="document-hint"/>
                    </div>
                    <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add document"</button>
                </form>
            })}
        }
    });
    let note = c.can_act.then(|| view! {
        <h2>"Add an internal note"</h2>
        <form action=action("note") method="post" novalidate>
            <div class=group_class(errors.get("note").is_some())>
                <label class="nhsuk-label" for="note">"Note"</label>
                <div class="nhsuk-hint" id="note-hint">"Only staff see notes. The patient never does."</div>
                <ErrorMessage id="note" message=errors.get("note")/>
                <textarea class="nhsuk-textarea" id="note" name="note" rows="3" aria-describedby="note-hint">{draft_value(&c, "note", "note")}</textarea>
            </div>
            <button class="nhsuk-button nhsuk-button--secondary" type="submit">"Add note"</button>
        </form>
    });
    view! {
        <PageTitle text=title/>
        <ErrorSummary errors=c.errors.clone()/>
        {c.done.clone().map(|d| view! {
            <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>{d}</p></div>
        })}
        <span class="nhsuk-caption-l">{c.reference.clone()}</span>
        <h1>{c.kind_label.clone()}</h1>
        <p><strong class=c.tag.clone()>{c.status_label.clone()}</strong></p>
        <div class="nhsuk-grid-row">
            <div class="nhsuk-grid-column-two-thirds">
                {rows(details)}
                <h2>"Patient"</h2>
                {rows(patient)}
                {match c.asked.clone() {
                    Some(a) => view! { <h2>"What the patient asked, in their words"</h2>{rows(a)} }.into_any(),
                    None => view! { <p>"Your role shows who this case is about, not what they wrote."</p> }.into_any(),
                }}
                {c.outcome.clone().map(|(t, r)| view! { <h2>"Outcome"</h2><p><strong>{t}</strong></p><p class="scr-preserve-lines">{r}</p> })}
                {effects}
                {decide}
                {decide_concern}
                {ask}
                {resume}
                {extend}
                {documents}
                {fulfil}
                {assignment}
                {note}
                <h2>"Timeline"</h2>
                <ol class="nhsuk-list scr-timeline">
                    {c.timeline.clone().into_iter().map(|t| view! {
                        <li>
                            <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">
                                {format!("{} · {}", t.when, t.who)}
                                {(!t.public).then(|| view! { " " <strong class="nhsuk-tag nhsuk-tag--grey">"Internal"</strong> })}
                            </p>
                            <p class="scr-preserve-lines">{t.text.clone()}</p>
                        </li>
                    }).collect_view()}
                </ol>
                <h2>"Messages to the patient"</h2>
                {if c.messages.is_empty() { view! { <p>"None."</p> }.into_any() } else {
                    view! { <ul class="nhsuk-list">{c.messages.clone().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> }.into_any()
                }}
                <p><a href="/cases">"Back to the queue"</a></p>
            </div>
        </div>
    }
}

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
    use crate::people::SignedIn;
    use crate::ssr::{casework, internal, services, signed_in};
    let Some(SignedIn::Staff(me)) = signed_in() else {
        crate::ssr::redirect("/sign-in");
        return Ok(None);
    };
    let store = services()?.store;
    let areas = casework::template_areas(&*store, &me).await.map_err(internal)?;
    if areas.is_empty() {
        crate::pages::set_status(403);
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
        Some(_) => match store.draft(&casework::staff_draft_key(&me.subject, 0, casework::TEMPLATES_DRAFT), &me.subject).await.map_err(internal)? {
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
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(t)) => view! { <Templates t=t done=done.clone()/> }.into_any(),
                    Ok(None) => view! {
                        <h1>"You cannot change decision templates"</h1>
                        <p>"Only an information governance lead of an area can change the reasons it gives for its decisions."</p>
                    }.into_any(),
                    Err(e) => view! { <h1>"Decision templates"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
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
            <div class=group_class(errors.get("body").is_some())>
                <label class="nhsuk-label" for="body">"What the patient reads"</label>
                <ErrorMessage id="body" message=errors.get("body")/>
                <textarea class="nhsuk-textarea" id="body" name="body" rows="5">{value("body")}</textarea>
            </div>
            <button class="nhsuk-button" type="submit">"Add template"</button>
        </form>
    }
}
