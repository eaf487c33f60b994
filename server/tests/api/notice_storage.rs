//! Storage conformance for publishing notices, on SQLite and PostgreSQL: one change on its way
//! per notice, the review guards (never approved by its author), scheduled publication exactly
//! once when several instances run the job together, versions per variant, and page views.

use crate::helpers::TestDb;
use crate::on_both_backends;
use app::domain::{AreaSlug, Role};
use app::server::store::*;
use app::server::{DraftStatus, ReviewStep, StoreError};
use chrono::{Duration, Utc};
use server::db::Db;

async fn open(db: &TestDb) -> (Db, i64) {
    let store = Db::connect(&db.url, 4).await.expect("database opens and migrates");
    let area = store.create_area(&AreaSlug::parse("testshire").unwrap(), "Testshire").await.unwrap();
    let slug = AreaSlug::parse("testshire").unwrap();
    store.add_staff_grant("ed-1", "Eddie Editor", Role::CommsEditor, &slug).await.unwrap();
    store.add_staff_grant("ap-1", "Ada Approver", Role::CommsApprover, &slug).await.unwrap();
    (store, area.id)
}

const EDDIE: (&str, &str) = ("ed-1", "Eddie Editor");
const ADA: (&str, &str) = ("ap-1", "Ada Approver");

async fn a_change_is_drafted_reviewed_and_published_once(db: TestDb) {
    let (store, area) = open(&db).await;
    let now = Utc::now();
    store.publish_notice(area, app::domain::NoticeVariant::Main, "Notice", "Version one", now - Duration::days(30)).await.unwrap();

    let draft = store.start_notice_draft(area, app::domain::NoticeVariant::Main, "Notice", "Version two", EDDIE, now).await.unwrap();
    assert_eq!(draft.status, DraftStatus::Draft);
    let again = store.start_notice_draft(area, app::domain::NoticeVariant::Main, "Notice", "Another", ADA, now).await;
    assert!(matches!(again, Err(StoreError::Conflict)), "one change per notice at a time: {again:?}");
    // Another format of the same notice is a notice of its own.
    store.start_notice_draft(area, app::domain::NoticeVariant::EasyRead, "Easy read", "Short words", ADA, now).await.unwrap();

    // Only the author changes the words, and only while it is a draft.
    assert!(matches!(store.save_notice_draft(draft.id, "ap-1", "Notice", "Hijack", now).await, Err(StoreError::NotFound)));
    store.save_notice_draft(draft.id, "ed-1", "Notice", "Version two, edited", now).await.unwrap();

    // Nobody approves what has not been submitted, and the author never approves their own.
    let approve = ReviewStep::Approve { publish_at: now + Duration::hours(1) };
    assert!(matches!(store.review_notice_draft(draft.id, ADA, &approve, now).await, Err(StoreError::NotFound)));
    assert!(matches!(store.review_notice_draft(draft.id, ADA, &ReviewStep::Submit, now).await, Err(StoreError::NotFound)), "only the author submits");
    store.review_notice_draft(draft.id, EDDIE, &ReviewStep::Submit, now).await.unwrap();
    assert!(matches!(store.save_notice_draft(draft.id, "ed-1", "Notice", "Late edit", now).await, Err(StoreError::NotFound)), "submitted words are frozen");
    assert!(matches!(store.review_notice_draft(draft.id, EDDIE, &approve, now).await, Err(StoreError::NotFound)), "no approving your own");

    // Returned with comments, edited, submitted again, approved for an hour from now.
    store.review_notice_draft(draft.id, ADA, &ReviewStep::Return { comment: "Say how long we keep it".into() }, now).await.unwrap();
    store.save_notice_draft(draft.id, "ed-1", "Notice", "Version two: we keep it 8 years", now).await.unwrap();
    store.review_notice_draft(draft.id, EDDIE, &ReviewStep::Submit, now).await.unwrap();
    store.review_notice_draft(draft.id, ADA, &approve, now).await.unwrap();
    let approved = store.notice_draft(draft.id).await.unwrap().unwrap();
    assert_eq!((approved.status, approved.approver_name.as_deref()), (DraftStatus::Approved, Some("Ada Approver")));

    // Not yet due: nothing is published.
    assert!(store.publish_due_notices(now).await.unwrap().is_empty());
    assert_eq!(store.current_notice(area, app::domain::NoticeVariant::Main, now).await.unwrap().unwrap().body_markdown, "Version one");

    // Due: three instances run the job at once; it is published once.
    let later = now + Duration::hours(2);
    let (a, b, c) = tokio::join!(store.publish_due_notices(later), store.publish_due_notices(later), store.publish_due_notices(later));
    let published: Vec<_> = [a.unwrap(), b.unwrap(), c.unwrap()].concat();
    assert_eq!(published.len(), 1, "{published:?}");
    let v2 = &published[0];
    assert_eq!((v2.version, v2.variant.as_str()), (2, "main"));
    assert_eq!((v2.author_name.as_deref(), v2.approver_name.as_deref()), (Some("Eddie Editor"), Some("Ada Approver")));
    assert_eq!(store.current_notice(area, app::domain::NoticeVariant::Main, later).await.unwrap().unwrap().body_markdown, "Version two: we keep it 8 years");

    let trail: Vec<String> = store.notice_reviews(draft.id).await.unwrap().into_iter().map(|r| r.action).collect();
    assert_eq!(trail, ["submitted", "returned", "submitted", "approved", "published"]);
    let returned = store.notice_reviews(draft.id).await.unwrap().into_iter().find(|r| r.action == "returned").unwrap();
    assert_eq!(returned.comment.as_deref(), Some("Say how long we keep it"));

    // Published, the notice takes a new change again; every version is kept.
    store.start_notice_draft(area, app::domain::NoticeVariant::Main, "Notice", "Version three", EDDIE, later).await.unwrap();
    let versions = store.notice_versions(area).await.unwrap();
    assert_eq!(versions.iter().filter(|v| v.variant.as_str() == "main").map(|v| v.version).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(store.open_notice_drafts(area).await.unwrap().len(), 2, "easy read and version three");
}

async fn a_discarded_draft_frees_the_notice(db: TestDb) {
    let (store, area) = open(&db).await;
    let now = Utc::now();
    let draft = store.start_notice_draft(area, app::domain::NoticeVariant::parse("cy").unwrap(), "Hysbysiad", "Testun", EDDIE, now).await.unwrap();
    assert!(matches!(store.review_notice_draft(draft.id, ADA, &ReviewStep::Discard, now).await, Err(StoreError::NotFound)), "only the author discards");
    store.review_notice_draft(draft.id, EDDIE, &ReviewStep::Discard, now).await.unwrap();
    assert!(store.open_notice_drafts(area).await.unwrap().is_empty());
    store.start_notice_draft(area, app::domain::NoticeVariant::parse("cy").unwrap(), "Hysbysiad", "Eto", ADA, now).await.unwrap();
}

async fn page_views_are_counted_per_version_per_day(db: TestDb) {
    let (store, area) = open(&db).await;
    let now = Utc::now();
    let v1 = store.publish_notice(area, app::domain::NoticeVariant::Main, "Notice", "One", now - Duration::days(3)).await.unwrap();
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    store.add_notice_views(&[(v1.id, day(20), 2), (v1.id, day(21), 1)]).await.unwrap();
    // Another instance's batch adds to the same day.
    store.add_notice_views(&[(v1.id, day(20), 1), (v1.id, day(25), 1), (999_999, day(20), 4)]).await.unwrap();
    let views = store.notice_views(area, day(20), day(21)).await.unwrap();
    assert_eq!(views, vec![(v1.id, day(20), 3), (v1.id, day(21), 1)]);
}

on_both_backends!(a_change_is_drafted_reviewed_and_published_once, a_discarded_draft_frees_the_notice, page_views_are_counted_per_version_per_day);
