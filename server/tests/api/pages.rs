//! Pages render whole on the server (so they work with JavaScript off), each with a title and one h1.

use crate::helpers::TestApp;

#[tokio::test]
async fn public_pages_render_complete_html() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    for (path, title) in [
        ("/", "Your shared care record and your choices"),
        ("/areas/northshire", "Northshire Shared Care Record privacy notice"),
        ("/sign-in", "Sign in"),
        ("/accessibility", "Accessibility statement"),
    ] {
        let page = b.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.title().starts_with(title), "{path}: {}", page.title());
        assert_eq!(page.h1_count(), 1, "{path} has one h1");
        assert!(page.body.contains("nhsuk-header"), "{path} has the NHS header");
        assert!(page.body.contains("Skip to main content"));
        assert!(page.body.contains("nhsuk-footer"));
    }
}

#[tokio::test]
async fn the_start_page_lists_areas_and_the_notice_is_rendered_safely() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let home = b.get("/").await;
    assert!(home.body.contains("href=\"/areas/northshire\""));
    assert!(home.body.contains("href=\"/areas/southvale\""));
    let notice = b.get("/areas/southvale").await;
    assert!(notice.body.contains("<h2>Your rights</h2>"), "Markdown becomes HTML");
    assert!(notice.body.contains("Southvale University Hospitals NHS Trust"));
    assert!(notice.body.contains("In force from"), "the version's dates are shown");
    assert!(notice.body.contains("href=\"/areas/southvale/notices/main/versions\""), "and its previous versions");
}

#[tokio::test]
async fn finding_an_area_by_gp_practice_code() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let found = b.get("/find-your-area?practice=y90101").await;
    assert_eq!(found.status, 200);
    assert!(found.body.contains("Your area is Southvale Care Record"));

    let unknown = b.get("/find-your-area?practice=Y11111").await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("There is a problem"));
    assert!(unknown.body.contains("href=\"#practice\""));

    let bad = b.get("/find-your-area?practice=%3Cscript%3E").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("A GP practice code is 3 to 10 letters and numbers"));
    assert!(!bad.body.contains("<script>"), "input is escaped when shown back");
}

#[tokio::test]
async fn unknown_pages_and_areas_are_404() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    assert_eq!(b.get("/areas/nowhere").await.status, 404);
    let page = b.get("/no/such/page").await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("Page not found"));
}

#[tokio::test]
async fn health_and_readiness() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    assert_eq!(b.get("/healthz").await.status, 200);
    let ready = b.get("/readyz").await;
    assert_eq!((ready.status, ready.body.as_str()), (200, "ready"));
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let res = reqwest::get(format!("{}/healthz", app.address)).await.unwrap();
    assert!(res.headers().get("x-request-id").is_some());
}

