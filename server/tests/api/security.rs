//! Attacks from outside, as the security review made them: script planted through every
//! free-text field must come back inert on every page and export that shows it; every HTML
//! response carries the browser defences; administrators cannot give themselves roles, act
//! outside their areas, or change anything without it being recorded.

use crate::helpers::{Page, TestApp, TestDb};
use crate::on_both_backends;

/// Ends a textarea, then tries to run script two ways.
const BREAKOUT: &str = "</textarea><script>alert(1)</script><img src=x onerror=alert(1)>";
/// A postal address that is a real one too, with the breakout inside it.
const ADDRESS: &str = "1 High Street\nNorthtown NT1 1AA </textarea><script>alert(1)</script><img src=x onerror=alert(1)>";

/// The payload came back as text: no element of it survived.
fn inert(page: &Page, what: &str) {
    assert!(!page.body.contains("<script>alert(1)"), "{what}: a script element got through");
    assert!(!page.body.contains("<img src=x"), "{what}: an img element got through");
    assert!(!page.body.contains("</textarea><script"), "{what}: the textarea was closed from inside");
}

/// And it is there, as text, where it should be shown.
fn shown(page: &Page, what: &str) {
    inert(page, what);
    assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{what}: the text is shown, escaped (status {}, to {:?})", page.status, page.location);
}

fn key_of(page: &Page) -> String {
    let at = page.body.find("name=\"key\" value=\"").expect("the form has a key") + 18;
    page.body[at..at + 43].to_string()
}

#[tokio::test]
async fn script_sent_through_every_free_text_field_comes_back_inert() {
    let app = TestApp::spawn().await;

    // A patient's objection: the reason and a postal address, sent back with an error first.
    let mut amira = app.signed_in("demo-patient-p9").await;
    let key = key_of(&amira.get("/objections/new").await);
    let fields = [("key", key.as_str()), ("reason", BREAKOUT), ("contact", "post"), ("address", ADDRESS)];
    amira.post_form("/objections/new", &fields).await;
    shown(&amira.get(&format!("/objections/new?draft={key}")).await, "the objection form sent back with its errors");
    let fields = [("key", key.as_str()), ("scope", "whole"), ("reason", BREAKOUT), ("contact", "post"), ("address", ADDRESS)];
    amira.post_form("/objections/new", &fields).await;
    shown(&amira.get(&format!("/objections/check?draft={key}")).await, "check your answers");
    let sent = amira.post_form("/objections/submit", &[("key", &key)]).await;
    let reference = sent.location.unwrap().trim_start_matches("/your-requests/").trim_end_matches("/confirmation").to_string();
    shown(&amira.get(&format!("/your-requests/{reference}")).await, "the patient's request page");

    // A request for a copy, with its postal address.
    let key = key_of(&amira.get("/access-requests/new").await);
    amira
        .post_form("/access-requests/new", &[("key", &key), ("info", "everything"), ("dates", "all"), ("delivery", "post"), ("delivery-address", ADDRESS), ("contact", "post"), ("address", ADDRESS)])
        .await;
    shown(&amira.get(&format!("/access-requests/check?draft={key}")).await, "check your answers for a request");
    amira.post_form("/access-requests/new", &[("key", &key), ("delivery-address", BREAKOUT)]).await;
    shown(&amira.get(&format!("/access-requests/new?draft={key}")).await, "the request form sent back");

    // The case worker's page, and every staff form on it sent back with its text.
    let mut chloe = app.signed_in("demo-case-worker").await;
    shown(&chloe.get(&format!("/cases/{reference}")).await, "the staff case page");
    chloe.post_form(&format!("/cases/{reference}/note"), &[("note", BREAKOUT)]).await;
    shown(&chloe.get(&format!("/cases/{reference}")).await, "the case page with the note");
    chloe.post_form(&format!("/cases/{reference}/decide"), &[("outcome", "declined"), ("reason", &format!("{BREAKOUT}{}", "x".repeat(2001)))]).await;
    shown(&chloe.get(&format!("/cases/{reference}?form=decide")).await, "the decision form sent back");
    chloe.post_form(&format!("/cases/{reference}/decide"), &[("outcome", "declined"), ("template", "none"), ("reason", BREAKOUT)]).await;
    shown(&amira.get(&format!("/your-requests/{reference}")).await, "the patient reads the decision");

    // The IG lead's decision templates.
    let mut samuel = app.signed_in("demo-ig-lead").await;
    samuel.post_form("/cases/templates/add", &[("area", "northshire"), ("outcome", "declined"), ("title", "Breakout"), ("body", "")]).await;
    samuel.post_form("/cases/templates/add", &[("area", "northshire"), ("outcome", "nonsense"), ("title", "Breakout"), ("body", BREAKOUT)]).await;
    shown(&samuel.get("/cases/templates?form=add").await, "the template form sent back");

    // A notice: the editor's source, published, then put into the next editor's textarea.
    let mut priya = app.signed_in("demo-comms-editor").await;
    let draft = priya.post_form("/notices/drafts", &[("area", "northshire"), ("variant", "main")]).await.location.unwrap();
    priya.post_form(&format!("{draft}/edit"), &[("action", "submit"), ("title", "Notice"), ("body", BREAKOUT)]).await;
    let mut gareth = app.signed_in("demo-comms-approver").await;
    gareth.post_form(&format!("{draft}/review"), &[("decision", "return"), ("comment", BREAKOUT)]).await;
    shown(&priya.get(&draft).await, "the draft with its review comments");
    priya.post_form(&format!("{draft}/edit"), &[("action", "submit"), ("title", "Notice"), ("body", BREAKOUT)]).await;
    gareth.post_form(&format!("{draft}/review"), &[("decision", "approve-now")]).await;
    shown(&app.browser().get("/areas/northshire").await, "the public notice");
    let next = priya.post_form("/notices/drafts", &[("area", "northshire"), ("variant", "main")]).await.location.unwrap();
    shown(&priya.get(&next).await, "the next editor's textarea, holding the published source");

    // Engagement: an item's summary on the public page, and the form sent back.
    priya.post_form("/engagement/add", &[("area", "northshire"), ("kind", "event"), ("title", BREAKOUT), ("summary", BREAKOUT)]).await;
    shown(&priya.get("/engagement?form=add").await, "the engagement form sent back");
    priya
        .post_form(
            "/engagement/add",
            &[("area", "northshire"), ("kind", "outcome"), ("title", BREAKOUT), ("summary", BREAKOUT), ("accessibility", BREAKOUT)],
        )
        .await;
    shown(&app.browser().get("/areas/northshire/engagement").await, "the public engagement page");
    let csv = priya.get("/notices/evidence.csv?area=northshire&from=2000-01-01&to=2100-01-01").await;
    assert!(csv.body.contains(BREAKOUT), "the CSV keeps the words as they were typed (a CSV is not a page)");
    assert!(!csv.body.contains("\n=") && !csv.body.contains(",="), "and no cell is a formula");
}

#[tokio::test]
async fn every_page_is_sent_with_the_browser_defences() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    // Public pages go to everyone not signed in alike, from memory: scripts only from the
    // portal itself, and no nonce (it would be everyone's). Other pages: one nonce a response.
    for (path, kept) in [("/", true), ("/areas/northshire", true), ("/sign-in", false), ("/no-such-page", false)] {
        let res = reqwest::get(format!("{}{path}", app.address)).await.unwrap();
        let h = res.headers();
        let csp = h.get("content-security-policy").unwrap_or_else(|| panic!("{path}: no CSP")).to_str().unwrap().to_string();
        for part in ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'"] {
            assert!(csp.contains(part), "{path}: the CSP lacks {part}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        let body = res.text().await.unwrap();
        let scripts = body.matches("<script").count();
        assert!(scripts > 0);
        if kept {
            assert!(csp.contains("script-src 'self';") && !csp.contains("nonce") && !csp.contains("wasm"), "{path}: {csp}");
            assert!(!body.contains("nonce="), "{path}: a kept page carries no nonce");
            assert_eq!(body.matches("<script type=\"module\" src=").count(), scripts, "{path}: and no inline script");
        } else {
            assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
            let nonce = csp.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).expect("scripts by nonce").to_string();
            assert_eq!(body.matches(&format!("nonce=\"{nonce}\"")).count(), scripts, "{path}: every script carries the response's one nonce");
        }
        assert_eq!(h_get(&app, path, "cross-origin-opener-policy").await.as_deref(), Some("same-origin"));
        assert!(h_get(&app, path, "permissions-policy").await.unwrap().contains("camera=()"));
    }
    // A problem page drawn by a handler runs no script at all.
    let refused = b.post_form("/cases/OBJ-AAAA-BBBB/claim", &[]).await;
    assert_eq!(refused.status, 303, "not signed in: to sign in");
    let mut amira = app.signed_in("demo-patient-p9").await;
    let missing = amira.get("/your-requests/OBJ-AAAA-BBBB/download").await;
    assert_eq!(missing.status, 404);
    let csp = missing.headers["content-security-policy"].clone();
    assert!(csp.contains("script-src 'none'"), "{csp}");
}

async fn h_get(app: &TestApp, path: &str, name: &str) -> Option<String> {
    let res = reqwest::get(format!("{}{path}", app.address)).await.unwrap();
    res.headers().get(name).map(|v| v.to_str().unwrap().to_string())
}

#[tokio::test]
async fn https_portals_send_strict_transport_security_and_sign_out_clears_the_site() {
    let app = TestApp::spawn().await;
    let res = reqwest::get(format!("{}/", app.address)).await.unwrap();
    assert!(res.headers().get("strict-transport-security").is_none(), "not on a plain-http development address");
    let mut amira = app.signed_in("demo-patient-p9").await;
    let out = amira.post_form("/auth/sign-out", &[]).await;
    assert_eq!(out.headers.get("clear-site-data").map(String::as_str), Some("\"cookies\", \"storage\""));
}

#[tokio::test]
async fn administrators_cannot_give_themselves_roles_and_every_change_is_recorded() {
    let app = TestApp::spawn().await;
    let mut helen = app.signed_in("demo-admin").await;
    let own = helen.post_form("/admin/staff/add", &[("subject", "demo-admin"), ("name", "Helen Marsh"), ("role", "case_worker"), ("area", "northshire")]).await;
    assert_eq!(own.status, 403, "no role for yourself");
    let staff = app.state.store.staff_member("demo-admin").await.unwrap().unwrap();
    assert!(!staff.grants.iter().any(|g| g.role == app::domain::Role::CaseWorker), "and none was given");
    let removed = helen.post_form("/admin/staff/remove", &[("subject", "demo-admin"), ("role", "admin"), ("area", "northshire")]).await;
    assert_eq!(removed.status, 403, "nor taken away");

    // Changes to others are recorded: who, what, whom, when.
    helen.post_form("/admin/staff/add", &[("subject", "new-worker"), ("name", "Nia Jones"), ("role", "case_worker"), ("area", "northshire")]).await;
    helen.post_form("/admin/bank-holidays/add", &[("date-day", "1"), ("date-month", "1"), ("date-year", "2099"), ("name", "New Year's Day")]).await;
    helen.post_form("/admin/sources/add", &[("name", "Eastshire"), ("area", "northshire")]).await;
    let mut c = app.sqlite().await;
    let actions: Vec<(String, String, String)> =
        sqlx::query_as("SELECT actor_subject, action, detail FROM staff_actions WHERE case_id IS NULL ORDER BY id").fetch_all(&mut c).await.unwrap();
    assert!(actions.contains(&("demo-admin".into(), "role granted".into(), "case_worker to new-worker".into())), "{actions:?}");
    assert!(actions.iter().any(|(who, what, detail)| who == "demo-admin" && what == "bank holiday added" && detail == "2099-01-01"));
    assert!(actions.iter().any(|(who, what, _)| who == "demo-admin" && what == "source registered"));
}

#[tokio::test]
async fn an_administrator_sees_and_revokes_only_their_own_areas_systems() {
    let app = TestApp::spawn().await;
    let store = &app.state.store;
    // An area Helen does not administer, with a system of its own.
    let east = store.create_area(&app::domain::AreaSlug::parse("eastshire").unwrap(), "Eastshire Care Record").await.unwrap();
    let (client_id, _) = app::staff_admin::ssr::register_source(&**store, "Eastshire Care Record", Some(east.id)).await.unwrap();
    let mut helen = app.signed_in("demo-admin").await;
    assert!(!helen.get("/admin/sources").await.body.contains(&client_id), "another area's system is not listed");
    assert_eq!(helen.post_form("/admin/sources/revoke", &[("client_id", &client_id)]).await.status, 404);
    assert!(store.source_by_client_id(&client_id).await.unwrap().unwrap().revoked_at.is_none(), "and stays working");
    assert!(!helen.get("/admin/areas").await.body.contains("Eastshire"), "nor is another area listed");
}

#[tokio::test]
async fn names_with_bidirectional_controls_are_refused() {
    let app = TestApp::spawn().await;
    let mut helen = app.signed_in("demo-admin").await;
    let res = helen.post_form("/admin/staff/add", &[("subject", "new-worker"), ("name", "Dr \u{202E}htimS"), ("role", "case_worker"), ("area", "northshire")]).await;
    assert_eq!(res.location.as_deref(), Some("/admin/staff?error=name"));
    assert!(app.state.store.staff_member("new-worker").await.unwrap().is_none(), "nobody was added");
    let res = helen.post_form("/admin/sources/add", &[("name", "North\u{2066}SCR"), ("area", "northshire")]).await;
    assert_eq!(res.location.as_deref(), Some("/admin/sources?error=name"));
    let res = helen.post_form("/admin/areas/northshire/settings", &[("name", "North\u{202E}shire"), ("retention", "96")]).await;
    assert_eq!(res.location.as_deref(), Some("/admin/areas/northshire?form=1"));
}

#[tokio::test]
async fn sign_in_starts_and_the_token_endpoint_are_rate_limited() {
    let app = TestApp::spawn_with(crate::helpers::TestDb::sqlite(), |s| {
        s.sign_in_rate_per_minute = 2;
        s.token_rate_per_minute = 2;
    })
    .await;
    let mut b = app.browser();
    for _ in 0..2 {
        assert_eq!(b.post_form("/auth/demo", &[("person", "demo-patient-p9")]).await.status, 303);
    }
    let third = b.post_form("/auth/demo", &[("person", "demo-patient-p9")]).await;
    assert_eq!(third.status, 429, "the third start in a minute is refused");
    assert!(third.headers["retry-after"].parse::<u64>().unwrap() >= 1);

    // Guessing a client's secret: refused as wrong twice, then throttled.
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for guess in ["a", "b", "c"] {
        let res = http
            .post(format!("{}/oauth/token", app.address))
            .basic_auth("src-demo-northshire", Some(guess))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
        if res.status() == 429 {
            assert!(res.headers().contains_key("retry-after"));
        }
    }
    assert_eq!(statuses, [401, 401, 429]);
    let metrics = reqwest::get(format!("{}/metrics", app.address)).await.unwrap().text().await.unwrap();
    assert!(metrics.contains("scr_security_events_total{event=\"rate_limited\"}"), "{metrics}");
}

#[tokio::test]
async fn server_functions_called_with_bad_arguments_answer_400() {
    let app = TestApp::spawn().await;
    let mut chloe = app.signed_in("demo-case-worker").await;
    let missing = chloe.post_raw("/api/cases/one", "application/x-www-form-urlencoded", Vec::new()).await;
    assert_eq!(missing.status, 400, "{}", missing.body);
    assert!(!missing.body.contains("missing field"), "the deserialiser's words stay server-side: {}", missing.body);
    let mistyped = chloe.post_raw("/api/notices/draft", "application/x-www-form-urlencoded", b"id=not-a-number".to_vec()).await;
    assert_eq!(mistyped.status, 400, "{}", mistyped.body);
    let fine = chloe.post_raw("/api/cases/queue", "application/x-www-form-urlencoded", b"filter[kind]=&filter[status]=&filter[assignee]=&filter[due]=".to_vec()).await;
    assert_eq!(fine.status, 200, "{}", fine.body);
}

#[tokio::test]
async fn documents_are_taken_by_what_they_are_and_sent_as_attachments() {
    let app = TestApp::spawn().await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let reference = crate::casework::lodge_access_request(&mut amira).await;
    let mut chloe = app.signed_in("demo-case-worker").await;
    let upload = |name: &str, kind: &str, content: &str| {
        let boundary = "scrboundary7MA4YWxkTrZu0gW";
        let body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"{name}\"\r\nContent-Type: {kind}\r\n\r\n{content}\r\n--{boundary}--\r\n");
        (format!("multipart/form-data; boundary={boundary}"), body.into_bytes())
    };
    // A web page that says it is a PDF is refused, and nothing is kept.
    let (ct, body) = upload("results.pdf", "application/pdf", "<html><script>alert(1)</script></html>");
    let res = chloe.post_raw(&format!("/cases/{reference}/documents"), &ct, body).await;
    assert_eq!(res.location, Some(format!("/cases/{reference}?done=bad-type")));
    let case = app.state.store.cases_for_patient("demo-patient-p9").await.unwrap().remove(0);
    assert!(app.state.store.documents(case.id).await.unwrap().is_empty());
    // A PDF that says it is a web page is kept, as a PDF, and opened only as an attachment.
    let (ct, body) = upload("letter.pdf", "text/html", "%PDF-1.7\n1 0 obj");
    assert_eq!(chloe.post_raw(&format!("/cases/{reference}/documents"), &ct, body).await.location, Some(format!("/cases/{reference}?done=uploaded")));
    let doc = app.state.store.documents(case.id).await.unwrap().remove(0);
    assert_eq!(doc.content_type, "application/pdf");
    let opened = chloe.get(&format!("/cases/{reference}/documents/{}", doc.id)).await;
    assert_eq!(opened.headers["content-type"], "application/pdf");
    assert!(opened.headers["content-disposition"].starts_with("attachment"));
    assert_eq!(opened.headers["x-content-type-options"], "nosniff");
}

on_both_backends!(a_patient_sees_where_they_are_signed_in_and_ends_the_other_sessions);

async fn a_patient_sees_where_they_are_signed_in_and_ends_the_other_sessions(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let mut phone = app.signed_in("demo-patient-p9").await;
    let mut laptop = app.signed_in("demo-patient-p9").await;
    let _grace = app.signed_in("demo-patient-p9-southvale").await;
    let page = laptop.get("/your-choices/sessions").await;
    assert_eq!(page.status, 200);
    assert_eq!(page.body.matches("This device").count(), 1, "this one is marked");
    assert_eq!(page.body.matches("Another device").count(), 1, "and Amira's other one, not Grace's");
    let ended = laptop.post_form("/your-choices/sessions/end-others", &[]).await;
    assert_eq!(ended.location.as_deref(), Some("/your-choices/sessions?done=1"));
    assert_eq!(phone.get("/your-choices").await.status, 302, "the other device is signed out");
    assert_eq!(laptop.get("/your-choices").await.status, 200, "this one is not");
    assert_eq!(app.session_count().await, 2, "Grace's session is untouched");
    assert_eq!(app.browser().post_form("/your-choices/sessions/end-others", &[]).await.location.as_deref(), Some("/sign-in"));
}
