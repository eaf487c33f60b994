//! Demonstration data: two made-up areas with GP practices, member organisations, a privacy
//! notice each, and the demonstration staff. Loading it twice changes nothing.

use app::domain::{AreaSlug, OdsCode, Role};
use app::ssr::{Store, StoreError};

struct DemoArea {
    slug: &'static str,
    name: &'static str,
    practices: &'static [(&'static str, &'static str)],
    organisations: &'static [(&'static str, &'static str)],
}

const AREAS: &[DemoArea] = &[
    DemoArea {
        slug: "northshire",
        name: "Northshire Shared Care Record",
        practices: &[("Y90001", "Riverside Medical Centre"), ("Y90002", "Hillview Surgery"), ("Y90003", "Market Street Practice")],
        organisations: &[
            ("RX1", "Northshire Hospitals NHS Foundation Trust"),
            ("RX2", "Northshire Mental Health NHS Trust"),
            ("RX3", "Northshire Community Health Services"),
            ("LA901", "Northshire County Council Adult Social Care"),
        ],
    },
    DemoArea {
        slug: "southvale",
        name: "Southvale Care Record",
        practices: &[("Y90101", "Harbour Surgery"), ("Y90102", "Coastline Health Centre")],
        organisations: &[
            ("RY1", "Southvale University Hospitals NHS Trust"),
            ("RY2", "Southvale Ambulance Service NHS Trust"),
            ("LA902", "Southvale Borough Council Social Services"),
        ],
    },
];

const STAFF: &[(&str, &str, &[(Role, &str)])] = &[
    ("demo-comms-editor", "Priya Shah", &[(Role::CommsEditor, "northshire")]),
    ("demo-comms-approver", "Gareth Owen", &[(Role::CommsApprover, "northshire")]),
    ("demo-case-worker", "Chloe Adams", &[(Role::CaseWorker, "northshire")]),
    ("demo-ig-lead", "Samuel Okafor", &[(Role::IgLead, "northshire"), (Role::IgLead, "southvale")]),
    ("demo-admin", "Helen Marsh", &[(Role::Admin, "northshire"), (Role::Admin, "southvale")]),
];

fn notice(area_name: &str, organisations: &[(&str, &str)]) -> String {
    let orgs: String = organisations.iter().map(|(code, name)| format!("- {name} ({code})\n")).collect();
    format!(
        r#"## Who we are

The {area_name} is run by the health and care organisations below, as joint controllers of the information in it:

{orgs}
## What information is in the shared care record

Information that helps the people caring for you, such as your name, address, date of birth and NHS number; your GP surgery; your allergies, medicines and test results; hospital visits and discharge letters; care plans; and social care support you receive.

## Why we use it, and the lawful basis

We use it to give you safe and joined-up care. The lawful basis is UK GDPR Article 6(1)(e), a task in the public interest, and for health information Article 9(2)(h), the provision of health and social care.

## Who can see it

Only health and care professionals who are caring for you, and only the parts their role needs. An administrator sees your contact details, not your diagnoses. Every time someone looks at your record it is recorded in an audit trail.

## How long it is kept

Information stays in the shared care record while the organisations that provide it keep it, following the Records Management Code of Practice.

## Your rights

- You can **object** to your information being in the shared care record. Each objection is considered locally on a case by case basis.
- You can **ask for a copy** of the information held about you. We will answer within one month.
- You can ask to see **who has looked at your record**, and why.
- You can **complain** to the Information Commissioner's Office at [ico.org.uk](https://ico.org.uk/make-a-complaint/) or by calling 0303 123 1113.

## How to contact us

Write to the Data Protection Officer, {area_name}, or use this service to object or to ask for your information.
"#
    )
}

fn bad(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

pub async fn load(store: &dyn Store) -> Result<(), StoreError> {
    for a in AREAS {
        let slug = AreaSlug::parse(a.slug).map_err(bad)?;
        if store.area_by_slug(&slug).await?.is_some() {
            continue;
        }
        let area = store.create_area(&slug, a.name).await?;
        for (code, name) in a.practices {
            store.add_practice(area.id, &OdsCode::parse(code).map_err(bad)?, name).await?;
        }
        for (code, name) in a.organisations {
            store.add_organisation(area.id, &OdsCode::parse(code).map_err(bad)?, name).await?;
        }
        app::ssr::casework::ensure_starter_templates(store, area.id).await?;
        let published = chrono::Utc::now() - chrono::Duration::days(30);
        store
            .publish_notice(area.id, &format!("How the {} uses your information", a.name), &notice(a.name, a.organisations), published)
            .await?;
    }
    for (subject, name, grants) in STAFF {
        for (role, area) in *grants {
            store.add_staff_grant(subject, name, *role, &AreaSlug::parse(area).map_err(bad)?).await?;
        }
    }
    tracing::info!("demonstration data loaded");
    Ok(())
}
