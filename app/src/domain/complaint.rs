//! A complaint, or a request to look at a decision again. Since 19 June 2026 (Data (Use and
//! Access) Act 2025, s.103, inserting Article 21A-style duties into the DPA 2018) a controller
//! must let people complain electronically, acknowledge a complaint within 30 days, keep them
//! updated and tell them the outcome, with the route to the Information Commissioner.
//!
//! The clock is read here: acknowledged within 30 calendar days of the UK day it came in (the
//! law counts calendar days, so a weekend or bank holiday does not move it); answered by a date
//! the IG lead sets when acknowledging it, suggested as 40 working days after it came in and
//! never more than 6 months after (the NHS complaints regulations' outer limit).

use super::cases::{Contact, FreeText, FreeTextError};
use super::objection::{contact_from, FieldErrors};
use super::{add_calendar_months, BankHolidays, CaseKind, CaseReference, CaseStatus};
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// The most a patient can write in each of the two questions.
pub const WORDS_MAX: usize = 3000;
/// Calendar days the area has to acknowledge a complaint.
pub const ACKNOWLEDGE_DAYS: i64 = 30;
/// Working days after it came in that the answer is suggested for.
pub const SUGGESTED_WORKING_DAYS: u32 = 40;
/// The latest an answer may be promised, in calendar months after it came in.
pub const LONGEST_MONTHS: u32 = 6;

/// A complaint ready to be sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Complaint {
    /// The decision or response it is about, when it is about one of the patient's own cases.
    pub about: Option<CaseReference>,
    pub wrong: FreeText,
    pub wanted: FreeText,
    pub contact: Contact,
}

/// One of the patient's cases a complaint can be about: any of theirs except complaints
/// (a complaint's own outcome is answered by the Information Commissioner's route).
#[derive(Debug, Clone, PartialEq)]
pub struct Complainable {
    pub reference: CaseReference,
    pub kind: CaseKind,
    pub status: CaseStatus,
}

impl Complainable {
    pub fn can_be_complained_about(&self) -> bool {
        self.kind != CaseKind::Complaint
    }
}

/// The form as the patient filled it in.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ComplaintAnswers {
    /// A case reference, or "other".
    pub about: String,
    pub wrong: String,
    pub wanted: String,
    pub contact: String,
    pub email: String,
    pub mobile: String,
    pub address: String,
}

fn what(field: &str) -> &'static str {
    if field == "wrong" { "What you are unhappy about" } else { "What you would like to happen" }
}


fn words(input: &str, field: &str, empty: &str, errors: &mut FieldErrors) -> Option<FreeText> {
    match FreeText::parse(input, WORDS_MAX) {
        Ok(t) => Some(t),
        Err(FreeTextError::Empty) => {
            errors.push((field.into(), empty.into()));
            None
        }
        Err(FreeTextError::TooLong { max, .. }) => {
            errors.push((field.into(), format!("{} must be {} characters or fewer", what(field), super::thousands(max))));
            None
        }
    }
}

impl ComplaintAnswers {
    pub fn from_fields(fields: &[(String, String)]) -> Self {
        let one = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()).unwrap_or_default();
        Self {
            about: one("about"),
            wrong: one("wrong"),
            wanted: one("wanted"),
            contact: one("contact"),
            email: one("email"),
            mobile: one("mobile"),
            address: one("address"),
        }
    }

    /// Parses the answers against the patient's own cases.
    pub fn parse(&self, cases: &[Complainable]) -> Result<Complaint, FieldErrors> {
        let mut errors: FieldErrors = Vec::new();
        let about = match self.about.trim() {
            "other" => Some(None),
            "" => {
                errors.push(("about".into(), "Select what your complaint is about".into()));
                None
            }
            typed => {
                let theirs = CaseReference::parse(typed)
                    .and_then(|r| cases.iter().find(|c| c.reference == r && c.can_be_complained_about()).map(|c| c.reference.clone()));
                if theirs.is_none() {
                    errors.push(("about".into(), "Select what your complaint is about".into()));
                }
                theirs.map(Some)
            }
        };
        let wrong = words(&self.wrong, "wrong", "Enter what you are unhappy about", &mut errors);
        let wanted = words(&self.wanted, "wanted", "Enter what you would like to happen", &mut errors);
        let contact = contact_from(&self.contact, &self.email, &self.mobile, &self.address, &mut errors);
        match (about, wrong, wanted, contact) {
            (Some(about), Some(wrong), Some(wanted), Some(contact)) if errors.is_empty() => Ok(Complaint { about, wrong, wanted, contact }),
            _ => Err(errors),
        }
    }
}

/// The last day to acknowledge a complaint that came in on `received`.
pub fn acknowledge_by(received: NaiveDate) -> NaiveDate {
    received + Duration::days(ACKNOWLEDGE_DAYS)
}

/// The answer date offered to the IG lead when acknowledging.
pub fn suggested_answer_by(received: NaiveDate, holidays: &BankHolidays) -> NaiveDate {
    holidays.add_working_days(received, SUGGESTED_WORKING_DAYS).min(latest_answer_by(received))
}

/// The latest day an answer may be promised for.
pub fn latest_answer_by(received: NaiveDate) -> NaiveDate {
    add_calendar_months(received, LONGEST_MONTHS)
}

/// Reads the answer date the IG lead typed (day, month, year): a real date, today or later, and
/// no more than six months after the complaint came in.
pub fn read_answer_by(day: &str, month: &str, year: &str, today: NaiveDate, received: NaiveDate) -> Result<NaiveDate, String> {
    let (d, m, y) = (day.trim(), month.trim(), year.trim());
    if d.is_empty() && m.is_empty() && y.is_empty() {
        return Err("Enter the date you will give your answer by".into());
    }
    let parsed = match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
        (Ok(d), Ok(m), Ok(y)) if (1000..=9999).contains(&y) => NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    };
    let Some(date) = parsed else { return Err("The answer date must be a real date, like 15 3 2027".into()) };
    let latest = latest_answer_by(received);
    if date < today {
        Err("The answer date must be today or in the future".into())
    } else if date > latest {
        Err(format!("The answer date must be no later than {} (six months after the complaint came in)", latest.format("%-d %B %Y")))
    } else {
        Ok(date)
    }
}

/// How a complaint ends, as the IG lead chose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintOutcome {
    Upheld,
    PartlyUpheld,
    NotUpheld,
}

impl ComplaintOutcome {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "upheld" => Some(ComplaintOutcome::Upheld),
            "partly_upheld" => Some(ComplaintOutcome::PartlyUpheld),
            "not_upheld" => Some(ComplaintOutcome::NotUpheld),
            _ => None,
        }
    }

    pub fn status(self) -> CaseStatus {
        match self {
            ComplaintOutcome::Upheld => CaseStatus::Upheld,
            ComplaintOutcome::PartlyUpheld => CaseStatus::PartlyUpheld,
            ComplaintOutcome::NotUpheld => CaseStatus::NotUpheld,
        }
    }

    /// The heading the patient reads.
    pub fn title(self) -> &'static str {
        match self {
            ComplaintOutcome::Upheld => "We upheld your complaint",
            ComplaintOutcome::PartlyUpheld => "We upheld part of your complaint",
            ComplaintOutcome::NotUpheld => "We did not uphold your complaint",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn theirs() -> Vec<Complainable> {
        vec![
            Complainable { reference: CaseReference::parse("OBJ-0000-0001").unwrap(), kind: CaseKind::Objection, status: CaseStatus::Declined },
            Complainable { reference: CaseReference::parse("CMP-0000-0002").unwrap(), kind: CaseKind::Complaint, status: CaseStatus::NotUpheld },
        ]
    }

    fn answers(about: &str) -> ComplaintAnswers {
        ComplaintAnswers {
            about: about.into(),
            wrong: "Nobody explained why.".into(),
            wanted: "Look at it again.".into(),
            contact: "email".into(),
            email: "jo@example.com".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complaint_is_about_one_of_their_own_cases_or_something_else() {
        assert_eq!(answers("obj 0000 0001").parse(&theirs()).unwrap().about.map(|r| r.to_string()), Some("OBJ-0000-0001".into()));
        assert_eq!(answers("other").parse(&theirs()).unwrap().about, None);
        for refused in ["", "OBJ-0000-0009", "CMP-0000-0002", "</textarea><img onerror=alert(1)>", "OBJ-0000-0001\u{0}"] {
            let errors = answers(refused).parse(&theirs()).unwrap_err();
            assert_eq!(errors[0].0, "about", "{refused:?}");
        }
    }

    #[test]
    fn every_question_says_what_is_missing() {
        let errors = ComplaintAnswers::default().parse(&theirs()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(fields, vec!["about", "wrong", "wanted", "contact"]);
        let long = ComplaintAnswers { wrong: "x".repeat(WORDS_MAX + 1), ..answers("other") };
        assert_eq!(long.parse(&theirs()).unwrap_err(), vec![("wrong".to_string(), "What you are unhappy about must be 3,000 characters or fewer".to_string())]);
    }

    #[test]
    fn acknowledgement_is_due_thirty_calendar_days_on_across_month_and_year_ends() {
        assert_eq!(acknowledge_by(d("2027-01-31")), d("2027-03-02"));
        assert_eq!(acknowledge_by(d("2028-01-31")), d("2028-03-01"), "a leap year's February has 29 days");
        assert_eq!(acknowledge_by(d("2026-12-15")), d("2027-01-14"));
        // Calendar days: a weekend or a bank holiday does not move it.
        assert_eq!(acknowledge_by(d("2026-11-26")), d("2026-12-26"), "Boxing Day stays the day");
    }

    #[test]
    fn the_suggested_answer_date_counts_working_days_and_skips_bank_holidays() {
        let none = BankHolidays::new([]);
        // 40 working days from Monday 1 March 2027 is eight weeks on, Monday 26 April.
        assert_eq!(suggested_answer_by(d("2027-03-01"), &none), d("2027-04-26"));
        let easter = BankHolidays::new([d("2027-03-26"), d("2027-03-29")]);
        assert_eq!(suggested_answer_by(d("2027-03-01"), &easter), d("2027-04-28"), "Good Friday and Easter Monday are not working days");
        // Christmas: 25, 26 (substitute 28) December and 1 January.
        let christmas = BankHolidays::new([d("2026-12-25"), d("2026-12-28"), d("2027-01-01")]);
        assert_eq!(suggested_answer_by(d("2026-12-24"), &christmas), d("2027-02-23"));
    }

    #[test]
    fn the_answer_date_is_real_not_past_and_within_six_months() {
        let (today, received) = (d("2027-01-10"), d("2027-01-05"));
        assert_eq!(read_answer_by("1", "3", "2027", today, received), Ok(d("2027-03-01")));
        assert_eq!(read_answer_by("10", "1", "2027", today, received), Ok(today));
        assert!(read_answer_by("9", "1", "2027", today, received).unwrap_err().contains("today or in the future"));
        assert!(read_answer_by("31", "2", "2027", today, received).unwrap_err().contains("real date"));
        assert!(read_answer_by("1", "1", "2999", today, received).unwrap_err().contains("no later than 5 July 2027"));
        assert_eq!(read_answer_by("5", "7", "2027", today, received), Ok(d("2027-07-05")));
        assert!(read_answer_by("", "", "", today, received).unwrap_err().starts_with("Enter"));
        assert!(read_answer_by("1", "3", "27", today, received).is_err(), "a two-digit year");
        // Six months from 31 August is the end of February.
        assert_eq!(latest_answer_by(d("2026-08-31")), d("2027-02-28"));
    }
}
