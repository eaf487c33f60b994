//! Staff pages: the signed-in member of staff's home and the admin's staff directory.

use crate::components::{ErrorSummary, Layout, LoadError};
use crate::domain::Role;
use crate::people::Grant;
use crate::staff::{staff_directory, DirectoryView};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[server(prefix = "/api", endpoint = "staff/me")]
pub async fn staff_me() -> Result<Option<(String, Vec<Grant>)>, ServerFnError> {
    use crate::people::SignedIn;
    match crate::ssr::signed_in() {
        Some(SignedIn::Staff(s)) => Ok(Some((s.name, s.grants))),
        _ => {
            crate::ssr::redirect("/sign-in");
            Ok(None)
        }
    }
}

#[component]
pub fn StaffHomePage() -> impl IntoView {
    let me = staff_me();
    view! {
        <Layout title="Staff home">
            <h1>"Staff home"</h1>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match me.await {
                    Ok(Some((name, grants))) => {
                        let admin = grants.iter().any(|g| g.role == Role::Admin);
                        let cases = grants.iter().any(|g| g.role.case_access().is_some());
                        let ig = grants.iter().any(|g| g.role == Role::IgLead);
                        let comms = grants.iter().any(|g| matches!(g.role, Role::CommsEditor | Role::CommsApprover));
                        view! {
                            <p>{format!("Signed in as {name}.")}</p>
                            <h2>"Your roles"</h2>
                            <GrantsTable grants=grants caption="Your roles in each area"/>
                            {comms.then(|| view! {
                                <p><a href="/notices">"Privacy notices"</a></p>
                                <p><a href="/engagement">"Engagement"</a></p>
                                <p><a href="/notices/evidence">"Evidence of engagement"</a></p>
                            })}
                            {cases.then(|| view! {
                                <p><a href="/cases">"Case queue"</a></p>
                            })}
                            {ig.then(|| view! {
                                <p><a href="/cases/templates">"Decision templates"</a></p>
                            })}
                            {admin.then(|| view! {
                                <p><a href="/admin/staff">"Manage the staff directory"</a></p>
                                <p><a href="/admin/bank-holidays">"Bank holidays"</a></p>
                                <p><a href="/admin/sources">"Systems that send access records"</a></p>
                                <p><a href="/admin/areas">"Areas"</a></p>
                            })}
                        }.into_any()
                    }
                    Ok(None) => view! { <p><a href="/sign-in">"Sign in"</a></p> }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[component]
fn GrantsTable(grants: Vec<Grant>, caption: &'static str) -> impl IntoView {
    view! {
        <table class="nhsuk-table">
            <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">{caption}</caption>
            <thead class="nhsuk-table__head">
                <tr><th scope="col" class="nhsuk-table__header">"Role"</th><th scope="col" class="nhsuk-table__header">"Area"</th></tr>
            </thead>
            <tbody class="nhsuk-table__body">
                {grants.into_iter().map(|g| view! {
                    <tr class="nhsuk-table__row">
                        <td class="nhsuk-table__cell">{g.role.label()}</td>
                        <td class="nhsuk-table__cell">{g.area_name}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Messages for the add form's fields, by the codes the form handler sends back.
fn field_errors(codes: &[String]) -> Vec<(String, String)> {
    codes
        .iter()
        .filter_map(|c| match c.as_str() {
            "subject" => Some(("subject".into(), "Enter the person's sign-in subject".into())),
            "name" => Some(("name".into(), "Enter the person's name".into())),
            "role" => Some(("role".into(), "Choose a role".into())),
            "area" => Some(("area".into(), "Choose an area you administer".into())),
            _ => None,
        })
        .collect()
}

#[component]
pub fn AdminStaffPage() -> impl IntoView {
    let dir = staff_directory();
    let query = use_query_map();
    let errors = field_errors(&query.read_untracked().get_all("error").unwrap_or_default());
    let done = query.read_untracked().get("done");
    view! {
        <Layout title="Staff directory">
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match dir.await {
                    Ok(Some(d)) => view! { <Directory dir=d errors=errors.clone() done=done.clone()/> }.into_any(),
                    Ok(None) => {
                        super::set_status(403);
                        view! {
                            <h1>"You cannot manage the staff directory"</h1>
                            <p>"Only an administrator of an area can add or remove its staff."</p>
                        }.into_any()
                    }
                    Err(e) => view! { <h1>"Staff directory"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[component]
fn Directory(dir: DirectoryView, errors: Vec<(String, String)>, done: Option<String>) -> impl IntoView {
    let has = |f: &str| errors.iter().any(|(k, _)| k == f);
    let group = |f: &str| if has(f) { "nhsuk-form-group nhsuk-form-group--error" } else { "nhsuk-form-group" };
    let message = |f: &str| errors.iter().find(|(k, _)| k == f).map(|(_, m)| m.clone());
    let field_error = move |id: &'static str, m: Option<String>| m.map(|m| view! {
        <span class="nhsuk-error-message" id=format!("{id}-error")>
            <span class="nhsuk-u-visually-hidden">"Error: "</span>{m}
        </span>
    });
    view! {
        <ErrorSummary errors=errors.clone()/>
        <h1>"Staff directory"</h1>
        {done.map(|d| view! {
            <div class="nhsuk-inset-text" role="status">
                <span class="nhsuk-u-visually-hidden">"Information: "</span>
                <p>{if d == "removed" { "The role was removed." } else { "The role was added." }}</p>
            </div>
        })}
        <table class="nhsuk-table">
            <caption class="nhsuk-table__caption">"Staff with roles in your areas"</caption>
            <thead class="nhsuk-table__head">
                <tr>
                    <th scope="col" class="nhsuk-table__header">"Name"</th>
                    <th scope="col" class="nhsuk-table__header">"Subject"</th>
                    <th scope="col" class="nhsuk-table__header">"Role and area"</th>
                    <th scope="col" class="nhsuk-table__header">"Action"</th>
                </tr>
            </thead>
            <tbody class="nhsuk-table__body">
                {dir.rows.into_iter().flat_map(|row| {
                    row.grants.into_iter().map(move |g| {
                        let label = format!("Remove {} as {} in {}", row.name, g.role.label(), g.area_name);
                        view! {
                            <tr class="nhsuk-table__row">
                                <td class="nhsuk-table__cell">{row.name.clone()}</td>
                                <td class="nhsuk-table__cell"><code>{row.subject.clone()}</code></td>
                                <td class="nhsuk-table__cell">{format!("{}, {}", g.role.label(), g.area_name)}</td>
                                <td class="nhsuk-table__cell">
                                    <form action="/admin/staff/remove" method="post">
                                        <input type="hidden" name="subject" value=row.subject.clone()/>
                                        <input type="hidden" name="role" value=g.role.as_str()/>
                                        <input type="hidden" name="area" value=g.area_slug.clone()/>
                                        <button class="nhsuk-button nhsuk-button--warning nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit" aria-label=label>"Remove"</button>
                                    </form>
                                </td>
                            </tr>
                        }
                    }).collect::<Vec<_>>()
                }).collect_view()}
            </tbody>
        </table>
        <h2>"Give someone a role"</h2>
        <form action="/admin/staff/add" method="post" novalidate>
            <div class=group("subject")>
                <label class="nhsuk-label" for="subject">"Sign-in subject"</label>
                <div class="nhsuk-hint" id="subject-hint">"The identifier the staff sign-in service gives this person (for NHS CIS2, their UUID)."</div>
                {field_error("subject", message("subject"))}
                <input class="nhsuk-input" id="subject" name="subject" type="text" spellcheck="false" autocomplete="off" aria-describedby="subject-hint"/>
            </div>
            <div class=group("name")>
                <label class="nhsuk-label" for="name">"Name"</label>
                {field_error("name", message("name"))}
                <input class="nhsuk-input" id="name" name="name" type="text" autocomplete="off"/>
            </div>
            <div class=group("role")>
                <label class="nhsuk-label" for="role">"Role"</label>
                {field_error("role", message("role"))}
                <select class="nhsuk-select" id="role" name="role">
                    <option value="">"Choose a role"</option>
                    {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{r.label()}</option> }).collect_view()}
                </select>
            </div>
            <div class=group("area")>
                <label class="nhsuk-label" for="area">"Area"</label>
                {field_error("area", message("area"))}
                <select class="nhsuk-select" id="area" name="area">
                    {dir.areas.into_iter().map(|(slug, name)| view! { <option value=slug>{name}</option> }).collect_view()}
                </select>
            </div>
            <button class="nhsuk-button" type="submit">"Add role"</button>
        </form>
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct HolidayRow {
    pub iso: String,
    pub day: String,
    pub name: String,
}

#[server(prefix = "/api", endpoint = "admin/bank-holidays")]
pub async fn bank_holidays_page() -> Result<Option<Vec<HolidayRow>>, ServerFnError> {
    use crate::people::SignedIn;
    use chrono::Datelike;
    match crate::ssr::signed_in() {
        Some(SignedIn::Staff(s)) if s.has_role(Role::Admin) => {}
        Some(_) => return Ok(None),
        None => {
            crate::ssr::redirect("/sign-in");
            return Ok(None);
        }
    }
    let store = crate::ssr::services()?.store;
    let start = chrono::NaiveDate::from_ymd_opt(chrono::Utc::now().year(), 1, 1).unwrap_or_default();
    let list = store.bank_holiday_list(start).await.map_err(crate::ssr::internal)?;
    Ok(Some(
        list.into_iter()
            .map(|(d, name)| HolidayRow { iso: d.format("%Y-%m-%d").to_string(), day: d.format("%A %-d %B %Y").to_string(), name })
            .collect(),
    ))
}

fn holiday_errors(codes: &[String]) -> Vec<(String, String)> {
    codes
        .iter()
        .filter_map(|c| match c.as_str() {
            "date" => Some(("date-day".into(), "Enter a real date, like 1 1 2029".into())),
            "name" => Some(("name".into(), "Enter the bank holiday's name".into())),
            "exists" => Some(("date-day".into(), "That date is already a bank holiday".into())),
            _ => None,
        })
        .collect()
}

/// England and Wales bank holidays: they move request deadlines, so an administrator adds each
/// year's as they are announced.
#[component]
pub fn AdminBankHolidaysPage() -> impl IntoView {
    let data = bank_holidays_page();
    let query = use_query_map();
    let q = query.read_untracked().clone();
    let errors = holiday_errors(&q.get_all("error").unwrap_or_default());
    let done = q.get("done");
    let (day, month, year, name) = (q.get("day").unwrap_or_default(), q.get("month").unwrap_or_default(), q.get("year").unwrap_or_default(), q.get("name").unwrap_or_default());
    view! {
        <Layout title="Bank holidays">
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(rows)) => {
                        let errs = crate::forms::Errors(errors.clone());
                        view! {
                            <ErrorSummary errors=errors.clone()/>
                            <h1>"Bank holidays"</h1>
                            <p>"England and Wales bank holidays. A request due on one of these days is due on the next working day instead."</p>
                            {done.clone().map(|d| view! {
                                <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span>
                                    <p>{if d == "removed" { "The bank holiday was removed." } else { "The bank holiday was added." }}</p></div>
                            })}
                            <table class="nhsuk-table">
                                <caption class="nhsuk-table__caption">"From the start of this year"</caption>
                                <thead class="nhsuk-table__head"><tr>
                                    <th scope="col" class="nhsuk-table__header">"Date"</th>
                                    <th scope="col" class="nhsuk-table__header">"Name"</th>
                                    <th scope="col" class="nhsuk-table__header">"Action"</th>
                                </tr></thead>
                                <tbody class="nhsuk-table__body">
                                    {rows.into_iter().map(|r| view! {
                                        <tr class="nhsuk-table__row">
                                            <td class="nhsuk-table__cell">{r.day.clone()}</td>
                                            <td class="nhsuk-table__cell">{r.name.clone()}</td>
                                            <td class="nhsuk-table__cell">
                                                <form action="/admin/bank-holidays/remove" method="post">
                                                    <input type="hidden" name="date" value=r.iso.clone()/>
                                                    <button class="nhsuk-button nhsuk-button--warning nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit"
                                                        aria-label=format!("Remove {}", r.day)>"Remove"</button>
                                                </form>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2>"Add a bank holiday"</h2>
                            <form action="/admin/bank-holidays/add" method="post" novalidate>
                                <crate::forms::DateInput prefix="date" legend="Date" day=day.clone() month=month.clone() year=year.clone() error=errs.get("date-day")/>
                                <crate::forms::TextInput name="name" label="Name" value=name.clone() error=errs.get("name") input_type="text" autocomplete="off"/>
                                <button class="nhsuk-button" type="submit">"Add bank holiday"</button>
                            </form>
                        }.into_any()
                    }
                    Ok(None) => {
                        super::set_status(403);
                        view! {
                            <h1>"You cannot manage bank holidays"</h1>
                            <p>"Only an administrator can change the bank holidays."</p>
                        }.into_any()
                    }
                    Err(e) => view! { <h1>"Bank holidays"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SourcesView {
    /// (name, client id, active, first event, latest event, area)
    pub sources: Vec<(String, String, bool, String, String, String)>,
    /// The admin's areas, for linking a new system: (slug, name).
    pub areas: Vec<(String, String)>,
    /// A just-registered source: (name, client id, secret), shown this once.
    pub new_secret: Option<(String, String, String)>,
}

#[server(prefix = "/api", endpoint = "admin/sources")]
pub async fn sources_page() -> Result<Option<SourcesView>, ServerFnError> {
    use crate::people::SignedIn;
    let me = match crate::ssr::signed_in() {
        Some(SignedIn::Staff(s)) if s.has_role(Role::Admin) => s,
        Some(_) => return Ok(None),
        None => {
            crate::ssr::redirect("/sign-in");
            return Ok(None);
        }
    };
    let store = crate::ssr::services()?.store;
    let day = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.format("%-d %b %Y %H:%M UTC").to_string()).unwrap_or_else(|| "None yet".into());
    let all_areas = store.list_areas().await.map_err(crate::ssr::internal)?;
    let area_name = |id: Option<i64>| id.and_then(|id| all_areas.iter().find(|a| a.id == id)).map(|a| a.name.clone()).unwrap_or_else(|| "None".into());
    let sources = store
        .sources()
        .await
        .map_err(crate::ssr::internal)?
        .into_iter()
        .map(|s| (s.name, s.client_id, s.revoked_at.is_none(), day(s.first_event_at), day(s.latest_event_at), area_name(s.area_id)))
        .collect();
    let mine = me.areas_with(Role::Admin);
    let areas = all_areas.iter().filter(|a| mine.contains(&a.slug.to_string())).map(|a| (a.slug.to_string(), a.name.clone())).collect();
    let new_secret = store
        .take_draft(&format!("source-secret:{}", me.subject), &me.subject)
        .await
        .map_err(crate::ssr::internal)?
        .map(|d| {
            let g = |k: &str| d.answers[k].as_str().unwrap_or_default().to_string();
            (g("name"), g("client_id"), g("secret"))
        });
    Ok(Some(SourcesView { sources, areas, new_secret }))
}

/// The systems that send access events: register one (its secret is shown once), revoke one.
#[component]
pub fn AdminSourcesPage() -> impl IntoView {
    let data = sources_page();
    let q = use_query_map().read_untracked().clone();
    let errors: Vec<(String, String)> = q.get("error").map(|_| vec![("name".to_string(), "Enter the system's name".to_string())]).unwrap_or_default();
    let revoked = q.get("done").as_deref() == Some("revoked");
    view! {
        <Layout title="Systems that send access records">
            <Suspense fallback=|| ()>
                {Suspend::new(async move { match data.await {
                    Ok(Some(v)) => {
                        let errs = crate::forms::Errors(errors.clone());
                        view! {
                            <ErrorSummary errors=errors.clone()/>
                            <h1>"Systems that send access records"</h1>
                            <p>"Shared care record systems send the portal a record each time someone looks at a patient's record. Each system has its own client id and secret."</p>
                            {v.new_secret.map(|(name, id, secret)| view! {
                                <div class="nhsuk-warning-callout">
                                    <h2 class="nhsuk-warning-callout__label"><span role="text"><span class="nhsuk-u-visually-hidden">"Important: "</span>{format!("{name} is registered")}</span></h2>
                                    <p>"Give these to the system's team now. The secret is shown this once: the portal keeps only a hash of it."</p>
                                    <dl class="nhsuk-summary-list">
                                        <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">"Client id"</dt><dd class="nhsuk-summary-list__value"><code>{id}</code></dd></div>
                                        <div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">"Secret"</dt><dd class="nhsuk-summary-list__value"><code class="scr-secret">{secret}</code></dd></div>
                                    </dl>
                                </div>
                            })}
                            {revoked.then(|| view! { <div class="nhsuk-inset-text" role="status"><span class="nhsuk-u-visually-hidden">"Information: "</span><p>"The system was revoked. Its secret and tokens no longer work."</p></div> })}
                            <table class="nhsuk-table-responsive">
                                <caption class="nhsuk-table__caption">"Registered systems"</caption>
                                <thead class="nhsuk-table__head"><tr role="row">
                                    <th role="columnheader" scope="col">"System"</th>
                                    <th role="columnheader" scope="col">"Client id"</th>
                                    <th role="columnheader" scope="col">"Area"</th>
                                    <th role="columnheader" scope="col">"First record"</th>
                                    <th role="columnheader" scope="col">"Latest record"</th>
                                    <th role="columnheader" scope="col">"Action"</th>
                                </tr></thead>
                                <tbody class="nhsuk-table__body">
                                    {v.sources.into_iter().map(|(name, id, active, first, latest, area)| view! {
                                        <tr role="row" class="nhsuk-table__row">
                                            <td role="cell" class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">"System "</span>{name.clone()}</td>
                                            <td role="cell" class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">"Client id "</span><code>{id.clone()}</code></td>
                                            <td role="cell" class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">"Area "</span>{area}</td>
                                            <td role="cell" class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">"First record "</span>{first}</td>
                                            <td role="cell" class="nhsuk-table__cell"><span class="nhsuk-table-responsive__heading" aria-hidden="true">"Latest record "</span>{latest}</td>
                                            <td role="cell" class="nhsuk-table__cell">
                                                {if active {
                                                    view! {
                                                        <form action="/admin/sources/revoke" method="post">
                                                            <input type="hidden" name="client_id" value=id.clone()/>
                                                            <button class="nhsuk-button nhsuk-button--warning nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit"
                                                                aria-label=format!("Revoke {name}")>"Revoke"</button>
                                                        </form>
                                                    }.into_any()
                                                } else {
                                                    view! { <strong class="nhsuk-tag nhsuk-tag--grey">"Revoked"</strong> }.into_any()
                                                }}
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2>"Register a system"</h2>
                            <form action="/admin/sources/add" method="post" novalidate>
                                <crate::forms::TextInput name="name" label="Name" hint="As patients will see it, for example Northshire Shared Care Record"
                                    value=String::new() error=errs.get("name") input_type="text" autocomplete="off"/>
                                <div class="nhsuk-form-group">
                                    <label class="nhsuk-label" for="area">"Area"</label>
                                    <div class="nhsuk-hint" id="area-hint">"The area whose shared care record this is: its retention period applies to the records it sends"</div>
                                    <select class="nhsuk-select" id="area" name="area" aria-describedby="area-hint">
                                        <option value="">"None (the portal's retention period applies)"</option>
                                        {v.areas.into_iter().map(|(slug, name)| view! { <option value=slug>{name}</option> }).collect_view()}
                                    </select>
                                </div>
                                <button class="nhsuk-button" type="submit">"Register system"</button>
                            </form>
                        }.into_any()
                    }
                    Ok(None) => {
                        super::set_status(403);
                        view! { <h1>"You cannot manage these systems"</h1><p>"Only an administrator can register or revoke systems."</p> }.into_any()
                    }
                    Err(e) => view! { <h1>"Systems that send access records"</h1><LoadError error=e/> }.into_any(),
                }})}
            </Suspense>
        </Layout>
    }
}
