//! Demonstration data: two made-up areas with GP practices, member organisations, a privacy
//! notice each, and the demonstration staff. Loading it twice changes nothing.

use app::domain::{AreaSlug, OdsCode, Role};
use app::domain::practice::Postcode;
use app::server::{PracticeDetails, Store, StoreError};

struct DemoArea {
    slug: &'static str,
    name: &'static str,
    /// Code, name, address and postcode: made up, as real ones are written.
    practices: &'static [(&'static str, &'static str, &'static str, &'static str)],
    organisations: &'static [(&'static str, &'static str)],
    /// Postal address, email and phone: made up (the numbers are Ofcom's, kept for drama).
    contact: (&'static str, &'static str, &'static str),
}

const AREAS: &[DemoArea] = &[
    DemoArea {
        slug: "northshire",
        name: "Northshire Shared Care Record",
        practices: &[
            ("Y90001", "Riverside Medical Centre", "12 River Road, Northtown", "NS1 4AB"),
            ("Y90002", "Hillview Surgery", "3 Hill Street, Northtown", "NS2 7QX"),
            ("Y90003", "Market Street Practice", "40 Market Street, Aldbury", "NS4 1JD"),
            ("Y90004", "St Mary\u{2019}s Surgery", "Church Lane, Northtown", "NS1 6TP"),
            ("Y90005", "The Old Mill Health Centre", "Mill Lane, Kirkby Moor", "NS7 2LS"),
        ],
        organisations: &[
            ("RX1", "Northshire Hospitals NHS Foundation Trust"),
            ("RX2", "Northshire Mental Health NHS Trust"),
            ("RX3", "Northshire Community Health Services"),
            ("LA901", "Northshire County Council Adult Social Care"),
        ],
        contact: ("Data Protection Officer\nNorthshire Shared Care Record\nCounty Hall, Northtown\nNS1 1AA", "dpo@northshire-care-record.example", "0113 496 0123"),
    },
    DemoArea {
        slug: "southvale",
        name: "Southvale Care Record",
        practices: &[
            ("Y90101", "Harbour Surgery", "1 Quay Street, Port Alder", "SV1 2HQ"),
            ("Y90102", "Coastline Health Centre", "88 The Esplanade, Port Alder", "SV1 5EP"),
            ("Y90103", "Vale Family Practice", "22 Station Road, Wexcombe", "SV3 9RT"),
        ],
        organisations: &[
            ("RY1", "Southvale University Hospitals NHS Trust"),
            ("RY2", "Southvale Ambulance Service NHS Trust"),
            ("LA902", "Southvale Borough Council Social Services"),
        ],
        contact: ("Data Protection Officer\nSouthvale Care Record\nThe Civic Centre, Port Alder\nSV1 1AA", "dpo@southvale-care-record.example", "0117 496 0456"),
    },
];

/// A demonstration member of staff: subject, name, and their roles in areas.
type DemoStaff = (&'static str, &'static str, &'static [(Role, &'static str)]);

const STAFF: &[DemoStaff] = &[
    ("demo-comms-editor", "Priya Shah", &[(Role::CommsEditor, "northshire")]),
    ("demo-comms-approver", "Gareth Owen", &[(Role::CommsApprover, "northshire")]),
    ("demo-case-worker", "Chloe Adams", &[(Role::CaseWorker, "northshire")]),
    ("demo-ig-lead", "Samuel Okafor", &[(Role::IgLead, "northshire"), (Role::IgLead, "southvale")]),
    ("demo-admin", "Helen Marsh", &[(Role::Admin, "northshire"), (Role::Admin, "southvale")]),
];


fn bad(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

/// Loads what is missing of the demonstration data. Every step completes what an interrupted
/// start left half done (an area with no practices, no notice or only some templates), so a
/// kill at any moment of a first start is healed by the next.
pub async fn load(store: &dyn Store) -> Result<(), StoreError> {
    for a in AREAS {
        let slug = AreaSlug::parse(a.slug).map_err(bad)?;
        let area = match store.area_by_slug(&slug).await? {
            Some(area) => area,
            None => store.create_area(&slug, a.name).await?,
        };
        if area.contact.is_empty() {
            let (address, email, phone) = a.contact;
            store.set_area_contact(area.id, &app::domain::area_contact::AreaContact { address: address.into(), email: email.into(), phone: phone.into() }).await?;
        }
        let practices = store.practices(area.id).await?;
        for (code, name, address, postcode) in a.practices {
            let code = OdsCode::parse(code).map_err(bad)?;
            let details = PracticeDetails { name: (*name).into(), address: (*address).into(), postcode: Some(Postcode::parse(postcode).map_err(bad)?) };
            match practices.iter().find(|p| p.ods_code == code) {
                // Held from before practices had addresses: given theirs.
                Some(p) if p.address.is_empty() => {
                    store.update_practice(area.id, &code, &details).await?;
                }
                Some(_) => {}
                // A practice belongs to one area: one held elsewhere is left alone.
                None if store.practice(&code).await?.is_none() => store.add_practice(area.id, &code, &details).await?,
                None => {}
            }
        }
        let organisations = store.organisations(area.id).await?;
        for (code, name) in a.organisations {
            let code = OdsCode::parse(code).map_err(bad)?;
            if !organisations.iter().any(|o| o.ods_code == code) {
                store.add_organisation(area.id, &code, name).await?;
            }
        }
        // What each organisation shares, until the area's comms team says otherwise.
        if store.area_sharing(area.id).await?.is_empty() {
            for (code, _) in a.organisations {
                let (kinds, seen_by) = demo_sharing(code);
                let sharing = app::domain::sharing::Sharing::read(&words(kinds), &words(seen_by))
                    .map_err(|e| StoreError::Corrupt(format!("demo sharing: {e:?}")))?;
                let action = app::server::StaffAction {
                    at: chrono::Utc::now(),
                    actor_subject: "demo-data".into(),
                    area_id: area.id,
                    case_id: None,
                    action: "sharing changed".into(),
                    detail: format!("{code}: demonstration data"),
                };
                store.set_sharing(area.id, &OdsCode::parse(code).map_err(bad)?, Some(&sharing), &action).await?;
            }
        }
        app::casework::ssr::ensure_starter_templates(store, area.id).await?;
        if store.notice_versions(area.id).await?.is_empty() {
            let published = chrono::Utc::now() - chrono::Duration::days(30);
            let orgs: Vec<(String, String)> = a.organisations.iter().map(|(c, n)| (c.to_string(), n.to_string())).collect();
            store
                .publish_notice(area.id, app::domain::NoticeVariant::Main, &format!("How the {} uses your information", a.name), &app::notices::template(a.name, &orgs), published)
                .await?;
        }
    }
    for (subject, name, grants) in STAFF {
        for (role, area) in *grants {
            store.add_staff_grant(subject, name, *role, &AreaSlug::parse(area).map_err(bad)?).await?;
        }
    }
    demo_access_events(store).await?;
    tracing::info!("demonstration data loaded");
    Ok(())
}

/// A month of made-up looks at Amira Khan's record, so the access log has something to show:
/// her GP, a hospital, an emergency, and the nightly automated check.
async fn demo_access_events(store: &dyn Store) -> Result<(), StoreError> {
    use app::server::AccessEvent;
    // The demo source's secret is never shown: nobody sends to it. Its events are stored by
    // their ids, so loading them again (after an interrupted first start) adds only what is missing.
    let source = match store.source_by_client_id("src-demo-northshire").await? {
        Some(source) => source,
        None => {
            store
                .add_source("Northshire Shared Care Record", "src-demo-northshire", &app::server::credentials::hash_secret(&app::server::credentials::random_token()), chrono::Utc::now())
                .await?
        }
    };
    // The demo system is Northshire's: its retention and privacy monitoring apply.
    if source.area_id.is_none() {
        if let Some(area) = store.area_by_slug(&AreaSlug::parse("northshire").map_err(bad)?).await? {
            store.set_source_area(source.id, Some(area.id)).await?;
        }
    }
    let now = chrono::Utc::now();
    let amira = app::domain::NhsNumber::parse("9434765919").map_err(bad)?;
    let people: &[(&str, &str, &str, &str, &str, &str)] = &[
        ("Dr Priya Natarajan", "General practitioner", "Y90001", "Riverside Medical Centre", "medicines, allergies", "TREAT"),
        ("Nurse Tom Baker", "District nurse", "RX3", "Northshire Community Health Services", "care plans", "TREAT"),
        ("Dr Sam Wilde", "Emergency medicine doctor", "RX1", "Northshire Hospitals NHS Foundation Trust", "medicines, allergies, conditions and diagnoses", "ETREAT"),
        ("Jo Patel", "Pharmacist", "RX1", "Northshire Hospitals NHS Foundation Trust", "medicines", "TREAT"),
    ];
    let mut events = Vec::new();
    for day in 0..30i64 {
        let (name, role, ods, org, viewed, purpose) = people[(day % 4) as usize];
        if day % 3 == 0 {
            events.push(AccessEvent {
                id: 0,
                source_id: Some(source.id),
                source_event_id: format!("demo-{day}"),
                nhs_number: amira.clone(),
                recorded_at: now - chrono::Duration::days(day) - chrono::Duration::hours(2),
                agent_name: name.into(),
                // One SDS user id per person, as their smartcard would give.
                agent_id: Some(format!("5550219300{:02}", day % 4 + 1)),
                agent_role: Some(role.into()),
                org_ods: Some(ods.into()),
                org_name: Some(org.into()),
                purpose: purpose.into(),
                emergency: purpose == "ETREAT",
                viewed: viewed.into(),
                outcome: "0".into(),
                automated: false,
                observer: "Northshire Shared Care Record".into(),
                action: Some("R".into()),
                subtype: None,
                content_hash: None,
            });
        }
        events.push(AccessEvent {
            id: 0,
            source_id: Some(source.id),
            source_event_id: format!("demo-nightly-{day}"),
            nhs_number: amira.clone(),
            recorded_at: now - chrono::Duration::days(day) - chrono::Duration::hours(9),
            agent_name: "Nightly record matching".into(),
            agent_id: None,
            agent_role: None,
            org_ods: None,
            org_name: None,
            purpose: "HOPERAT".into(),
            emergency: false,
            viewed: "your details".into(),
            outcome: "0".into(),
            automated: true,
            observer: "Northshire Shared Care Record".into(),
            action: Some("R".into()),
            subtype: None,
            content_hash: None,
        });
    }
    // Received a few minutes ago, so the first run of the background jobs seals them and runs
    // the monitoring rules over them (the demo's IG lead has alerts to review).
    store.ingest_access_events(&events, now - chrono::Duration::minutes(5)).await?;
    Ok(())
}

fn words(list: &[&str]) -> Vec<String> {
    list.iter().map(|w| w.to_string()).collect()
}

/// What a demonstration organisation shares and who can see it, by the kind of organisation.
fn demo_sharing(code: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match code {
        "RX2" => (&["medicines", "care_plans", "mental_health"], &["gps", "hospitals", "mental_health"]),
        "RX3" => (&["appointments", "care_plans"], &["gps", "hospitals", "community", "social_care"]),
        "RY2" => (&["care_plans"], &["gps", "hospitals", "urgent"]),
        c if c.starts_with("LA") => (&["care_plans", "social_care"], &["gps", "community", "social_care"]),
        _ => (&["summary", "medicines", "results", "letters", "appointments"], &["gps", "hospitals", "community", "urgent"]),
    }
}
