//! Areas as real data: an admin adds an area, its organisations and practices, renames it and
//! sets its retention period; bad input is named and kept; only admins may; and on both
//! databases an area's retention deletes only its own systems' events.

use crate::helpers::{TestApp, TestDb};
use crate::on_both_backends;
use app::domain::{AreaSlug, OdsCode};
use app::server::store::*;
use app::server::AccessEvent;
use chrono::{Duration, Utc};

#[tokio::test]
async fn an_admin_keeps_areas_as_real_data() {
    let app = TestApp::spawn().await;
    let mut helen = app.signed_in("demo-admin").await;
    assert!(helen.get("/admin/areas").await.body.contains("Northshire"));

    let bad = helen.post_form("/admin/areas/add", &[("name", "Eastmoor Care Record"), ("slug", "East Moor")]).await;
    assert_eq!(bad.location.as_deref(), Some("/admin/areas?form=add"));
    let again = helen.get("/admin/areas?form=add").await;
    assert!(again.body.contains("nhsuk-error-summary"), "{}", again.body);
    assert!(again.body.contains("Eastmoor Care Record"), "what was typed is kept");

    let added = helen.post_form("/admin/areas/add", &[("name", "Eastmoor Care Record"), ("slug", "eastmoor")]).await;
    assert_eq!(added.location.as_deref(), Some("/admin/areas/eastmoor"));
    let dup = helen.post_form("/admin/areas/add", &[("name", "Again"), ("slug", "eastmoor")]).await;
    assert_eq!(dup.location.as_deref(), Some("/admin/areas?form=add"));
    assert!(helen.get("/admin/areas?form=add").await.body.contains("There is already an area with that short name"));

    helen.post_form("/admin/areas/eastmoor/add-organisation", &[("org-code", "RE1"), ("org-name", "Eastmoor Hospital")]).await;
    let bad_details = helen
        .post_form("/admin/areas/eastmoor/add-practice", &[("practice-code", "E81001"), ("practice-name", "Moor Surgery"), ("practice-address", "Moor Lane\u{202e}"), ("practice-postcode", "EM1")])
        .await;
    assert_eq!(bad_details.location.as_deref(), Some("/admin/areas/eastmoor?form=1"));
    let sent_back = helen.get("/admin/areas/eastmoor?form=1").await.body;
    assert!(sent_back.contains("href=\"#practice-address\"") && sent_back.contains("href=\"#practice-postcode\"") && sent_back.contains("Enter a real postcode"), "{sent_back}");
    assert!(store_practice_missing(&app, "E81001").await, "nothing stored");
    helen
        .post_form("/admin/areas/eastmoor/add-practice", &[("practice-code", "E81001"), ("practice-name", "Moor Surgery"), ("practice-address", "5 Moor Lane, Eastbury"), ("practice-postcode", "em1 2ab")])
        .await;
    assert!(helen.get("/admin/areas/eastmoor").await.body.contains("Moor Surgery, 5 Moor Lane, Eastbury, EM1 2AB"));
    let bad_code = helen.post_form("/admin/areas/eastmoor/add-practice", &[("practice-code", "not a code"), ("practice-name", "X")]).await;
    assert_eq!(bad_code.location.as_deref(), Some("/admin/areas/eastmoor?form=1"));
    let taken = helen.post_form("/admin/areas/eastmoor/add-practice", &[("practice-code", "E81001"), ("practice-name", "Twice")]).await;
    assert_eq!(taken.location.as_deref(), Some("/admin/areas/eastmoor?form=1"));
    assert!(helen.get("/admin/areas/eastmoor?form=1").await.body.contains("That practice already belongs to an area"));
    let bad_months = helen.post_form("/admin/areas/eastmoor/settings", &[("name", "Eastmoor"), ("retention", "0")]).await;
    assert_eq!(bad_months.location.as_deref(), Some("/admin/areas/eastmoor?form=1"));
    helen.post_form("/admin/areas/eastmoor/settings", &[("name", "Eastmoor Shared Care Record"), ("retention", "24")]).await;

    let store = &app.state.store;
    let area = store.area_by_slug(&AreaSlug::parse("eastmoor").unwrap()).await.unwrap().unwrap();
    assert_eq!((area.name.as_str(), area.retention_months), ("Eastmoor Shared Care Record", 24));
    assert_eq!(store.organisations(area.id).await.unwrap().len(), 1);
    // The new practice's patients now find their area.
    let mut public = app.browser();
    let found = public.get("/find-your-area?practice=E81001").await;
    assert!(found.body.contains("Eastmoor Shared Care Record"), "{}", found.body);
    let by_name = public.get("/find-your-area?practice=moor+surgery").await;
    assert!(by_name.body.contains("Moor Surgery") && by_name.body.contains("Part of Eastmoor Shared Care Record"), "{}", by_name.body);

    let asked = helen.post_form("/admin/areas/eastmoor/remove-practice", &[("code", "E81001")]).await;
    assert_eq!(asked.status, 200, "asked first");
    assert!(asked.body.contains("Remove the GP practice E81001 from Eastmoor Shared Care Record?") && asked.body.contains("name=\"confirm\" value=\"yes\""));
    assert_eq!(store.practices(area.id).await.unwrap().len(), 1, "nothing removed before the answer");
    helen.post_form("/admin/areas/eastmoor/remove-practice", &[("code", "E81001"), ("confirm", "yes")]).await;
    assert!(store.practices(area.id).await.unwrap().is_empty());

    // Other staff cannot.
    let mut priya = app.signed_in("demo-comms-editor").await;
    assert_eq!(priya.get("/admin/areas").await.status, 403);
    assert_eq!(priya.post_form("/admin/areas/add", &[("name", "X"), ("slug", "x")]).await.status, 403);
}

async fn store_practice_missing(app: &TestApp, code: &str) -> bool {
    app.state.store.practice(&OdsCode::parse(code).unwrap()).await.unwrap().is_none()
}

fn details(name: &str) -> app::server::PracticeDetails {
    app::server::PracticeDetails { name: name.into(), address: String::new(), postcode: None }
}

fn look(id: &str, source: i64, days_ago: i64) -> AccessEvent {
    let mut e = crate::case_storage::look(id.into(), Utc::now() - Duration::days(days_ago), false, "SCR");
    e.source_id = Some(source);
    e
}

async fn an_areas_retention_applies_to_its_own_systems(db: TestDb) {
    let store = server::db::Db::connect(&db.url, 2).await.unwrap();
    let north = store.create_area(&AreaSlug::parse("north").unwrap(), "North").await.unwrap();
    let south = store.create_area(&AreaSlug::parse("south").unwrap(), "South").await.unwrap();
    store.add_practice(north.id, &OdsCode::parse("N81001").unwrap(), &details("N Surgery")).await.unwrap();
    store.add_practice(north.id, &OdsCode::parse("N81002").unwrap(), &details("M Surgery")).await.unwrap();
    assert_eq!(store.practices(north.id).await.unwrap().iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["M Surgery", "N Surgery"]);
    assert_eq!(store.remove_practice(north.id, &OdsCode::parse("N81001").unwrap()).await.unwrap(), 1);
    assert_eq!(store.remove_practice(south.id, &OdsCode::parse("N81002").unwrap()).await.unwrap(), 0, "not the south's to remove");
    store.set_area_retention(north.id, 12).await.unwrap();
    store.rename_area(north.id, "North Care Record").await.unwrap();
    let north = store.area_by_slug(&AreaSlug::parse("north").unwrap()).await.unwrap().unwrap();
    assert_eq!((north.name.as_str(), north.retention_months), ("North Care Record", 12));

    let (n_client, _) = app::staff_admin::ssr::register_source(&store, "North SCR", None).await.unwrap();
    let (s_client, _) = app::staff_admin::ssr::register_source(&store, "South SCR", None).await.unwrap();
    let n_source = store.source_by_client_id(&n_client).await.unwrap().unwrap().id;
    let s_source = store.source_by_client_id(&s_client).await.unwrap().unwrap().id;
    store.set_source_area(n_source, Some(north.id)).await.unwrap();
    store.set_source_area(s_source, Some(south.id)).await.unwrap();
    store.ingest_access_events(&[look("n-old", n_source, 400), look("n-new", n_source, 10), look("s-old", s_source, 400)], Utc::now()).await.unwrap();
    let cutoff = Utc::now() - Duration::days(365);
    assert_eq!(store.delete_area_access_events_before(north.id, cutoff, 100).await.unwrap(), 1);
    assert_eq!(store.delete_area_access_events_before(north.id, cutoff, 100).await.unwrap(), 0);
    let left = crate::helpers::every_access_event(&store, crate::helpers::nhs("9434765919")).await;
    let mut ids: Vec<_> = left.iter().map(|e| e.source_event_id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["n-new", "s-old"], "the south's old event is the south's to keep");
}

on_both_backends!(an_areas_retention_applies_to_its_own_systems);
