//! Information withheld from a response to a request for a copy. The case worker chooses the
//! item (a document added to the case, a look at the record, or a passage they have taken out
//! of a document), the exemption in the Data Protection Act 2018 it falls under, and a note for
//! the record. The patient is told that information was withheld and on which grounds, never
//! what it was; the case keeps what and why.

use super::cases::{FreeText, FreeTextError};
use super::objection::FieldErrors;
use serde::{Deserialize, Serialize};

/// The longest note, and the longest description of a passage.
pub const NOTE_MAX: usize = 1000;

/// The grounds, as the DPA 2018 schedules name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Exemption {
    ThirdParty,
    SeriousHarm,
    LegalPrivilege,
    CrimeTaxation,
    Other,
}

impl Exemption {
    pub const ALL: [Exemption; 5] = [Exemption::ThirdParty, Exemption::SeriousHarm, Exemption::LegalPrivilege, Exemption::CrimeTaxation, Exemption::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            Exemption::ThirdParty => "third_party",
            Exemption::SeriousHarm => "serious_harm",
            Exemption::LegalPrivilege => "legal_privilege",
            Exemption::CrimeTaxation => "crime_taxation",
            Exemption::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// What staff choose from.
    pub fn label(self) -> &'static str {
        match self {
            Exemption::ThirdParty => "Third-party information (DPA 2018 Schedule 2, paragraph 16)",
            Exemption::SeriousHarm => "Serious harm (DPA 2018 Schedule 3: only on an appropriate health professional's opinion; name them in the note)",
            Exemption::LegalPrivilege => "Legal professional privilege (Schedule 2, paragraph 19)",
            Exemption::CrimeTaxation => "Crime and taxation (Schedule 2, paragraph 2)",
            Exemption::Other => "Another exemption (say which in the note)",
        }
    }

    /// What the patient reads: the ground, never the information.
    pub fn for_patient(self) -> &'static str {
        match self {
            Exemption::ThirdParty => "Information about other people, which we decided not to share with you",
            Exemption::SeriousHarm => "Information that would be likely to cause serious harm to your physical or mental health, or someone else's",
            Exemption::LegalPrivilege => "Confidential legal advice (legal professional privilege)",
            Exemption::CrimeTaxation => "Information that could get in the way of preventing or detecting crime",
            Exemption::Other => "Information covered by another exemption in the Data Protection Act 2018",
        }
    }
}

/// What is withheld.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WithheldItem {
    /// A document added to the case: left out of the response.
    Document(i64),
    /// A look at the record: left out of the response's list.
    AccessEvent(i64),
    /// A passage the case worker took out of a document before adding it; where it was.
    Passage(String),
}

impl WithheldItem {
    /// As stored: `document:12`, `access:345`, `passage`.
    pub fn key(&self) -> String {
        match self {
            WithheldItem::Document(id) => format!("document:{id}"),
            WithheldItem::AccessEvent(id) => format!("access:{id}"),
            WithheldItem::Passage(_) => "passage".into(),
        }
    }
}

/// A withholding as the case worker chose it.
#[derive(Debug, Clone, PartialEq)]
pub struct Withholding {
    pub item: WithheldItem,
    pub exemption: Exemption,
    pub note: FreeText,
}

/// Reads the form against what can be withheld: the case's documents and the looks the
/// response would list.
pub fn read_withholding(fields: &[(String, String)], documents: &[i64], looks: &[i64]) -> Result<Withholding, FieldErrors> {
    let one = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str()).unwrap_or_default();
    let mut errors = FieldErrors::new();
    let number = |s: &str| s.bytes().all(|b| b.is_ascii_digit()).then(|| s.parse::<i64>().ok()).flatten();
    let item = match one("item").split_once(':') {
        Some(("document", id)) => number(id).filter(|id| documents.contains(id)).map(WithheldItem::Document),
        Some(("access", id)) => number(id).filter(|id| looks.contains(id)).map(WithheldItem::AccessEvent),
        None if one("item") == "passage" => match FreeText::parse(one("passage"), NOTE_MAX) {
            Ok(where_) => Some(WithheldItem::Passage(where_.as_str().to_string())),
            Err(_) => {
                errors.push(("passage".into(), "Say which document and which passage you took out, in up to 1,000 characters".into()));
                return Err(with_rest(errors, fields));
            }
        },
        _ => None,
    };
    if item.is_none() {
        errors.push(("item".into(), "Choose what to withhold".into()));
    }
    let errors = with_rest(errors, fields);
    let exemption = Exemption::parse(one("exemption"));
    let note = FreeText::parse(one("note"), NOTE_MAX);
    match (item, exemption, note) {
        (Some(item), Some(exemption), Ok(note)) if errors.is_empty() => Ok(Withholding { item, exemption, note }),
        _ => Err(errors),
    }
}

/// The other questions' errors, after the item's.
fn with_rest(mut errors: FieldErrors, fields: &[(String, String)]) -> FieldErrors {
    let one = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.as_str()).unwrap_or_default();
    if Exemption::parse(one("exemption")).is_none() {
        errors.push(("exemption".into(), "Choose the exemption it falls under".into()));
    }
    match FreeText::parse(one("note"), NOTE_MAX) {
        Ok(_) => {}
        Err(FreeTextError::Empty) => errors.push(("note".into(), "Say why, for the record".into())),
        Err(FreeTextError::TooLong { .. }) => errors.push(("note".into(), "The note must be 1,000 characters or fewer".into())),
    }
    errors
}

/// The grounds the patient is told of, once each, in a steady order.
pub fn grounds(exemptions: impl IntoIterator<Item = Exemption>) -> Vec<Exemption> {
    let mut all: Vec<Exemption> = exemptions.into_iter().collect();
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn a_document_or_a_look_of_this_response_can_be_withheld_with_a_ground_and_a_note() {
        let w = read_withholding(&f(&[("item", "document:7"), ("exemption", "third_party"), ("note", "Names a neighbour.")]), &[7], &[]).unwrap();
        assert_eq!((w.item, w.exemption), (WithheldItem::Document(7), Exemption::ThirdParty));
        let w = read_withholding(&f(&[("item", "access:42"), ("exemption", "serious_harm"), ("note", "Safeguarding team.")]), &[], &[42]).unwrap();
        assert_eq!(w.item.key(), "access:42");
        let w = read_withholding(&f(&[("item", "passage"), ("passage", "Letter of 3 May, paragraph 2"), ("exemption", "legal_privilege"), ("note", "Advice.")]), &[], &[]).unwrap();
        assert_eq!(w.item, WithheldItem::Passage("Letter of 3 May, paragraph 2".into()));
    }

    #[test]
    fn anything_not_in_this_response_or_missing_is_refused_field_by_field() {
        let fields = |r: Result<Withholding, FieldErrors>| r.unwrap_err().into_iter().map(|e| e.0).collect::<Vec<_>>();
        assert_eq!(fields(read_withholding(&f(&[]), &[1], &[2])), vec!["item", "exemption", "note"]);
        for item in ["document:8", "access:3", "document:x", "document:-1", "document:+1", "other:1", "document:1\u{0}"] {
            let got = fields(read_withholding(&f(&[("item", item), ("exemption", "other"), ("note", "n")]), &[1], &[2]));
            assert_eq!(got, vec!["item"], "{item}");
        }
        assert_eq!(fields(read_withholding(&f(&[("item", "passage"), ("exemption", "other"), ("note", "n")]), &[], &[])), vec!["passage"]);
        assert_eq!(fields(read_withholding(&f(&[("item", "document:1"), ("exemption", "nonsense"), ("note", "n")]), &[1], &[])), vec!["exemption"]);
        assert_eq!(fields(read_withholding(&f(&[("item", "document:1"), ("exemption", "other"), ("note", &"x".repeat(1001))]), &[1], &[])), vec!["note"]);
    }

    #[test]
    fn the_patient_is_told_each_ground_once() {
        let g = grounds([Exemption::Other, Exemption::ThirdParty, Exemption::ThirdParty]);
        assert_eq!(g, vec![Exemption::ThirdParty, Exemption::Other]);
        for e in Exemption::ALL {
            assert_eq!(Exemption::parse(e.as_str()), Some(e));
            assert!(!e.for_patient().is_empty());
        }
    }
}
