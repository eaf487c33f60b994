//! "Who has looked at your record" as patients use it: their own events only, grouped by day,
//! emergencies marked, automated checks collapsed, filters, keyset paging, downloads, and a
//! concern raised from an entry and decided by the IG lead.

use crate::helpers::{Browser, TestApp};
use app::server::AccessEvent;
use chrono::{Duration, Utc};

#[expect(clippy::too_many_arguments, reason = "one event, field by field, reads best in the tests")]
fn event(id: &str, nhs: &str, minutes_ago: i64, who: &str, ods: &str, org: &str, automated: bool, purpose: &str) -> AccessEvent {
    AccessEvent {
        id: 0,
        source_id: None,
        source_event_id: id.into(),
        nhs_number: crate::helpers::nhs(nhs),
        recorded_at: Utc::now() - Duration::minutes(minutes_ago),
        agent_name: who.into(),
        agent_id: None,
        agent_role: Some("Physician".into()),
        org_ods: Some(ods.into()),
        org_name: Some(org.into()),
        purpose: purpose.into(),
        emergency: purpose == "ETREAT",
        viewed: "medicines".into(),
        outcome: "0".into(),
        automated,
        observer: "Southvale Care Record".into(),
        action: Some("R".into()),
        subtype: None,
        content_hash: None,
    }
}

/// Grace has no demonstration events: these are all hers.
const GRACE: &str = "9434765927";

async fn grace_with_events(app: &TestApp, n: i64) -> Browser {
    let mut events: Vec<AccessEvent> = (0..n)
        .map(|i| event(&format!("g-{i}"), GRACE, i * 90, &format!("Dr Person {i}"), if i % 2 == 0 { "RY1" } else { "RY2" }, if i % 2 == 0 { "Southvale University Hospitals NHS Trust" } else { "Southvale Ambulance Service NHS Trust" }, false, if i == 3 { "ETREAT" } else { "TREAT" }))
        .collect();
    events.push(event("g-auto-1", GRACE, 5, "Nightly matching", "RY1", "Southvale University Hospitals NHS Trust", true, "HOPERAT"));
    events.push(event("g-auto-2", GRACE, 6, "Nightly matching", "RY1", "Southvale University Hospitals NHS Trust", true, "HOPERAT"));
    // An attempt that did not succeed, by an organisation that never looked: listed, not counted.
    events.push(AccessEvent { outcome: "8".into(), ..event("g-failed", GRACE, 7, "Dr Denied", "RY7", "Southvale Hospice", false, "TREAT") });
    // Sent by a registered system, as real events are.
    let (client_id, _) = app::staff_admin::ssr::register_source(&*app.state.store, "Southvale Care Record", None).await.unwrap();
    let source = app.state.store.source_by_client_id(&client_id).await.unwrap().unwrap().id;
    for e in &mut events {
        e.source_id = Some(source);
    }
    app.state.store.ingest_access_events(&events, Utc::now()).await.unwrap();
    app.signed_in("demo-patient-p9-southvale").await
}

/// A page's pagination link of one kind ("next" for older looks, "prev" for the newest).
fn pagination_link(body: &str, kind: &str) -> Option<String> {
    let nav = body.find("aria-label=\"Pagination\"")?;
    let class = body[nav..].find(&format!("nhsuk-pagination__link--{kind}\""))? + nav;
    // The link's own tag, whichever order its attributes come in.
    let start = body[..class].rfind("<a ")?;
    let end = body[class..].find('>')? + class;
    let tag = &body[start..end];
    let at = tag.find("href=\"")? + 6;
    Some(tag[at..].split('"').next()?.replace("&amp;", "&"))
}

/// The "Older" link on a page.
fn older(body: &str) -> Option<String> {
    pagination_link(body, "next")
}

/// One organisation, one name: the lines, the filter and the CSV call a code by the area's name
/// for it (or, for an organisation outside the area, the first name an event gave), however a
/// later event spelt it; so the count of organisations matches the names listed.
#[tokio::test]
async fn an_organisation_has_one_name_however_events_spell_it() {
    let app = TestApp::spawn().await;
    let mut grace = grace_with_events(&app, 2).await;
    let events = vec![
        event("n-1", GRACE, 1, "Dr Odd", "RY1", "Totally Different Name", false, "TREAT"),
        event("n-2", GRACE, 2, "Dr Out", "RZ9", "Westvale Hospice", false, "TREAT"),
        event("n-3", GRACE, 3, "Dr Out", "RZ9", "Westvale Hospice (renamed)", false, "TREAT"),
        // Known by its code alone at first, then named: the name is taken.
        AccessEvent { org_name: None, ..event("n-4", GRACE, 4, "Dr Code", "RZ8", "", false, "TREAT") },
    ];
    app.state.store.ingest_access_events(&events, Utc::now()).await.unwrap();
    let events = vec![event("n-5", GRACE, 5, "Dr Code", "RZ8", "Eastvale Clinic", false, "TREAT")];
    app.state.store.ingest_access_events(&events, Utc::now()).await.unwrap();
    let page = grace.get("/access-log").await;
    let csv = grace.get("/access-log/download.csv").await;
    for body in [&page.body, &csv.body] {
        assert!(!body.contains("Totally Different Name"), "the area's name for RY1, not the event's");
        assert!(!body.contains("(renamed)"), "the first name given for a code outside the area");
        assert!(body.contains("Westvale Hospice"));
        assert!(body.contains("Eastvale Clinic"), "a code first sent without a name takes the name sent next");
    }
    assert!(page.body.contains("7 looks at your record by 4 organisations"), "{}", page.body);

    // Another area's system, and when it last sent anything, is not on Grace's page.
    let store = &app.state.store;
    let northshire = store.area_by_slug(&app::domain::AreaSlug::parse("northshire").unwrap()).await.unwrap().unwrap();
    let (client_id, _) = app::staff_admin::ssr::register_source(&**store, "Northshire Care Record", Some(northshire.id)).await.unwrap();
    let mut amira = event("a-1", "9434765919", 1, "Dr North", "RX1", "Northshire Hospitals NHS Foundation Trust", false, "TREAT");
    amira.source_id = Some(store.source_by_client_id(&client_id).await.unwrap().unwrap().id);
    store.ingest_access_events(&[amira], Utc::now()).await.unwrap();
    let page = grace.get("/access-log").await;
    assert!(page.body.contains("Southvale Care Record"), "her own area's system");
    assert!(!page.body.contains("Northshire Care Record"), "not another area's");
}

#[tokio::test]
async fn a_patient_pages_through_their_own_log() {
    let app = TestApp::spawn().await;
    let mut grace = grace_with_events(&app, 60).await;
    let first = grace.get("/access-log").await;
    assert_eq!(first.status, 200);
    assert!(first.body.contains("Dr Person 0"));
    assert!(first.body.contains("Emergency access"), "the emergency look is marked");
    assert!(first.body.contains("Automated checks by Southvale Care Record: 2 times"), "automated checks collapsed");
    assert!(!first.body.contains("Nightly matching"));
    assert_eq!(first.body.matches("/concern\"").count(), 25, "a page of 25 looks, each with its concern link");
    // One line at the top: looks by people that succeeded (not the automated checks, nor the
    // attempt that did not), by how many organisations, since when.
    assert!(first.body.contains("60 looks at your record by 2 organisations since "), "the summary line");
    assert!(first.body.contains("Dr Denied"), "the failed attempt is listed");

    // Keyset paging: the next page starts where this one ended; nothing repeats or is lost.
    let mut seen: Vec<String> = Vec::new();
    let mut page = first;
    let mut pages = 0;
    loop {
        pages += 1;
        for i in 0..60 {
            let name = format!("Dr Person {i} (");
            if page.body.contains(&name) {
                seen.push(name);
            }
        }
        let newest = pagination_link(&page.body, "prev");
        assert_eq!(newest.is_some(), pages > 1, "an older page links back to the newest");
        if let Some(newest) = newest {
            assert_eq!(newest, "/access-log");
        }
        match older(&page.body) {
            Some(next) => {
                assert!(next.contains("before="), "{next}");
                page = grace.get(&next).await;
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 60, "each look once across the pages");

    let shown = grace.get("/access-log?automated=show").await;
    assert!(shown.body.contains("Nightly matching"));
    assert!(!grace.get("/access-log").await.body.contains("Clear the filter"), "no filter, nothing to clear");
    let filtered = grace.get("/access-log?org=RY2").await;
    assert!(filtered.body.contains("Dr Person 1"));
    assert!(filtered.body.contains("Showing looks by "), "the filter in force is said");
    assert!(filtered.body.contains("30 looks at your record by 1 organisation since "), "the summary follows the filter");
    assert!(filtered.body.contains("href=\"/access-log\">Clear the filter</a>"));
    assert!(filtered.body.contains("not only the ones the filter shows"), "the downloads are said to be the whole list");
    assert!(!grace.get("/access-log").await.body.contains("not only the ones the filter shows"));
    let lower = grace.get("/access-log?org=%20ry2%20").await;
    assert!(lower.body.contains("30 looks at your record by 1 organisation since "), "an ODS code in lower case, padded, is the same code");
    assert!(lower.body.contains("value=\"RY2\" selected"), "and it shows chosen in the list, so the next filter keeps it");
    let dated = grace.get("/access-log?from-day=1&from-month=3&from-year=2026&to-day=31&to-month=3&to-year=2026").await;
    assert!(dated.body.contains("Showing looks from 1 March 2026 to 31 March 2026."), "dates in words");
    assert!(!filtered.body.contains("Dr Person 0 ("));
    let bad = grace.get("/access-log?from-day=31&from-month=2&from-year=2026").await;
    assert!(bad.body.contains("The start date must be a real date"));

    let csv = grace.get("/access-log/download.csv").await;
    assert!(csv.body.starts_with("When (UK time),Organisation,Who"));
    assert_eq!(csv.body.lines().count(), 64, "a header and every event, the failed attempt too");
    let fhir = grace.get("/access-log/download.json").await;
    let bundle: serde_json::Value = serde_json::from_str(&fhir.body).unwrap();
    assert_eq!(bundle["entry"].as_array().unwrap().len(), 63);
    let systems: Vec<&str> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["resource"]["agent"][0]["type"]["coding"][0]["code"] == "110150")
        .map(|x| x["resource"]["agent"][0]["who"]["display"].as_str().unwrap())
        .collect();
    assert!(!systems.is_empty() && systems.iter().all(|d| *d == "Nightly matching"), "a system by its own name, to read back in as it was: {systems:?}");
}

#[tokio::test]
async fn a_patient_never_sees_anyone_elses_looks() {
    let app = TestApp::spawn().await;
    let mut grace = grace_with_events(&app, 3).await;
    let page = grace.get("/access-log").await;
    assert!(!page.body.contains("Dr Priya Natarajan"), "Amira's demonstration events are hers alone");
    let amiras = crate::helpers::every_access_event(&*app.state.store, crate::helpers::nhs("9434765919")).await
        .remove(0);
    let form = grace.get(&format!("/access-log/{}/concern", amiras.id)).await;
    assert!(form.body.contains("We could not find that record"));
    let post = grace.post_form(&format!("/access-log/{}/concern", amiras.id), &[("words", "x"), ("contact", "email"), ("email", "g@example.com")]).await;
    assert_eq!(post.status, 404);
    assert!(!grace.get("/access-log/download.csv").await.body.contains("Natarajan"));
    let mut tom = app.signed_in("demo-patient-p5").await;
    let refused = tom.get("/access-log").await.body;
    assert!(refused.contains("not yet proved who you are") && refused.contains("href=\"/areas/southvale\""), "{refused}");
}

#[tokio::test]
async fn a_concern_goes_to_the_ig_lead_who_decides_it() {
    let app = TestApp::spawn().await;
    let mut grace = grace_with_events(&app, 2).await;
    let id = app
        .state
        .store
        .access_events(&app::server::AccessQuery { nhs_number: crate::helpers::nhs(GRACE), from: None, to: None, org_ods: Some("RY2".into()), include_automated: false, before: None, limit: 1 })
        .await
        .unwrap()
        .remove(0)
        .id;
    let form = grace.get(&format!("/access-log/{id}/concern")).await;
    assert!(form.body.contains("Dr Person 1"));
    let at = form.body.find("name=\"key\" value=\"").unwrap() + 18;
    let key = form.body[at..at + 43].to_string();
    let back = grace.post_form(&format!("/access-log/{id}/concern"), &[("key", &key), ("contact", "email"), ("email", "grace@example.com")]).await;
    let again = grace.get(back.location.as_deref().unwrap()).await;
    assert!(again.body.contains("Tell us what you do not recognise"));
    assert!(again.body.contains("grace@example.com"), "what was typed is kept");
    let fields = [("key", key.as_str()), ("words", "I have never been to the ambulance service."), ("contact", "email"), ("email", "grace@example.com")];
    let sent = grace.post_form(&format!("/access-log/{id}/concern"), &fields).await;
    let confirmation = sent.location.clone().unwrap();
    assert!(confirmation.starts_with("/your-requests/CON-"), "{confirmation}");
    assert_eq!(grace.post_form(&format!("/access-log/{id}/concern"), &fields).await.location, sent.location, "sent once");
    let reference = confirmation.trim_start_matches("/your-requests/").trim_end_matches("/confirmation").to_string();

    // Due in the area's 20 working days.
    let case = app.state.store.cases_for_patient("demo-patient-p9-southvale").await.unwrap().remove(0);
    let holidays = app.state.store.bank_holidays().await.unwrap();
    assert_eq!(case.due_on, Some(holidays.add_working_days(case.received_on, 20)));

    let mut samuel = app.signed_in("demo-ig-lead").await;
    assert!(samuel.get("/cases?kind=access_concern").await.body.contains(&reference));
    let page = samuel.get(&format!("/cases/{reference}")).await;
    assert!(page.body.contains("I have never been to the ambulance service."));
    // The IG lead's look is itself in Grace's log.
    assert!(grace.get("/access-log").await.body.contains(&format!("your request {reference}")));

    let back = samuel.post_form(&format!("/cases/{reference}/decide-concern"), &[("outcome", "upheld"), ("explanation", "A crew opened the wrong record.")]).await;
    assert!(back.location.unwrap().contains("form=decide-concern"), "upheld needs what was done");
    let done = samuel
        .post_form(&format!("/cases/{reference}/decide-concern"), &[("outcome", "upheld"), ("explanation", "A crew opened the wrong record."), ("action", "Retrained and reported.")])
        .await;
    assert!(done.location.unwrap().ends_with("?done=decided"));
    let mine = grace.get(&format!("/your-requests/{reference}")).await;
    assert!(mine.body.contains("We upheld your concern and have acted on it"));
    assert!(mine.body.contains("Retrained and reported."));
}

#[tokio::test]
async fn only_the_ig_lead_decides_a_concern() {
    let app = TestApp::spawn().await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let id = app
        .state
        .store
        .access_events(&app::server::AccessQuery { nhs_number: crate::helpers::nhs("9434765919"), from: None, to: None, org_ods: None, include_automated: false, before: None, limit: 1 })
        .await
        .unwrap()
        .remove(0)
        .id;
    let form = amira.get(&format!("/access-log/{id}/concern")).await;
    let at = form.body.find("name=\"key\" value=\"").unwrap() + 18;
    let key = form.body[at..at + 43].to_string();
    let sent = amira
        .post_form(&format!("/access-log/{id}/concern"), &[("key", &key), ("words", "Who is this?"), ("contact", "text"), ("mobile", "07700900982")])
        .await;
    let reference = sent.location.unwrap().trim_start_matches("/your-requests/").trim_end_matches("/confirmation").to_string();
    let mut chloe = app.signed_in("demo-case-worker").await;
    let refused = chloe.post_form(&format!("/cases/{reference}/decide-concern"), &[("outcome", "explained"), ("explanation", "x")]).await;
    assert_eq!(refused.status, 403);
    assert!(!chloe.get(&format!("/cases/{reference}")).await.body.contains("Decide the concern"));
}

#[tokio::test]
async fn an_area_can_show_roles_only() {
    let app = TestApp::spawn().await;
    let area = app.state.store.area_by_slug(&app::domain::AreaSlug::parse("southvale").unwrap()).await.unwrap().unwrap();
    app.state.store.set_area_access_settings(area.id, false, 10).await.unwrap();
    let mut grace = grace_with_events(&app, 2).await;
    let page = grace.get("/access-log").await;
    assert!(page.body.contains("Physician"));
    assert!(!page.body.contains("Dr Person 0"), "names hidden when the area chooses roles only");
}

/// An event recorded at 08:30 UTC in summer happened at 09:30 in the UK: the page and the CSV say
/// 09:30, the FHIR download keeps the offset, and it has no nulls where nothing is known.
#[tokio::test]
async fn times_are_uk_local_and_the_download_is_valid_fhir_json() {
    let app = TestApp::spawn().await;
    let mut e = event("bst-1", GRACE, 0, "Dr Summer", "RY1", "Southvale University Hospitals NHS Trust", false, "TREAT");
    e.recorded_at = chrono::DateTime::parse_from_rfc3339("2026-07-01T08:30:00Z").unwrap().with_timezone(&Utc);
    let mut unknown_org = event("bst-2", GRACE, 0, "Dr Nowhere", "RY1", "x", false, "TREAT");
    unknown_org.recorded_at = e.recorded_at;
    unknown_org.org_ods = None;
    unknown_org.org_name = None;
    app.state.store.ingest_access_events(&[e, unknown_org], Utc::now()).await.unwrap();
    let mut grace = app.signed_in("demo-patient-p9-southvale").await;
    let page = grace.get("/access-log?from-day=1&from-month=7&from-year=2026&to-day=1&to-month=7&to-year=2026").await;
    assert!(page.body.contains("09:30"), "the page shows UK time");
    assert!(!page.body.contains("08:30"));
    let csv = grace.get("/access-log/download.csv").await;
    assert!(csv.body.contains("2026-07-01 09:30:00"), "{}", csv.body);
    let fhir = grace.get("/access-log/download.json").await;
    assert!(fhir.body.contains("2026-07-01T09:30:00+01:00"), "machine exports keep the offset");
    assert!(!fhir.body.contains("null"), "FHIR JSON has no nulls: {}", fhir.body);
}

/// The patient's downloads and a subject access response hold every look, however many: the
/// events are read a page at a time, newest first, each once.
async fn every_event_is_read_past_a_page(db: crate::helpers::TestDb) {
    use app::server::store::AccessEventStore;
    use chrono::Timelike;
    let now = Utc::now().with_nanosecond(0).unwrap();
    let store = server::db::Db::connect(&db.url, 4).await.unwrap();
    let nhs = crate::helpers::nhs("9434765919");
    // More than a page (10,000), some at the same moment, so the keyset must break ties by id.
    let events: Vec<AccessEvent> = (0..10_050)
        .map(|i| {
            let mut e = event(&format!("e{i}"), "9434765919", i / 3, "Dr A", "RX1", "Northshire", false, "TREAT");
            e.recorded_at = now - Duration::minutes(i / 3);
            e
        })
        .collect();
    store.ingest_access_events(&events, Utc::now()).await.unwrap();
    let all = app::access_log::ssr::every_event(&store, &nhs).await.unwrap();
    assert_eq!(all.len(), 10_050, "every event, none twice, none left out");
    let mut ids: Vec<i64> = all.iter().map(|e| e.id).collect();
    assert!(all.windows(2).all(|w| (w[0].recorded_at, w[0].id) > (w[1].recorded_at, w[1].id)), "newest first");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 10_050);
}

crate::on_both_backends!(every_event_is_read_past_a_page);
