//! What each member organisation shares and who can see it: kept by the area's comms team,
//! read by patients on Your choices beside their objection and the national data opt-out. On
//! SQLite and PostgreSQL.

use crate::helpers::{TestApp, TestDb};
use crate::on_both_backends;
use app::domain::sharing::Sharing;
use app::domain::{AreaSlug, OdsCode};
use app::server::StaffAction;

on_both_backends!(the_comms_team_says_what_each_organisation_shares_and_patients_read_it, sharing_is_stored_per_member_organisation_and_goes_with_it);

async fn the_comms_team_says_what_each_organisation_shares_and_patients_read_it(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let choices = amira.get("/your-choices").await;
    assert_eq!(choices.status, 200);
    // Her local choice, the national data opt-out explained and linked, and the demo's table.
    assert!(choices.body.contains("You have not objected."));
    assert!(choices.body.contains("The national data opt-out"));
    assert!(choices.body.contains("https://www.nhs.uk/your-nhs-data-matters/"));
    assert!(choices.body.contains("never asks for it or keeps it"));
    assert!(choices.body.contains("Northshire Mental Health NHS Trust"));
    assert!(choices.body.contains("Mental health teams"));

    let mut priya = app.signed_in("demo-comms-editor").await;
    assert!(priya.get("/sharing").await.body.contains("/sharing/northshire/RX2"));
    let form = priya.get("/sharing/northshire/RX2").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("What Northshire Mental Health NHS Trust shares"));
    // Nothing ticked, or an unknown word: sent back with the error summary; nothing changes.
    let back = priya.post_form("/sharing/northshire/RX2/save", &[("kinds", "</td><script>alert(1)</script>")]).await;
    assert_eq!(back.location.as_deref(), Some("/sharing/northshire/RX2"));
    let page = priya.get("/sharing/northshire/RX2").await;
    assert!(page.body.contains("Select the kinds of information this organisation shares"));
    assert!(page.body.contains("Select who can see it"));
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(amira.get("/your-choices").await.body.contains("Mental health teams"), "unchanged");

    let saved = priya.post_form("/sharing/northshire/RX2/save", &[("kinds", "mental_health"), ("seen_by", "gps")]).await;
    assert_eq!(saved.location.as_deref(), Some("/sharing?done=saved"));
    let choices = amira.get("/your-choices").await.body;
    assert!(choices.contains("Mental health care"));
    let rx2 = &choices[choices.find("Northshire Mental Health NHS Trust").unwrap()..];
    let row = &rx2[..rx2.find("</tr>").unwrap()];
    assert!(row.contains("GPs and their practice teams") && !row.contains("Mental health teams"), "{row}");

    // Removing asks first; then the organisation reads "Not given yet".
    let asked = priya.post_form("/sharing/northshire/RX2/remove", &[]).await;
    assert_eq!(asked.status, 200);
    assert!(asked.body.contains("Yes, remove it"));
    assert!(asked.body.contains("Remove what Northshire Mental Health NHS Trust shares"), "named, not coded");
    assert!(amira.get("/your-choices").await.body.contains("Mental health care"), "not removed before the answer");
    let removed = priya.post_form("/sharing/northshire/RX2/remove", &[("confirm", "yes")]).await;
    assert_eq!(removed.location.as_deref(), Some("/sharing?done=removed"));
    assert!(amira.get("/your-choices").await.body.contains("Not given yet"));

    // Only the area's comms team: a case worker, another area's or an unknown organisation are refused.
    let mut chloe = app.signed_in("demo-case-worker").await;
    assert_eq!(chloe.post_form("/sharing/northshire/RX1/save", &[("kinds", "summary"), ("seen_by", "gps")]).await.status, 403);
    assert_eq!(priya.post_form("/sharing/southvale/RY1/save", &[("kinds", "summary"), ("seen_by", "gps")]).await.status, 404);
    assert_eq!(priya.post_form("/sharing/northshire/RZZ99/save", &[("kinds", "summary"), ("seen_by", "gps")]).await.status, 404);
    assert_eq!(priya.get("/sharing/northshire/RZZ99").await.status, 404);
}

async fn sharing_is_stored_per_member_organisation_and_goes_with_it(db: TestDb) {
    let store = server::db::Db::connect(&db.url, 2).await.unwrap();
    use app::server::store::AreaStore;
    let area = store.create_area(&AreaSlug::parse("eastmoor").unwrap(), "Eastmoor").await.unwrap();
    let other = store.create_area(&AreaSlug::parse("westmoor").unwrap(), "Westmoor").await.unwrap();
    let code = OdsCode::parse("RA1").unwrap();
    store.add_organisation(area.id, &code, "Eastmoor Hospital").await.unwrap();
    let action = |area_id| StaffAction { at: chrono::Utc::now(), actor_subject: "someone".into(), area_id, case_id: None, action: "sharing changed".into(), detail: String::new() };
    let s = |k: &[&str], v: &[&str]| Sharing::read(&k.iter().map(|x| x.to_string()).collect::<Vec<_>>(), &v.iter().map(|x| x.to_string()).collect::<Vec<_>>()).unwrap();
    assert!(store.set_sharing(area.id, &code, Some(&s(&["summary"], &["gps"])), &action(area.id)).await.unwrap());
    assert!(store.set_sharing(area.id, &code, Some(&s(&["results", "letters"], &["hospitals"])), &action(area.id)).await.unwrap(), "a second save replaces the first");
    assert_eq!(store.area_sharing(area.id).await.unwrap(), vec![(code.clone(), s(&["results", "letters"], &["hospitals"]))]);
    assert!(!store.set_sharing(other.id, &code, Some(&s(&["summary"], &["gps"])), &action(other.id)).await.unwrap(), "not the other area's member");
    assert!(store.area_sharing(other.id).await.unwrap().is_empty());
    assert!(store.set_sharing(area.id, &code, None, &action(area.id)).await.unwrap());
    assert!(store.area_sharing(area.id).await.unwrap().is_empty());
    store.set_sharing(area.id, &code, Some(&s(&["summary"], &["gps"])), &action(area.id)).await.unwrap();
    store.remove_organisation(area.id, &code).await.unwrap();
    assert!(store.area_sharing(area.id).await.unwrap().is_empty(), "its entry goes with the organisation");
}
