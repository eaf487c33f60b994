//! An objection to being in the shared care record: what it covers, why, and how to reply.
//! Parsed from the form's answers in one place, so the check-your-answers page, the stored case
//! and the case worker all see the same thing.

use super::cases::{Contact, FreeText, FreeTextError};
use super::OdsCode;
use serde::{Deserialize, Serialize};

/// The longest reason a patient can give, in characters as a person counts them.
pub const REASON_MAX: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataCategory {
    MentalHealth,
    SexualHealth,
    SocialCare,
    SubstanceMisuse,
    Maternity,
}

impl DataCategory {
    pub const ALL: [DataCategory; 5] = [
        DataCategory::MentalHealth,
        DataCategory::SexualHealth,
        DataCategory::SocialCare,
        DataCategory::SubstanceMisuse,
        DataCategory::Maternity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DataCategory::MentalHealth => "mental_health",
            DataCategory::SexualHealth => "sexual_health",
            DataCategory::SocialCare => "social_care",
            DataCategory::SubstanceMisuse => "substance_misuse",
            DataCategory::Maternity => "maternity",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            DataCategory::MentalHealth => "Mental health",
            DataCategory::SexualHealth => "Sexual health",
            DataCategory::SocialCare => "Social care",
            DataCategory::SubstanceMisuse => "Drug and alcohol services",
            DataCategory::Maternity => "Pregnancy and maternity",
        }
    }
}

/// What the objection covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", content = "items", rename_all = "snake_case")]
pub enum ObjectionScope {
    WholeRecord,
    /// Named member organisations: (ODS code, name).
    Organisations(Vec<(OdsCode, String)>),
    Categories(Vec<DataCategory>),
}

impl ObjectionScope {
    pub fn describe(&self) -> String {
        match self {
            ObjectionScope::WholeRecord => "All of my information in the shared care record".into(),
            ObjectionScope::Organisations(orgs) => format!(
                "Information from: {}",
                orgs.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>().join(", ")
            ),
            ObjectionScope::Categories(cats) => format!(
                "Information about: {}",
                cats.iter().map(|c| c.label().to_lowercase()).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// An objection ready to be lodged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Objection {
    pub scope: ObjectionScope,
    pub reason: FreeText,
    pub contact: Contact,
}

/// The form exactly as the patient filled it in: kept between steps so nothing they typed is lost.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectionAnswers {
    pub scope: String,
    pub organisations: Vec<String>,
    pub categories: Vec<String>,
    pub reason: String,
    pub contact: String,
    pub email: String,
    pub mobile: String,
    pub address: String,
}

/// A problem with one field: its id (the error summary links to it) and the message.
pub type FieldErrors = Vec<(String, String)>;

impl ObjectionAnswers {
    /// Reads the answers out of a posted form's fields.
    pub fn from_fields(fields: &[(String, String)]) -> Self {
        let one = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()).unwrap_or_default();
        let all = |k: &str| fields.iter().filter(|(f, _)| f == k).map(|(_, v)| v.clone()).collect();
        Self {
            scope: one("scope"),
            organisations: all("organisations"),
            categories: all("categories"),
            reason: one("reason"),
            contact: one("contact"),
            email: one("email"),
            mobile: one("mobile"),
            address: one("address"),
        }
    }

    /// Parses the answers against the area's member organisations.
    pub fn parse(&self, area_organisations: &[(OdsCode, String)]) -> Result<Objection, FieldErrors> {
        let mut errors: FieldErrors = Vec::new();
        let scope = match self.scope.as_str() {
            "whole" => Some(ObjectionScope::WholeRecord),
            "organisations" => {
                let picked: Vec<(OdsCode, String)> = area_organisations
                    .iter()
                    .filter(|(code, _)| self.organisations.iter().any(|o| o == code.as_str()))
                    .cloned()
                    .collect();
                let unknown = self.organisations.iter().any(|o| !area_organisations.iter().any(|(c, _)| c.as_str() == o));
                if picked.is_empty() || unknown {
                    errors.push(("organisations".into(), "Select the organisations your objection is about".into()));
                    None
                } else {
                    Some(ObjectionScope::Organisations(picked))
                }
            }
            "categories" => {
                let picked: Vec<DataCategory> = DataCategory::ALL
                    .into_iter()
                    .filter(|c| self.categories.iter().any(|s| s == c.as_str()))
                    .collect();
                if picked.is_empty() || picked.len() != self.categories.len() {
                    errors.push(("categories".into(), "Select the kinds of information your objection is about".into()));
                    None
                } else {
                    Some(ObjectionScope::Categories(picked))
                }
            }
            _ => {
                errors.push(("scope".into(), "Select what your objection is about".into()));
                None
            }
        };
        let reason = match FreeText::parse(&self.reason, REASON_MAX) {
            Ok(r) => Some(r),
            Err(FreeTextError::Empty) => {
                errors.push(("reason".into(), "Enter why you are objecting".into()));
                None
            }
            Err(FreeTextError::TooLong { max, .. }) => {
                errors.push(("reason".into(), format!("Your reason must be {max} characters or fewer")));
                None
            }
        };
        let contact = contact_from(&self.contact, &self.email, &self.mobile, &self.address, &mut errors);
        match (scope, reason, contact) {
            (Some(scope), Some(reason), Some(contact)) if errors.is_empty() => Ok(Objection { scope, reason, contact }),
            _ => Err(errors),
        }
    }
}

/// The contact question is the same on every form; its errors point at the field to fix.
pub(crate) fn contact_from(method: &str, email: &str, mobile: &str, address: &str, errors: &mut FieldErrors) -> Option<Contact> {
    use super::cases::ContactError;
    match Contact::parse(method, email, mobile, address) {
        Ok(c) => Some(c),
        Err(e) => {
            let field = match e {
                ContactError::NoMethod => "contact",
                ContactError::Email => "email",
                ContactError::Mobile => "mobile",
                ContactError::Address => "address",
            };
            errors.push((field.into(), e.to_string()));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn orgs() -> Vec<(OdsCode, String)> {
        vec![
            (OdsCode::parse("RR8").unwrap(), "Leeds Teaching Hospitals".into()),
            (OdsCode::parse("RGD").unwrap(), "Leeds and York Partnership".into()),
        ]
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn a_complete_form_parses() {
        let a = ObjectionAnswers::from_fields(&fields(&[
            ("scope", "organisations"),
            ("organisations", "RR8"),
            ("reason", "I was treated there and want it private"),
            ("contact", "email"),
            ("email", "pat@example.com"),
        ]));
        let o = a.parse(&orgs()).unwrap();
        assert_eq!(o.scope, ObjectionScope::Organisations(vec![orgs()[0].clone()]));
        assert_eq!(o.contact, Contact::Email("pat@example.com".into()));
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let a = ObjectionAnswers::from_fields(&fields(&[("contact", "text"), ("mobile", "123")]));
        let e = a.parse(&orgs()).unwrap_err();
        let ids: Vec<&str> = e.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(ids, vec!["scope", "reason", "mobile"]);
    }

    #[test]
    fn organisations_must_be_the_areas_own() {
        let a = ObjectionAnswers::from_fields(&fields(&[
            ("scope", "organisations"),
            ("organisations", "RR8"),
            ("organisations", "X99"),
            ("reason", "r"),
            ("contact", "post"),
            ("address", "1 Road\nTown AB1 2CD"),
        ]));
        assert_eq!(a.parse(&orgs()).unwrap_err()[0].0, "organisations");
    }

    #[test]
    fn the_reason_limit_counts_characters_not_bytes() {
        let mut a = ObjectionAnswers::from_fields(&fields(&[("scope", "whole"), ("contact", "email"), ("email", "a@b.co")]));
        a.reason = "é".repeat(REASON_MAX);
        assert!(a.parse(&orgs()).is_ok());
        a.reason.push('x');
        assert_eq!(a.parse(&orgs()).unwrap_err()[0], ("reason".into(), "Your reason must be 2000 characters or fewer".into()));
    }
}
