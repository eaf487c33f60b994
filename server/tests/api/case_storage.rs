//! The storage conformance suite for cases, drafts, the outbox, staff actions and bank
//! holidays: every behaviour on SQLite and on PostgreSQL.

use crate::helpers::TestDb;
use crate::on_both_backends;
use app::domain::objection::{Objection, ObjectionScope};
use app::domain::{AreaSlug, CaseKind, CaseReference, CaseStatus, Contact, FreeText, NhsNumber};
use app::server::store::*;
use chrono::{Duration, NaiveDate, Utc};
use server::db::Db;

async fn open(db: &TestDb) -> (Db, Area) {
    let store = Db::connect(&db.url, 4).await.expect("database opens and migrates");
    let area = store.create_area(&AreaSlug::parse("testshire").unwrap(), "Testshire").await.unwrap();
    (store, area)
}

pub(crate) fn new_case(area: &Area, subject: &str, key: &str, reference: [u8; 5]) -> NewCase {
    let now = Utc::now();
    let contact = Contact::Email("pat@example.com".into());
    let reference = CaseReference::from_random(CaseKind::Objection, reference);
    NewCase {
        reference: reference.clone(),
        area_id: area.id,
        kind: CaseKind::Objection,
        patient: CasePatient {
            subject: subject.into(),
            nhs_number: NhsNumber::parse("9434765919").unwrap(),
            name: "Pat Test".into(),
            birth_date: Some("1980-01-01".into()),
        },
        details: CaseDetails::Objection(Objection {
            scope: ObjectionScope::WholeRecord,
            reason: FreeText::parse("My reasons", 2000).unwrap(),
            contact: contact.clone(),
        }),
        contact: contact.clone(),
        received_on: NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
        due_on: NaiveDate::from_ymd_opt(2026, 12, 24),
        idempotency_key: key.into(),
        at: now,
        event: CaseEvent {
            at: now,
            actor: Actor::Patient,
            actor_subject: Some(subject.into()),
            actor_name: None,
            kind: app::domain::CaseEventKind::Received,
            public: true,
            text: "We received your objection.".into(),
        },
        message: Some(NewMessage { contact, template: app::domain::MessageTemplate::Received, reference }),
    }
}

async fn a_case_opens_once_per_key(db: TestDb) {
    let (store, area) = open(&db).await;
    let (first, created) = store.open_case(&new_case(&area, "pat", "key-1", [1; 5])).await.unwrap();
    assert!(created);
    assert_eq!(first.status, CaseStatus::Received);
    let (again, created) = store.open_case(&new_case(&area, "pat", "key-1", [2; 5])).await.unwrap();
    assert!(!created, "the same key finds the first case");
    assert_eq!(again.reference, first.reference);
    // Another patient may happen to use the same key: a case of their own.
    let (other, created) = store.open_case(&new_case(&area, "someone-else", "key-1", [3; 5])).await.unwrap();
    assert!(created);
    assert_ne!(other.id, first.id);
    // A clashing reference is refused, so the caller can draw another.
    let clash = store.open_case(&new_case(&area, "pat", "key-2", [1; 5])).await;
    assert!(matches!(clash, Err(StoreError::Conflict)), "{clash:?}");

    let found = store.case_by_reference(&first.reference).await.unwrap().unwrap();
    assert_eq!(found, first);
    assert_eq!(found.details, new_case(&area, "pat", "key-1", [1; 5]).details);
    assert_eq!(store.cases_for_patient("pat").await.unwrap().len(), 1);
    assert_eq!(store.case_events(first.id).await.unwrap().len(), 1);
    assert_eq!(store.messages_for_case(first.id).await.unwrap().len(), 1);
}

async fn a_status_changes_only_from_where_it_stands(db: TestDb) {
    let (store, area) = open(&db).await;
    let (case, _) = store.open_case(&new_case(&area, "pat", "k", [4; 5])).await.unwrap();
    let change = |to: CaseStatus, text: &str| {
        let mut u = CaseUpdate::on(
            &case,
            CaseEvent {
                at: Utc::now(),
                actor: Actor::Patient,
                actor_subject: Some("pat".into()),
                actor_name: None,
                kind: app::domain::CaseEventKind::parse(to.as_str()).unwrap_or(app::domain::CaseEventKind::Decided),
                public: true,
                text: text.into(),
            },
        );
        u.expect_status = vec![CaseStatus::Received, CaseStatus::InformationNeeded];
        u.status = Some(to);
        u
    };
    assert!(store.update_case(&change(CaseStatus::Withdrawn, "You withdrew this objection.")).await.unwrap());
    assert!(!store.update_case(&change(CaseStatus::Upheld, "too late")).await.unwrap(), "already closed");
    let now = store.case_by_reference(&case.reference).await.unwrap().unwrap();
    assert_eq!(now.status, CaseStatus::Withdrawn);
    let events = store.case_events(case.id).await.unwrap();
    assert_eq!(events.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(), vec!["We received your objection.", "You withdrew this objection."]);
}

async fn drafts_belong_to_their_owner(db: TestDb) {
    let (store, _) = open(&db).await;
    let draft = |owner: &str, text: &str| Draft {
        key: "k1".into(),
        owner_subject: owner.into(),
        form: "objection".into(),
        answers: serde_json::json!({ "reason": text }),
        errors: vec![("scope".into(), "Select what your objection is about".into())],
        updated_at: Utc::now(),
    };
    store.save_draft(&draft("pat", "first")).await.unwrap();
    store.save_draft(&draft("pat", "second")).await.unwrap();
    assert_eq!(store.draft("k1", "pat").await.unwrap().unwrap().answers["reason"], "second");
    assert!(matches!(store.save_draft(&draft("mallory", "mine now")).await, Err(StoreError::Conflict)));
    assert!(store.draft("k1", "mallory").await.unwrap().is_none());
    assert_eq!(store.draft("k1", "pat").await.unwrap().unwrap().answers["reason"], "second", "untouched");
    assert_eq!(store.delete_old_drafts(Utc::now() + Duration::seconds(1)).await.unwrap(), 1);
}

async fn messages_are_claimed_by_one_sender_at_a_time(db: TestDb) {
    let (store, area) = open(&db).await;
    for i in 0..6u8 {
        store.open_case(&new_case(&area, "pat", &format!("k{i}"), [i + 10; 5])).await.unwrap();
    }
    let now = Utc::now() + Duration::seconds(1);
    let (a, b) = tokio::join!(
        store.claim_messages(now, Duration::minutes(2), 4),
        store.claim_messages(now, Duration::minutes(2), 4)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.len() + b.len(), 6, "every message claimed once");
    assert!(a.iter().all(|m| b.iter().all(|n| n.id != m.id)), "never by both");
    assert!(store.claim_messages(now, Duration::minutes(2), 10).await.unwrap().is_empty(), "leased");
    assert!(a.iter().chain(&b).all(|m| !m.in_doubt), "first claims");
    // A lease that runs out (a sender that died) frees the message again, in doubt: it may
    // have gone. The old claim can no longer renew it or mark it sent.
    let later = now + Duration::minutes(3);
    let again = store.claim_messages(later, Duration::minutes(2), 10).await.unwrap();
    assert_eq!(again.len(), 6);
    assert!(again.iter().all(|m| m.in_doubt));
    let stale = a.iter().chain(&b).find(|m| m.id == again[0].id).unwrap();
    assert!(!store.renew_claim(stale.id, &stale.claim, later, Duration::minutes(2)).await.unwrap(), "the old claim is not renewed");
    assert!(!store.message_sent(stale.id, &stale.claim, "notify-id", later).await.unwrap(), "nor marks it sent");
    assert!(store.renew_claim(again[0].id, &again[0].claim, later, Duration::minutes(2)).await.unwrap());
    assert!(store.message_sent(again[0].id, &again[0].claim, "notify-id", later).await.unwrap());
    assert!(!store.message_sent(again[0].id, &again[0].claim, "notify-id", later).await.unwrap(), "sent once");
    assert!(store.message_failed(again[1].id, &again[1].claim, "Notify answered 500", Some(later + Duration::minutes(1)), later).await.unwrap());
    assert!(store.message_failed(again[2].id, &again[2].claim, "Notify answered 400", None, later).await.unwrap());
    let far = later + Duration::minutes(10);
    let left = store.claim_messages(far, Duration::minutes(2), 10).await.unwrap();
    assert_eq!(left.len(), 4, "the sent and the given-up are done; the retried one is back");
    let retried = left.iter().find(|m| m.id == again[1].id).unwrap();
    assert_eq!(retried.attempts, 1);
    assert!(!retried.in_doubt, "a failure is an answer: the retry is not in doubt");
}

async fn staff_actions_cannot_be_changed(db: TestDb) {
    let (store, area) = open(&db).await;
    let now = Utc::now();
    match &store {
        Db::Sqlite(_, p) => {
            sqlx::query("INSERT INTO staff_actions (at, actor_subject, area_id, action, detail) VALUES ($1, 'cw', $2, 'viewed', '')")
                .bind(now).bind(area.id).execute(p).await.unwrap();
            assert!(sqlx::query("UPDATE staff_actions SET action = 'nothing'").execute(p).await.is_err());
            assert!(sqlx::query("DELETE FROM staff_actions").execute(p).await.is_err());
        }
        Db::Postgres(p) => {
            sqlx::query("INSERT INTO staff_actions (at, actor_subject, area_id, action, detail) VALUES ($1, 'cw', $2, 'viewed', '')")
                .bind(now).bind(area.id).execute(p).await.unwrap();
            assert!(sqlx::query("UPDATE staff_actions SET action = 'nothing'").execute(p).await.is_err());
            assert!(sqlx::query("DELETE FROM staff_actions").execute(p).await.is_err());
        }
    }
}

async fn bank_holidays_are_data(db: TestDb) {
    let (store, _) = open(&db).await;
    let seeded = store.bank_holidays().await.unwrap();
    assert_eq!(seeded, app::domain::BankHolidays::england_and_wales_2024_to_2028(), "the migration seeds 2024 to 2028");
    let day = NaiveDate::from_ymd_opt(2029, 1, 1).unwrap();
    store.add_bank_holiday(day, "New Year's Day").await.unwrap();
    assert!(store.bank_holidays().await.unwrap().contains(day));
    assert!(matches!(store.add_bank_holiday(day, "again").await, Err(StoreError::Conflict)));
    assert_eq!(store.remove_bank_holiday(day).await.unwrap(), 1);
    assert!(!store.bank_holidays().await.unwrap().contains(day));
}

on_both_backends!(
    a_case_opens_once_per_key,
    a_status_changes_only_from_where_it_stands,
    drafts_belong_to_their_owner,
    messages_are_claimed_by_one_sender_at_a_time,
    staff_actions_cannot_be_changed,
    bank_holidays_are_data,
);

/// One of Amira's access events, as storage tests need it.
pub(crate) fn look(id: String, recorded_at: chrono::DateTime<Utc>, automated: bool, observer: &str) -> AccessEvent {
    AccessEvent {
        id: 0,
        source_id: None,
        source_event_id: id,
        nhs_number: crate::helpers::nhs("9434765919"),
        recorded_at,
        agent_name: "Dr A".into(),
        agent_id: None,
        agent_role: None,
        org_ods: None,
        org_name: None,
        purpose: "TREAT".into(),
        emergency: false,
        viewed: "medicines".into(),
        outcome: "0".into(),
        automated,
        observer: observer.into(),
        action: Some("R".into()),
        subtype: None,
        content_hash: None,
    }
}

async fn old_access_events_are_deleted_in_batches(db: TestDb) {
    let (store, _) = open(&db).await;
    let now = Utc::now();
    let events: Vec<AccessEvent> =
        (0..30).map(|i| look(format!("e{i}"), now - Duration::days(if i < 25 { 4000 } else { 1 }), false, "SCR")).collect();
    assert_eq!(store.ingest_access_events(&events, now).await.unwrap().len(), 30);
    let cutoff = now - Duration::days(3650);
    assert_eq!(store.delete_access_events_before(cutoff, 10).await.unwrap(), 10);
    assert_eq!(store.delete_access_events_before(cutoff, 100).await.unwrap(), 15);
    assert_eq!(store.delete_access_events_before(cutoff, 100).await.unwrap(), 0);
    let left = store
        .access_events(&AccessQuery { nhs_number: crate::helpers::nhs("9434765919"), from: None, to: None, org_ods: None, include_automated: true, before: None, limit: 100 })
        .await
        .unwrap();
    assert_eq!(left.len(), 5);
}

/// The patient's page folds automated checks into one line per system per day: the database
/// counts them per hour (so a night of thousands is a few rows), within the page's time span.
async fn automated_checks_are_counted_per_hour_in_the_database(db: TestDb) {
    let (store, _) = open(&db).await;
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    let mut events = Vec::new();
    for i in 0..120 {
        // 23:00–23:59 UTC on 1 July is 00:00–00:59 on 2 July in the UK.
        events.push(look(format!("night-{i}"), at("2026-07-01T23:00:00Z") + Duration::seconds(i * 29), true, "Matching"));
    }
    events.push(look("noon".into(), at("2026-07-01T12:30:00.25Z"), true, "Matching"));
    events.push(look("other".into(), at("2026-07-01T12:45:00Z"), true, "Another system"));
    events.push(look("person".into(), at("2026-07-01T12:50:00Z"), false, "Matching"));
    events.push(look("outside".into(), at("2026-06-30T09:00:00Z"), true, "Matching"));
    store.ingest_access_events(&events, Utc::now()).await.unwrap();
    let query = AccessQuery {
        nhs_number: crate::helpers::nhs("9434765919"),
        from: Some(at("2026-07-01T00:00:00Z")),
        to: Some(at("2026-07-02T00:00:00Z")),
        org_ods: None,
        include_automated: false,
        before: None,
        limit: 25,
    };
    let counts = store.automated_access_counts(&query).await.unwrap();
    assert_eq!(
        counts,
        vec![
            (at("2026-07-01T23:00:00Z"), "Matching".to_string(), 120),
            (at("2026-07-01T12:00:00Z"), "Another system".to_string(), 1),
            (at("2026-07-01T12:00:00Z"), "Matching".to_string(), 1),
        ]
    );
    assert_eq!(app::domain::uk_date(counts[0].0), chrono::NaiveDate::from_ymd_opt(2026, 7, 2).unwrap());
    // Someone else's automated checks are never counted in.
    let other = store.automated_access_counts(&AccessQuery { nhs_number: crate::helpers::nhs("9434765927"), ..query }).await.unwrap();
    assert!(other.is_empty());
}

/// The access log's summary ("N looks by M organisations since …") is read from counts per
/// hour that a job keeps as its progress passes each settled event, plus the events after it: the same answer before the job has run, after it, and with some of each; filters by
/// period and organisation hold; retention takes deleted looks off; automated checks, failed
/// attempts and other patients never count.
async fn the_access_summary_is_the_same_from_counts_and_from_events(db: TestDb) {
    let (store, _) = open(&db).await;
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    let by = |e: AccessEvent, ods: Option<&str>, name: &str| AccessEvent { org_ods: ods.map(Into::into), org_name: Some(name.into()), ..e };
    // Everything the migration found is counted already; this test's events come after.
    store.count_access_looks(Utc::now() + Duration::minutes(5), 10_000).await.unwrap();
    let mut events = Vec::new();
    for i in 0..5 {
        // 23:10 UTC on 1 July is 00:10 on 2 July in the UK.
        events.push(by(look(format!("rx1-{i}"), at("2026-07-01T23:10:00Z") + Duration::minutes(i), false, "SCR"), Some("RX1"), "Hospital"));
    }
    for i in 0..3 {
        events.push(by(look(format!("rx2-{i}"), at("2026-06-20T08:00:00Z") + Duration::hours(i), false, "SCR"), Some("RX2"), "Mental health"));
    }
    events.push(by(look("home".into(), at("2026-06-25T10:00:00Z"), false, "SCR"), None, "Sunnyside Care Home"));
    events.push(by(look("auto".into(), at("2026-06-01T10:00:00Z"), true, "SCR"), Some("RX3"), "Matching"));
    events.push(AccessEvent { outcome: "8".into(), ..by(look("failed".into(), at("2026-05-01T10:00:00Z"), false, "SCR"), Some("RX4"), "Denied") });
    events.push(AccessEvent { nhs_number: crate::helpers::nhs("9434765927"), ..by(look("other".into(), at("2026-05-01T10:00:00Z"), false, "SCR"), Some("RX5"), "Else") });
    let all = AccessQuery { nhs_number: crate::helpers::nhs("9434765919"), from: None, to: None, org_ods: None, include_automated: false, before: None, limit: 25 };
    let july = AccessQuery { from: Some(at("2026-07-01T23:00:00Z")), to: Some(at("2026-07-02T23:00:00Z")), ..all.clone() };
    let rx2 = AccessQuery { org_ods: Some("RX2".into()), ..all.clone() };
    let queries = [&all, &july, &rx2];
    let expected = [
        (9, 3, Some(at("2026-06-20T08:00:00Z"))),
        (5, 1, Some(at("2026-07-01T23:00:00Z"))),
        (3, 1, Some(at("2026-06-20T08:00:00Z"))),
    ];
    // The first look's hour: its UK day is the same as the look's own.
    let summary = |q: &AccessQuery| {
        let (store, q) = (store.clone(), q.clone());
        async move {
            let (n, orgs, first) = store.access_summary(&q).await.unwrap();
            (n, orgs, first.map(|f| chrono::DurationRound::duration_trunc(f, Duration::hours(1)).unwrap()))
        }
    };
    // Half the events arrive and are counted by the job; the rest arrive after.
    store.ingest_access_events(&events[..4], Utc::now() - Duration::minutes(10)).await.unwrap();
    store.count_access_looks(Utc::now(), 10_000).await.unwrap();
    store.ingest_access_events(&events[4..], Utc::now()).await.unwrap();
    for (q, e) in queries.iter().zip(&expected) {
        assert_eq!(summary(q).await, *e, "part counted, part from the events: {q:?}");
    }
    // Two instances count the rest at once: each event once.
    let other = Db::connect(&db.url, 2).await.unwrap();
    let later = Utc::now() + Duration::minutes(5);
    let (a, b) = tokio::join!(store.count_access_looks(later, 1), other.count_access_looks(later, 1));
    let (c, d) = tokio::join!(store.count_access_looks(later, 10_000), other.count_access_looks(later, 10_000));
    assert_eq!(a.unwrap() + b.unwrap() + c.unwrap() + d.unwrap(), 8, "the eight events after the first four, each counted once");
    for (q, e) in queries.iter().zip(&expected) {
        assert_eq!(summary(q).await, *e, "all counted: {q:?}");
    }
    // Retention deletes the June looks (RX2's three and the care home's): they leave the counts.
    let deleted = store.delete_access_events_before(at("2026-07-01T00:00:00Z"), 100).await.unwrap();
    // (The newest event, another patient's, is never deleted: see retention.)
    assert_eq!(deleted, 6, "the June looks, the automated check and the failed attempt");
    assert_eq!(summary(&all).await, (5, 1, Some(at("2026-07-01T23:00:00Z"))));
    assert_eq!(summary(&rx2).await, (0, 0, None));
}

on_both_backends!(
    old_access_events_are_deleted_in_batches,
    automated_checks_are_counted_per_hour_in_the_database,
    the_access_summary_is_the_same_from_counts_and_from_events
);
