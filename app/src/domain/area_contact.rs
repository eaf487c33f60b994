//! How a patient reaches an area: the postal address, email and phone of its data protection
//! officer (or whoever answers for it), as an administrator gives them.

use serde::{Deserialize, Serialize};

/// An area's contact details; any may be empty until an administrator sets them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaContact {
    /// Lines of a postal address, separated by newlines.
    pub address: String,
    pub email: String,
    /// As it is written for people to read ("0113 496 0123").
    pub phone: String,
}

impl AreaContact {
    pub fn is_empty(&self) -> bool {
        self.address.is_empty() && self.email.is_empty() && self.phone.is_empty()
    }

    /// The phone number as a `tel:` address: digits only, with the UK's +44.
    pub fn phone_href(&self) -> Option<String> {
        let digits: String = self.phone.chars().filter(char::is_ascii_digit).collect();
        let national = digits.strip_prefix('0')?;
        (!national.is_empty()).then(|| format!("tel:+44{national}"))
    }

    /// The address's lines.
    pub fn address_lines(&self) -> Vec<&str> {
        self.address.lines().map(str::trim).filter(|l| !l.is_empty()).collect()
    }
}

/// Reads what an administrator typed: each may be left empty; what is given must be right.
/// Each problem names its field (`contact-address`, `contact-email`, `contact-phone`).
pub fn read_area_contact(address: &str, email: &str, phone: &str) -> Result<AreaContact, Vec<(&'static str, String)>> {
    use crate::domain::names::is_hidden_control;
    let mut errors = Vec::new();
    let address = address.replace("\r\n", "\n");
    let address = address.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
    if address.chars().count() > 500 || address.chars().any(|c| c != '\n' && (c.is_control() || is_hidden_control(c))) {
        errors.push(("contact-address", "Enter the postal address in 500 characters or fewer, without hidden characters".to_string()));
    }
    let email = email.trim().to_string();
    if !email.is_empty() && crate::domain::Contact::parse("email", &email, "", "").is_err() {
        errors.push(("contact-email", "Enter an email address in the correct format, like dpo@example.nhs.uk".to_string()));
    }
    let phone = phone.trim().to_string();
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let shaped = phone.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '+'));
    let national = digits.strip_prefix("44").filter(|_| phone.starts_with('+')).map_or(digits.clone(), |rest| format!("0{rest}"));
    let valid = shaped && national.starts_with('0') && (10..=11).contains(&national.len());
    if !(phone.is_empty() || valid) {
        errors.push(("contact-phone", "Enter a UK phone number, like 0113 496 0123".to_string()));
    }
    if errors.is_empty() {
        Ok(AreaContact { address, email, phone })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_details_are_checked_and_tidied() {
        let c = read_area_contact(" Data Protection Officer \r\n\r\n Northshire House\r\nNorthtown NS1 1AA ", " dpo@northshire.example ", "0113 496 0123").unwrap();
        assert_eq!(c.address_lines(), ["Data Protection Officer", "Northshire House", "Northtown NS1 1AA"]);
        assert_eq!((c.email.as_str(), c.phone_href().as_deref()), ("dpo@northshire.example", Some("tel:+441134960123")));
        assert_eq!(read_area_contact("", "", "").unwrap(), AreaContact::default(), "all may be left empty");
        assert_eq!(read_area_contact("", "", "+44 (0)113 496 0123").unwrap_err().len(), 1, "+44 with a 0 is 12 digits");
        assert!(read_area_contact("", "", "+44 113 496 0123").is_ok());
        let errors = read_area_contact("House\u{202e}", "not an email", "call us").unwrap_err();
        assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), ["contact-address", "contact-email", "contact-phone"]);
        assert!(read_area_contact(&"x".repeat(501), "", "").is_err());
        assert!(read_area_contact("a\u{0}b", "", "").is_err());
    }
}
