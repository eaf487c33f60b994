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

    let bad = b.get("/find-your-area?practice=%3C%2F%3E").await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("Enter your GP surgery\u{2019}s name, or a postcode"), "{}", bad.body);
    let hostile = b.get("/find-your-area?practice=%3C%2Ftextarea%3E%3Cimg%20onerror%3Dalert(1)%3E").await;
    assert_eq!(hostile.status, 404, "plain words that match no surgery");
    assert!(!hostile.body.contains("<img onerror"), "input is escaped when shown back");
}

/// A person finds their surgery as they know it, with no JavaScript: the form is sent and the
/// page lists the surgeries, each linking to its area.
#[tokio::test]
async fn finding_an_area_by_surgery_name_or_postcode() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let start = b.get("/find-your-area").await;
    assert_eq!(start.status, 200, "nothing asked yet is not a problem");
    assert!(!start.body.contains("There is a problem"));

    let by_name = b.get("/find-your-area?practice=st+marys").await;
    assert_eq!(by_name.status, 200);
    assert!(by_name.body.contains("St Mary\u{2019}s Surgery") && by_name.body.contains("Church Lane, Northtown, NS1 6TP"), "{}", by_name.body);
    assert!(by_name.body.contains("href=\"/areas/northshire\"") && by_name.body.contains("Part of Northshire Shared Care Record"));
    assert!(!by_name.body.contains(">Riverside Medical Centre</a>"), "only what matches");

    // The surgery at that very postcode first, then the rest of its district.
    let by_postcode = b.get("/find-your-area?practice=ns1+4ab").await;
    assert_eq!(by_postcode.status, 200);
    let (riverside, st_marys) = (by_postcode.body.find("Riverside Medical Centre").unwrap(), by_postcode.body.find("St Mary\u{2019}s Surgery").unwrap());
    assert!(riverside < st_marys, "Riverside is at NS1 4AB");
    assert!(by_postcode.body.contains("GP surgeries in NS1") && !by_postcode.body.contains("Hillview"));
    // A postcode with no surgery in its district: the surgeries with postcodes in its area.
    let wider = b.get("/find-your-area?practice=SV9+9ZZ").await;
    assert!(wider.body.contains("GP surgeries with SV postcodes") && wider.body.contains("Harbour Surgery") && wider.body.contains("Vale Family Practice"), "{}", wider.body);

    let none = b.get("/find-your-area?practice=zzyzx").await;
    assert_eq!(none.status, 404);
    assert!(none.body.contains("We could not find a GP surgery with that name"));
    let nowhere = b.get("/find-your-area?practice=ZZ1+1ZZ").await;
    assert_eq!(nowhere.status, 404);
    assert!(nowhere.body.contains("near that postcode"));
    let long = b.get(&format!("/find-your-area?practice={}", "a".repeat(101))).await;
    assert_eq!(long.status, 422);
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


/// The accessibility statement has what the 2018 regulations' model statement has, and how to
/// reach each area; every privacy notice offers a way to act on each right and the area's
/// contact details, set by an administrator.
#[tokio::test]
async fn the_accessibility_statement_and_notices_say_how_to_reach_the_area() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let statement = b.get("/accessibility").await.body;
    for section in [
        "How accessible this service is",
        "Feedback and contact information",
        "Reporting accessibility problems with this service",
        "Enforcement procedure",
        "Compliance status",
        "Non-accessible content",
        "Disproportionate burden",
        "Preparation of this accessibility statement",
        "Equality Advisory and Support Service",
        "This statement was prepared on",
    ] {
        assert!(statement.contains(section), "{section} missing");
    }
    assert!(statement.contains("mailto:dpo@northshire-care-record.example") && statement.contains("tel:+441174960456"), "each area's contact");

    let notice = b.get("/areas/northshire").await.body;
    for link in ["href=\"/objections/new\"", "href=\"/access-requests/new\"", "href=\"/access-log\""] {
        assert!(notice.contains(link), "{link} beside the rights");
    }
    assert!(notice.contains("Contact Northshire Shared Care Record") && notice.contains("County Hall, Northtown") && notice.contains("tel:+441134960123"));

    // An administrator changes them; bad details are sent back and nothing is changed.
    let mut helen = app.signed_in("demo-admin").await;
    let bad = helen.post_form("/admin/areas/northshire/contact", &[("contact-address", "County Hall"), ("contact-email", "dpo at northshire"), ("contact-phone", "0113 496 0123")]).await;
    assert_eq!(bad.location.as_deref(), Some("/admin/areas/northshire?form=1"));
    assert!(helen.get("/admin/areas/northshire?form=1").await.body.contains("href=\"#contact-email\""));
    let area = app.state.store.area_by_slug(&app::domain::AreaSlug::parse("northshire").unwrap()).await.unwrap().unwrap();
    assert_eq!(area.contact.email, "dpo@northshire-care-record.example", "nothing stored");
    let breakout = "Data Protection Officer\r\n</textarea><img src=x onerror=alert(1)>\r\nNorthtown";
    let saved = helen.post_form("/admin/areas/northshire/contact", &[("contact-address", breakout), ("contact-email", "ig@northshire.example"), ("contact-phone", "")]).await;
    assert_eq!(saved.status, 303);
    let admin_page = helen.get("/admin/areas/northshire").await.body;
    assert!(!admin_page.contains("<img src=x"), "the address is escaped in its textarea");
    let notice = app.browser().get("/areas/northshire").await.body;
    assert!(notice.contains("mailto:ig@northshire.example") && !notice.contains("tel:+44"), "{notice}");
    assert!(!notice.contains("<img src=x"));
}

/// A refusal the framework makes before any page of ours runs (a method the address does not
/// take, a body too large) still reaches a person as a page in words, with its own status;
/// the FHIR API keeps its OperationOutcomes (tested with the API).
#[tokio::test]
async fn refusals_before_any_page_are_pages_too() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let wrong_method = b.get("/your-choices/alerts/off").await;
    assert_eq!(wrong_method.status, 405);
    assert!(wrong_method.headers["content-type"].starts_with("text/html"), "{:?}", wrong_method.headers);
    assert!(wrong_method.headers["allow"].contains("POST"), "{:?}", wrong_method.headers);
    assert!(wrong_method.body.contains("This page cannot be used that way"), "{}", wrong_method.body);
    assert_eq!(wrong_method.h1_count(), 1);
    let huge = "x".repeat(300 * 1024);
    let too_large = b.post_form("/objections/new", &[("reasons", &huge)]).await;
    assert_eq!(too_large.status, 413);
    assert!(too_large.body.contains("What you sent is too large"), "{}", too_large.body);
    assert!(!too_large.body.contains(&huge[..1000]), "nothing sent is shown back");
}

/// The portal says how long it spent on a request (Server-Timing) only when asked to: the
/// benchmark reads it; by default no visitor learns it.
#[tokio::test]
async fn server_timing_is_sent_only_when_switched_on() {
    let app = TestApp::spawn().await;
    let page = app.browser().get("/").await;
    assert!(!page.headers.contains_key("server-timing"), "off by default");

    let app = TestApp::spawn_with(crate::helpers::TestDb::sqlite(), |s| s.server_timing = server::config::Toggle::On).await;
    let mut ig = app.signed_in("demo-ig-lead").await;
    let page = ig.get("/monitoring?area=northshire").await;
    assert_eq!(page.status, 200);
    let timing = page.headers.get("server-timing").expect("a Server-Timing header");
    let ms: f64 = timing.strip_prefix("app;dur=").expect("app;dur=…").parse().expect("milliseconds");
    assert!(ms > 0.0, "{timing}");
}
