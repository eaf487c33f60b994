//! The made-up people demonstration sign-in offers. Staff among them are real rows in the staff
//! directory (seeded with the demo data), so their roles are checked exactly as for real staff.

use crate::domain::ProofingLevel;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum DemoKind {
    Patient {
        nhs_number: &'static str,
        given_name: &'static str,
        family_name: &'static str,
        birth_date: &'static str,
        proofing: ProofingLevel,
        gp_practice: &'static str,
    },
    Staff,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemoPerson {
    /// Also the `sub` of the demo identity.
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub kind: DemoKind,
}

pub const DEMO_PEOPLE: &[DemoPerson] = &[
    DemoPerson {
        id: "demo-patient-p9",
        name: "Amira Khan",
        description: "Patient, identity fully verified (P9), registered with Riverside Medical Centre in Northshire",
        kind: DemoKind::Patient {
            nhs_number: "9434765919",
            given_name: "Amira",
            family_name: "Khan",
            birth_date: "1984-03-12",
            proofing: ProofingLevel::P9,
            gp_practice: "Y90001",
        },
    },
    DemoPerson {
        id: "demo-patient-p5",
        name: "Tom Reid",
        description: "Patient, identity partly verified (P5), registered with Harbour Surgery in Southvale",
        kind: DemoKind::Patient {
            nhs_number: "9434765870",
            given_name: "Tom",
            family_name: "Reid",
            birth_date: "1959-11-02",
            proofing: ProofingLevel::P5,
            gp_practice: "Y90101",
        },
    },
    DemoPerson {
        id: "demo-patient-p9-southvale",
        name: "Grace Okoye",
        description: "Patient, identity fully verified (P9), registered with Harbour Surgery in Southvale",
        kind: DemoKind::Patient {
            nhs_number: "9434765927",
            given_name: "Grace",
            family_name: "Okoye",
            birth_date: "1992-07-21",
            proofing: ProofingLevel::P9,
            gp_practice: "Y90101",
        },
    },
    DemoPerson { id: "demo-comms-editor", name: "Priya Shah", description: "Comms editor, Northshire", kind: DemoKind::Staff },
    DemoPerson { id: "demo-comms-approver", name: "Gareth Owen", description: "Comms approver, Northshire", kind: DemoKind::Staff },
    DemoPerson { id: "demo-case-worker", name: "Chloe Adams", description: "Case worker, Northshire", kind: DemoKind::Staff },
    DemoPerson { id: "demo-ig-lead", name: "Samuel Okafor", description: "Information governance lead, Northshire and Southvale", kind: DemoKind::Staff },
    DemoPerson { id: "demo-admin", name: "Helen Marsh", description: "Administrator, Northshire and Southvale", kind: DemoKind::Staff },
];

pub fn find(id: &str) -> Option<&'static DemoPerson> {
    DEMO_PEOPLE.iter().find(|p| p.id == id)
}
