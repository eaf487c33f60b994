//! The patient's rights journeys over HTTP, as a browser without JavaScript makes them:
//! object, ask for a copy, track, withdraw; and what a patient must never reach.

use crate::helpers::{Browser, Page, TestApp, TestDb};
use crate::on_both_backends;

/// The hidden `key` field of the form on a page.
fn form_key(page: &Page) -> String {
    let at = page.body.find("name=\"key\" value=\"").expect("the form has a key") + 18;
    page.body[at..at + 43].to_string()
}

fn reference_from(location: &str) -> String {
    location.trim_start_matches("/your-requests/").trim_end_matches("/confirmation").to_string()
}

const OBJECTION: &[(&str, &str)] = &[
    ("scope", "organisations"),
    ("organisations", "RX2"),
    ("reason", "I was treated there years ago and do not want it shared."),
    ("contact", "email"),
    ("email", "amira@example.com"),
];

/// Fills in and sends the objection form; returns the confirmation page's path.
pub async fn lodge_objection(patient: &mut Browser) -> String {
    let form = patient.get("/objections/new").await;
    assert_eq!(form.status, 200);
    let key = form_key(&form);
    let mut fields = vec![("key", key.as_str())];
    fields.extend_from_slice(OBJECTION);
    let answers = patient.post_form("/objections/new", &fields).await;
    assert_eq!(answers.status, 303);
    assert_eq!(answers.location.as_deref(), Some(format!("/objections/check?draft={key}").as_str()));
    let sent = patient.post_form("/objections/submit", &[("key", &key)]).await;
    assert_eq!(sent.status, 303);
    sent.location.unwrap()
}

impl TestApp {
    /// How many rows a table holds, on either backend.
    pub async fn count(&self, table: &str) -> i64 {
        use sqlx::Connection;
        let url = self.state.settings.database_url.expose();
        let sql = format!("SELECT COUNT(*) FROM {table}");
        if url.starts_with("postgres") {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar(&sql).fetch_one(&mut c).await.unwrap()
        } else {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query_scalar(&sql).fetch_one(&mut c).await.unwrap()
        }
    }
}

on_both_backends!(an_objection_from_form_to_confirmation, a_request_for_information_is_due_in_a_month);

async fn an_objection_from_form_to_confirmation(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let mut patient = app.signed_in("demo-patient-p9").await;

    // A first go with mistakes: sent back with every problem named, and what was typed kept.
    let form = patient.get("/objections/new").await;
    let key = form_key(&form);
    let wrong = patient
        .post_form("/objections/new", &[("key", &key), ("reason", "My own words, kept."), ("contact", "text"), ("mobile", "12345")])
        .await;
    assert_eq!(wrong.location.as_deref(), Some(format!("/objections/new?draft={key}").as_str()));
    let again = patient.get(wrong.location.as_deref().unwrap()).await;
    assert!(again.body.contains("There is a problem"));
    assert!(again.body.contains("Select what your objection is about"));
    assert!(again.body.contains("Enter a UK mobile phone number"));
    assert!(again.body.contains("My own words, kept."), "the reason is still there");
    assert_eq!(form_key(&again), key, "the same form, the same key");
    assert_eq!(app.count("cases").await, 0, "nothing is stored as a case");

    // Put right, checked, sent.
    let mut fields = vec![("key", key.as_str())];
    fields.extend_from_slice(OBJECTION);
    let ok = patient.post_form("/objections/new", &fields).await;
    let check = patient.get(ok.location.as_deref().unwrap()).await;
    assert!(check.body.contains("Check your answers"));
    assert!(check.body.contains("Northshire Mental Health NHS Trust"));
    assert!(check.body.contains("By email to amira@example.com"));
    let sent = patient.post_form("/objections/submit", &[("key", &key)]).await;
    let confirmation = sent.location.clone().unwrap();
    assert!(confirmation.starts_with("/your-requests/OBJ-"), "{confirmation}");
    let page = patient.get(&confirmation).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Objection sent"));
    assert!(page.body.contains(&reference_from(&confirmation)));

    // A double click, a retried post, a refresh: still one case, one message.
    let twice = patient.post_form("/objections/submit", &[("key", &key)]).await;
    assert_eq!(twice.location, sent.location);
    let resent = patient.post_form("/objections/new", &fields).await;
    assert_eq!(resent.status, 303);
    let thrice = patient.post_form("/objections/submit", &[("key", &key)]).await;
    assert_eq!(thrice.location, sent.location);
    assert_eq!(app.count("cases").await, 1);
    assert_eq!(app.count("outbox").await, 1, "one 'received' message queued with the case");

    // Tracked on "Your requests", with its first step.
    let list = patient.get("/your-requests").await;
    assert!(list.body.contains(&reference_from(&confirmation)));
    assert!(list.body.contains("Received"));
    let one = patient.get(&format!("/your-requests/{}", reference_from(&confirmation))).await;
    assert!(one.body.contains("We received your objection."));
    assert!(one.body.contains("I was treated there years ago"));
    assert!(one.body.contains("Withdraw objection"));
}

async fn a_request_for_information_is_due_in_a_month(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let mut patient = app.signed_in("demo-patient-p9").await;
    let key = form_key(&patient.get("/access-requests/new").await);
    let fields = [
        ("key", key.as_str()),
        ("info", "access_log"),
        ("info", "case_records"),
        ("dates", "between"),
        ("from-day", "1"),
        ("from-month", "1"),
        ("from-year", "2025"),
        ("to-day", "31"),
        ("to-month", "12"),
        ("to-year", "2025"),
        ("delivery", "download"),
        ("contact", "text"),
        ("mobile", "07700 900982"),
    ];
    let ok = patient.post_form("/access-requests/new", &fields).await;
    assert_eq!(ok.location.as_deref(), Some(format!("/access-requests/check?draft={key}").as_str()));
    let check = patient.get(ok.location.as_deref().unwrap()).await;
    assert!(check.body.contains("From 1 January 2025 to 31 December 2025"));
    let sent = patient.post_form("/access-requests/submit", &[("key", &key)]).await;
    let confirmation = sent.location.unwrap();
    assert!(confirmation.starts_with("/your-requests/SAR-"));
    let page = patient.get(&confirmation).await;
    assert!(page.body.contains("Request sent"));
    // Due one calendar month on, moved to a working day, as the clock in the domain says.
    let today = app::domain::uk_date(chrono::Utc::now());
    let holidays = app::domain::BankHolidays::england_and_wales_2024_to_2028();
    let app::domain::Due::On(due) = app::domain::Clock::new(today).due(&holidays) else { panic!("running clock") };
    assert!(page.body.contains(&format!("Due by {}", due.format("%-d %B %Y"))), "due date shown");
}

#[tokio::test]
async fn bad_dates_are_named_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let mut patient = app.signed_in("demo-patient-p9").await;
    let key = form_key(&patient.get("/access-requests/new").await);
    let res = patient
        .post_form(
            "/access-requests/new",
            &[("key", &key), ("info", "everything"), ("dates", "between"), ("from-day", "31"), ("from-month", "2"), ("from-year", "2025"), ("delivery", "post")],
        )
        .await;
    let page = patient.get(res.location.as_deref().unwrap()).await;
    assert!(page.body.contains("The start date must be a real date"));
    assert!(page.body.contains("Enter the end date"));
    assert!(page.body.contains("Enter the postal address to send your information to"));
    assert!(page.body.contains("Select how we should contact you"));
    assert!(page.body.contains("href=\"#from-day\""), "the summary links to the field");
    // Submitting a draft with errors goes back to the form.
    let submit = patient.post_form("/access-requests/submit", &[("key", &key)]).await;
    assert_eq!(submit.location.as_deref(), Some(format!("/access-requests/new?draft={key}").as_str()));
    assert_eq!(app.count("cases").await, 0);
}

#[tokio::test]
async fn a_patient_can_withdraw_until_it_is_decided() {
    let app = TestApp::spawn().await;
    let mut patient = app.signed_in("demo-patient-p9").await;
    let reference = reference_from(&lodge_objection(&mut patient).await);
    let confirm = patient.get(&format!("/your-requests/{reference}/withdraw")).await;
    assert!(confirm.body.contains("Are you sure you want to withdraw your objection?"));
    let done = patient.post_form(&format!("/your-requests/{reference}/withdraw"), &[]).await;
    assert_eq!(done.location.as_deref(), Some(format!("/your-requests/{reference}").as_str()));
    let page = patient.get(&format!("/your-requests/{reference}")).await;
    assert!(page.body.contains("Withdrawn"));
    assert!(page.body.contains("You withdrew this objection."));
    assert!(!page.body.contains("Withdraw objection"), "no second withdrawal offered");
    let asked_again = patient.get(&format!("/your-requests/{reference}/withdraw")).await;
    assert_eq!(asked_again.status, 409, "it can no longer be withdrawn");
    assert!(asked_again.body.contains("This cannot be withdrawn"));
    let again = patient.post_form(&format!("/your-requests/{reference}/withdraw"), &[]).await;
    assert_eq!(again.status, 303);
    assert_eq!(app.count("case_events").await, 2, "received, withdrawn: nothing more");
}

#[tokio::test]
async fn a_patient_never_reaches_another_patients_case() {
    let app = TestApp::spawn().await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let reference = reference_from(&lodge_objection(&mut amira).await);
    let mut grace = app.signed_in("demo-patient-p9-southvale").await;
    for path in [format!("/your-requests/{reference}"), format!("/your-requests/{reference}/confirmation"), format!("/your-requests/{reference}/withdraw")] {
        let page = grace.get(&path).await;
        assert!(page.body.contains("Page not found"), "{path}");
        assert!(!page.body.contains("I was treated there"), "{path} shows nothing of Amira's");
    }
    let withdraw = grace.post_form(&format!("/your-requests/{reference}/withdraw"), &[]).await;
    assert_eq!(withdraw.status, 404);
    assert!(!grace.get("/your-requests").await.body.contains(&reference));

    // Amira's form key in Grace's hands: neither her draft nor her case.
    let key = form_key(&amira.get("/objections/new").await);
    let mut fields = vec![("key", key.as_str())];
    fields.extend_from_slice(OBJECTION);
    amira.post_form("/objections/new", &fields).await;
    let check = grace.get(&format!("/objections/check?draft={key}")).await;
    assert!(!check.body.contains("amira@example.com"));
    let stolen = grace.post_form("/objections/submit", &[("key", &key)]).await;
    assert_eq!(stolen.location.as_deref(), Some("/objections/new"));
    assert_eq!(app.count("cases").await, 1, "only Amira's first objection");
}

#[tokio::test]
async fn a_partly_verified_patient_is_told_how_to_verify_and_cannot_send() {
    let app = TestApp::spawn().await;
    let mut tom = app.signed_in("demo-patient-p5").await;
    let page = tom.get("/objections/new").await;
    assert!(page.body.contains("not yet proved who you are with photo ID") && page.body.contains("How to prove who you are"));
    assert!(page.body.contains("href=\"/areas/southvale\""), "sent to his own area, known from his surgery");
    assert!(!page.body.contains("name=\"key\""), "no form to fill in");
    let mut fields = vec![("key", "x")];
    fields.extend_from_slice(OBJECTION);
    let res = tom.post_form("/objections/new", &fields).await;
    assert_eq!(res.location.as_deref(), Some("/objections/new"));
    assert_eq!(app.count("form_drafts").await, 0);
}

#[tokio::test]
async fn only_patients_make_requests() {
    let app = TestApp::spawn().await;
    let mut nobody = app.browser();
    assert_eq!(nobody.get("/objections/new").await.location.as_deref(), Some("/sign-in"));
    assert_eq!(nobody.post_form("/objections/new", OBJECTION).await.location.as_deref(), Some("/sign-in"));
    let mut staff = app.signed_in("demo-case-worker").await;
    assert_eq!(staff.post_form("/access-requests/submit", &[("key", "k")]).await.location.as_deref(), Some("/sign-in"));
    assert_eq!(staff.get("/your-requests").await.location.as_deref(), Some("/sign-in"));
}

#[tokio::test]
async fn a_patient_with_an_objection_being_considered_is_told_before_sending_another() {
    let app = TestApp::spawn().await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let form = amira.get("/objections/new").await;
    assert!(!form.body.contains("being considered"), "nothing open yet");
    let reference = reference_from(&lodge_objection(&mut amira).await);
    let again = amira.get("/objections/new").await;
    assert!(again.body.contains("You already have an objection being considered"), "{}", again.body);
    assert!(again.body.contains(&format!("href=\"/your-requests/{reference}\"")), "with a link to it");
    assert!(!amira.get("/access-requests/new").await.body.contains("being considered"), "an objection is not a request for a copy");
    // Withdrawn, it is no longer being considered.
    amira.post_form(&format!("/your-requests/{reference}/withdraw"), &[]).await;
    let after = amira.get("/objections/new").await;
    assert!(!after.body.contains("being considered"), "{}", after.body);
}

#[tokio::test]
async fn a_form_already_sent_says_so_and_a_later_change_is_refused_not_dropped() {
    let app = TestApp::spawn().await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let form = amira.get("/objections/new").await;
    let key = form_key(&form);
    let mut fields = vec![("key", key.as_str())];
    fields.extend_from_slice(OBJECTION);
    amira.post_form("/objections/new", &fields).await;
    let sent = amira.post_form("/objections/submit", &[("key", &key)]).await;
    let reference = reference_from(sent.location.as_deref().unwrap());

    // Back to check your answers: the page of what was sent instead, saying so.
    let back = amira.get(&format!("/objections/check?draft={key}")).await;
    assert_eq!(back.location.as_deref(), Some(format!("/your-requests/{reference}?sent=already").as_str()));
    let shown = amira.get(back.location.as_deref().unwrap()).await;
    assert!(shown.body.contains("You have already sent this objection."), "{}", shown.body);
    let change = amira.get(&format!("/objections/new?draft={key}")).await;
    assert_eq!(change.location.as_deref(), Some(format!("/your-requests/{reference}?sent=already").as_str()));

    // A changed answer posted with the sent form's key: refused, and said so.
    let changed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| if *k == "reason" { (*k, "A different reason") } else { (*k, *v) }).collect();
    let refused = amira.post_form("/objections/new", &changed).await;
    assert_eq!(refused.location.as_deref(), Some(format!("/your-requests/{reference}?sent=change-not-sent").as_str()));
    let told = amira.get(refused.location.as_deref().unwrap()).await;
    assert!(told.body.contains("so your change was not sent"));
    assert!(!told.body.contains("A different reason"), "what the area received is unchanged");
    assert_eq!(app.count("cases").await, 1);
}
