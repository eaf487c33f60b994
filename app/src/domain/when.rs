//! Times as a person in the UK reads them: in UK local time (GMT or BST, whichever was in
//! force), dates in words. Machines get RFC 3339 with the offset instead.

use super::{uk_date, uk_time};
use chrono::{DateTime, NaiveDate, Utc};

/// "3 March 2027", the UK day of an instant.
pub fn day(at: DateTime<Utc>) -> String {
    day_of(uk_date(at))
}

/// "3 March 2027".
pub fn day_of(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// "3 March 2027 at 6:30pm", in UK time.
pub fn moment(at: DateTime<Utc>) -> String {
    let local = uk_time(at);
    format!("{} at {}", local.format("%-d %B %Y"), local.format("%-I:%M%P"))
}

/// "18:30", the UK clock time of an instant.
pub fn clock(at: DateTime<Utc>) -> String {
    uk_time(at).format("%H:%M").to_string()
}

/// An instant for a machine: RFC 3339 with the UK offset in force, like 2026-07-01T09:30:00+01:00.
pub fn rfc3339_uk(at: DateTime<Utc>) -> String {
    let offset = chrono::FixedOffset::east_opt(super::deadline::uk_offset(at).num_seconds() as i32).unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero is an offset"));
    at.with_timezone(&offset).to_rfc3339()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summer_times_are_british_summer_time() {
        let at = DateTime::parse_from_rfc3339("2026-07-01T08:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(clock(at), "09:30");
        assert_eq!(moment(at), "1 July 2026 at 9:30am");
        assert_eq!(rfc3339_uk(at), "2026-07-01T09:30:00+01:00");
        let winter = DateTime::parse_from_rfc3339("2026-12-01T08:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(clock(winter), "08:30");
        assert_eq!(rfc3339_uk(winter), "2026-12-01T08:30:00+00:00");
        // Just before midnight UTC in summer is the next UK day.
        let late = DateTime::parse_from_rfc3339("2026-07-01T23:30:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(day(late), "2 July 2026");
    }
}
