//! Publishing a privacy notice as a comms team does it, over HTTP: the editor writes, a second
//! person approves, the public page changes; and the rules that make it two-person: no
//! approving your own change, no changing another area's notice, nothing published unapproved.

use crate::helpers::{Browser, TestApp};

/// Priya (comms editor, Northshire) starts a change to the main notice; returns its page path.
async fn priya_starts_a_change(app: &TestApp) -> (Browser, String) {
    let mut priya = app.signed_in("demo-comms-editor").await;
    let home = priya.get("/notices").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("Start a change"), "{}", home.body);
    let started = priya.post_form("/notices/drafts", &[("area", "northshire"), ("variant", "main")]).await;
    assert_eq!(started.status, 303);
    let path = started.location.unwrap();
    assert!(path.starts_with("/notices/drafts/"), "{path}");
    (priya, path)
}

#[tokio::test]
async fn an_approved_change_is_published_and_every_version_stays_readable() {
    let app = TestApp::spawn().await;
    let (mut priya, draft) = priya_starts_a_change(&app).await;
    let page = priya.get(&draft).await;
    assert!(page.body.contains("Change the notice"));
    assert!(page.body.contains("## Who we are"), "the change starts from the notice in force");

    // A bad save is refused with the error summary, and the words typed are kept.
    let bad = priya.post_form(&format!("{draft}/edit"), &[("action", "save"), ("title", ""), ("body", "Kept words")]).await;
    assert_eq!(bad.status, 303);
    let shown = priya.get(&draft).await;
    assert!(shown.body.contains("Enter a title for the notice"), "{}", shown.body);
    assert!(shown.body.contains("Kept words"));

    let text = "## Who we are\n\nThe Northshire Shared Care Record, now with the hospice.\n\n<script>alert(1)</script>";
    let sent = priya.post_form(&format!("{draft}/edit"), &[("action", "submit"), ("title", "Our privacy notice"), ("body", text)]).await;
    assert_eq!(sent.location.as_deref(), Some("/notices?done=submitted"));

    // Her own change: no review form, and a review she posts is refused.
    let own = priya.get(&draft).await;
    assert!(!own.body.contains("Send your review"));
    let refused = priya.post_form(&format!("{draft}/review"), &[("decision", "approve-now")]).await;
    assert_eq!(refused.status, 403);

    // A reader keeps the notice in force in view (and the portal keeps the page in memory).
    assert!(!app.browser().get("/areas/northshire").await.body.contains("now with the hospice"));

    // Gareth approves it to publish now.
    let mut gareth = app.signed_in("demo-comms-approver").await;
    let review = gareth.get(&draft).await;
    assert!(review.body.contains("Send your review"));
    assert!(review.body.contains("<ins>"), "the change is shown word by word");
    let approved = gareth.post_form(&format!("{draft}/review"), &[("decision", "approve-now")]).await;
    assert_eq!(approved.location.as_deref(), Some("/notices?done=published"));

    let mut public = app.browser();
    let notice = public.get("/areas/northshire").await;
    assert_eq!(notice.status, 200);
    assert!(notice.body.contains("now with the hospice"));
    assert!(notice.body.contains("&lt;script&gt;"), "raw HTML is shown, never run");
    assert!(!notice.body.contains("<script>alert"));
    assert!(notice.body.contains("Previous versions"));
    let versions = public.get("/areas/northshire/notices/main/versions").await;
    assert!(versions.body.contains("Version 1:") && versions.body.contains("Version 2:"));
    let old = public.get("/areas/northshire/notices/main/versions/1").await;
    assert!(old.body.contains("This is an older version"));
    assert!(!old.body.contains("now with the hospice"));
    assert_eq!(public.get("/areas/northshire/notices/main/versions/9").await.status, 404);

    // Staff compare the two versions.
    let compare = gareth.get("/notices/compare?area=northshire&variant=main&from=1&to=2").await;
    assert!(compare.body.contains("Changes from version 1 to version 2"));
    assert!(compare.body.contains("<del>"));
    // Reading the notice counted views, with nothing about the reader.
    let area = app.state.store.area_by_slug(&app::domain::AreaSlug::parse("northshire").unwrap()).await.unwrap().unwrap();
    let today = app::domain::uk_date(chrono::Utc::now());
    app.state.views.flush(&*app.state.store).await.unwrap();
    let views: i64 = app.state.store.notice_views(area.id, today, today).await.unwrap().iter().map(|v| v.2).sum();
    assert!(views >= 2, "{views}");
}

#[tokio::test]
async fn a_returned_change_goes_back_to_its_author_with_comments() {
    let app = TestApp::spawn().await;
    let (mut priya, draft) = priya_starts_a_change(&app).await;
    priya.post_form(&format!("{draft}/edit"), &[("action", "submit"), ("title", "Notice"), ("body", "New words")]).await;
    let mut gareth = app.signed_in("demo-comms-approver").await;
    let no_comment = gareth.post_form(&format!("{draft}/review"), &[("decision", "return"), ("comment", "")]).await;
    assert_eq!(no_comment.status, 303);
    assert!(gareth.get(&draft).await.body.contains("Enter your comments for the author"));
    gareth.post_form(&format!("{draft}/review"), &[("decision", "return"), ("comment", "Please add the retention period.")]).await;
    let back = priya.get(&draft).await;
    assert!(back.body.contains("Returned with comments"));
    assert!(back.body.contains("Please add the retention period."));
    assert!(back.body.contains("Send for review"), "she can edit it again");
    // Nothing was published.
    assert!(!app.browser().get("/areas/northshire").await.body.contains("New words"));
}

#[tokio::test]
async fn an_approval_for_later_waits_for_its_time() {
    let app = TestApp::spawn().await;
    let (mut priya, draft) = priya_starts_a_change(&app).await;
    priya.post_form(&format!("{draft}/edit"), &[("action", "submit"), ("title", "Notice"), ("body", "Words for next year")]).await;
    let mut gareth = app.signed_in("demo-comms-approver").await;
    let past = gareth
        .post_form(&format!("{draft}/review"), &[("decision", "approve-later"), ("publish-day", "1"), ("publish-month", "1"), ("publish-year", "2020"), ("publish-time", "09:00")])
        .await;
    assert_eq!(past.status, 303);
    assert!(gareth.get(&draft).await.body.contains("must be in the future"));
    let later = gareth
        .post_form(&format!("{draft}/review"), &[("decision", "approve-later"), ("publish-day", "1"), ("publish-month", "6"), ("publish-year", "2099"), ("publish-time", "09:30")])
        .await;
    assert_eq!(later.location.as_deref(), Some("/notices?done=approved"));
    let page = gareth.get(&draft).await;
    assert!(page.body.contains("1 June 2099 at 9:30am"), "BST: {}", page.body);
    assert!(!app.browser().get("/areas/northshire").await.body.contains("Words for next year"));
    // When the time comes, the job publishes it.
    let id: i64 = draft.rsplit('/').next().unwrap().parse().unwrap();
    let scheduled = app.state.store.notice_draft(id).await.unwrap().unwrap().publish_at.unwrap();
    assert_eq!(scheduled.to_rfc3339(), "2099-06-01T08:30:00+00:00", "09:30 in June is 08:30 UTC");
    assert!(app.state.store.publish_due_notices(scheduled - chrono::Duration::seconds(1)).await.unwrap().is_empty());
    let published = app.state.store.publish_due_notices(scheduled + chrono::Duration::seconds(20)).await.unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].published_at, scheduled + chrono::Duration::seconds(20), "in force from when it actually went live");
}

#[tokio::test]
async fn nobody_changes_another_areas_notice_or_publishes_unapproved() {
    let app = TestApp::spawn().await;
    let mut priya = app.signed_in("demo-comms-editor").await;
    // Priya edits Northshire's notices only.
    let other = priya.post_form("/notices/drafts", &[("area", "southvale"), ("variant", "main")]).await;
    assert_eq!(other.status, 403);
    // A case worker has no publishing page.
    let mut chloe = app.signed_in("demo-case-worker").await;
    assert_eq!(chloe.get("/notices").await.status, 403);
    // An approver cannot publish a change that was never submitted.
    let started = priya.post_form("/notices/drafts", &[("area", "northshire"), ("variant", "easy-read")]).await;
    let draft = started.location.unwrap();
    let mut gareth = app.signed_in("demo-comms-approver").await;
    gareth.post_form(&format!("{draft}/review"), &[("decision", "approve-now")]).await;
    assert_eq!(app.browser().get("/areas/northshire/notices/easy-read").await.status, 404, "nothing was published");
    // Nor can an approver write: the editor's form is refused.
    let edit = gareth.post_form(&format!("{draft}/edit"), &[("action", "save"), ("title", "T"), ("body", "B")]).await;
    assert_eq!(edit.status, 403);
}

#[tokio::test]
async fn the_live_preview_is_drawn_on_the_server_for_comms_staff_only() {
    let app = TestApp::spawn().await;
    let mut priya = app.signed_in("demo-comms-editor").await;
    let markdown = "## Who we are\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1)) and [ICO](https://ico.org.uk)";
    let res = priya.post_form("/notices/preview", &[("markdown", markdown)]).await;
    assert_eq!(res.status, 200, "{}", res.body);
    assert!(res.headers["content-type"].starts_with("text/html"));
    assert!(res.body.contains("<h2>Who we are</h2>") && res.body.contains("href=\"https://ico.org.uk"), "{}", res.body);
    assert!(!res.body.contains("<script>") && !res.body.contains("href=\"javascript"), "the same safe renderer as the page: {}", res.body);
    let mut amira = app.signed_in("demo-patient-p9").await;
    let patient = amira.post_form("/notices/preview", &[("markdown", markdown)]).await;
    assert_eq!(patient.status, 303, "a patient is no member of staff: to sign in");
    assert!(!patient.body.contains("Who we are"));
    let mut chloe = app.signed_in("demo-case-worker").await;
    assert_eq!(chloe.post_form("/notices/preview", &[("markdown", markdown)]).await.status, 403);
    let huge = "a".repeat(app::notices::PREVIEW_MAX_BYTES + 1);
    assert_eq!(priya.post_form("/notices/preview", &[("markdown", &huge)]).await.status, 413);
}
