//! What an area's shared care record contains: which kinds of information each member
//! organisation shares, and who can see them. Kept by the area's comms team and shown to
//! patients on Your choices, beside their own choices. Both lists are fixed vocabularies, so
//! that what a patient reads is the same words in every area.

use super::objection::FieldErrors;
use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal, $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $($variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn label(self) -> &'static str {
                match self {
                    $($name::$variant => $label),+
                }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.as_str() == s)
            }
        }
    };
}

vocabulary! {
    /// A kind of information an organisation shares through the record.
    InfoKind {
        Summary => "summary", "GP record summary (conditions, diagnoses and procedures)",
        Medicines => "medicines", "Medicines and allergies",
        Results => "results", "Test results",
        Letters => "letters", "Hospital letters and discharge summaries",
        Appointments => "appointments", "Appointments and referrals",
        CarePlans => "care_plans", "Care plans",
        MentalHealth => "mental_health", "Mental health care",
        SocialCare => "social_care", "Social care",
    }
}

vocabulary! {
    /// Who can see the information, when caring for the patient.
    SeenBy {
        Gps => "gps", "GPs and their practice teams",
        Hospitals => "hospitals", "Hospital doctors, nurses and other staff",
        Community => "community", "Community nurses and therapists",
        MentalHealth => "mental_health", "Mental health teams",
        SocialCare => "social_care", "Social workers and care staff",
        Urgent => "urgent", "Ambulance, NHS 111 and urgent care staff",
    }
}

/// One organisation's entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sharing {
    pub kinds: Vec<InfoKind>,
    pub seen_by: Vec<SeenBy>,
}

impl Sharing {
    /// Reads the ticked boxes: at least one of each, none unknown, each once, in the
    /// vocabulary's order.
    pub fn read(kinds: &[String], seen_by: &[String]) -> Result<Sharing, FieldErrors> {
        let mut errors = FieldErrors::new();
        let known_kinds: Vec<InfoKind> = InfoKind::ALL.iter().copied().filter(|k| kinds.iter().any(|s| s == k.as_str())).collect();
        if known_kinds.is_empty() || kinds.iter().any(|s| InfoKind::parse(s).is_none()) {
            errors.push(("kinds".into(), "Select the kinds of information this organisation shares".into()));
        }
        let known_viewers: Vec<SeenBy> = SeenBy::ALL.iter().copied().filter(|k| seen_by.iter().any(|s| s == k.as_str())).collect();
        if known_viewers.is_empty() || seen_by.iter().any(|s| SeenBy::parse(s).is_none()) {
            errors.push(("seen_by".into(), "Select who can see it".into()));
        }
        if errors.is_empty() {
            Ok(Sharing { kinds: known_kinds, seen_by: known_viewers })
        } else {
            Err(errors)
        }
    }

    pub fn kinds_in_words(&self) -> Vec<String> {
        self.kinds.iter().map(|k| k.label().to_string()).collect()
    }

    pub fn seen_by_in_words(&self) -> Vec<String> {
        self.seen_by.iter().map(|k| k.label().to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn ticked_boxes_read_in_the_vocabularys_order_once_each() {
        let read = Sharing::read(&s(&["results", "summary", "results"]), &s(&["urgent", "gps"])).unwrap();
        assert_eq!(read.kinds, vec![InfoKind::Summary, InfoKind::Results]);
        assert_eq!(read.seen_by, vec![SeenBy::Gps, SeenBy::Urgent]);
        assert_eq!(read.kinds_in_words()[0], "GP record summary (conditions, diagnoses and procedures)");
    }

    #[test]
    fn nothing_ticked_or_anything_unknown_is_refused() {
        let fields = |r: Result<Sharing, FieldErrors>| r.unwrap_err().into_iter().map(|e| e.0).collect::<Vec<_>>();
        assert_eq!(fields(Sharing::read(&[], &[])), vec!["kinds", "seen_by"]);
        assert_eq!(fields(Sharing::read(&s(&["summary", "</td><script>"]), &s(&["gps"]))), vec!["kinds"]);
        assert_eq!(fields(Sharing::read(&s(&["summary"]), &s(&["gps\u{0}"]))), vec!["seen_by"]);
    }

    #[test]
    fn every_word_reads_back() {
        for k in InfoKind::ALL {
            assert_eq!(InfoKind::parse(k.as_str()), Some(*k));
        }
        for k in SeenBy::ALL {
            assert_eq!(SeenBy::parse(k.as_str()), Some(*k));
        }
    }
}
