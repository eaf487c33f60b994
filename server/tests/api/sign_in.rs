//! Sign-in: demonstration people, sessions and their cookies, roles, sign-out, and the OIDC
//! callback's refusals against a provider that misbehaves on purpose.

use crate::helpers::{fixture, TestApp, TestDb};
use crate::rogue_provider::{Mode, RogueProvider};

#[tokio::test]
async fn a_demo_patient_signs_in_sees_their_choices_and_signs_out() {
    let app = TestApp::spawn().await;
    let mut b = app.browser();
    let anonymous = b.get("/your-choices").await;
    assert_eq!((anonymous.status, anonymous.location.as_deref()), (302, Some("/sign-in")));

    let res = b.post_form("/auth/demo", &[("person", "demo-patient-p9")]).await;
    assert_eq!((res.status, res.location.as_deref()), (303, Some("/your-choices")));
    let cookie = res.set_cookies.iter().find(|c| c.starts_with("__Host-scr-session=")).expect("session cookie");
    for attr in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attr), "{cookie} lacks {attr}");
    }

    let page = b.get("/your-choices").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Amira Khan"));
    assert!(page.body.contains("Northshire Shared Care Record"));
    assert!(page.body.contains("*** *** *919"));
    assert!(!page.body.contains("9434765919"), "the NHS number is never shown whole");
    assert_eq!(app.session_count().await, 1);

    let out = b.post_form("/auth/sign-out", &[]).await;
    assert_eq!(out.location.as_deref(), Some("/signed-out"));
    assert!(!b.has_session());
    assert_eq!(app.session_count().await, 0, "sign-out ends the server-side session");
}

#[tokio::test]
async fn a_p5_patient_is_told_how_to_verify() {
    let app = TestApp::spawn().await;
    let mut b = app.signed_in("demo-patient-p5").await;
    let page = b.get("/your-choices").await;
    assert!(page.body.contains("partly verified (P5)"));
    // Told once: what proving who he is unlocks, and how; no way into what he cannot use yet.
    assert!(page.body.contains("How to prove who you are") && page.body.contains("To do more, prove who you are"));
    assert!(!page.body.contains("href=\"/objections/new\"") && !page.body.contains("href=\"/access-log\""));
    assert!(page.body.contains("href=\"/your-requests\"") && page.body.contains("href=\"/areas/southvale\""));
}

#[tokio::test]
async fn the_session_id_changes_at_sign_in_and_the_old_one_ends() {
    let app = TestApp::spawn().await;
    let mut b = app.signed_in("demo-patient-p9").await;
    let first = b.cookies["__Host-scr-session"].clone();
    b.post_form("/auth/demo", &[("person", "demo-case-worker")]).await;
    let second = b.cookies["__Host-scr-session"].clone();
    assert_ne!(first, second);
    assert_eq!(app.session_count().await, 1, "the earlier session was ended");
    // The old cookie no longer works.
    let mut thief = app.browser();
    thief.cookies.insert("__Host-scr-session".into(), first);
    assert_eq!(thief.get("/your-choices").await.status, 302);
}

#[tokio::test]
async fn sessions_end_when_idle() {
    let app = TestApp::spawn_with(TestDb::sqlite(), |s| s.patient_idle_minutes = 1).await;
    let mut b = app.signed_in("demo-patient-p9").await;
    assert_eq!(b.get("/your-choices").await.status, 200);
    // Age the session in the database as if a minute and more had passed.
    app.set_session_time("last_seen_at", chrono::Utc::now() - chrono::Duration::minutes(2)).await;
    let page = b.get("/your-choices").await;
    assert_eq!(page.status, 302, "an idle session is over");
    assert!(!b.has_session(), "and its cookie is cleared");
    assert_eq!(app.session_count().await, 0);
}

#[tokio::test]
async fn sessions_end_after_the_absolute_lifetime_however_busy() {
    let app = TestApp::spawn().await;
    let mut b = app.signed_in("demo-case-worker").await;
    assert_eq!(b.get("/staff").await.status, 200);
    app.set_session_time("absolute_expires_at", chrono::Utc::now() - chrono::Duration::seconds(1)).await;
    assert_eq!(b.get("/staff").await.status, 302);
    assert_eq!(app.session_count().await, 0);
}

/// A session used every 25 seconds with a one-minute idle limit stays alive: each use moves
/// last-seen on, so the idle window is never cut short.
#[tokio::test]
async fn a_session_in_use_never_ends_before_its_idle_limit() {
    let app = TestApp::spawn_with(TestDb::sqlite(), |s| s.patient_idle_minutes = 1).await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    for _ in 0..4 {
        // 25 seconds since the last use, then a use.
        app.set_session_time("last_seen_at", chrono::Utc::now() - chrono::Duration::seconds(25)).await;
        assert_eq!(amira.get("/your-choices").await.status, 200, "still signed in");
        let mut c = app.sqlite().await;
        let last: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("SELECT last_seen_at FROM sessions").fetch_one(&mut c).await.unwrap();
        assert!(chrono::Utc::now() - last < chrono::Duration::seconds(5), "the use moved last-seen on");
    }
    // Unused for longer than the limit (and the write interval): over.
    app.set_session_time("last_seen_at", chrono::Utc::now() - chrono::Duration::seconds(70)).await;
    assert_eq!(amira.get("/your-choices").await.status, 302);
}

#[tokio::test]
async fn staff_sessions_have_the_shorter_idle_timeout() {
    let app = TestApp::spawn().await;
    let _patient = app.signed_in("demo-patient-p9").await;
    let _staff = app.signed_in("demo-case-worker").await;
    let mut c = app.sqlite().await;
    let mut rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT kind, idle_timeout_secs FROM sessions").fetch_all(&mut c).await.unwrap();
    rows.sort();
    assert_eq!(rows, vec![("patient".to_string(), 30 * 60), ("staff".to_string(), 15 * 60)]);
}

#[tokio::test]
async fn the_portal_runs_on_postgresql_too() {
    let Some(db) = TestDb::postgres().await else {
        eprintln!("PostgreSQL SKIPPED: TEST_POSTGRES_URL is not set");
        return;
    };
    let app = TestApp::spawn_with(db, |_| {}).await;
    let mut b = app.signed_in("demo-patient-p9").await;
    let page = b.get("/your-choices").await;
    assert!(page.body.contains("Amira Khan"));
    assert!(b.get("/areas/northshire").await.body.contains("Your rights"));
    assert_eq!(app.session_count().await, 1);
    b.post_form("/auth/sign-out", &[]).await;
    assert_eq!(app.session_count().await, 0);
}

#[tokio::test]
async fn staff_see_their_roles_and_only_admins_manage_the_directory() {
    let app = TestApp::spawn().await;
    let mut worker = app.signed_in("demo-case-worker").await;
    let home = worker.get("/staff").await;
    assert!(home.body.contains("Case worker"));
    assert!(!home.body.contains("Manage the staff directory"));
    assert_eq!(worker.get("/admin/staff").await.status, 403);
    let tampered = worker
        .post_form("/admin/staff/add", &[("subject", "x"), ("name", "X"), ("role", "admin"), ("area", "northshire")])
        .await;
    assert_eq!(tampered.status, 403);

    let mut admin = app.signed_in("demo-admin").await;
    let dir = admin.get("/admin/staff").await;
    assert_eq!(dir.status, 200);
    assert!(dir.body.contains("Chloe Adams"));
    let res = admin
        .post_form("/admin/staff/add", &[("subject", "cis2-123"), ("name", "New Person"), ("role", "case_worker"), ("area", "southvale")])
        .await;
    assert_eq!(res.location.as_deref(), Some("/admin/staff?done=added"));
    assert!(admin.get("/admin/staff").await.body.contains("New Person"));

    let missing = admin.post_form("/admin/staff/add", &[("subject", ""), ("name", ""), ("role", "boss"), ("area", "northshire")]).await;
    let back = missing.location.unwrap();
    assert!(back.contains("error=subject") && back.contains("error=name") && back.contains("error=role"));
    let page = admin.get(&back).await;
    assert!(page.body.contains("There is a problem"));
    assert!(page.body.contains("Enter the person&#x27;s sign-in subject") || page.body.contains("Enter the person's sign-in subject"));

    let removed = admin
        .post_form("/admin/staff/remove", &[("subject", "cis2-123"), ("role", "case_worker"), ("area", "southvale"), ("confirm", "yes")])
        .await;
    assert_eq!(removed.location.as_deref(), Some("/admin/staff?done=removed"));
    assert!(!admin.get("/admin/staff").await.body.contains("New Person"));
}

#[tokio::test]
async fn a_removed_role_stops_working_at_once() {
    let app = TestApp::spawn().await;
    let mut worker = app.signed_in("demo-case-worker").await;
    assert_eq!(worker.get("/staff").await.status, 200);
    let mut admin = app.signed_in("demo-admin").await;
    admin
        .post_form("/admin/staff/remove", &[("subject", "demo-case-worker"), ("role", "case_worker"), ("area", "northshire"), ("confirm", "yes")])
        .await;
    assert_eq!(worker.get("/staff").await.status, 302, "no roles left: signed out");
    assert!(!worker.has_session());
}

#[tokio::test]
async fn demo_sign_in_is_refused_when_turned_off() {
    let app = TestApp::spawn_with(TestDb::sqlite(), |s| s.demo_sign_in = server::config::Toggle::Off).await;
    let mut b = app.browser();
    let res = b.post_form("/auth/demo", &[("person", "demo-patient-p9")]).await;
    assert_eq!(res.status, 404);
    assert!(!b.get("/sign-in").await.body.contains("demonstration person"));
}

#[tokio::test]
async fn cross_site_posts_are_refused() {
    let app = TestApp::spawn().await;
    let res = reqwest::Client::new()
        .post(format!("{}/auth/demo", app.address))
        .header("origin", "https://evil.example")
        .form(&[("person", "demo-patient-p9")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    let sandboxed = reqwest::Client::new()
        .post(format!("{}/auth/demo", app.address))
        .header("origin", "null")
        .form(&[("person", "demo-patient-p9")])
        .send()
        .await
        .unwrap();
    assert_eq!(sandboxed.status(), 403, "an opaque origin is not ours");
    let ours = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
        .post(format!("{}/auth/demo", app.address))
        .header("origin", app.address.clone())
        .form(&[("person", "demo-patient-p9")])
        .send()
        .await
        .unwrap();
    assert_eq!(ours.status(), 303, "our own origin is welcome");
    assert_eq!(app.session_count().await, 1);
}

async fn app_with(provider: &RogueProvider) -> TestApp {
    let issuer = provider.issuer.clone();
    TestApp::spawn_with(TestDb::sqlite(), move |s| {
        s.nhs_login_issuer = Some(url::Url::parse(&issuer).unwrap());
        s.nhs_login_client_id = "scr-portal-test".into();
        s.nhs_login_key_file = Some(fixture("client.key.pem"));
    })
    .await
}

/// Starts sign-in, lets the provider answer, and returns the browser at the callback's answer.
async fn sign_in_through(app: &TestApp, provider: &RogueProvider) -> (crate::helpers::Browser, crate::helpers::Page, String) {
    let mut b = app.browser();
    let start = b.get("/auth/nhs-login").await;
    assert_eq!(start.status, 303);
    let authorize = start.location.unwrap();
    assert!(authorize.starts_with(&provider.issuer));
    let callback = provider.authorize(&authorize).await;
    let answer = b.get(&callback).await;
    (b, answer, callback)
}

#[tokio::test]
async fn nhs_login_sign_in_succeeds_with_a_good_provider() {
    let provider = RogueProvider::start(Mode::Good).await;
    let app = app_with(&provider).await;
    let (mut b, answer, _) = sign_in_through(&app, &provider).await;
    assert_eq!(answer.location.as_deref(), Some("/your-choices"));
    let page = b.get("/your-choices").await;
    assert!(page.body.contains("Rogue Tester"));
    assert!(page.body.contains("Northshire"));
    let seen = provider.seen();
    assert_eq!(seen.vtr.as_deref(), Some(r#"["P9.Cp.Cd","P9.Cp.Ck","P9.Cm"]"#));
    assert_eq!(seen.code_challenge_method.as_deref(), Some("S256"));
    assert!(seen.scope.as_deref().unwrap().contains("gp_registration_details"));
    assert!(seen.client_assertion_valid, "private_key_jwt assertion verified with the client's public key");
    assert!(seen.pkce_verified, "PKCE verifier matched the challenge");
}

async fn refused(mode: Mode) {
    let provider = RogueProvider::start(mode).await;
    let app = app_with(&provider).await;
    let (b, answer, _) = sign_in_through(&app, &provider).await;
    assert_eq!(answer.status, 303, "{mode:?}");
    assert_eq!(answer.location.as_deref(), Some("/sign-in/problem?reason=identity"), "{mode:?}");
    assert!(!b.has_session(), "{mode:?}: no session cookie");
    assert_eq!(app.session_count().await, 0, "{mode:?}: no session stored");
}

#[tokio::test]
async fn an_id_token_for_another_audience_is_refused() {
    refused(Mode::WrongAudience).await;
}

#[tokio::test]
async fn an_expired_id_token_is_refused() {
    refused(Mode::Expired).await;
}

#[tokio::test]
async fn an_id_token_signed_by_another_key_is_refused() {
    refused(Mode::OtherKey).await;
}

#[tokio::test]
async fn an_unsigned_id_token_is_refused() {
    refused(Mode::Unsigned).await;
}

#[tokio::test]
async fn an_id_token_from_another_issuer_is_refused() {
    refused(Mode::WrongIssuer).await;
}

#[tokio::test]
async fn an_id_token_with_the_wrong_nonce_is_refused() {
    refused(Mode::WrongNonce).await;
}

#[tokio::test]
async fn a_wrong_state_is_refused() {
    let provider = RogueProvider::start(Mode::Good).await;
    let app = app_with(&provider).await;
    let mut b = app.browser();
    let start = b.get("/auth/nhs-login").await;
    let callback = provider.authorize(&start.location.unwrap()).await;
    let forged = callback.replace("state=", "state=forged");
    let answer = b.get(&forged).await;
    assert_eq!(answer.location.as_deref(), Some("/sign-in/problem?reason=expired"));
    assert!(!b.has_session());
    assert_eq!(app.session_count().await, 0);
}

#[tokio::test]
async fn a_replayed_callback_is_refused() {
    let provider = RogueProvider::start(Mode::Good).await;
    let app = app_with(&provider).await;
    let (_, first, callback) = sign_in_through(&app, &provider).await;
    assert_eq!(first.location.as_deref(), Some("/your-choices"));
    // Someone replays the same code and state from another browser.
    let mut other = app.browser();
    let replay = other.get(&callback).await;
    assert_eq!(replay.location.as_deref(), Some("/sign-in/problem?reason=expired"));
    assert!(!other.has_session());
    assert_eq!(app.session_count().await, 1, "only the first sign-in made a session");
}

#[tokio::test]
async fn a_callback_opened_in_another_browser_is_refused() {
    let provider = RogueProvider::start(Mode::Good).await;
    let app = app_with(&provider).await;
    let mut b = app.browser();
    let start = b.get("/auth/nhs-login").await;
    let callback = provider.authorize(&start.location.unwrap()).await;
    let mut stranger = app.browser();
    let answer = stranger.get(&callback).await;
    assert_eq!(answer.location.as_deref(), Some("/sign-in/problem?reason=expired"));
    assert_eq!(app.session_count().await, 0);
}

#[tokio::test]
async fn the_problem_page_explains_and_offers_a_retry() {
    let app = TestApp::spawn().await;
    let page = app.browser().get("/sign-in/problem?reason=identity").await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("We could not sign you in"));
    assert!(page.body.contains("href=\"/sign-in\""));
}
