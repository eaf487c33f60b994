//! The storage conformance suite: every behaviour, on SQLite and on PostgreSQL.

use crate::helpers::TestDb;
use crate::on_both_backends;
use app::domain::{AreaSlug, NhsNumber, OdsCode, ProofingLevel, Role};
use app::domain::people::{Patient, SignedIn};
use app::server::store::*;
use app::server::{LoginFlow, SessionRecord, Store, StoreError};
use chrono::{Duration, Utc};
use server::db::Db;

async fn open(db: &TestDb) -> Db {
    Db::connect(&db.url, 2).await.expect("database opens and migrates")
}

fn slug(s: &str) -> AreaSlug {
    AreaSlug::parse(s).unwrap()
}

fn practice(name: &str, address: &str, postcode: Option<&str>) -> PracticeDetails {
    PracticeDetails { name: name.into(), address: address.into(), postcode: postcode.map(|p| app::domain::practice::Postcode::parse(p).unwrap()) }
}

/// Surgeries are found by the words of their name and address and by the district or area of
/// their postcode, in any area; details can change and are found by their new words.
async fn practices_are_found_by_name_address_and_postcode(db: TestDb) {
    use app::domain::practice::search_words;
    let store = open(&db).await;
    let east = store.create_area(&slug("eastmoor"), "Eastmoor").await.unwrap();
    let west = store.create_area(&slug("westmoor"), "Westmoor").await.unwrap();
    for (area, code, name, address, postcode) in [
        (east.id, "E81001", "St Mary\u{2019}s Surgery", "Church Lane, Eastbury", Some("EM1 2AB")),
        (east.id, "E81002", "Eastbury Health Centre", "1 High Street, Eastbury", Some("EM1 9ZZ")),
        (east.id, "E81003", "Moorside Practice", "Moor Road, Little Dene", Some("EM12 3CD")),
        (west.id, "W81001", "Mary Street Surgery", "4 Mary Street, Westbury", Some("W1 4EF")),
        (west.id, "W81002", "No Postcode Yet Surgery", "", None),
    ] {
        store.add_practice(area, &OdsCode::parse(code).unwrap(), &practice(name, address, postcode)).await.unwrap();
    }
    let names = |found: Vec<Practice>| found.into_iter().map(|p| p.name).collect::<Vec<_>>();
    let words = |s: &str| search_words(s);
    assert_eq!(names(store.search_practices(PracticeMatch::Words(&words("mary")), 10).await.unwrap()), ["Mary Street Surgery", "St Mary\u{2019}s Surgery"]);
    assert_eq!(names(store.search_practices(PracticeMatch::Words(&words("st marys")), 10).await.unwrap()), ["St Mary\u{2019}s Surgery"]);
    assert_eq!(names(store.search_practices(PracticeMatch::Words(&words("EASTBURY")), 10).await.unwrap()), ["Eastbury Health Centre", "St Mary\u{2019}s Surgery"], "the town in the address");
    assert_eq!(names(store.search_practices(PracticeMatch::Words(&words("em12")), 10).await.unwrap()), ["Moorside Practice"], "the postcode is a word too");
    assert_eq!(names(store.search_practices(PracticeMatch::Words(&words("surgery")), 2).await.unwrap()).len(), 2, "at most the limit");
    assert!(store.search_practices(PracticeMatch::Words(&words("nowhere")), 10).await.unwrap().is_empty());
    assert!(store.search_practices(PracticeMatch::Words(&words("ary")), 10).await.unwrap().is_empty(), "words match from their start");
    assert_eq!(names(store.search_practices(PracticeMatch::Words(&words("eastb heal")), 10).await.unwrap()), ["Eastbury Health Centre"], "as typed so far");
    assert!(store.search_practices(PracticeMatch::Words(&[]), 10).await.unwrap().is_empty(), "no words match nothing, not everything");
    assert_eq!(names(store.search_practices(PracticeMatch::District("EM1"), 10).await.unwrap()), ["Eastbury Health Centre", "St Mary\u{2019}s Surgery"], "EM12 is another district");
    assert_eq!(names(store.search_practices(PracticeMatch::PostcodeArea("EM"), 10).await.unwrap()).len(), 3);
    assert!(store.search_practices(PracticeMatch::PostcodeArea("E"), 10).await.unwrap().is_empty(), "E is not EM");

    let code = OdsCode::parse("W81002").unwrap();
    assert_eq!(store.update_practice(west.id, &code, &practice("Heathside Surgery", "9 Heath Road, Westbury", Some("W2 1GH"))).await.unwrap(), 1);
    assert_eq!(store.update_practice(east.id, &code, &practice("Not theirs", "", None)).await.unwrap(), 0, "only the area's own");
    assert_eq!(names(store.search_practices(PracticeMatch::Words(&words("heath")), 10).await.unwrap()), ["Heathside Surgery"]);
    assert!(store.search_practices(PracticeMatch::Words(&words("postcode yet")), 10).await.unwrap().is_empty(), "old words forgotten");
    let held = store.practice(&code).await.unwrap().unwrap();
    assert_eq!((held.area_id, held.postcode.map(|p| p.to_string())), (west.id, Some("W2 1GH".into())));
}

async fn areas_practices_and_organisations(db: TestDb) {
    let store = open(&db).await;
    let area = store.create_area(&slug("testshire"), "Testshire Care Record").await.unwrap();
    store.add_practice(area.id, &OdsCode::parse("Y12345").unwrap(), &practice("Elm Surgery", "2 Elm Row, Testbury", Some("TS1 2AB"))).await.unwrap();
    store.add_organisation(area.id, &OdsCode::parse("RZZ").unwrap(), "Testshire Trust").await.unwrap();

    assert_eq!(store.area_by_slug(&slug("testshire")).await.unwrap().unwrap().name, "Testshire Care Record");
    assert!(store.area_by_slug(&slug("nowhere")).await.unwrap().is_none());
    let p = store.practice(&OdsCode::parse("y12345").unwrap()).await.unwrap().unwrap();
    assert_eq!((p.area_id, p.name.as_str()), (area.id, "Elm Surgery"));
    assert!(store.practice(&OdsCode::parse("Y99999").unwrap()).await.unwrap().is_none());
    assert_eq!(store.organisations(area.id).await.unwrap()[0].ods_code.as_str(), "RZZ");

    assert_eq!((p.address.as_str(), p.postcode.as_ref().map(|c| c.as_str())), ("2 Elm Row, Testbury", Some("TS1 2AB")));
    let again = store.add_practice(area.id, &OdsCode::parse("Y12345").unwrap(), &practice("Elm", "", None)).await;
    assert!(matches!(again, Err(StoreError::Conflict)), "a practice belongs to one area: {again:?}");

    let dup = store.create_area(&slug("testshire"), "Again").await;
    assert!(matches!(dup, Err(StoreError::Conflict)), "{dup:?}");
}

async fn notices_are_versioned_and_published_by_date(db: TestDb) {
    let store = open(&db).await;
    let area = store.create_area(&slug("testshire"), "Testshire").await.unwrap();
    let now = Utc::now();
    assert!(store.current_notice(area.id, app::domain::NoticeVariant::Main, now).await.unwrap().is_none());
    let v1 = store.publish_notice(area.id, app::domain::NoticeVariant::Main, "Notice", "First", now - Duration::days(2)).await.unwrap();
    let v2 = store.publish_notice(area.id, app::domain::NoticeVariant::Main, "Notice", "Second", now - Duration::days(1)).await.unwrap();
    let v3 = store.publish_notice(area.id, app::domain::NoticeVariant::Main, "Notice", "Future", now + Duration::days(7)).await.unwrap();
    assert_eq!((v1.version, v2.version, v3.version), (1, 2, 3));
    let current = store.current_notice(area.id, app::domain::NoticeVariant::Main, now).await.unwrap().unwrap();
    assert_eq!(current.body_markdown, "Second", "a notice dated in the future is not yet current");
}

async fn the_staff_directory_grants_and_removes_roles(db: TestDb) {
    let store = open(&db).await;
    store.create_area(&slug("north"), "North").await.unwrap();
    store.create_area(&slug("south"), "South").await.unwrap();
    store.add_staff_grant("sub-1", "Ann Lee", Role::CaseWorker, &slug("north")).await.unwrap();
    store.add_staff_grant("sub-1", "Ann Lee", Role::IgLead, &slug("south")).await.unwrap();
    store.add_staff_grant("sub-1", "Ann Lee", Role::IgLead, &slug("south")).await.unwrap();
    store.add_staff_grant("sub-2", "Bo Chan", Role::Admin, &slug("north")).await.unwrap();

    let ann = store.staff_member("sub-1").await.unwrap().unwrap();
    assert_eq!(ann.grants.len(), 2, "granting twice keeps one grant");
    assert!(ann.grants.iter().any(|g| g.role == Role::IgLead && g.area_slug == "south"));
    assert_eq!(store.list_staff().await.unwrap().len(), 2);
    assert!(store.staff_member("nobody").await.unwrap().is_none());
    assert!(matches!(
        store.add_staff_grant("sub-3", "X", Role::Admin, &slug("nowhere")).await,
        Err(StoreError::NotFound)
    ));

    assert_eq!(store.remove_staff("sub-1", Some((Role::IgLead, &slug("south")))).await.unwrap(), 1);
    assert_eq!(store.staff_member("sub-1").await.unwrap().unwrap().grants.len(), 1);
    assert!(store.remove_staff("sub-1", None).await.unwrap() >= 1);
    assert!(store.staff_member("sub-1").await.unwrap().is_none());
}

fn patient() -> SignedIn {
    SignedIn::Patient(Patient {
        subject: "nhs-login-sub".into(),
        nhs_number: NhsNumber::parse("9434765919").unwrap(),
        given_name: "Amira".into(),
        family_name: "Khan".into(),
        birth_date: Some("1984-03-12".into()),
        proofing: ProofingLevel::P9,
        vot: Some("P9.Cp.Cd".into()),
        gp_practice: Some(OdsCode::parse("Y90001").unwrap()),
        area_slug: Some("northshire".into()),
    })
}

async fn sessions_are_stored_touched_and_expire(db: TestDb) {
    let store = open(&db).await;
    let now = Utc::now();
    let record = SessionRecord {
        id_hash: "hash-1".into(),
        holder: patient(),
        created_at: now,
        last_seen_at: now,
        idle_timeout_secs: 1800,
        absolute_expires_at: now + Duration::hours(12),
    };
    store.create_session(&record).await.unwrap();
    let back = store.session("hash-1").await.unwrap().unwrap();
    assert_eq!(back.holder, patient());
    assert_eq!(back.idle_timeout_secs, 1800);

    let later = now + Duration::minutes(20);
    store.touch_session("hash-1", later, later + Duration::minutes(30)).await.unwrap();
    assert!(store.session("hash-1").await.unwrap().unwrap().last_seen_at > now + Duration::minutes(19));

    assert_eq!(store.delete_expired_sessions(now + Duration::minutes(40)).await.unwrap(), 0, "touched: still alive");
    assert_eq!(store.delete_expired_sessions(now + Duration::minutes(51)).await.unwrap(), 1, "idle too long");
    assert!(store.session("hash-1").await.unwrap().is_none());

    store.create_session(&SessionRecord { id_hash: "hash-2".into(), ..record }).await.unwrap();
    store.delete_session("hash-2").await.unwrap();
    assert!(store.session("hash-2").await.unwrap().is_none());
}

async fn a_login_flow_can_be_taken_once(db: TestDb) {
    let store = open(&db).await;
    let flow = LoginFlow {
        state_hash: "state-hash".into(),
        audience: "patient".into(),
        pkce_verifier: "verifier".into(),
        nonce: "nonce".into(),
        browser_hash: "browser".into(),
        expires_at: Utc::now() + Duration::minutes(10),
    };
    store.put_login_flow(&flow).await.unwrap();
    let taken = store.take_login_flow("state-hash").await.unwrap().unwrap();
    assert_eq!((taken.nonce.as_str(), taken.audience.as_str()), ("nonce", "patient"));
    assert!(store.take_login_flow("state-hash").await.unwrap().is_none(), "a replayed callback finds nothing");
}

async fn migrations_run_twice_without_harm(db: TestDb) {
    let store = open(&db).await;
    store.migrate().await.expect("second run is a no-op");
    store.ping().await.unwrap();
    server::seed::load(&store).await.unwrap();
    server::seed::load(&store).await.unwrap();
    assert_eq!(store.list_areas().await.unwrap().len(), 2, "demo data loads once");
}

/// A first start killed part-way left an area with no practices, organisations, notice or
/// templates, and only some of the demonstration events: the next start completes it all.
async fn an_interrupted_first_start_is_completed_by_the_next(db: TestDb) {
    let store = open(&db).await;
    let north = store.create_area(&app::domain::AreaSlug::parse("northshire").unwrap(), "Northshire Shared Care Record").await.unwrap();
    store.add_practice(north.id, &app::domain::OdsCode::parse("Y90001").unwrap(), &practice("Riverside Medical Centre", "", None)).await.unwrap();
    server::seed::load(&store).await.unwrap();
    let practices = store.practices(north.id).await.unwrap();
    assert_eq!(practices.len(), 5, "the missing practices added, the held one kept");
    assert!(practices.iter().all(|p| !p.address.is_empty() && p.postcode.is_some()), "the held one given its address: {practices:?}");
    assert_eq!(store.organisations(north.id).await.unwrap().len(), 4);
    assert_eq!(store.notice_versions(north.id).await.unwrap().len(), 1, "a notice published");
    let templates = store.decision_templates(north.id).await.unwrap().len();
    assert!(templates > 0, "starter templates added");
    let events = |store: server::db::Db| async move {
        crate::helpers::every_access_event(&store, crate::helpers::nhs("9434765919")).await
            .len()
    };
    let held = events(store.clone()).await;
    assert!(held > 30, "a month of demonstration events");
    server::seed::load(&store).await.unwrap();
    assert_eq!(store.notice_versions(north.id).await.unwrap().len(), 1, "not published twice");
    assert_eq!(store.decision_templates(north.id).await.unwrap().len(), templates);
    assert_eq!(events(store.clone()).await, held, "no event twice");
}

on_both_backends!(
    practices_are_found_by_name_address_and_postcode,
    areas_practices_and_organisations,
    notices_are_versioned_and_published_by_date,
    the_staff_directory_grants_and_removes_roles,
    sessions_are_stored_touched_and_expire,
    a_login_flow_can_be_taken_once,
    migrations_run_twice_without_harm,
    an_interrupted_first_start_is_completed_by_the_next,
);

#[tokio::test]
async fn a_failed_migration_stops_the_start_with_a_clear_message() {
    use sqlx::Connection;
    let db = TestDb::sqlite();
    // A database whose migration history says a migration ran with a different checksum.
    let mut c = sqlx::SqliteConnection::connect(&format!("{}?mode=rwc", db.url)).await.unwrap();
    sqlx::query("CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, installed_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, success BOOLEAN NOT NULL, checksum BLOB NOT NULL, execution_time BIGINT NOT NULL)")
        .execute(&mut c).await.unwrap();
    sqlx::query("INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (1, 'skeleton', 1, x'00', 0)")
        .execute(&mut c).await.unwrap();
    drop(c);
    let err = Db::connect(&db.url, 1).await.unwrap_err().to_string();
    assert!(err.starts_with("database migration failed, so the portal has not started"), "{err}");
}
