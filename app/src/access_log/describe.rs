//! The patient's access log in plain words: why someone looked, who (by name or role, as the
//! area chooses), which organisation, and the day filters and paging cursor.

/// Plain English for why someone looked.
pub fn why(purpose: &str) -> String {
    match purpose {
        "" => "Reason not given".into(),
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
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};

    /// The patient's area's choice: names, or roles only.
    pub fn who(e: &AccessEvent, area: Option<&Area>) -> String {
        // A system is never shown as if it were a person.
        if e.automated {
            return format!("A computer system ({})", e.agent_name);
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

    /// [`super::what`] for a stored event.
    pub fn done(e: &AccessEvent) -> String {
        super::what(e.action.as_deref(), e.subtype.as_deref(), &e.viewed)
    }

    /// Why, with an emergency always said, whatever the reason code.
    pub fn why_marked(e: &AccessEvent) -> String {
        let why = super::why(&e.purpose);
        if e.emergency && !why.starts_with("In an emergency") { format!("{why} (emergency access)") } else { why }
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
}
