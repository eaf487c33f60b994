//! NHS login's identity proofing levels, read from the ID token's `identity_proofing_level`
//! (or the level part of `vot`, e.g. `P9.Cp.Cd`).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ProofingLevel {
    P0,
    P5,
    P9,
}

impl ProofingLevel {
    pub fn parse(input: &str) -> Option<Self> {
        // `vot` is `P9.Cp.Cd`: the level is its first part.
        match input.split('.').next()?.trim() {
            "P0" => Some(Self::P0),
            "P5" => Some(Self::P5),
            "P9" => Some(Self::P9),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::P0 => "P0",
            Self::P5 => "P5",
            Self::P9 => "P9",
        }
    }

    /// Objections, requests and the access log show or change records, so they need a verified identity.
    pub fn is_verified(self) -> bool {
        self == Self::P9
    }

    /// Plain English for the patient.
    pub fn describe(self) -> &'static str {
        match self {
            Self::P9 => "Your identity has been fully verified (P9)",
            Self::P5 => "Your identity has been partly verified (P5)",
            Self::P0 => "Your identity has not been verified (P0)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_levels_and_vectors() {
        assert_eq!(ProofingLevel::parse("P9"), Some(ProofingLevel::P9));
        assert_eq!(ProofingLevel::parse("P9.Cp.Cd"), Some(ProofingLevel::P9));
        assert_eq!(ProofingLevel::parse("P5.Cp.Cd"), Some(ProofingLevel::P5));
        assert_eq!(ProofingLevel::parse("P7"), None);
        assert!(ProofingLevel::P9.is_verified());
        assert!(!ProofingLevel::P5.is_verified());
    }
}
