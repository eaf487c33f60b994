//! Privacy monitoring: the rules that flag an access for an IG lead to review, each with its
//! explanation in plain English, the settings an area's IG lead tunes, and the outcomes of a
//! review. Pure: the store gathers the facts about an access, `evaluate` says which rules it
//! meets.

use super::{uk_time, BankHolidays};
use chrono::{DateTime, Datelike, NaiveTime, Timelike, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// Why an access was flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Emergency,
    WatchList,
    AfterObjection,
    OutOfHours,
    Volume,
    FirstAccess,
    Repeated,
    /// The patient raised a concern about this access.
    PatientConcern,
}

impl Rule {
    /// The rules the portal runs over arriving events (a patient's concern is raised by them).
    pub const AUTOMATIC: [Rule; 7] = [Rule::Emergency, Rule::WatchList, Rule::AfterObjection, Rule::OutOfHours, Rule::Volume, Rule::FirstAccess, Rule::Repeated];
    pub const ALL: [Rule; 8] = [Rule::Emergency, Rule::WatchList, Rule::AfterObjection, Rule::OutOfHours, Rule::Volume, Rule::FirstAccess, Rule::Repeated, Rule::PatientConcern];

    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Emergency => "emergency",
            Rule::WatchList => "watch_list",
            Rule::AfterObjection => "after_objection",
            Rule::OutOfHours => "out_of_hours",
            Rule::Volume => "volume",
            Rule::FirstAccess => "first_access",
            Rule::Repeated => "repeated",
            Rule::PatientConcern => "patient_concern",
        }
    }

    pub fn parse(s: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Its name, as a tag in the queue.
    pub fn title(self) -> &'static str {
        match self {
            Rule::Emergency => "Emergency access",
            Rule::WatchList => "Watch-listed record",
            Rule::AfterObjection => "After an upheld objection",
            Rule::OutOfHours => "Out of hours",
            Rule::Volume => "Many patients in a day",
            Rule::FirstAccess => "First access by the organisation",
            Rule::Repeated => "Same patient on several days",
            Rule::PatientConcern => "Patient raised a concern",
        }
    }

    /// What the rule looks for and why it matters, with the area's settings in it.
    pub fn explanation(self, s: &MonitoringSettings) -> String {
        match self {
            Rule::Emergency => "The access was for emergency treatment, or used emergency (break-glass) access, which lets the person see the record without the usual checks. Every emergency access is reviewed, to confirm there was an emergency.".into(),
            Rule::WatchList => "The record is on this area's watch list (for example a member of staff or a public figure), so every access to it is reviewed.".into(),
            Rule::AfterObjection => "The patient's objection was upheld and this organisation had confirmed it stopped sharing their record before this access. The organisation should no longer be seeing it through the shared care record.".into(),
            Rule::OutOfHours => format!(
                "The access was outside the area's working hours ({} to {}, Monday to Friday, UK time, not on bank holidays). Out-of-hours care is common; this asks whether the person was on duty.",
                clock_words(s.working_hours_start),
                clock_words(s.working_hours_end)
            ),
            Rule::Volume => format!(
                "The person opened the records of more than {} different patients in one day, more than this area expects of one person. It can mean browsing, or a shared login.",
                s.volume_threshold
            ),
            Rule::FirstAccess => "The organisation had never looked at this patient's record before, and it was not an emergency. Usually this is a new referral; sometimes it is someone looking where they have no reason to.".into(),
            Rule::Repeated => format!(
                "The person opened this patient's record on {} or more different days within {} days, and never for direct care or in an emergency. Repeated looks with no care reason are a common sign of curiosity about someone they know.",
                s.repeated_days, s.repeated_window_days
            ),
            Rule::PatientConcern => "The patient told us they do not recognise this access. They are waiting for the outcome.".into(),
        }
    }
}

impl Rule {
    /// Its name in a pack sent outside the area: the watch list is the area's alone.
    pub fn shared_title(self) -> &'static str {
        match self {
            Rule::WatchList => "Record under extra review",
            r => r.title(),
        }
    }

    /// Its explanation in a pack sent outside the area (never why a record is watched).
    pub fn shared_explanation(self, explanation: &str) -> String {
        match self {
            Rule::WatchList => "Every access to this record is reviewed.".into(),
            _ => explanation.to_string(),
        }
    }
}

/// "8am", "6:30pm".
pub fn clock_words(t: NaiveTime) -> String {
    let (pm, h) = t.hour12();
    let suffix = if pm { "pm" } else { "am" };
    if t.minute() == 0 { format!("{h}{suffix}") } else { format!("{h}:{:02}{suffix}", t.minute()) }
}

/// What an area's IG lead has chosen: which rules run, and their limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MonitoringSettings {
    /// Rules switched off (every rule runs unless listed).
    pub off: Vec<Rule>,
    pub working_hours_start: NaiveTime,
    pub working_hours_end: NaiveTime,
    /// More different patients than this in one UK day by one person raises an alert.
    pub volume_threshold: u32,
    /// This many different UK days…
    pub repeated_days: u32,
    /// …within this many days.
    pub repeated_window_days: u32,
    /// Days the area aims to review an alert in (its figures count reviews within it).
    pub review_target_days: u32,
}

impl Default for MonitoringSettings {
    fn default() -> Self {
        MonitoringSettings {
            off: Vec::new(),
            working_hours_start: NaiveTime::from_hms_opt(8, 0, 0).unwrap_or_default(),
            working_hours_end: NaiveTime::from_hms_opt(18, 30, 0).unwrap_or_default(),
            volume_threshold: 50,
            repeated_days: 3,
            repeated_window_days: 30,
            review_target_days: 10,
        }
    }
}

/// Why settings from a form could not be used: the field and the message.
pub type SettingsError = (&'static str, String);

impl MonitoringSettings {
    pub fn is_on(&self, rule: Rule) -> bool {
        !self.off.contains(&rule)
    }

    /// Settings from the IG lead's form: the rules ticked and the limits typed.
    pub fn from_form(on: &[String], start: &str, end: &str, volume: &str, days: &str, window: &str, target: &str) -> Result<MonitoringSettings, Vec<SettingsError>> {
        let mut errors = Vec::new();
        let time = |field: &'static str, v: &str, errors: &mut Vec<SettingsError>| {
            NaiveTime::parse_from_str(v.trim(), "%H:%M").map_err(|_| errors.push((field, "Enter a time like 08:00 or 18:30, in the 24-hour clock".into()))).ok()
        };
        let number = |field: &'static str, v: &str, range: std::ops::RangeInclusive<u32>, what: &str, errors: &mut Vec<SettingsError>| {
            v.trim()
                .parse::<u32>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or_else(|| errors.push((field, format!("Enter {what} as a whole number from {} to {}", range.start(), range.end()))))
                .ok()
        };
        let start = time("start", start, &mut errors);
        let end = time("end", end, &mut errors);
        if let (Some(s), Some(e)) = (start, end) {
            if s >= e {
                errors.push(("end", "The end of working hours must be after the start".into()));
            }
        }
        let volume = number("volume", volume, 1..=10_000, "the number of patients", &mut errors);
        let days = number("days", days, 2..=60, "the number of days", &mut errors);
        let window = number("window", window, 2..=366, "the period in days", &mut errors);
        if let (Some(d), Some(w)) = (days, window) {
            if d > w {
                errors.push(("window", "The period must be at least as many days as the number of days".into()));
            }
        }
        let target = number("target", target, 1..=90, "the days to review an alert in", &mut errors);
        match (start, end, volume, days, window, target, errors.is_empty()) {
            (Some(s), Some(e), Some(v), Some(d), Some(w), Some(t), true) => Ok(MonitoringSettings {
                off: Rule::AUTOMATIC.into_iter().filter(|r| !on.iter().any(|o| o == r.as_str())).collect(),
                working_hours_start: s,
                working_hours_end: e,
                volume_threshold: v,
                repeated_days: d,
                repeated_window_days: w,
                review_target_days: t,
            }),
            _ => Err(errors),
        }
    }
}

/// The purposes of use that are direct care or an emergency (HL7 v3 PurposeOfUse, and break
/// glass): an access for one of these is not "no care reason".
pub fn is_care_purpose(purpose: &str) -> bool {
    matches!(purpose, "TREAT" | "ETREAT" | "BTG" | "COC" | "CAREMGT" | "PATRQT")
}

/// Whether any of the stored purposes (one per line) is an emergency.
pub fn is_emergency(emergency_flag: bool, purposes: &str) -> bool {
    emergency_flag || purposes.lines().any(|p| matches!(p.trim(), "ETREAT" | "BTG"))
}

/// What the store knows about one access when it is checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub recorded_at: DateTime<Utc>,
    pub emergency: bool,
    /// An automated check by a system: not a person looking, so no rule applies.
    pub automated: bool,
    pub watch_listed: bool,
    /// The organisation had confirmed it stopped sharing after the patient's upheld objection,
    /// before this access.
    pub objection_in_effect: bool,
    /// The organisation (when the event names one) had looked at this patient before.
    pub organisation_seen_before: Option<bool>,
    /// Different patients this person opened on the UK day of the access, this one included.
    pub patients_that_day: u32,
    /// Different UK days this person opened this patient within the area's window, this one
    /// included, and whether any of those looks was for care or in an emergency.
    pub days_with_patient: u32,
    pub any_care_purpose: bool,
    /// Sent more than [`LATE_DAYS`] after it happened (a system sending its history): the
    /// rules about patterns and hours would flag old, ordinary work, so only the rules about
    /// the access itself apply.
    pub late: bool,
}

/// Days after which an arriving event counts as history sent late.
pub const LATE_DAYS: i64 = 7;

/// Whether an instant falls outside the area's working hours: before the start or from the
/// end, UK time, or on a Saturday, Sunday or bank holiday.
pub fn out_of_hours(at: DateTime<Utc>, s: &MonitoringSettings, holidays: &BankHolidays) -> bool {
    let local = uk_time(at);
    let day = local.date();
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun) || holidays.contains(day) || local.time() < s.working_hours_start || local.time() >= s.working_hours_end
}

/// The rules an access meets under the area's settings.
pub fn evaluate(f: &Facts, s: &MonitoringSettings, holidays: &BankHolidays) -> Vec<Rule> {
    if f.automated {
        return Vec::new();
    }
    let mut hits = Vec::new();
    let mut hit = |rule: Rule, yes: bool| {
        if yes && s.is_on(rule) {
            hits.push(rule);
        }
    };
    hit(Rule::Emergency, f.emergency);
    hit(Rule::WatchList, f.watch_listed);
    hit(Rule::AfterObjection, f.objection_in_effect);
    if f.late {
        return hits;
    }
    hit(Rule::OutOfHours, out_of_hours(f.recorded_at, s, holidays));
    // Only the access that goes over the limit: one alert a day, not one per patient after it.
    hit(Rule::Volume, f.patients_that_day == s.volume_threshold + 1);
    hit(Rule::FirstAccess, f.organisation_seen_before == Some(false) && !f.emergency);
    // Likewise the look that reaches the number of days.
    hit(Rule::Repeated, f.days_with_patient == s.repeated_days && !f.any_care_purpose && !f.emergency);
    hits
}

/// What the IG lead decided about an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertStatus {
    Open,
    Appropriate,
    NeedsInformation,
    Inappropriate,
    Referred,
}

impl AlertStatus {
    pub const DECISIONS: [AlertStatus; 4] = [AlertStatus::Appropriate, AlertStatus::NeedsInformation, AlertStatus::Inappropriate, AlertStatus::Referred];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertStatus::Open => "open",
            AlertStatus::Appropriate => "appropriate",
            AlertStatus::NeedsInformation => "needs_information",
            AlertStatus::Inappropriate => "inappropriate",
            AlertStatus::Referred => "referred",
        }
    }

    pub fn parse(s: &str) -> Option<AlertStatus> {
        [AlertStatus::Open, AlertStatus::Appropriate, AlertStatus::NeedsInformation, AlertStatus::Inappropriate, AlertStatus::Referred]
            .into_iter()
            .find(|a| a.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            AlertStatus::Open => "Not reviewed",
            AlertStatus::Appropriate => "Appropriate",
            AlertStatus::NeedsInformation => "Needs information",
            AlertStatus::Inappropriate => "Inappropriate",
            AlertStatus::Referred => "Referred to the employing organisation",
        }
    }

    /// Whether the alert still waits for a final answer (open, or waiting for information).
    pub fn is_open(self) -> bool {
        matches!(self, AlertStatus::Open | AlertStatus::NeedsInformation)
    }

    /// A reason is needed to close an alert as appropriate or inappropriate, or to ask for
    /// information (what is needed, from whom).
    pub fn needs_reason(self) -> bool {
        !matches!(self, AlertStatus::Open | AlertStatus::Referred)
    }
}

/// What the employing organisation found when it looked into a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralOutcome {
    /// The access was inappropriate: the organisation has acted under its own procedures.
    Confirmed,
    /// The access was appropriate after all.
    NotConfirmed,
    /// The organisation could not establish either way.
    Inconclusive,
}

impl ReferralOutcome {
    pub const ALL: [ReferralOutcome; 3] = [ReferralOutcome::Confirmed, ReferralOutcome::NotConfirmed, ReferralOutcome::Inconclusive];

    pub fn as_str(self) -> &'static str {
        match self {
            ReferralOutcome::Confirmed => "confirmed",
            ReferralOutcome::NotConfirmed => "not_confirmed",
            ReferralOutcome::Inconclusive => "inconclusive",
        }
    }

    pub fn parse(s: &str) -> Option<ReferralOutcome> {
        ReferralOutcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ReferralOutcome::Confirmed => "Inappropriate access confirmed",
            ReferralOutcome::NotConfirmed => "The access was appropriate",
            ReferralOutcome::Inconclusive => "Could not be established",
        }
    }

    /// Where the referred alerts end up.
    pub fn alert_status(self) -> AlertStatus {
        match self {
            ReferralOutcome::Confirmed => AlertStatus::Inappropriate,
            ReferralOutcome::NotConfirmed => AlertStatus::Appropriate,
            ReferralOutcome::Inconclusive => AlertStatus::Referred,
        }
    }

    /// What a patient who raised a concern is told, as the heading of the answer to it.
    pub fn concern_finding(self) -> super::casework::ConcernFinding {
        match self {
            ReferralOutcome::Confirmed => super::casework::ConcernFinding::Upheld,
            ReferralOutcome::NotConfirmed => super::casework::ConcernFinding::Investigated,
            ReferralOutcome::Inconclusive => super::casework::ConcernFinding::Inconclusive,
        }
    }
}

/// Working days an employing organisation has to reply to a referral, unless the IG lead
/// chooses otherwise (a month, as for the patient's own requests).
pub const REFERRAL_WORKING_DAYS: u32 = 20;

/// The IG lead's reason for a review: trimmed, 1 to `max` characters, lines allowed, and no
/// control or bidirectional characters that would make it read differently from what it is.
pub fn parse_reason(input: &str, max: usize) -> Result<String, &'static str> {
    let text = input.replace("\r\n", "\n").trim().to_string();
    if text.is_empty() {
        return Err("Enter the reason for your decision");
    }
    if text.chars().any(|c| c != '\n' && c != '\t' && super::names::is_hidden_control(c)) {
        return Err("The reason has characters that change how text is shown: type it again without them");
    }
    if super::count_characters(&text) > max {
        return Err("The reason is too long");
    }
    Ok(text)
}

/// Who looked, as the queue groups them: the sender's identifier for the person when it gave
/// one, otherwise their name at their organisation.
pub fn person_key(agent_id: Option<&str>, agent_name: &str, org_ods: Option<&str>) -> String {
    match agent_id.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) => format!("id:{id}"),
        None => format!("name:{}@{}", agent_name.trim(), org_ods.unwrap_or("")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn facts(recorded_at: &str) -> Facts {
        Facts {
            recorded_at: at(recorded_at),
            emergency: false,
            automated: false,
            watch_listed: false,
            objection_in_effect: false,
            organisation_seen_before: Some(true),
            patients_that_day: 1,
            days_with_patient: 1,
            any_care_purpose: true,
            late: false,
        }
    }

    #[test]
    fn history_sent_late_meets_only_the_rules_about_the_access_itself() {
        let late = Facts { late: true, organisation_seen_before: Some(false), emergency: true, watch_listed: true, ..facts("2026-01-17T03:00:00Z") };
        assert_eq!(rules(&late), vec![Rule::Emergency, Rule::WatchList]);
    }

    fn rules(f: &Facts) -> Vec<Rule> {
        evaluate(f, &MonitoringSettings::default(), &BankHolidays::england_and_wales_2024_to_2028())
    }

    // A Wednesday in winter (GMT), at 10am.
    const ORDINARY: &str = "2026-01-14T10:00:00Z";

    #[test]
    fn an_ordinary_look_in_hours_meets_no_rule() {
        assert!(rules(&facts(ORDINARY)).is_empty());
    }

    #[test]
    fn an_emergency_is_always_flagged_and_never_as_a_first_access() {
        let f = Facts { emergency: true, organisation_seen_before: Some(false), ..facts(ORDINARY) };
        assert_eq!(rules(&f), vec![Rule::Emergency]);
        assert!(is_emergency(false, "TREAT\nBTG"));
        assert!(!is_emergency(false, "TREAT"));
    }

    #[test]
    fn automated_checks_meet_no_rule() {
        let f = Facts { automated: true, emergency: true, watch_listed: true, ..facts("2026-01-17T03:00:00Z") };
        assert!(rules(&f).is_empty());
    }

    #[test]
    fn watch_list_and_objection_rules() {
        assert_eq!(rules(&Facts { watch_listed: true, ..facts(ORDINARY) }), vec![Rule::WatchList]);
        assert_eq!(rules(&Facts { objection_in_effect: true, ..facts(ORDINARY) }), vec![Rule::AfterObjection]);
    }

    #[test]
    fn out_of_hours_goes_by_uk_time_through_the_clock_changes() {
        let s = MonitoringSettings::default();
        let h = BankHolidays::england_and_wales_2024_to_2028();
        // Winter: 07:59 UTC is 07:59 GMT, before 8am; 08:00 is in hours.
        assert!(out_of_hours(at("2026-01-14T07:59:00Z"), &s, &h));
        assert!(!out_of_hours(at("2026-01-14T08:00:00Z"), &s, &h));
        // Summer: 07:30 UTC is 08:30 BST, in hours; 17:30 UTC is 18:30 BST, out of hours.
        assert!(!out_of_hours(at("2026-07-15T07:30:00Z"), &s, &h));
        assert!(out_of_hours(at("2026-07-15T17:30:00Z"), &s, &h));
        assert!(!out_of_hours(at("2026-07-15T17:29:00Z"), &s, &h));
        // The Monday after the clocks go forward (29 March 2026): 07:30 UTC is 08:30 BST.
        assert!(!out_of_hours(at("2026-03-30T07:30:00Z"), &s, &h));
        // The Friday before: 07:30 UTC is 07:30 GMT, before hours.
        assert!(out_of_hours(at("2026-03-27T07:30:00Z"), &s, &h));
        // The Monday after they go back (25 October 2026): 18:00 UTC is 18:00 GMT, in hours.
        assert!(!out_of_hours(at("2026-10-26T18:00:00Z"), &s, &h));
        // The Friday before: 18:00 UTC is 19:00 BST, out of hours.
        assert!(out_of_hours(at("2026-10-23T18:00:00Z"), &s, &h));
        // Weekends and bank holidays are out of hours all day.
        assert!(out_of_hours(at("2026-01-17T12:00:00Z"), &s, &h), "a Saturday");
        assert!(out_of_hours(at("2026-12-25T12:00:00Z"), &s, &h), "Christmas Day");
        assert!(out_of_hours(at("2026-12-28T12:00:00Z"), &s, &h), "the Boxing Day substitute");
        assert!(!out_of_hours(at("2026-12-29T12:00:00Z"), &s, &h));
        // 23:30 UTC on a Sunday in summer is 00:30 BST on Monday: still out of hours.
        assert!(out_of_hours(at("2026-07-19T23:30:00Z"), &s, &h));
        // With the rule off, nothing.
        let off = MonitoringSettings { off: vec![Rule::OutOfHours], ..MonitoringSettings::default() };
        assert!(evaluate(&facts("2026-01-17T12:00:00Z"), &off, &h).is_empty());
    }

    #[test]
    fn volume_flags_the_look_that_goes_over_the_limit_once() {
        let s = MonitoringSettings::default();
        assert!(rules(&Facts { patients_that_day: s.volume_threshold, ..facts(ORDINARY) }).is_empty());
        assert_eq!(rules(&Facts { patients_that_day: s.volume_threshold + 1, ..facts(ORDINARY) }), vec![Rule::Volume]);
        assert!(rules(&Facts { patients_that_day: s.volume_threshold + 2, ..facts(ORDINARY) }).is_empty(), "one alert a day, not one per patient");
    }

    #[test]
    fn first_access_and_repeated_looks() {
        assert_eq!(rules(&Facts { organisation_seen_before: Some(false), ..facts(ORDINARY) }), vec![Rule::FirstAccess]);
        assert!(rules(&Facts { organisation_seen_before: None, ..facts(ORDINARY) }).is_empty(), "no organisation named, nothing to compare");
        let s = MonitoringSettings::default();
        let again = Facts { days_with_patient: s.repeated_days, any_care_purpose: false, ..facts(ORDINARY) };
        assert_eq!(rules(&again), vec![Rule::Repeated]);
        assert!(rules(&Facts { any_care_purpose: true, ..again.clone() }).is_empty(), "looks for care are not curiosity");
        assert!(rules(&Facts { days_with_patient: s.repeated_days - 1, ..again.clone() }).is_empty());
    }

    #[test]
    fn settings_from_the_form_are_checked() {
        let ok = MonitoringSettings::from_form(&["emergency".into(), "volume".into()], "07:30", "19:00", "80", "4", "14", "5").unwrap();
        assert!(ok.is_on(Rule::Emergency) && ok.is_on(Rule::Volume) && !ok.is_on(Rule::OutOfHours));
        assert_eq!((ok.volume_threshold, ok.repeated_days, ok.repeated_window_days, ok.review_target_days), (80, 4, 14, 5));
        let errors = MonitoringSettings::from_form(&[], "19:00", "07:00", "0", "40", "10", "x").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.0).collect();
        assert_eq!(fields, ["end", "volume", "window", "target"]);
        assert!(MonitoringSettings::from_form(&[], "8am", "18:00", "5", "2", "3", "5").is_err());
    }

    #[test]
    fn every_rule_explains_itself_with_the_areas_numbers() {
        let s = MonitoringSettings { volume_threshold: 75, ..MonitoringSettings::default() };
        assert!(Rule::Volume.explanation(&s).contains("more than 75 different patients"));
        assert!(Rule::OutOfHours.explanation(&s).contains("8am to 6:30pm"));
        for r in Rule::ALL {
            assert_eq!(Rule::parse(r.as_str()), Some(r));
            assert!(r.explanation(&s).len() > 40);
        }
    }

    #[test]
    fn reasons_are_plain_text() {
        assert_eq!(parse_reason("  On duty in A&E\r\nsee rota ", 100), Ok("On duty in A&E\nsee rota".to_string()));
        assert!(parse_reason("   ", 100).is_err());
        assert!(parse_reason("nul\0", 100).is_err());
        assert!(parse_reason("a\u{202E}b", 100).is_err());
        assert!(parse_reason(&"x".repeat(101), 100).is_err());
    }

    #[test]
    fn people_are_grouped_by_their_identifier_or_their_name_at_their_organisation() {
        assert_eq!(person_key(Some("555123"), "Dr A", Some("RX1")), "id:555123");
        assert_eq!(person_key(None, "Dr A", Some("RX1")), "name:Dr A@RX1");
        assert_eq!(person_key(Some(" "), "Dr A", None), "name:Dr A@");
    }
}
