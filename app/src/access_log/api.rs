//! The access log's data: a page of the patient's own access events, and the concern form.

use crate::ui::Gate;
use leptos::prelude::*;
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
    /// On an older page: the newest page with the same filters.
    pub newest: Option<String>,
    /// A filter in force, in words, and the address of the list without it.
    pub filtered: Option<(String, String)>,
    pub organisations: Vec<(String, String)>,
    pub sources: Vec<(String, String, String)>,
    pub filter: AccessFilter,
    pub errors: Vec<(String, String)>,
    pub showing_automated: bool,
    pub first_page: bool,
    /// One line: how many looks by people, by how many organisations, in the period shown.
    pub summary: String,
}

/// "12 looks at your record by 3 organisations since 2 November 2026": looks by people (the
/// automated checks are not counted), in the filter's period or since the first.
pub fn summary_in_words(looks: i64, organisations: i64, from: Option<chrono::NaiveDate>, to: Option<chrono::NaiveDate>, first: Option<chrono::NaiveDate>) -> String {
    let day = |d: chrono::NaiveDate| d.format("%-d %B %Y").to_string();
    let plural = |n: i64, one: &str, many: &str| format!("{} {}", n, if n == 1 { one } else { many });
    if looks == 0 {
        return match (from, to) {
            (None, None) => "Nobody has looked at your record yet.".to_string(),
            _ => "Nobody looked at your record in this period.".to_string(),
        };
    }
    let period = match (from, to) {
        (Some(f), Some(t)) => format!(" from {} to {}", day(f), day(t)),
        (Some(f), None) => format!(" since {}", day(f)),
        (None, Some(t)) => format!(" up to {}", day(t)),
        (None, None) => first.map(|f| format!(" since {}", day(f))).unwrap_or_default(),
    };
    format!("{} at your record by {}{period}.", plural(looks, "look", "looks"), plural(organisations, "organisation", "organisations"))
}

/// "Showing looks from 1 March 2026 to 31 March 2026 by Northshire General Hospital", or none
/// when nothing is filtered.
pub fn filter_in_words(from: Option<chrono::NaiveDate>, to: Option<chrono::NaiveDate>, org: Option<&str>) -> Option<String> {
    let day = |d: chrono::NaiveDate| d.format("%-d %B %Y").to_string();
    let mut words = String::from("Showing looks");
    match (from, to) {
        (Some(f), Some(t)) => words.push_str(&format!(" from {} to {}", day(f), day(t))),
        (Some(f), None) => words.push_str(&format!(" from {}", day(f))),
        (None, Some(t)) => words.push_str(&format!(" up to {}", day(t))),
        (None, None) => {}
    }
    if let Some(o) = org {
        words.push_str(&format!(" by {o}"));
    }
    (from.is_some() || to.is_some() || org.is_some()).then_some(words)
}

#[server(prefix = "/api", endpoint = "access-log")]
pub async fn access_log(filter: AccessFilter) -> Result<Gate<AccessLogView>, ServerFnError> {
    use crate::domain::uk_date;
    use super::describe::*;
    use crate::server::{internal, services, AccessQuery};
    let (patient, area) = match crate::your_requests::form::gate().await?.ready() {
        Ok(x) => x,
        Err(refused) => return Ok(refused),
    };
    let store = services()?.store;
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
    let organisations = store.access_organisations(&patient.nhs_number).await.map_err(internal)?;
    let mut filter = filter;
    // An ODS code in any case and with spaces around it, as the queue and the API take it; the
    // filter given back holds the code as stored, so the list of organisations shows it chosen.
    let asked = crate::domain::OdsCode::parse(&filter.org).ok();
    let org = organisations
        .iter()
        .find(|(code, _)| *code == filter.org || asked.as_ref().is_some_and(|a| code.eq_ignore_ascii_case(a.as_str())))
        .map(|(c, _)| c.clone());
    filter.org = org.clone().unwrap_or_default();
    let query = AccessQuery {
        nhs_number: patient.nhs_number.clone(),
        from: if errors.is_empty() { from.map(day_start) } else { None },
        to: if errors.is_empty() { to.map(|t| day_start(t + chrono::Duration::days(1))) } else { None },
        org_ods: org,
        include_automated: showing_automated,
        before,
        limit: PAGE_SIZE + 1,
    };
    let (looks, by, first_look) = store.access_summary(&query).await.map_err(internal)?;
    let (period_from, period_to) = if errors.is_empty() { (from, to) } else { (None, None) };
    let summary = summary_in_words(looks, by, period_from, period_to, first_look.map(uk_date));
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
            time: crate::domain::when::clock(e.recorded_at),
            organisation: organisation_in(e, &organisations),
            who: who(e, Some(&area)),
            viewed: done(e),
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
        // The patient's own area's systems (and any serving no one area): another area's
        // systems, and when they last sent anything, are not this patient's business.
        .filter(|s| s.area_id.is_none_or(|a| a == area.id))
        .filter_map(|s| {
            let first = s.first_event_at?;
            Some((
                s.name,
                uk_date(first).format("%-d %B %Y").to_string(),
                s.latest_event_at.map(|l| uk_date(l).format("%-d %B %Y").to_string()).unwrap_or_default(),
            ))
        })
        .collect();
    // The filter in force, said in words, with the way back to the whole list.
    let org_name = query.org_ods.as_ref().and_then(|c| organisations.iter().find(|(code, _)| code == c)).map(|(_, n)| n.clone());
    let filtered = errors.is_empty().then(|| filter_in_words(from, to, org_name.as_deref())).flatten().map(|words| {
        (words, if showing_automated { "/access-log?automated=show".to_string() } else { "/access-log".to_string() })
    });
    let newest = before.is_some().then(|| {
        let q = filter.query();
        if q.is_empty() { "/access-log".to_string() } else { format!("/access-log?{q}") }
    });
    Ok(Gate::Ready(AccessLogView { days, next, newest, filtered, organisations, sources, filter, errors, showing_automated, first_page: before.is_none(), summary }))
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
    use crate::server::keys::{new_key, valid_key};
    use crate::server::{internal, services};
    let (patient, area) = match crate::your_requests::form::gate().await?.ready() {
        Ok(x) => x,
        Err(refused) => return Ok(refused),
    };
    let store = services()?.store;
    let Some(event) = store.access_event(&patient.nhs_number, id).await.map_err(internal)? else {
        crate::ui::set_status(404);
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
    Ok(Gate::Ready(Some(ConcernFormState { event: super::describe::summary(&event, Some(&area)), key, fields, errors })))
}

#[cfg(test)]
mod tests {
    use super::summary_in_words;
    use chrono::NaiveDate;

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    #[test]
    fn the_summary_says_how_many_by_how_many_and_when_in_words() {
        assert_eq!(summary_in_words(12, 3, None, None, d("2026-11-02")), "12 looks at your record by 3 organisations since 2 November 2026.");
        assert_eq!(summary_in_words(1, 1, d("2026-03-01"), d("2026-03-31"), d("2026-03-12")), "1 look at your record by 1 organisation from 1 March 2026 to 31 March 2026.");
        assert_eq!(summary_in_words(2, 1, None, d("2026-03-31"), d("2026-03-12")), "2 looks at your record by 1 organisation up to 31 March 2026.");
        assert_eq!(summary_in_words(0, 0, None, None, None), "Nobody has looked at your record yet.");
        assert_eq!(summary_in_words(0, 0, d("2999-01-01"), None, None), "Nobody looked at your record in this period.");
    }
}
