//! A subject access request: which information, over what dates, how it is delivered, and how
//! to reply. Parsed from the form's answers in one place.

use super::cases::Contact;
use super::objection::{contact_from, FieldErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestedInfo {
    /// Everything the area's shared care record programme holds about the patient.
    Everything,
    AccessLog,
    CaseRecords,
}

impl RequestedInfo {
    pub const ALL: [RequestedInfo; 3] = [RequestedInfo::Everything, RequestedInfo::AccessLog, RequestedInfo::CaseRecords];

    pub fn as_str(self) -> &'static str {
        match self {
            RequestedInfo::Everything => "everything",
            RequestedInfo::AccessLog => "access_log",
            RequestedInfo::CaseRecords => "case_records",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RequestedInfo::Everything => "Everything the shared care record holds about me",
            RequestedInfo::AccessLog => "A list of who has looked at my record, when and why",
            RequestedInfo::CaseRecords => "The records of my objections and requests",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    Download,
    Post,
}

impl Delivery {
    pub fn label(self) -> &'static str {
        match self {
            Delivery::Download => "Download it from this service",
            Delivery::Post => "By post",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccessRequest {
    pub info: Vec<RequestedInfo>,
    /// `None`: all dates.
    pub dates: Option<DateRange>,
    pub delivery: Delivery,
    /// Where to post it, when it goes by post.
    pub postal_address: Option<String>,
    pub contact: Contact,
}

impl AccessRequest {
    pub fn describe_info(&self) -> Vec<&'static str> {
        self.info.iter().map(|i| i.label()).collect()
    }

    pub fn describe_dates(&self) -> String {
        match self.dates {
            None => "All dates".into(),
            Some(r) => format!("From {} to {}", r.from.format("%-d %B %Y"), r.to.format("%-d %B %Y")),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccessRequestAnswers {
    pub info: Vec<String>,
    pub dates: String,
    pub from_day: String,
    pub from_month: String,
    pub from_year: String,
    pub to_day: String,
    pub to_month: String,
    pub to_year: String,
    pub delivery: String,
    pub delivery_address: String,
    pub contact: String,
    pub email: String,
    pub mobile: String,
    pub address: String,
}

impl AccessRequestAnswers {
    pub fn from_fields(fields: &[(String, String)]) -> Self {
        let one = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()).unwrap_or_default();
        Self {
            info: fields.iter().filter(|(f, _)| f == "info").map(|(_, v)| v.clone()).collect(),
            dates: one("dates"),
            from_day: one("from-day"),
            from_month: one("from-month"),
            from_year: one("from-year"),
            to_day: one("to-day"),
            to_month: one("to-month"),
            to_year: one("to-year"),
            delivery: one("delivery"),
            delivery_address: one("delivery-address"),
            contact: one("contact"),
            email: one("email"),
            mobile: one("mobile"),
            address: one("address"),
        }
    }

    /// Parses the answers; `today` bounds the date range (a range cannot end in the future).
    pub fn parse(&self, today: NaiveDate) -> Result<AccessRequest, FieldErrors> {
        let mut errors: FieldErrors = Vec::new();
        let mut info: Vec<RequestedInfo> = RequestedInfo::ALL
            .into_iter()
            .filter(|i| self.info.iter().any(|s| s == i.as_str()))
            .collect();
        if info.is_empty() || info.len() != self.info.len() {
            errors.push(("info".into(), "Select what information you want".into()));
        }
        if info.contains(&RequestedInfo::Everything) {
            info = vec![RequestedInfo::Everything];
        }
        let dates = match self.dates.as_str() {
            "all" => Some(None),
            "between" => {
                let from = date_from("from", &self.from_day, &self.from_month, &self.from_year, "start", &mut errors);
                let to = date_from("to", &self.to_day, &self.to_month, &self.to_year, "end", &mut errors);
                match (from, to) {
                    (Some(f), Some(t)) if t > today => {
                        errors.push(("to-day".into(), "The end date must be today or in the past".into()));
                        let _ = f;
                        None
                    }
                    (Some(f), Some(t)) if f > t => {
                        errors.push(("to-day".into(), "The end date must be the same as or after the start date".into()));
                        None
                    }
                    (Some(from), Some(to)) => Some(Some(DateRange { from, to })),
                    _ => None,
                }
            }
            _ => {
                errors.push(("dates".into(), "Select which dates you want information from".into()));
                None
            }
        };
        let delivery = match self.delivery.as_str() {
            "download" => Some(Delivery::Download),
            "post" => Some(Delivery::Post),
            _ => {
                errors.push(("delivery".into(), "Select how you want to receive your information".into()));
                None
            }
        };
        let contact = contact_from(&self.contact, &self.email, &self.mobile, &self.address, &mut errors);
        let postal_address = match (delivery, &contact) {
            (Some(Delivery::Post), _) if !self.delivery_address.trim().is_empty() => {
                let a = self.delivery_address.replace("\r\n", "\n").trim().to_string();
                if a.lines().filter(|l| !l.trim().is_empty()).count() >= 2 && a.len() <= 500 {
                    Some(a)
                } else {
                    errors.push(("delivery-address".into(), "Enter the full postal address, including the postcode".into()));
                    None
                }
            }
            // No separate address: the one given for contact by post will do.
            (Some(Delivery::Post), Some(Contact::Post(a))) => Some(a.clone()),
            (Some(Delivery::Post), _) => {
                errors.push(("delivery-address".into(), "Enter the postal address to send your information to".into()));
                None
            }
            _ => None,
        };
        match (dates, delivery, contact) {
            (Some(dates), Some(delivery), Some(contact)) if errors.is_empty() => {
                Ok(AccessRequest { info, dates, delivery, postal_address, contact })
            }
            _ => Err(errors),
        }
    }
}

/// One NHS date input (day, month, year): all three, a real date, a four-digit year.
fn date_from(prefix: &str, d: &str, m: &str, y: &str, which: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let (d, m, y) = (d.trim(), m.trim(), y.trim());
    if d.is_empty() && m.is_empty() && y.is_empty() {
        errors.push((format!("{prefix}-day"), format!("Enter the {which} date")));
        return None;
    }
    let parsed = match (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
        (Ok(d), Ok(m), Ok(y)) if y.to_string().len() == 4 && y >= 1900 => NaiveDate::from_ymd_opt(y, m, d),
        _ => None,
    };
    if parsed.is_none() {
        errors.push((format!("{prefix}-day"), format!("The {which} date must be a real date, like 15 3 2024")));
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn answers(pairs: &[(&str, &str)]) -> AccessRequestAnswers {
        let f: Vec<(String, String)> = pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        AccessRequestAnswers::from_fields(&f)
    }

    #[test]
    fn everything_for_all_dates_by_download() {
        let r = answers(&[("info", "everything"), ("info", "access_log"), ("dates", "all"), ("delivery", "download"), ("contact", "email"), ("email", "a@b.co")])
            .parse(today())
            .unwrap();
        assert_eq!(r.info, vec![RequestedInfo::Everything]);
        assert_eq!(r.dates, None);
        assert_eq!(r.describe_dates(), "All dates");
    }

    #[test]
    fn a_date_range_must_be_real_ordered_and_past() {
        let base = [("info", "access_log"), ("dates", "between"), ("delivery", "download"), ("contact", "email"), ("email", "a@b.co")];
        let with = |extra: &[(&'static str, &'static str)]| {
            let mut v = base.to_vec();
            v.extend_from_slice(extra);
            answers(&v).parse(today())
        };
        let ok = with(&[("from-day", "1"), ("from-month", "2"), ("from-year", "2025"), ("to-day", "31"), ("to-month", "3"), ("to-year", "2025")]).unwrap();
        assert_eq!(ok.describe_dates(), "From 1 February 2025 to 31 March 2025");
        let e = with(&[("from-day", "30"), ("from-month", "2"), ("from-year", "2025"), ("to-day", "1"), ("to-month", "3"), ("to-year", "2025")]).unwrap_err();
        assert_eq!(e[0].0, "from-day");
        let e = with(&[("from-day", "2"), ("from-month", "3"), ("from-year", "2025"), ("to-day", "1"), ("to-month", "3"), ("to-year", "2025")]).unwrap_err();
        assert_eq!(e[0], ("to-day".into(), "The end date must be the same as or after the start date".into()));
        let e = with(&[("from-day", "2"), ("from-month", "3"), ("from-year", "2025"), ("to-day", "1"), ("to-month", "1"), ("to-year", "2027")]).unwrap_err();
        assert_eq!(e[0].1, "The end date must be today or in the past");
        let e = with(&[]).unwrap_err();
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn posting_needs_an_address() {
        let e = answers(&[("info", "everything"), ("dates", "all"), ("delivery", "post"), ("contact", "email"), ("email", "a@b.co")])
            .parse(today())
            .unwrap_err();
        assert_eq!(e, vec![("delivery-address".into(), "Enter the postal address to send your information to".into())]);
        let r = answers(&[("info", "everything"), ("dates", "all"), ("delivery", "post"), ("contact", "email"), ("email", "a@b.co"), ("delivery-address", "1 Road\nTown AB1 2CD")])
            .parse(today())
            .unwrap();
        assert_eq!(r.postal_address.as_deref(), Some("1 Road\nTown AB1 2CD"));
    }
}
