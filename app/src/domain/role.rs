//! Staff roles. Each grant of a role is scoped to one area (see the staff directory).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    CommsEditor,
    CommsApprover,
    CaseWorker,
    IgLead,
    Admin,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Choose a role: comms_editor, comms_approver, case_worker, ig_lead or admin")]
pub struct RoleError;

impl Role {
    pub const ALL: [Role; 5] = [
        Role::CommsEditor,
        Role::CommsApprover,
        Role::CaseWorker,
        Role::IgLead,
        Role::Admin,
    ];

    pub fn parse(input: &str) -> Result<Self, RoleError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == input.trim())
            .ok_or(RoleError)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::CommsEditor => "comms_editor",
            Role::CommsApprover => "comms_approver",
            Role::CaseWorker => "case_worker",
            Role::IgLead => "ig_lead",
            Role::Admin => "admin",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::CommsEditor => "Comms editor",
            Role::CommsApprover => "Comms approver",
            Role::CaseWorker => "Case worker",
            Role::IgLead => "Information governance lead",
            Role::Admin => "Administrator",
        }
    }
}

/// What a role may do with the cases of its area. Case workers and information governance
/// leads work cases; an administrator sees who a case is about (demographics) but not what the
/// patient wrote, and cannot act on it; comms roles see no cases at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CaseAccess {
    DemographicsOnly,
    Full,
}

impl Role {
    pub fn case_access(self) -> Option<CaseAccess> {
        match self {
            Role::CaseWorker | Role::IgLead => Some(CaseAccess::Full),
            Role::Admin => Some(CaseAccess::DemographicsOnly),
            Role::CommsEditor | Role::CommsApprover => None,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_case_roles_read_what_patients_wrote() {
        assert_eq!(Role::CaseWorker.case_access(), Some(CaseAccess::Full));
        assert_eq!(Role::IgLead.case_access(), Some(CaseAccess::Full));
        assert_eq!(Role::Admin.case_access(), Some(CaseAccess::DemographicsOnly));
        assert_eq!(Role::CommsEditor.case_access(), None);
        assert_eq!(Role::CommsApprover.case_access(), None);
    }

    #[test]
    fn round_trips_every_role() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Ok(r));
        }
        assert_eq!(Role::parse("superuser"), Err(RoleError));
    }
}
