//! An Organisation Data Service code: how the NHS names a GP practice or trust (e.g. `Y12345`, `RXX`).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OdsCode(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OdsCodeError {
    #[error("Enter a GP practice code")]
    Empty,
    #[error("A GP practice code is 3 to 10 letters and numbers, like A81001")]
    Malformed,
}

impl OdsCode {
    /// Upper-cases and trims, because people type `a81001 `.
    pub fn parse(input: &str) -> Result<Self, OdsCodeError> {
        let code = input.trim().to_ascii_uppercase();
        if code.is_empty() {
            return Err(OdsCodeError::Empty);
        }
        if !(3..=10).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(OdsCodeError::Malformed);
        }
        Ok(Self(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OdsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for OdsCode {
    type Error = OdsCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OdsCode> for String {
    fn from(value: OdsCode) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_what_people_type() {
        assert_eq!(OdsCode::parse(" a81001 ").unwrap().as_str(), "A81001");
    }

    #[test]
    fn refuses_empty_and_odd_input() {
        assert_eq!(OdsCode::parse("  "), Err(OdsCodeError::Empty));
        assert_eq!(OdsCode::parse("A8"), Err(OdsCodeError::Malformed));
        assert_eq!(OdsCode::parse("A81 001"), Err(OdsCodeError::Malformed));
        assert_eq!(OdsCode::parse("<script>"), Err(OdsCodeError::Malformed));
    }
}
