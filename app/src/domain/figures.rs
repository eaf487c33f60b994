//! The public transparency figures: per calendar quarter, objections received, upheld and
//! declined, and requests for a copy answered and answered within the deadline. Numbers from
//! 1 to 4 are shown as "fewer than 5", so that nobody can be picked out from a small count.

use super::{uk_date, CaseKind, CaseStatus};
use chrono::{Datelike, NaiveDate};

/// One case as the figures count it: what it is, where it stands, when it came in, when it was
/// due and the UK day it was decided or fulfilled.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted {
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub received_on: NaiveDate,
    pub due_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
    /// For a complaint: the UK day it was acknowledged (or answered, which acknowledges it).
    pub acknowledged_on: Option<NaiveDate>,
}

impl Counted {
    pub fn new(kind: CaseKind, status: CaseStatus, received_on: NaiveDate, due_on: Option<NaiveDate>, closed_at: Option<chrono::DateTime<chrono::Utc>>) -> Self {
        Counted { kind, status, received_on, due_on, closed_on: closed_at.map(uk_date), acknowledged_on: None }
    }

    pub fn acknowledged(self, at: Option<chrono::DateTime<chrono::Utc>>) -> Self {
        Counted { acknowledged_on: at.map(uk_date), ..self }
    }
}

/// A calendar quarter: its year and number (1 = January to March).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    pub number: u32,
}

impl Quarter {
    pub fn of(day: NaiveDate) -> Quarter {
        Quarter { year: day.year(), number: day.month0() / 3 + 1 }
    }

    pub fn label(self) -> String {
        let months = ["January to March", "April to June", "July to September", "October to December"];
        format!("{} {}", months[(self.number - 1) as usize], self.year)
    }

    fn previous(self) -> Quarter {
        if self.number == 1 { Quarter { year: self.year - 1, number: 4 } } else { Quarter { year: self.year, number: self.number - 1 } }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuarterFigures {
    pub objections_received: u64,
    pub objections_upheld: u64,
    pub objections_declined: u64,
    pub requests_answered: u64,
    pub requests_answered_in_time: u64,
    pub complaints_received: u64,
    /// Acknowledged in the quarter, within 30 calendar days of coming in.
    pub complaints_acknowledged_in_time: u64,
    pub complaints_answered: u64,
    /// Answered in the quarter, by the date the area gave when acknowledging it.
    pub complaints_answered_in_time: u64,
    /// Answered in the quarter and upheld, in whole or in part.
    pub complaints_upheld: u64,
}

/// Figures for the quarters from the first with any case up to the one containing `today`,
/// newest first. Received counts go by the day a case came in; decisions and answers by the
/// day they were made. "Upheld" includes upheld in part.
pub fn quarterly(cases: &[Counted], today: NaiveDate) -> Vec<(Quarter, QuarterFigures)> {
    let Some(first) = cases.iter().map(|c| c.received_on).min() else { return Vec::new() };
    let mut out = Vec::new();
    let (start, mut q) = (Quarter::of(first), Quarter::of(today));
    loop {
        let mut f = QuarterFigures::default();
        for c in cases {
            let closed_here = c.closed_on.is_some_and(|d| Quarter::of(d) == q);
            match c.kind {
                CaseKind::Objection => {
                    f.objections_received += u64::from(Quarter::of(c.received_on) == q);
                    if closed_here {
                        match c.status {
                            CaseStatus::Upheld | CaseStatus::PartlyUpheld => f.objections_upheld += 1,
                            CaseStatus::Declined => f.objections_declined += 1,
                            _ => {}
                        }
                    }
                }
                CaseKind::Complaint => {
                    f.complaints_received += u64::from(Quarter::of(c.received_on) == q);
                    let acknowledged_here = c.acknowledged_on.filter(|d| Quarter::of(*d) == q);
                    f.complaints_acknowledged_in_time += u64::from(acknowledged_here.is_some_and(|d| d <= super::complaint::acknowledge_by(c.received_on)));
                    if closed_here && c.status != CaseStatus::Withdrawn {
                        f.complaints_answered += 1;
                        f.complaints_answered_in_time += u64::from(matches!((c.closed_on, c.due_on), (Some(done), Some(due)) if done <= due));
                        f.complaints_upheld += u64::from(matches!(c.status, CaseStatus::Upheld | CaseStatus::PartlyUpheld));
                    }
                }
                CaseKind::AccessRequest if closed_here && c.status == CaseStatus::Fulfilled => {
                    f.requests_answered += 1;
                    f.requests_answered_in_time += u64::from(matches!((c.closed_on, c.due_on), (Some(done), Some(due)) if done <= due));
                }
                _ => {}
            }
        }
        out.push((q, f));
        if q <= start {
            break;
        }
        q = q.previous();
    }
    out
}

/// Privacy monitoring in a quarter: alerts raised, reviewed within the area's target days,
/// confirmed inappropriate, and referred to the employing organisation (all by the quarter the
/// alert was raised in).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MonitoringFigures {
    pub raised: u64,
    pub reviewed_in_target: u64,
    pub inappropriate: u64,
    pub referred: u64,
}

/// One alert as the monitoring figures count it: when it was raised and reviewed, whether it
/// was confirmed inappropriate, and whether it was referred.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CountedAlert {
    pub raised_at: chrono::DateTime<chrono::Utc>,
    pub reviewed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub inappropriate: bool,
    pub referred: bool,
}

/// Monitoring figures per quarter from the first alert's to `today`'s, newest first.
pub fn monitoring_quarterly(alerts: &[CountedAlert], target_days: u32, today: NaiveDate) -> Vec<(Quarter, MonitoringFigures)> {
    let Some(first) = alerts.iter().map(|a| uk_date(a.raised_at)).min() else { return Vec::new() };
    let mut out = Vec::new();
    let (start, mut q) = (Quarter::of(first), Quarter::of(today));
    loop {
        let mut f = MonitoringFigures::default();
        for a in alerts.iter().filter(|a| Quarter::of(uk_date(a.raised_at)) == q) {
            f.raised += 1;
            f.reviewed_in_target += u64::from(a.reviewed_at.is_some_and(|r| r - a.raised_at <= chrono::Duration::days(i64::from(target_days))));
            f.inappropriate += u64::from(a.inappropriate);
            f.referred += u64::from(a.referred);
        }
        out.push((q, f));
        if q <= start {
            break;
        }
        q = q.previous();
    }
    out
}

/// A count as the public page shows it.
pub fn shown(n: u64) -> String {
    match n {
        1..=4 => "fewer than 5".to_string(),
        n => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn case(kind: CaseKind, status: CaseStatus, received: &str, due: &str, closed: Option<&str>) -> Counted {
        Counted { kind, status, received_on: day(received), due_on: Some(day(due)), closed_on: closed.map(day), acknowledged_on: None }
    }

    #[test]
    fn small_numbers_are_never_shown() {
        assert_eq!(shown(0), "0");
        for n in 1..=4 {
            assert_eq!(shown(n), "fewer than 5");
        }
        assert_eq!(shown(5), "5");
        assert_eq!(shown(1234), "1234");
    }

    #[test]
    fn quarters_name_themselves_and_follow_the_calendar() {
        assert_eq!(Quarter::of(day("2026-03-31")).label(), "January to March 2026");
        assert_eq!(Quarter::of(day("2026-04-01")).label(), "April to June 2026");
        assert_eq!(Quarter::of(day("2026-12-31")).label(), "October to December 2026");
    }

    #[test]
    fn counts_go_by_the_day_received_and_the_day_decided() {
        use CaseKind::*;
        use CaseStatus::*;
        let cases = vec![
            // Received in June, decided in July.
            case(Objection, Upheld, "2026-06-20", "2026-07-20", Some("2026-07-02")),
            case(Objection, PartlyUpheld, "2026-07-01", "2026-08-01", Some("2026-07-30")),
            case(Objection, Declined, "2026-07-03", "2026-08-03", Some("2026-08-01")),
            case(Objection, Received, "2026-08-10", "2026-09-10", None),
            case(Objection, Withdrawn, "2026-08-11", "2026-09-11", None),
            // Answered on the due day (in time), and a day late.
            case(AccessRequest, Fulfilled, "2026-07-01", "2026-08-03", Some("2026-08-03")),
            case(AccessRequest, Fulfilled, "2026-07-02", "2026-08-03", Some("2026-08-04")),
            case(AccessRequest, Received, "2026-09-01", "2026-10-01", None),
            case(AccessConcern, Explained, "2026-07-05", "2026-08-01", Some("2026-07-10")),
        ];
        let q = quarterly(&cases, day("2026-11-24"));
        assert_eq!(q.iter().map(|(q, _)| q.label()).collect::<Vec<_>>(), ["October to December 2026", "July to September 2026", "April to June 2026"]);
        assert_eq!(q[0].1, QuarterFigures::default(), "nothing yet this quarter");
        assert_eq!(
            q[1].1,
            QuarterFigures { objections_received: 4, objections_upheld: 2, objections_declined: 1, requests_answered: 2, requests_answered_in_time: 1, ..Default::default() }
        );
        assert_eq!(q[2].1, QuarterFigures { objections_received: 1, ..Default::default() });
        assert!(quarterly(&[], day("2026-11-24")).is_empty());
    }

    #[test]
    fn monitoring_figures_count_by_the_quarter_raised_and_the_target() {
        let t = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc);
        let alerts = [
            CountedAlert { raised_at: t("2026-03-30T10:00:00Z"), reviewed_at: Some(t("2026-04-02T10:00:00Z")), inappropriate: false, referred: false },
            CountedAlert { raised_at: t("2026-04-01T10:00:00Z"), reviewed_at: Some(t("2026-04-20T10:00:00Z")), inappropriate: true, referred: true },
            CountedAlert { raised_at: t("2026-04-02T10:00:00Z"), reviewed_at: None, inappropriate: false, referred: false },
            // 23:30 UTC on 30 June is 00:30 on 1 July in BST: the third quarter.
            CountedAlert { raised_at: t("2026-06-30T23:30:00Z"), reviewed_at: Some(t("2026-07-01T08:00:00Z")), inappropriate: false, referred: false },
        ];
        let q = monitoring_quarterly(&alerts, 10, NaiveDate::from_ymd_opt(2026, 7, 15).unwrap());
        assert_eq!(q.len(), 3);
        assert_eq!(q[0].1, MonitoringFigures { raised: 1, reviewed_in_target: 1, inappropriate: 0, referred: 0 });
        assert_eq!(q[1].1, MonitoringFigures { raised: 2, reviewed_in_target: 0, inappropriate: 1, referred: 1 });
        assert_eq!(q[2].1, MonitoringFigures { raised: 1, reviewed_in_target: 1, inappropriate: 0, referred: 0 });
        assert!(monitoring_quarterly(&[], 10, NaiveDate::from_ymd_opt(2026, 7, 15).unwrap()).is_empty());
    }

    #[test]
    fn complaints_count_when_they_came_in_were_acknowledged_and_were_answered() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let at = |s: &str| Some(chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc));
        let complaint = |status, received: &str, due: &str, closed: Option<&str>, acknowledged: Option<&str>| {
            Counted::new(CaseKind::Complaint, status, d(received), Some(d(due)), closed.and_then(at)).acknowledged(acknowledged.and_then(at))
        };
        let cases = vec![
            // In on 20 March, acknowledged on day 30 (19 April), answered by its date.
            complaint(CaseStatus::Upheld, "2027-03-20", "2027-05-01", Some("2027-04-30T10:00:00Z"), Some("2027-04-19T10:00:00Z")),
            // Acknowledged on day 31: late. Answered after its date.
            complaint(CaseStatus::NotUpheld, "2027-04-01", "2027-05-10", Some("2027-05-20T10:00:00Z"), Some("2027-05-02T10:00:00Z")),
            // Still open, never acknowledged.
            complaint(CaseStatus::Received, "2027-04-05", "2027-05-05", None, None),
            // Withdrawn: received, never answered.
            complaint(CaseStatus::Withdrawn, "2027-04-06", "2027-05-06", Some("2027-04-07T10:00:00Z"), None),
        ];
        let figures = quarterly(&cases, d("2027-06-30"));
        let (q2, f2) = &figures[0];
        assert_eq!(q2.label(), "April to June 2027");
        assert_eq!((f2.complaints_received, f2.complaints_acknowledged_in_time, f2.complaints_answered, f2.complaints_answered_in_time, f2.complaints_upheld), (3, 1, 2, 1, 1));
        let (_, f1) = &figures[1];
        assert_eq!((f1.complaints_received, f1.complaints_acknowledged_in_time, f1.complaints_answered), (1, 0, 0));
        // Midnight in summer: 23:30 UTC on 18 April is 00:30 on 19 April in the UK, still day 30.
        let late_night = complaint(CaseStatus::Received, "2027-03-20", "2027-05-01", None, Some("2027-04-18T23:30:00Z"));
        assert_eq!(quarterly(&[late_night], d("2027-06-30"))[0].1.complaints_acknowledged_in_time, 1);
    }
}
