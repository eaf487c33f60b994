//! The patient's access log in plain words: why someone looked, who (by name or role, as the
//! area chooses), which organisation, and the day filters and paging cursor.

/// A purpose the sender gave in words only, not as a code, is kept with this mark.
pub const WORDS: &str = "words:";

/// Every purpose of an event, kept in one field: one per line (a code, or words marked
/// [`WORDS`]), the emergency one first.
pub fn join_purposes(purposes: &[String]) -> String {
    purposes.join("\n")
}

/// The purposes kept in one field, in order.
pub fn purposes(stored: &str) -> Vec<&str> {
    stored.split('\n').map(str::trim).filter(|p| !p.is_empty()).collect()
}

/// Plain English for why someone looked: every purpose given, the emergency one first.
pub fn why(stored: &str) -> String {
    let all = purposes(stored);
    if all.is_empty() {
        return "Reason not given".into();
    }
    all.into_iter().map(why_one).collect::<Vec<_>>().join("; ")
}

fn why_one(purpose: &str) -> String {
    if let Some(words) = purpose.strip_prefix(WORDS) {
        return format!("In their words: {words}");
    }
    match purpose {
        "TREAT" => "To care for you".into(),
        "ETREAT" => "In an emergency".into(),
        "BTG" => "In an emergency (break glass)".into(),
        "COC" => "To coordinate your care".into(),
        "PATRQT" => "Because you asked them to".into(),
        "HOPERAT" => "To run health and care services".into(),
        "REQUEST" => "To deal with your request".into(),
        "CAREMGT" => "To manage your care".into(),
        "HPAYMT" => "For payment for your care".into(),
        "HMARKT" => "For marketing".into(),
        "HRESCH" => "For research".into(),
        "CLINTRL" => "For a clinical trial".into(),
        "PUBHLTH" => "For public health".into(),
        "HSYSADMIN" => "To run the computer systems".into(),
        "HLEGAL" => "For legal reasons".into(),
        "HQUALIMP" => "To improve the quality of care".into(),
        "HPRGRP" => "To plan services for a group of people".into(),
        "TRAIN" => "For training".into(),
        "PATADMIN" => "For patient administration".into(),
        "PATSFTY" => "For your safety".into(),
        other => format!("For another reason (code {other})"),
    }
}

/// What was done, in plain words, with what it was done to: "Looked at: medicines",
/// "Searched for: test results", "Changed: care plans".
pub fn what(action: Option<&str>, subtype: Option<&str>, viewed: &str) -> String {
    let verb = match (action, subtype) {
        (_, Some(s)) if s.starts_with("search") => "Searched for",
        (Some("C"), _) => "Added to",
        (Some("U"), _) => "Changed",
        (Some("D"), _) => "Removed from",
        _ => "Looked at",
    };
    format!("{verb}: {viewed}")
}

#[cfg(feature = "ssr")]
pub use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {

    use crate::domain::uk_date;
    use crate::server::{AccessEvent, Area};
    use chrono::{DateTime, NaiveDate, Utc};

    /// The patient's area's choice: names, or roles only.
    pub fn who(e: &AccessEvent, area: Option<&Area>) -> String {
        // A system is never shown as if it were a person.
        if e.automated {
            return if e.agent_name == "A computer system" { e.agent_name.clone() } else { format!("A computer system ({})", e.agent_name) };
        }
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

    /// The organisation by the one name its code has in the patient's list of organisations
    /// (`names`, code and name), so that the lines, the filter and the count agree however each
    /// event spelt it; an organisation without a code by the event's own name.
    pub fn organisation_in(e: &AccessEvent, names: &[(String, String)]) -> String {
        e.org_ods
            .as_ref()
            .and_then(|code| names.iter().find(|(c, _)| c == code))
            .map_or_else(|| organisation(e), |(_, name)| name.clone())
    }

    pub fn summary(e: &AccessEvent, area: Option<&Area>) -> String {
        format!(
            "{} at {}: {} ({}). {}",
            uk_date(e.recorded_at).format("%-d %B %Y"),
            crate::domain::when::clock(e.recorded_at),
            who(e, area),
            organisation(e),
            done(e),
        )
    }


    /// Why, with an emergency always said, whatever the reason code.
    pub fn why_marked(e: &AccessEvent) -> String {
        let why = super::why(&e.purpose);
        if e.emergency && !why.starts_with("In an emergency") { format!("{why} (emergency access)") } else { why }
    }

    /// [`super::what`] for a stored event, saying so when the access did not succeed.
    pub fn done(e: &AccessEvent) -> String {
        let what = super::what(e.action.as_deref(), e.subtype.as_deref(), &e.viewed);
        match e.outcome.as_str() {
            "0" | "" => what,
            // Refused or failed (outcome 4, 8 or 12): said so, never shown as a look.
            _ => {
                let (verb, rest) = what.split_once(": ").unwrap_or(("Looked at", &what));
                let tried = match verb {
                    "Searched for" => "Tried to search for",
                    "Added to" => "Tried to add to",
                    "Changed" => "Tried to change",
                    "Removed from" => "Tried to remove from",
                    _ => "Tried to look at",
                };
                format!("{tried}: {rest} (it did not succeed)")
            }
        }
    }

    /// The start of a UK day, as a UTC instant (close enough for filtering by day).
    /// The start of a day in the UK: midnight there (23:00 UTC the day before in summer).
    pub fn day_start(d: NaiveDate) -> DateTime<Utc> {
        crate::domain::uk_local_to_utc(d.and_hms_opt(0, 0, 0).unwrap_or_default())
    }

    pub fn parse_day(d: &str, m: &str, y: &str) -> Option<Option<NaiveDate>> {
        if d.trim().is_empty() && m.trim().is_empty() && y.trim().is_empty() {
            return Some(None);
        }
        match (d.trim().parse::<u32>(), m.trim().parse::<u32>(), y.trim().parse::<i32>()) {
            (Ok(d), Ok(m), Ok(y)) if (1990..=9999).contains(&y) => NaiveDate::from_ymd_opt(y, m, d).map(Some),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access_log::api::AccessFilter;

    #[test]
    fn reasons_read_as_plain_english() {
        assert_eq!(why("TREAT"), "To care for you");
        assert_eq!(why("ETREAT"), "In an emergency");
        assert_eq!(why("XYZ"), "For another reason (code XYZ)");
        assert_eq!(why(""), "Reason not given", "never a guess");
        assert_eq!(why("ETREAT\nTREAT\nHRESCH"), "In an emergency; To care for you; For research", "every purpose, none hidden");
        assert_eq!(why("words:urgent care"), "In their words: urgent care");
    }

    #[test]
    fn what_was_done_reads_as_plain_english() {
        assert_eq!(what(Some("R"), Some("read"), "medicines"), "Looked at: medicines");
        assert_eq!(what(None, None, "your record"), "Looked at: your record");
        assert_eq!(what(Some("E"), Some("search-type"), "test results"), "Searched for: test results");
        assert_eq!(what(Some("U"), Some("update"), "care plans"), "Changed: care plans");
        assert_eq!(what(Some("C"), None, "allergies"), "Added to: allergies");
        assert_eq!(what(Some("D"), None, "letters and documents"), "Removed from: letters and documents");
    }

    #[test]
    fn paging_links_keep_the_filter_and_nothing_else() {
        let f = AccessFilter { org: "RX1".into(), automated: "show".into(), before: "123~4".into(), ..Default::default() };
        assert_eq!(f.query(), "org=RX1&automated=show");
    }

    #[test]
    fn a_period_runs_from_midnight_in_the_uk_and_years_are_four_digits() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let utc = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc);
        // In summer, midnight in the UK is 23:00 UTC the day before; in winter, midnight UTC.
        assert_eq!(day_start(day(2026, 7, 2)), utc("2026-07-01T23:00:00Z"));
        assert_eq!(day_start(day(2026, 12, 2)), utc("2026-12-02T00:00:00Z"));
        // The Sunday the clocks go forward starts in GMT; the Sunday they go back, in BST.
        assert_eq!(day_start(day(2026, 3, 29)), utc("2026-03-29T00:00:00Z"));
        assert_eq!(day_start(day(2026, 10, 25)), utc("2026-10-24T23:00:00Z"));
        assert_eq!(parse_day("1", "1", "9999"), Some(Some(day(9999, 1, 1))));
        assert_eq!(parse_day("1", "1", "10000"), None, "refused, not read as a far future");
        assert_eq!(parse_day("1", "1", "1989"), None);
    }
}
