//! The UK GDPR deadline clock for subject access requests, as the ICO explains it:
//! - due one calendar month after the day of receipt, on the corresponding calendar date,
//!   or on the last day of the following month when it has no such date (31 January → 28/29 February);
//! - a due date on a weekend or an England and Wales bank holiday moves to the next working day;
//! - the clock stops while the area waits for proof of identity or a clarification and starts
//!   again on the day it arrives (the days waited are added to the day of receipt);
//! - it may be extended by up to two further months, with a reason, told to the person within
//!   the first month.
//!
//! Pure and deterministic: no clock is read here; callers pass the dates.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::collections::BTreeSet;

/// England and Wales bank holidays. Data, not rules: an admin updates them as they are announced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BankHolidays(BTreeSet<NaiveDate>);

impl BankHolidays {
    pub fn new(days: impl IntoIterator<Item = NaiveDate>) -> Self {
        Self(days.into_iter().collect())
    }

    /// As published for England and Wales, 2024 to 2028 (substitute days included).
    pub fn england_and_wales_2024_to_2028() -> Self {
        const DAYS: &[(i32, u32, u32)] = &[
            (2024, 1, 1), (2024, 3, 29), (2024, 4, 1), (2024, 5, 6), (2024, 5, 27), (2024, 8, 26), (2024, 12, 25), (2024, 12, 26),
            (2025, 1, 1), (2025, 4, 18), (2025, 4, 21), (2025, 5, 5), (2025, 5, 26), (2025, 8, 25), (2025, 12, 25), (2025, 12, 26),
            (2026, 1, 1), (2026, 4, 3), (2026, 4, 6), (2026, 5, 4), (2026, 5, 25), (2026, 8, 31), (2026, 12, 25), (2026, 12, 28),
            (2027, 1, 1), (2027, 3, 26), (2027, 3, 29), (2027, 5, 3), (2027, 5, 31), (2027, 8, 30), (2027, 12, 27), (2027, 12, 28),
            (2028, 1, 3), (2028, 4, 14), (2028, 4, 17), (2028, 5, 1), (2028, 5, 29), (2028, 8, 28), (2028, 12, 25), (2028, 12, 26),
        ];
        Self::new(DAYS.iter().filter_map(|&(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)))
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.0.contains(&day)
    }

    pub fn days(&self) -> impl Iterator<Item = &NaiveDate> {
        self.0.iter()
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && !self.contains(day)
    }

    /// The day itself when it is a working day, otherwise the next one.
    pub fn next_working_day(&self, mut day: NaiveDate) -> NaiveDate {
        while !self.is_working_day(day) {
            day += Duration::days(1);
        }
        day
    }

    /// `n` working days after `day` (for deadlines set in working days, like access concerns).
    pub fn add_working_days(&self, mut day: NaiveDate, n: u32) -> NaiveDate {
        let mut left = n;
        while left > 0 {
            day += Duration::days(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

/// The date in the UK at `now`: the day of receipt is the UK's day, not UTC's. British Summer
/// Time runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
pub fn uk_date(now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    uk_time(now).date()
}

/// The UK's offset from UTC at `now`: an hour in British Summer Time, otherwise none.
pub fn uk_offset(now: chrono::DateTime<chrono::Utc>) -> Duration {
    use chrono::{NaiveTime, TimeZone, Utc};
    let last_sunday = |year: i32, month: u32| {
        // March and October both have 31 days.
        let end = NaiveDate::from_ymd_opt(year, month, 31).expect("31 March and 31 October exist");
        end - Duration::days(i64::from(end.weekday().num_days_from_sunday()))
    };
    let year = now.year();
    let one_am = NaiveTime::from_hms_opt(1, 0, 0).expect("01:00 exists");
    let starts = Utc.from_utc_datetime(&last_sunday(year, 3).and_time(one_am));
    let ends = Utc.from_utc_datetime(&last_sunday(year, 10).and_time(one_am));
    if now >= starts && now < ends { Duration::hours(1) } else { Duration::zero() }
}

/// The UK's wall-clock time at `now`.
pub fn uk_time(now: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    (now + uk_offset(now)).naive_utc()
}

/// The instant a UK wall-clock time names. In the hour the clocks go back, which happens
/// twice, the first; in the hour they skip in spring, the same time in GMT.
pub fn uk_local_to_utc(local: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    let summer = local.and_utc() - Duration::hours(1);
    if uk_offset(summer) == Duration::hours(1) { summer } else { local.and_utc() }
}

/// The same day `months` calendar months later, or the last day of that month when it has no such day.
pub fn add_calendar_months(day: NaiveDate, months: u32) -> NaiveDate {
    let total = day.year() * 12 + day.month0() as i32 + months as i32;
    let (year, month0) = (total.div_euclid(12), total.rem_euclid(12) as u32);
    (1..=day.day())
        .rev()
        .find_map(|d| NaiveDate::from_ymd_opt(year, month0 + 1, d))
        .expect("every month has a first day")
}

/// A pause in the clock: asked for identity proof or a clarification on `asked`, and it arrived
/// on `arrived` (still waiting: `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pause {
    pub asked: NaiveDate,
    pub arrived: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtensionError {
    #[error("An extension can be up to 2 further months")]
    TooLong,
    #[error("Give the reason for the extension")]
    NoReason,
    #[error("An extension must be sent to the person within the first month, by {0}")]
    TooLate(String),
}

/// How long a request has, and what has stopped or stretched it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pub received: NaiveDate,
    pub pauses: Vec<Pause>,
    pub extension_months: u32,
}

/// Where a request's clock stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Waiting for the person: the clock is stopped.
    Stopped,
    On(NaiveDate),
}

impl Clock {
    pub fn new(received: NaiveDate) -> Self {
        Self { received, pauses: Vec::new(), extension_months: 0 }
    }

    /// The day of receipt moved on by every completed pause (the days spent waiting).
    fn effective_receipt(&self) -> Option<NaiveDate> {
        let mut days = 0;
        for p in &self.pauses {
            days += (p.arrived? - p.asked).num_days().max(0);
        }
        Some(self.received + Duration::days(days))
    }

    /// The first-month due date, ignoring any extension.
    pub fn first_month_due(&self, holidays: &BankHolidays) -> Due {
        match self.effective_receipt() {
            Some(r) => Due::On(holidays.next_working_day(add_calendar_months(r, 1))),
            None => Due::Stopped,
        }
    }

    pub fn due(&self, holidays: &BankHolidays) -> Due {
        match self.effective_receipt() {
            Some(r) => Due::On(holidays.next_working_day(add_calendar_months(r, 1 + self.extension_months))),
            None => Due::Stopped,
        }
    }

    /// Extends by `months` further months (1 or 2 in all), when decided on `today`, within the first month.
    pub fn extend(&mut self, months: u32, reason: &str, today: NaiveDate, holidays: &BankHolidays) -> Result<(), ExtensionError> {
        if months == 0 || self.extension_months + months > 2 {
            return Err(ExtensionError::TooLong);
        }
        if reason.trim().is_empty() {
            return Err(ExtensionError::NoReason);
        }
        if let Due::On(first) = self.first_month_due(holidays) {
            if today > first {
                return Err(ExtensionError::TooLate(first.format("%-d %B %Y").to_string()));
            }
        }
        self.extension_months += months;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn holidays() -> BankHolidays {
        BankHolidays::england_and_wales_2024_to_2028()
    }

    /// (received, due): one calendar month on, then the next working day.
    const TABLE: &[(&str, &str, &str)] = &[
        ("2024-01-03", "2024-02-05", "3 Feb 2024 is a Saturday"),
        ("2024-01-15", "2024-02-15", "plain case"),
        ("2024-01-29", "2024-02-29", "leap year: 29 February exists"),
        ("2024-01-30", "2024-02-29", "no 30 February: last day of February"),
        ("2024-01-31", "2024-02-29", "no 31 February in a leap year"),
        ("2025-01-31", "2025-02-28", "no 31 February in a common year"),
        ("2025-01-29", "2025-02-28", "no 29 February in 2025"),
        ("2024-03-31", "2024-04-30", "no 31 April"),
        ("2024-02-29", "2024-04-02", "29 March 2024 is Good Friday, then a weekend and Easter Monday"),
        ("2024-03-01", "2024-04-02", "1 April 2024 is Easter Monday"),
        ("2024-04-06", "2024-05-07", "6 May 2024 is the early May bank holiday"),
        ("2024-04-27", "2024-05-28", "27 May 2024 is the spring bank holiday"),
        ("2024-07-26", "2024-08-27", "26 August 2024 is the summer bank holiday"),
        ("2024-11-25", "2024-12-27", "25 and 26 December 2024"),
        ("2024-11-26", "2024-12-27", "Boxing Day 2024"),
        ("2024-12-01", "2025-01-02", "New Year's Day 2025"),
        ("2024-12-31", "2025-01-31", "across the year end"),
        ("2025-03-18", "2025-04-22", "Good Friday to Easter Monday 2025"),
        ("2025-05-31", "2025-06-30", "no 31 June"),
        ("2025-08-31", "2025-09-30", "no 31 September"),
        ("2025-10-31", "2025-12-01", "no 31 November, and 30 November 2025 is a Sunday"),
        ("2026-01-31", "2026-03-02", "28 February 2026 is a Saturday"),
        ("2026-11-25", "2026-12-29", "25 Dec 2026 Friday, substitute Boxing Day 28 December"),
        ("2026-11-28", "2026-12-29", "28 December 2026 is the substitute day"),
        ("2026-12-01", "2027-01-04", "New Year's Day 2027 is a Friday"),
        ("2027-02-26", "2027-03-30", "Good Friday and Easter Monday 2027"),
        ("2027-11-25", "2027-12-29", "Christmas 2027 substitute days 27 and 28 December"),
        ("2027-12-01", "2028-01-04", "1 January 2028 is a Saturday, substitute 3 January"),
        ("2028-01-31", "2028-02-29", "leap year 2028"),
        ("2028-03-14", "2028-04-18", "Good Friday and Easter Monday 2028"),
        ("2028-04-01", "2028-05-02", "early May bank holiday 2028 is 1 May"),
        ("2028-11-25", "2028-12-27", "Christmas 2028 on Monday and Tuesday"),
        ("2023-12-31", "2024-01-31", "received on a bank holiday eve, due on a Wednesday"),
    ];

    #[test]
    fn due_dates_follow_the_ico_rules() {
        assert!(TABLE.len() >= 30);
        let h = holidays();
        for (received, due, why) in TABLE {
            let clock = Clock::new(d(received));
            assert_eq!(clock.due(&h), Due::On(d(due)), "received {received}: {why}");
        }
    }

    #[test]
    fn the_day_of_receipt_is_the_uks_day() {
        use chrono::{TimeZone, Utc};
        let at = |y, m, d, h, min| uk_date(Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap());
        assert_eq!(at(2026, 1, 15, 23, 30), d("2026-01-15"), "GMT in winter");
        assert_eq!(at(2026, 6, 15, 23, 30), d("2026-06-16"), "23:30 UTC is 00:30 BST");
        assert_eq!(at(2026, 3, 29, 0, 59), d("2026-03-29"), "BST starts at 01:00 UTC on 29 March 2026");
        assert_eq!(at(2026, 3, 28, 23, 30), d("2026-03-28"));
        assert_eq!(at(2026, 10, 24, 23, 30), d("2026-10-25"), "still BST on the Saturday night");
        assert_eq!(at(2026, 10, 25, 23, 30), d("2026-10-25"), "GMT again after 01:00 UTC on 25 October");
    }

    #[test]
    fn calendar_months_clamp_to_the_month_end() {
        assert_eq!(add_calendar_months(d("2024-01-31"), 1), d("2024-02-29"));
        assert_eq!(add_calendar_months(d("2023-01-31"), 1), d("2023-02-28"));
        assert_eq!(add_calendar_months(d("2024-12-15"), 1), d("2025-01-15"));
        assert_eq!(add_calendar_months(d("2024-11-30"), 3), d("2025-02-28"));
        assert_eq!(add_calendar_months(d("2024-08-31"), 2), d("2024-10-31"));
    }

    #[test]
    fn waiting_for_the_person_stops_the_clock() {
        let h = holidays();
        let mut clock = Clock::new(d("2025-06-02"));
        assert_eq!(clock.due(&h), Due::On(d("2025-07-02")));
        clock.pauses.push(Pause { asked: d("2025-06-10"), arrived: None });
        assert_eq!(clock.due(&h), Due::Stopped);
        // Ten days waiting: the month now runs from 12 June.
        clock.pauses[0].arrived = Some(d("2025-06-20"));
        assert_eq!(clock.due(&h), Due::On(d("2025-07-14")), "12 July 2025 is a Saturday");
    }

    #[test]
    fn extensions_need_a_reason_and_the_first_month() {
        let h = holidays();
        let mut clock = Clock::new(d("2025-01-15"));
        assert_eq!(clock.extend(1, "  ", d("2025-01-20"), &h), Err(ExtensionError::NoReason));
        assert_eq!(clock.extend(3, "complex", d("2025-01-20"), &h), Err(ExtensionError::TooLong));
        assert!(matches!(clock.extend(1, "complex", d("2025-02-18"), &h), Err(ExtensionError::TooLate(_))));
        clock.extend(2, "Records from many organisations", d("2025-02-14"), &h).unwrap();
        assert_eq!(clock.due(&h), Due::On(d("2025-04-15")));
        assert_eq!(clock.first_month_due(&h), Due::On(d("2025-02-17")), "15 Feb 2025 is a Saturday");
        assert_eq!(clock.extend(1, "more", d("2025-02-14"), &h), Err(ExtensionError::TooLong));
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let h = holidays();
        assert_eq!(h.add_working_days(d("2025-12-19"), 5), d("2025-12-30"));
        assert!(!h.is_working_day(d("2026-12-28")));
    }

    /// Every day from 2024 to the autumn of 2028, with and without an extension and a pause:
    /// the due date is never before receipt, always a working day, and never earlier than a month.
    #[test]
    fn properties_hold_for_every_day_of_receipt() {
        let h = holidays();
        let mut day = d("2024-01-01");
        while day <= d("2028-09-30") {
            for ext in 0..=2 {
                for wait in [0, 1, 17] {
                    let mut clock = Clock::new(day);
                    clock.extension_months = ext;
                    clock.pauses.push(Pause { asked: day, arrived: Some(day + Duration::days(wait)) });
                    let Due::On(due) = clock.due(&h) else { panic!("stopped with no open pause") };
                    assert!(due > day, "{day}: due {due} not after receipt");
                    assert!(h.is_working_day(due), "{day}: due {due} is not a working day");
                    assert!(due >= add_calendar_months(day, 1 + ext), "{day}: due {due} is early");
                    assert!((due - add_calendar_months(day + Duration::days(wait), 1 + ext)).num_days() <= 4, "{day}: moved too far");
                }
            }
            day += Duration::days(1);
        }
    }

    proptest::proptest! {
        /// Any day of receipt this century, any set of bank holidays, any pauses and extension:
        /// the due date is after receipt, a working day, and never earlier than the month allows.
        #[test]
        fn due_dates_hold_for_any_receipt_holidays_and_pauses(
            received_offset in 0i64..36_500,
            holiday_offsets in proptest::collection::vec(0i64..36_600, 0..60),
            waits in proptest::collection::vec((0i64..20, 0i64..40), 0..3),
            extension in 0u32..=2,
        ) {
            let base = d("2000-01-01");
            let received = base + Duration::days(received_offset);
            let holidays = BankHolidays::new(holiday_offsets.iter().map(|o| base + Duration::days(*o)));
            let mut clock = Clock::new(received);
            clock.extension_months = extension;
            let mut at = received;
            let mut waited = 0;
            for (gap, wait) in waits {
                at += Duration::days(gap);
                clock.pauses.push(Pause { asked: at, arrived: Some(at + Duration::days(wait)) });
                at += Duration::days(wait);
                waited += wait;
            }
            let Due::On(due) = clock.due(&holidays) else { panic!("no open pause, so the clock runs") };
            proptest::prop_assert!(due > received);
            proptest::prop_assert!(holidays.is_working_day(due));
            proptest::prop_assert!(due >= add_calendar_months(received + Duration::days(waited), 1 + extension));
            clock.pauses.push(Pause { asked: at, arrived: None });
            proptest::prop_assert_eq!(clock.due(&holidays), Due::Stopped);
        }
    }
}
