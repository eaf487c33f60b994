//! Alerts when a patient's record is looked at: the patient's choice (when to be told, and how)
//! and the rule deciding whether a look is one they asked to hear about. A message never says
//! who looked, from where or at what: only that there is something new in their access log,
//! and at most one a day (UK day).

use super::Contact;
use serde::{Deserialize, Serialize};

/// When the patient wants to be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertWhen {
    FirstLook,
    Emergency,
}

impl AlertWhen {
    pub const ALL: [AlertWhen; 2] = [AlertWhen::FirstLook, AlertWhen::Emergency];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertWhen::FirstLook => "first_look",
            AlertWhen::Emergency => "emergency",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == s)
    }

    /// The occasions as stored: one flag each.
    pub fn from_flags(first_look: bool, emergency: bool) -> Vec<AlertWhen> {
        [(first_look, AlertWhen::FirstLook), (emergency, AlertWhen::Emergency)].into_iter().filter(|(on, _)| *on).map(|(_, w)| w).collect()
    }

    pub fn label(self) -> &'static str {
        match self {
            AlertWhen::FirstLook => "When an organisation looks at my record for the first time",
            AlertWhen::Emergency => "When someone looks at my record in an emergency",
        }
    }

    pub fn hint(self) -> &'static str {
        match self {
            AlertWhen::FirstLook => "For example, a hospital or care service that has not looked at your record before.",
            AlertWhen::Emergency => "For example, in A&E, or when someone used emergency access to see it.",
        }
    }

    /// How it reads in a sentence: "… when {words}".
    pub fn in_words(self) -> &'static str {
        match self {
            AlertWhen::FirstLook => "an organisation looks at your record for the first time",
            AlertWhen::Emergency => "someone looks at your record in an emergency",
        }
    }
}

/// The patient's choice: at least one occasion, and an email address or a mobile number.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertChoice {
    pub when: Vec<AlertWhen>,
    pub contact: Contact,
}

impl std::fmt::Debug for AlertChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The address is personal data: never in a log line.
        f.debug_struct("AlertChoice").field("when", &self.when).field("method", &self.contact.method()).finish()
    }
}

/// Why the form's answers were not taken, by field (the NHS error summary's links).
pub type FieldErrors = Vec<(String, String)>;

impl AlertChoice {
    /// Reads the form's answers: the occasions ticked (`when`), the method (`contact`: email or
    /// text; never post, which would arrive days after the look) and the detail for it.
    pub fn read(when: &[String], method: &str, email: &str, mobile: &str) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut chosen: Vec<AlertWhen> = AlertWhen::ALL.iter().copied().filter(|w| when.iter().any(|v| v == w.as_str())).collect();
        chosen.dedup();
        if chosen.is_empty() || when.iter().any(|v| AlertWhen::parse(v).is_none()) {
            errors.push(("when".into(), "Select when you want to be told".into()));
        }
        let contact = match method {
            "email" | "text" => match Contact::parse(method, email, mobile, "") {
                Ok(c) => Some(c),
                Err(e) => {
                    errors.push((if method == "email" { "email" } else { "mobile" }.into(), e.to_string()));
                    None
                }
            },
            _ => {
                errors.push(("contact".into(), "Select email or text message".into()));
                None
            }
        };
        match contact {
            Some(contact) if errors.is_empty() => Ok(Self { when: chosen, contact }),
            _ => Err(errors),
        }
    }

    pub fn wants(&self, when: AlertWhen) -> bool {
        self.when.contains(&when)
    }

    /// The choice in a sentence, for Your choices: "By email to a•••@example.com when …".
    pub fn describe(&self) -> String {
        let how = match &self.contact {
            Contact::Email(_) => "By email to",
            Contact::Text(_) => "By text message to",
            Contact::Post(_) => "By post to",
        };
        let when: Vec<&str> = self.when.iter().map(|w| w.in_words()).collect();
        format!("{how} {} when {}.", self.contact.masked(), when.join(", or when "))
    }
}

/// A look as the alert rule reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// A system's automated read, not a person's look: never alerted.
    pub automated: bool,
    /// The look succeeded (outcome 0): a failed attempt showed them nothing, so is not alerted.
    pub succeeded: bool,
    pub emergency: bool,
    /// The looking organisation's first look at this patient (None: the event names no organisation).
    pub organisation_first: Option<bool>,
}

impl Look {
    /// A person looked and saw the record: the only looks an alert is ever about.
    pub fn counts(self) -> bool {
        !self.automated && self.succeeded
    }
}

/// Whether this look is one the patient asked to be told about, given when they asked to be
/// told (the daily limit is the store's).
pub fn wanted(when: &[AlertWhen], look: Look) -> bool {
    if !look.counts() {
        return false;
    }
    (look.emergency && when.contains(&AlertWhen::Emergency)) || (look.organisation_first == Some(true) && when.contains(&AlertWhen::FirstLook))
}

/// The reference an alert carries in its message (there is no case): where to look.
pub const ALERT_REFERENCE: &str = "ACCESS-LOG";

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn a_choice_needs_an_occasion_and_a_way_to_reach_them() {
        let c = AlertChoice::read(&s(&["first_look", "emergency"]), "email", " amira@example.com ", "").unwrap();
        assert_eq!(c.when, vec![AlertWhen::FirstLook, AlertWhen::Emergency]);
        assert_eq!(c.contact, Contact::Email("amira@example.com".into()));
        let c = AlertChoice::read(&s(&["emergency"]), "text", "", "+44 7700 900 982").unwrap();
        assert_eq!(c.contact, Contact::Text("07700900982".into()));

        let fields = |r: Result<AlertChoice, FieldErrors>| r.unwrap_err().into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(fields(AlertChoice::read(&[], "email", "a@b.co", "")), ["when"]);
        assert_eq!(fields(AlertChoice::read(&s(&["first_look", "sometimes"]), "email", "a@b.co", "")), ["when"], "an unknown occasion is refused");
        assert_eq!(fields(AlertChoice::read(&s(&["first_look"]), "", "", "")), ["contact"]);
        assert_eq!(fields(AlertChoice::read(&s(&["first_look"]), "post", "", "")), ["contact"], "post arrives too late to be an alert");
        assert_eq!(fields(AlertChoice::read(&s(&["first_look"]), "email", "not an email", "")), ["email"]);
        assert_eq!(fields(AlertChoice::read(&s(&["first_look"]), "text", "", "01632 960 001")), ["mobile"], "a landline cannot take a text");
        assert_eq!(fields(AlertChoice::read(&[], "text", "", "")), ["when", "mobile"]);
    }

    #[test]
    fn ticking_an_occasion_twice_counts_once() {
        let c = AlertChoice::read(&s(&["emergency", "emergency"]), "email", "a@b.co", "").unwrap();
        assert_eq!(c.when, vec![AlertWhen::Emergency]);
    }

    #[test]
    fn only_the_looks_asked_about_are_alerted() {
        let both = AlertChoice::read(&s(&["first_look", "emergency"]), "email", "a@b.co", "").unwrap();
        let first = AlertChoice::read(&s(&["first_look"]), "email", "a@b.co", "").unwrap();
        let emergency = AlertChoice::read(&s(&["emergency"]), "email", "a@b.co", "").unwrap();
        let look = |emergency, organisation_first| Look { automated: false, succeeded: true, emergency, organisation_first };
        assert!(wanted(&both.when, look(false, Some(true))));
        assert!(wanted(&both.when, look(true, Some(false))));
        assert!(!wanted(&both.when, look(false, Some(false))), "an organisation looking again, not in an emergency");
        assert!(!wanted(&both.when, look(false, None)), "no organisation named: not a first look");
        assert!(wanted(&first.when, look(false, Some(true))));
        assert!(!wanted(&first.when, look(true, Some(false))));
        assert!(wanted(&emergency.when, look(true, None)));
        assert!(!wanted(&emergency.when, look(false, Some(true))));
        assert!(!wanted(&both.when, Look { automated: true, succeeded: true, emergency: true, organisation_first: Some(true) }), "a system's own read is not a look");
        assert!(!wanted(&both.when, Look { automated: false, succeeded: false, emergency: true, organisation_first: Some(true) }), "a failed attempt showed nothing");
    }

    #[test]
    fn the_choice_reads_as_a_sentence_without_the_whole_address() {
        let c = AlertChoice::read(&s(&["first_look", "emergency"]), "email", "amira@example.com", "").unwrap();
        let words = c.describe();
        assert!(words.starts_with("By email to "), "{words}");
        assert!(!words.contains("amira@example.com"), "{words}");
        assert!(words.ends_with("for the first time, or when someone looks at your record in an emergency."), "{words}");
        assert!(!format!("{c:?}").contains("amira"));
    }
}
