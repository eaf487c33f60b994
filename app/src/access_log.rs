//! "Who has looked at your record": the patient's own access events, newest first, grouped by
//! day, with emergency access marked and automated checks collapsed; filters, keyset paging,
//! the systems that send them, downloads, and "I don't recognise this".

use crate::components::{ErrorSummary, PageTitle};
use crate::forms::{ContactQuestion, DateInput, Errors, TextArea};
use crate::journey::{gated, Gate};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

/// How many looks a page shows.
pub const PAGE_SIZE: i64 = 25;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct AccessFilter {
    pub from_day: String,
    pub from_month: String,
    pub from_year: String,
    pub to_day: String,
    pub to_month: String,
    pub to_year: String,
    pub org: String,
    pub automated: String,
    pub before: String,
}

impl AccessFilter {
    /// The filter as a query string, for paging links.
    pub fn query(&self) -> String {
        let pairs = [
            ("from-day", &self.from_day),
            ("from-month", &self.from_month),
            ("from-year", &self.from_year),
            ("to-day", &self.to_day),
            ("to-month", &self.to_month),
            ("to-year", &self.to_year),
            ("org", &self.org),
            ("automated", &self.automated),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", v.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>()))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessLine {
    pub id: i64,
    pub time: String,
    pub organisation: String,
    pub who: String,
    pub viewed: String,
    pub why: String,
    pub emergency: bool,
    pub automated: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessDay {
    pub day: String,
    pub lines: Vec<AccessLine>,
    /// Automated checks collapsed: (system, how many times).
    pub automated: Vec<(String, i64)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessLogView {
    pub days: Vec<AccessDay>,
    pub next: Option<String>,
    pub organisations: Vec<(String, String)>,
    pub sources: Vec<(String, String, String)>,
    pub filter: AccessFilter,
    pub errors: Vec<(String, String)>,
    pub showing_automated: bool,
    pub first_page: bool,
}

/// Plain English for why someone looked.
pub fn why(purpose: &str) -> String {
    match purpose {
        "TREAT" => "To care for you".into(),
        "ETREAT" => "In an emergency".into(),
        "BTG" => "In an emergency (break glass)".into(),
        "COC" => "To coordinate your care".into(),
        "PATRQT" => "Because you asked them to".into(),
        "HOPERAT" => "To run health and care services".into(),
        "REQUEST" => "To deal with your request".into(),
        other => format!("For another reason (code {other})"),
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use crate::domain::uk_date;
    use crate::ssr::{AccessEvent, Area};
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};

    /// The patient's area's choice: names, or roles only.
    pub fn who(e: &AccessEvent, area: Option<&Area>) -> String {
        let role = e.agent_role.clone();
        let names = area.is_none_or(|a| a.show_staff_names) || e.source_id.is_none();
        match (names, role) {
            (true, Some(r)) => format!("{} ({r})", e.agent_name),
            (true, None) => e.agent_name.clone(),
            (false, Some(r)) => r,
            (false, None) => "A member of staff".into(),
        }
    }

    pub fn organisation(e: &AccessEvent) -> String {
        e.org_name.clone().or_else(|| e.org_ods.clone()).unwrap_or_else(|| "An organisation in your area".into())
    }

    pub fn summary(e: &AccessEvent, area: Option<&Area>) -> String {
        format!(
            "{} at {}: {} looked at {} ({})",
            uk_date(e.recorded_at).format("%-d %B %Y"),
            e.recorded_at.format("%H:%M UTC"),
            who(e, area),
            e.viewed,
            organisation(e)
        )
    }

    /// The start of a UK day, as a UTC instant (close enough for filtering by day).
    pub fn day_start(d: NaiveDate) -> DateTime<Utc> {
        Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
    }

    pub fn parse_day(d: &str, m: &str, y: &str) -> Option<Option<NaiveDate>> {
        if d.trim().is_empty() && m.trim().is_empty() && y.trim().is_empty() {
            return Some(None);
        }
        match (d.trim().parse::<u32>(), m.trim().parse::<u32>(), y.trim().parse::<i32>()) {
            (Ok(d), Ok(m), Ok(y)) if y >= 1990 => NaiveDate::from_ymd_opt(y, m, d).map(Some),
            _ => None,
        }
    }

    pub fn cursor(e: &AccessEvent) -> String {
        format!("{}~{}", e.recorded_at.timestamp_micros(), e.id)
    }

    pub fn parse_cursor(s: &str) -> Option<(DateTime<Utc>, i64)> {
        let (t, id) = s.split_once('~')?;
        Some((DateTime::from_timestamp_micros(t.parse().ok()?)?, id.parse().ok()?))
    }
}

#[server(prefix = "/api", endpoint = "access-log")]
pub async fn access_log(filter: AccessFilter) -> Result<Gate<AccessLogView>, ServerFnError> {
    use crate::domain::uk_date;
    use crate::ssr::{internal, services, AccessQuery};
    use ssr::*;
    let (patient, area) = match crate::journey::ssr::gate().await? {
        Gate::Ready(x) => x,
        Gate::NotVerified => return Ok(Gate::NotVerified),
        Gate::NoArea => return Ok(Gate::NoArea),
        Gate::SignIn => return Ok(Gate::SignIn),
    };
    let store = services()?.store;
    let nhs = patient.nhs_number.expose().to_string();
    let mut errors = Vec::new();
    let from = parse_day(&filter.from_day, &filter.from_month, &filter.from_year).unwrap_or_else(|| {
        errors.push(("from-day".to_string(), "The start date must be a real date, like 15 3 2026".to_string()));
        None
    });
    let to = parse_day(&filter.to_day, &filter.to_month, &filter.to_year).unwrap_or_else(|| {
        errors.push(("to-day".to_string(), "The end date must be a real date, like 15 3 2026".to_string()));
        None
    });
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            errors.push(("to-day".into(), "The end date must be the same as or after the start date".into()));
        }
    }
    let showing_automated = filter.automated == "show";
    let before = parse_cursor(&filter.before);
    let organisations = store.access_organisations(&nhs).await.map_err(internal)?;
    let org = organisations.iter().find(|(code, _)| *code == filter.org).map(|(c, _)| c.clone());
    let query = AccessQuery {
        nhs_number: nhs.clone(),
        from: if errors.is_empty() { from.map(day_start) } else { None },
        to: if errors.is_empty() { to.map(|t| day_start(t + chrono::Duration::days(1))) } else { None },
        org_ods: org,
        include_automated: showing_automated,
        before,
        limit: PAGE_SIZE + 1,
    };
    let mut events = store.access_events(&query).await.map_err(internal)?;
    let more = events.len() as i64 > PAGE_SIZE;
    events.truncate(PAGE_SIZE as usize);
    let next = more.then(|| {
        let last = events.last().map(cursor).unwrap_or_default();
        let q = filter.query();
        format!("/access-log?{}{}before={last}", q, if q.is_empty() { "" } else { "&" })
    });
    // Automated checks on the days this page covers, one line per system per day.
    let mut collapsed: Vec<(chrono::NaiveDate, String, i64)> = Vec::new();
    if !showing_automated {
        // Pages tile time: this page counts from its last event up to the previous page's last.
        let span_end = before.map(|(at, _)| at);
        let span_start = if more { events.last().map(|e| e.recorded_at) } else { query.from };
        let counts = store
            .automated_access_counts(&AccessQuery { from: span_start.or(query.from), to: span_end.or(query.to), before: None, ..query.clone() })
            .await
            .map_err(internal)?;
        for (hour, system, n) in counts {
            let day = uk_date(hour);
            match collapsed.iter_mut().find(|(d, s, _)| *d == day && *s == system) {
                Some(c) => c.2 += n,
                None => collapsed.push((day, system, n)),
            }
        }
    }
    // One group per UK day, newest first.
    let mut all_days: Vec<chrono::NaiveDate> = events.iter().map(|e| uk_date(e.recorded_at)).chain(collapsed.iter().map(|c| c.0)).collect();
    all_days.sort_by(|a, b| b.cmp(a));
    all_days.dedup();
    let mut days: Vec<AccessDay> = all_days
        .iter()
        .map(|d| AccessDay { day: d.format("%A %-d %B %Y").to_string(), lines: Vec::new(), automated: Vec::new() })
        .collect();
    let index = |day: chrono::NaiveDate| all_days.iter().position(|d| *d == day).unwrap_or(0);
    for e in &events {
        let i = index(uk_date(e.recorded_at));
        days[i].lines.push(AccessLine {
            id: e.id,
            time: e.recorded_at.format("%H:%M").to_string(),
            organisation: organisation(e),
            who: who(e, Some(&area)),
            viewed: e.viewed.clone(),
            why: why(&e.purpose),
            emergency: e.emergency,
            automated: e.automated,
        });
    }
    for (d, system, n) in collapsed {
        days[index(d)].automated.push((system, n));
    }
    let sources = store
        .sources()
        .await
        .map_err(internal)?
        .into_iter()
        .filter_map(|s| {
            let first = s.first_event_at?;
            Some((
                s.name,
                uk_date(first).format("%-d %B %Y").to_string(),
                s.latest_event_at.map(|l| uk_date(l).format("%-d %B %Y").to_string()).unwrap_or_default(),
            ))
        })
        .collect();
    Ok(Gate::Ready(AccessLogView { days, next, organisations, sources, filter, errors, showing_automated, first_page: before.is_none() }))
}

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
                                <p class="nhsuk-u-margin-bottom-1">{format!("Looked at: {}", l.viewed)}</p>
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
        {v.next.clone().map(|href| view! {
            <nav class="nhsuk-pagination" role="navigation" aria-label="Pagination">
                <ul class="nhsuk-list nhsuk-pagination__list">
                    <li class="nhsuk-pagination-item--next">
                        <a class="nhsuk-pagination__link nhsuk-pagination__link--next" href=href>
                            <span class="nhsuk-pagination__title">"Older"</span>
                            <span class="nhsuk-u-visually-hidden">":"</span>
                            <span class="nhsuk-pagination__page">"Earlier looks at your record"</span>
                        </a>
                    </li>
                </ul>
            </nav>
        })}
        <h2>"Download your list"</h2>
        <ul class="nhsuk-list">
            <li><a href="/access-log/download.csv" download="">"Download as a spreadsheet (CSV)"</a></li>
            <li><a href="/access-log/download.json" download="">"Download for health and care systems (FHIR)"</a></li>
        </ul>
        <h2>"Which systems send us these records"</h2>
        {if v.sources.is_empty() {
            view! { <p>"No system has sent us any records yet."</p> }.into_any()
        } else {
            view! {
                <table class="nhsuk-table">
                    <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">"Systems that send access records"</caption>
                    <thead class="nhsuk-table__head"><tr>
                        <th scope="col" class="nhsuk-table__header">"System"</th>
                        <th scope="col" class="nhsuk-table__header">"Since"</th>
                        <th scope="col" class="nhsuk-table__header">"Most recent"</th>
                    </tr></thead>
                    <tbody class="nhsuk-table__body">
                        {v.sources.into_iter().map(|(name, since, latest)| view! {
                            <tr class="nhsuk-table__row">
                                <td class="nhsuk-table__cell">{name}</td>
                                <td class="nhsuk-table__cell">{since}</td>
                                <td class="nhsuk-table__cell">{latest}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any()
        }}
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConcernFormState {
    pub event: String,
    pub key: String,
    pub fields: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

#[server(prefix = "/api", endpoint = "access-log/concern")]
pub async fn concern_form(id: i64, draft: Option<String>) -> Result<Gate<Option<ConcernFormState>>, ServerFnError> {
    use crate::ssr::{forms::{new_key, valid_key}, internal, services};
    let (patient, area) = match crate::journey::ssr::gate().await? {
        Gate::Ready(x) => x,
        Gate::NotVerified => return Ok(Gate::NotVerified),
        Gate::NoArea => return Ok(Gate::NoArea),
        Gate::SignIn => return Ok(Gate::SignIn),
    };
    let store = services()?.store;
    let Some(event) = store.access_event(patient.nhs_number.expose(), id).await.map_err(internal)? else {
        crate::pages::set_status(404);
        return Ok(Gate::Ready(None));
    };
    let saved = match draft.as_deref().filter(|k| valid_key(k)) {
        Some(k) => store.draft(k, &patient.subject).await.map_err(internal)?.filter(|d| d.form == "access_concern"),
        None => None,
    };
    let (key, fields, errors) = match saved {
        Some(d) => (d.key, serde_json::from_value(d.answers).unwrap_or_default(), d.errors),
        None => (new_key(), Vec::new(), Vec::new()),
    };
    Ok(Gate::Ready(Some(ConcernFormState { event: ssr::summary(&event, Some(&area)), key, fields, errors })))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_read_as_plain_english() {
        assert_eq!(why("TREAT"), "To care for you");
        assert_eq!(why("ETREAT"), "In an emergency");
        assert_eq!(why("XYZ"), "For another reason (code XYZ)");
    }

    #[test]
    fn paging_links_keep_the_filter_and_nothing_else() {
        let f = AccessFilter { org: "RX1".into(), automated: "show".into(), before: "123~4".into(), ..Default::default() };
        assert_eq!(f.query(), "org=RX1&automated=show");
    }
}
