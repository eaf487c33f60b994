//! Who is signed in: the session's view of a patient or a member of staff.
//! The full records live server-side in the session table; pages get [`Viewer`], which
//! carries nothing a page must not show (the NHS number only masked).

use crate::domain::{NhsNumber, OdsCode, ProofingLevel, Role};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A patient as NHS login described them at sign-in. Kept in the server-side session only.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Patient {
    pub subject: String,
    pub nhs_number: NhsNumber,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: Option<String>,
    pub proofing: ProofingLevel,
    /// The `vot` NHS login returned (e.g. `P9.Cp.Cd`), kept as evidence of how they signed in.
    pub vot: Option<String>,
    pub gp_practice: Option<OdsCode>,
    pub area_slug: Option<String>,
}

impl fmt::Debug for Patient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Patient")
            .field("subject", &self.subject)
            .field("proofing", &self.proofing)
            .field("area_slug", &self.area_slug)
            .finish_non_exhaustive()
    }
}

/// One role in one area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub role: Role,
    pub area_slug: String,
    pub area_name: String,
}

/// A member of staff, from the staff directory at sign-in.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    pub subject: String,
    pub name: String,
    pub grants: Vec<Grant>,
}

impl fmt::Debug for StaffMember {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StaffMember")
            .field("subject", &self.subject)
            .field("grants", &self.grants)
            .finish_non_exhaustive()
    }
}

impl StaffMember {
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// The most this person may do with cases in one area.
    pub fn case_access_in(&self, area_slug: &str) -> Option<crate::domain::CaseAccess> {
        self.grants.iter().filter(|g| g.area_slug == area_slug).filter_map(|g| g.role.case_access()).max()
    }

    /// Areas whose cases this person may see.
    pub fn case_areas(&self) -> Vec<String> {
        let mut v: Vec<String> = self.grants.iter().filter(|g| g.role.case_access().is_some()).map(|g| g.area_slug.clone()).collect();
        v.sort();
        v.dedup();
        v
    }

    /// Areas in which this person holds `role`.
    pub fn areas_with(&self, role: Role) -> Vec<String> {
        let mut v: Vec<String> = self
            .grants
            .iter()
            .filter(|g| g.role == role)
            .map(|g| g.area_slug.clone())
            .collect();
        v.dedup();
        v
    }
}

/// Whoever holds the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignedIn {
    Patient(Patient),
    Staff(StaffMember),
}

impl SignedIn {
    pub fn kind(&self) -> &'static str {
        match self {
            SignedIn::Patient(_) => "patient",
            SignedIn::Staff(_) => "staff",
        }
    }

    pub fn subject(&self) -> &str {
        match self {
            SignedIn::Patient(p) => &p.subject,
            SignedIn::Staff(s) => &s.subject,
        }
    }
}

/// What a page may know about the person looking at it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Viewer {
    Anonymous,
    Patient {
        name: String,
        masked_nhs_number: String,
        proofing: ProofingLevel,
        area_slug: Option<String>,
        area_name: Option<String>,
        gp_practice: Option<String>,
    },
    Staff {
        name: String,
        grants: Vec<Grant>,
    },
}

impl Viewer {
    pub fn is_signed_in(&self) -> bool {
        !matches!(self, Viewer::Anonymous)
    }
}

/// Why a patient cannot use the rights journeys yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotEligible {
    /// Signed in at P5: requests and objections need a verified identity (P9).
    NotVerified,
    /// Their GP practice is not in any area the portal serves.
    NoArea,
}

impl Patient {
    /// The area whose shared care record this patient may act on, when they may act at all:
    /// a verified identity, and a GP practice in an area the portal serves.
    pub fn may_act(&self) -> Result<crate::domain::AreaSlug, NotEligible> {
        if !self.proofing.is_verified() {
            return Err(NotEligible::NotVerified);
        }
        self.area_slug.as_deref().and_then(|s| crate::domain::AreaSlug::parse(s).ok()).ok_or(NotEligible::NoArea)
    }
}
