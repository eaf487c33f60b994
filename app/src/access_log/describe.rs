//! The patient's access log in plain words: why someone looked, who (by name or role, as the
//! area chooses), which organisation, and the day filters and paging cursor.

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
pub use server_side::*;

#[cfg(feature = "ssr")]
mod server_side {

    use crate::domain::uk_date;
    use crate::server::{AccessEvent, Area};
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
            crate::domain::when::clock(e.recorded_at),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access_log::api::AccessFilter;

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
