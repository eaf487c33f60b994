//! The NHS number: ten digits whose last is a modulus-11 check digit.
//! It is personal data: `Debug` and `Display` never show it whole.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A valid NHS number. Only [`NhsNumber::parse`] makes one, so holding one means it passed the check.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NhsNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NhsNumberError {
    #[error("Enter an NHS number with 10 digits")]
    WrongLength,
    #[error("NHS number must only include numbers and spaces")]
    NotDigits,
    #[error("Enter a valid NHS number")]
    BadCheckDigit,
}

impl NhsNumber {
    /// Accepts the ways people write it: `943 476 5919`, `943-476-5919`, `9434765919`.
    pub fn parse(input: &str) -> Result<Self, NhsNumberError> {
        let digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(NhsNumberError::NotDigits);
        }
        if digits.len() != 10 {
            return Err(NhsNumberError::WrongLength);
        }
        let values: Vec<u32> = digits.chars().map(|c| c.to_digit(10).unwrap_or(0)).collect();
        let sum: u32 = values[..9]
            .iter()
            .enumerate()
            .map(|(i, d)| d * (10 - i as u32))
            .sum();
        let check = match 11 - (sum % 11) {
            11 => 0,
            10 => return Err(NhsNumberError::BadCheckDigit),
            n => n,
        };
        if check != values[9] {
            return Err(NhsNumberError::BadCheckDigit);
        }
        Ok(Self(digits))
    }

    /// The whole number, for storage and for systems that need it. Never for a page or a log.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The whole number spaced 3-3-4 as the NHS prints it (`943 476 5919`): for the patient's
    /// own response and for case workers, who need it to find records. Never for a log.
    pub fn formatted(&self) -> String {
        format!("{} {} {}", &self.0[..3], &self.0[3..6], &self.0[6..])
    }

    /// What a page may show: the last three digits only, e.g. `*** *** *919`.
    pub fn masked(&self) -> String {
        format!("*** *** *{}", &self.0[7..])
    }
}

impl fmt::Debug for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NhsNumber({})", self.masked())
    }
}

impl fmt::Display for NhsNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl TryFrom<String> for NhsNumber {
    type Error = NhsNumberError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<NhsNumber> for String {
    fn from(value: NhsNumber) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_valid_numbers_written_in_the_usual_ways() {
        for s in ["9434765919", "943 476 5919", "943-476-5919", " 9434765870 "] {
            assert!(NhsNumber::parse(s).is_ok(), "{s} should be valid");
        }
    }

    #[test]
    fn refuses_a_wrong_check_digit() {
        assert_eq!(NhsNumber::parse("9434765918"), Err(NhsNumberError::BadCheckDigit));
    }

    #[test]
    fn refuses_numbers_whose_check_would_be_ten() {
        // 1234567890: weighted sum 1*10+2*9+...+9*2 = 210, 210 % 11 = 1, 11 - 1 = 10: never issued.
        assert_eq!(NhsNumber::parse("1234567890"), Err(NhsNumberError::BadCheckDigit));
    }

    #[test]
    fn refuses_wrong_lengths_and_letters() {
        assert_eq!(NhsNumber::parse("943476591"), Err(NhsNumberError::WrongLength));
        assert_eq!(NhsNumber::parse("94347659190"), Err(NhsNumberError::WrongLength));
        assert_eq!(NhsNumber::parse("94347A5919"), Err(NhsNumberError::NotDigits));
    }

    #[test]
    fn never_shows_the_whole_number() {
        let n = NhsNumber::parse("9434765919").unwrap();
        assert_eq!(n.masked(), "*** *** *919");
        assert!(!format!("{n:?}").contains("9434765919"));
        assert!(!format!("{n}").contains("9434765919"));
        assert_eq!(n.expose(), "9434765919");
    }
}
