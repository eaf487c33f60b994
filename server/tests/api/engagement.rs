//! Engagement items and the evidence the assurance panel asks for, over HTTP: an editor adds,
//! schedules and withdraws items; the public page lists what is published; the evidence report
//! (on screen and CSV) keeps everything, withdrawn items too; the public figures hide small numbers.

use crate::helpers::TestApp;

#[tokio::test]
async fn an_editor_publishes_schedules_and_withdraws_engagement_items() {
    let app = TestApp::spawn().await;
    let mut priya = app.signed_in("demo-comms-editor").await;
    assert_eq!(priya.get("/engagement").await.status, 200);

    // An event with no time or place is refused, naming each problem, and what was typed stays.
    let bad = priya.post_form("/engagement/add", &[("area", "northshire"), ("kind", "event"), ("title", "Drop-in at the library"), ("summary", "Come and ask.")]).await;
    assert_eq!(bad.location.as_deref(), Some("/engagement?form=add"));
    let shown = priya.get("/engagement?form=add").await;
    assert!(shown.body.contains("Enter when the event starts"), "{}", shown.body);
    assert!(shown.body.contains("Enter where the event is, or an online link"));
    assert!(shown.body.contains("Drop-in at the library"));

    let added = priya
        .post_form(
            "/engagement/add",
            &[("area", "northshire"), ("kind", "event"), ("title", "Drop-in at the library"), ("summary", "Come and ask **anything**."),
              ("starts", "3 3 2099 18:30"), ("ends", "3 3 2099 20:00"), ("place", "Northshire Central Library"), ("accessibility", "Step-free; hearing loop")],
        )
        .await;
    assert_eq!(added.location.as_deref(), Some("/engagement?done=added"));
    priya
        .post_form("/engagement/add", &[("area", "northshire"), ("kind", "outcome"), ("title", "You asked for a phone line"), ("summary", "We opened one."), ("publish", "1 1 2099 09:00")])
        .await;

    let mut public = app.browser();
    let page = public.get("/areas/northshire/engagement").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Drop-in at the library"));
    assert!(page.body.contains("<strong>anything</strong>"));
    assert!(page.body.contains("Tuesday 3 March 2099, 6:30pm to 8pm"), "{}", page.body);
    assert!(!page.body.contains("You asked for a phone line"), "a scheduled item waits for its time");
    assert!(priya.get("/engagement").await.body.contains("Scheduled for 1 January 2099 at 9:00am"));

    // Withdrawn: gone from the public page, kept in the evidence.
    let item = app.state.store.engagement_items(1).await.unwrap().into_iter().find(|i| i.kind == "event").unwrap();
    let asked = priya.post_form("/engagement/withdraw", &[("area", "northshire"), ("id", &item.id.to_string()), ("reason", "Library closed")]).await;
    assert!(asked.status == 200 && asked.body.contains("Withdraw this item from the public engagement page?") && asked.body.contains("value=\"Library closed\""), "asked first, with the reason kept");
    let gone = priya.post_form("/engagement/withdraw", &[("area", "northshire"), ("id", &item.id.to_string()), ("reason", "Library closed"), ("confirm", "yes")]).await;
    assert_eq!(gone.location.as_deref(), Some("/engagement?done=withdrawn"));
    assert!(!public.get("/areas/northshire/engagement").await.body.contains("Drop-in at the library"));
    let report = priya.get("/notices/evidence?area=northshire&from=2000-01-01&to=2100-01-01").await;
    assert!(report.body.contains("Drop-in at the library"), "{}", report.body);
    assert!(report.body.contains("Library closed"));
    let csv = priya.get("/notices/evidence.csv?area=northshire&from=2000-01-01&to=2100-01-01").await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with("record,"));
    assert!(csv.body.contains("engagement item,Event,,Drop-in at the library"));
    assert!(csv.body.contains("notice version,Privacy notice,1,"));
}

#[tokio::test]
async fn engagement_and_evidence_belong_to_the_areas_comms_team() {
    let app = TestApp::spawn().await;
    let mut priya = app.signed_in("demo-comms-editor").await;
    let other = priya.post_form("/engagement/add", &[("area", "southvale"), ("kind", "outcome"), ("title", "T"), ("summary", "S")]).await;
    assert_eq!(other.location.as_deref(), Some("/engagement?form=add"), "not one of her areas: named as an error");
    assert!(app.state.store.engagement_items(2).await.unwrap().is_empty());
    assert_eq!(priya.get("/notices/evidence.csv?area=southvale").await.status, 403);
    let mut chloe = app.signed_in("demo-case-worker").await;
    assert_eq!(chloe.get("/engagement").await.status, 403);
    assert_eq!(chloe.post_form("/engagement/add", &[("area", "northshire")]).await.status, 403);
}

#[tokio::test]
async fn public_figures_count_by_quarter_and_hide_small_numbers() {
    let app = TestApp::spawn().await;
    let mut public = app.browser();
    let empty = public.get("/areas/northshire/figures").await;
    assert_eq!(empty.status, 200);
    assert!(empty.body.contains("There are no figures yet"));
    let mut amira = app.signed_in("demo-patient-p9").await;
    crate::rights::lodge_objection(&mut amira).await;
    // The page is kept finished for up to 30 seconds: the figures are that far behind at most.
    let kept = public.get("/areas/northshire/figures").await;
    assert!(kept.body.contains("There are no figures yet"), "still the kept page");
    app.state.public_pages.clear();
    let page = public.get("/areas/northshire/figures").await;
    assert!(page.body.contains("fewer than 5"), "{}", page.body);
    let quarter = app::domain::figures::Quarter::of(app::domain::uk_date(chrono::Utc::now())).label();
    assert!(page.body.contains(&quarter));
    assert_eq!(public.get("/areas/nowhere/figures").await.status, 404);
}
