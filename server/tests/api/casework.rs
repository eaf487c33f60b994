//! The case workers' console over HTTP: the queue, a case's page, deciding objections,
//! pausing, extending and fulfilling requests; and every role refused what it may not do.

use crate::helpers::{Browser, TestApp, TestDb};
use crate::on_both_backends;
use crate::rights::lodge_objection;

fn reference_of(location: &str) -> String {
    location.trim_start_matches("/your-requests/").trim_end_matches("/confirmation").to_string()
}

/// Sends a request for everything, to be downloaded; returns its reference.
pub(crate) async fn lodge_access_request(patient: &mut Browser) -> String {
    let form = patient.get("/access-requests/new").await;
    let at = form.body.find("name=\"key\" value=\"").unwrap() + 18;
    let key = form.body[at..at + 43].to_string();
    let fields = [
        ("key", key.as_str()),
        ("info", "everything"),
        ("dates", "all"),
        ("delivery", "download"),
        ("contact", "email"),
        ("email", "amira@example.com"),
    ];
    assert_eq!(patient.post_form("/access-requests/new", &fields).await.status, 303);
    let sent = patient.post_form("/access-requests/submit", &[("key", &key)]).await;
    reference_of(&sent.location.unwrap())
}

/// Posts a case action and returns where it sent the browser.
async fn act(worker: &mut Browser, reference: &str, action: &str, form: &[(&str, &str)]) -> String {
    let res = worker.post_form(&format!("/cases/{reference}/{action}"), form).await;
    assert_eq!(res.status, 303, "{action} redirects");
    res.location.unwrap()
}

on_both_backends!(a_case_worker_decides_an_objection, a_request_is_paused_extended_and_fulfilled);

async fn a_case_worker_decides_an_objection(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let reference = reference_of(&lodge_objection(&mut amira).await);
    let mut chloe = app.signed_in("demo-case-worker").await;

    let queue = chloe.get("/cases").await;
    assert!(queue.body.contains(&reference), "in the queue");
    assert!(queue.body.contains("Objection: received: 1"), "counted");
    let unassigned = chloe.get("/cases?assignee=unassigned&kind=objection").await;
    assert!(unassigned.body.contains(&reference));

    let case = chloe.get(&format!("/cases/{reference}")).await;
    assert!(case.body.contains("What the patient asked, in their words"));
    assert!(case.body.contains("I was treated there years ago"));
    assert!(case.body.contains("943 476 5919"), "the case worker sees the whole NHS number");

    assert!(act(&mut chloe, &reference, "claim", &[]).await.ends_with("?done=claimed"));
    assert!(act(&mut chloe, &reference, "claim", &[]).await.ends_with("?done=stale"), "already claimed");
    assert!(!chloe.get("/cases?assignee=unassigned").await.body.contains(&reference));
    assert!(chloe.get("/cases?assignee=me").await.body.contains(&reference));
    act(&mut chloe, &reference, "note", &[("note", "Called the trust's IG team; they agree.")]).await;

    // A decision with no outcome is sent back, and what was typed is kept.
    let back = act(&mut chloe, &reference, "decide", &[("reason", "Your words are kept")]).await;
    assert_eq!(back, format!("/cases/{reference}?form=decide#outcome"));
    let page = chloe.get(&back).await;
    assert!(page.body.contains("Choose a decision"));
    assert!(page.body.contains("Your words are kept"));

    let template = {
        let at = page.body.find("Objection upheld</label>").expect("starter templates are offered");
        let value_at = page.body[..at].rfind("value=\"").unwrap() + 7;
        page.body[value_at..].split('"').next().unwrap().to_string()
    };
    let done = act(&mut chloe, &reference, "decide", &[("outcome", "upheld"), ("template", &template), ("reason", "Thank you for telling us.")]).await;
    assert!(done.ends_with("?done=decided"), "{done}");

    // The patient sees the decision, its reason and what each organisation is doing, never the note.
    let mine = amira.get(&format!("/your-requests/{reference}")).await;
    assert!(mine.body.contains("We upheld your objection."));
    assert!(mine.body.contains("Thank you for telling us."));
    assert!(mine.body.contains("Northshire Mental Health NHS Trust"));
    assert!(mine.body.contains("In progress"));
    assert!(!mine.body.contains("Called the trust"), "internal notes stay internal");
    assert!(!mine.body.contains("Chloe"), "staff names stay internal");

    act(&mut chloe, &reference, "effect-applied", &[("ods", "RX2")]).await;
    let mine = amira.get(&format!("/your-requests/{reference}")).await;
    assert!(mine.body.contains("Stopped sharing"));
    assert!(mine.body.contains("Northshire Mental Health NHS Trust has stopped sharing your information"));

    // A decided case takes no second decision.
    assert!(act(&mut chloe, &reference, "decide", &[("outcome", "declined"), ("reason", "no")]).await.ends_with("?done=stale"));
    let case = app.state.store.cases_for_patient("demo-patient-p9").await.unwrap().remove(0);
    let actions: Vec<String> = app.state.store.staff_actions(case.id).await.unwrap().into_iter().map(|a| a.action).collect();
    for expected in ["viewed", "claimed", "noted", "decided", "effect applied"] {
        assert!(actions.iter().any(|a| a == expected), "{expected} is on the record: {actions:?}");
    }
    let messages: Vec<String> = app.state.store.messages_for_case(case.id).await.unwrap().into_iter().map(|m| m.template.as_str().to_string()).collect();
    assert_eq!(messages, vec!["received", "decided"]);
}

async fn a_request_is_paused_extended_and_fulfilled(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let reference = lodge_access_request(&mut amira).await;
    let mut chloe = app.signed_in("demo-case-worker").await;

    let back = act(&mut chloe, &reference, "ask", &[("need", "identity")]).await;
    assert!(back.contains("form=ask"));
    act(&mut chloe, &reference, "ask", &[("need", "identity"), ("detail", "Send a photo of your passport by post.")]).await;
    let mine = amira.get(&format!("/your-requests/{reference}")).await;
    assert!(mine.body.contains("We need more information"));
    assert!(mine.body.contains("Paused until we hear from you"));
    assert!(mine.body.contains("Send a photo of your passport by post."));
    assert!(chloe.get("/cases?status=information_needed").await.body.contains(&reference));

    assert!(act(&mut chloe, &reference, "received", &[]).await.ends_with("?done=resumed"));
    let back = act(&mut chloe, &reference, "extend", &[("months", "1")]).await;
    assert!(back.contains("form=extend"), "a reason is needed");
    assert!(act(&mut chloe, &reference, "extend", &[("months", "1"), ("reason", "Records from many organisations")]).await.ends_with("?done=extended"));
    let mine = amira.get(&format!("/your-requests/{reference}")).await;
    assert!(mine.body.contains("we have extended it by 1 month"));

    assert!(act(&mut chloe, &reference, "fulfil", &[("note", "All sources checked")]).await.ends_with("?done=fulfilled"));
    let mine = amira.get(&format!("/your-requests/{reference}")).await;
    assert!(mine.body.contains("Your information is ready"));
    let download = amira.get(&format!("/your-requests/{reference}/download")).await;
    assert_eq!(download.status, 200);
    assert!(download.body.starts_with("PK"), "a ZIP file");
    assert!(download.body.contains("index.html") && download.body.contains("bundle.json"));
    assert!(download.body.contains("\"resourceType\": \"Bundle\""));
    assert!(download.body.contains("https://fhir.nhs.uk/Id/nhs-number"));
    let mine = amira.get(&format!("/your-requests/{reference}")).await;
    assert!(mine.body.contains("You downloaded your information."), "every download is recorded");

    let mut grace = app.signed_in("demo-patient-p9-southvale").await;
    assert_eq!(grace.get(&format!("/your-requests/{reference}/download")).await.status, 404);
    let case = app.state.store.cases_for_patient("demo-patient-p9").await.unwrap().remove(0);
    let messages: Vec<String> = app.state.store.messages_for_case(case.id).await.unwrap().into_iter().map(|m| m.template.as_str().to_string()).collect();
    assert_eq!(messages, vec!["received", "information_needed", "extended", "fulfilled"]);
}

#[tokio::test]
async fn an_extension_is_refused_after_the_first_month() {
    let app = TestApp::spawn().await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let reference = lodge_access_request(&mut amira).await;
    let mut c = app.sqlite().await;
    let long_ago = app::domain::uk_date(chrono::Utc::now()) - chrono::Duration::days(45);
    sqlx::query("UPDATE cases SET received_on = $1").bind(long_ago).execute(&mut c).await.unwrap();
    let mut chloe = app.signed_in("demo-case-worker").await;
    let back = act(&mut chloe, &reference, "extend", &[("months", "2"), ("reason", "Complex")]).await;
    let page = chloe.get(&back).await;
    assert!(page.body.contains("An extension must be sent to the person within the first month"));
}

#[tokio::test]
async fn each_role_is_refused_what_it_may_not_do() {
    let app = TestApp::spawn().await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let northshire = reference_of(&lodge_objection(&mut amira).await);

    // An administrator sees who it is about, not what they wrote, and cannot act.
    let mut helen = app.signed_in("demo-admin").await;
    let page = helen.get(&format!("/cases/{northshire}")).await;
    assert!(page.body.contains("Amira Khan"));
    assert!(!page.body.contains("I was treated there"));
    assert!(!page.body.contains("Claim this case"));
    assert_eq!(helen.post_form(&format!("/cases/{northshire}/claim"), &[]).await.status, 403);

    // Comms roles see no cases.
    let mut priya = app.signed_in("demo-comms-editor").await;
    assert_eq!(priya.get("/cases").await.status, 403);
    assert_eq!(priya.get(&format!("/cases/{northshire}")).await.status, 404);
    assert_eq!(priya.post_form(&format!("/cases/{northshire}/note"), &[("note", "x")]).await.status, 404);

    // A case worker of Northshire never sees a Southvale case.
    let mut grace = app.signed_in("demo-patient-p9-southvale").await;
    let form = grace.get("/objections/new").await;
    let at = form.body.find("name=\"key\" value=\"").unwrap() + 18;
    let key = form.body[at..at + 43].to_string();
    grace
        .post_form("/objections/new", &[("key", &key), ("scope", "whole"), ("reason", "Private"), ("contact", "email"), ("email", "g@example.com")])
        .await;
    let southvale = reference_of(&grace.post_form("/objections/submit", &[("key", &key)]).await.location.unwrap());
    let mut chloe = app.signed_in("demo-case-worker").await;
    assert!(!chloe.get("/cases").await.body.contains(&southvale));
    assert_eq!(chloe.get(&format!("/cases/{southvale}")).await.status, 404);
    assert_eq!(chloe.post_form(&format!("/cases/{southvale}/claim"), &[]).await.status, 404);
    // The IG lead of both areas sees both.
    let mut samuel = app.signed_in("demo-ig-lead").await;
    let queue = samuel.get("/cases").await;
    assert!(queue.body.contains(&southvale) && queue.body.contains(&northshire));

    // Patients reach no staff page or action.
    assert_eq!(amira.get("/cases").await.location.as_deref(), Some("/sign-in"));
    assert_eq!(amira.post_form(&format!("/cases/{northshire}/decide"), &[("outcome", "upheld")]).await.location.as_deref(), Some("/sign-in"));
}

#[tokio::test]
async fn an_ig_lead_edits_the_reasons_and_a_case_worker_cannot() {
    let app = TestApp::spawn().await;
    let mut samuel = app.signed_in("demo-ig-lead").await;
    let page = samuel.get("/cases/templates").await;
    assert!(page.body.contains("Needed to keep you or others safe"));
    let back = samuel.post_form("/cases/templates/add", &[("area", "northshire"), ("outcome", "declined"), ("title", "")]).await;
    let page = samuel.get(back.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Enter a short name for the reason"));
    let ok = samuel
        .post_form("/cases/templates/add", &[("area", "northshire"), ("outcome", "declined"), ("title", "Safeguarding"), ("body", "We must share this.")])
        .await;
    assert_eq!(ok.location.as_deref(), Some("/cases/templates?done=added"));
    assert!(samuel.get("/cases/templates").await.body.contains("We must share this."));

    let mut chloe = app.signed_in("demo-case-worker").await;
    assert_eq!(chloe.get("/cases/templates").await.status, 403);
    let refused = chloe.post_form("/cases/templates/add", &[("area", "northshire"), ("outcome", "declined"), ("title", "T"), ("body", "B")]).await;
    assert_eq!(refused.status, 403);
}

#[tokio::test]
async fn colleagues_pass_cases_between_them() {
    let app = TestApp::spawn().await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let reference = reference_of(&lodge_objection(&mut amira).await);
    let mut chloe = app.signed_in("demo-case-worker").await;
    assert!(act(&mut chloe, &reference, "assign", &[("to", "demo-ig-lead")]).await.ends_with("?done=assigned"));
    let page = chloe.get(&format!("/cases/{reference}")).await;
    assert!(page.body.contains("Assigned to Samuel Okafor by Chloe Adams."));
    assert!(act(&mut chloe, &reference, "release", &[]).await.ends_with("?done=stale"), "only the assignee releases");
    let mut samuel = app.signed_in("demo-ig-lead").await;
    assert!(samuel.get("/cases?assignee=me").await.body.contains(&reference));
    assert!(act(&mut samuel, &reference, "release", &[]).await.ends_with("?done=released"));
    // Not to someone who cannot work cases here.
    let back = act(&mut chloe, &reference, "assign", &[("to", "demo-comms-editor")]).await;
    assert!(back.contains("form=assign"));
}

#[tokio::test]
async fn an_admin_keeps_the_bank_holidays() {
    let app = TestApp::spawn().await;
    let mut helen = app.signed_in("demo-admin").await;
    let page = helen.get("/admin/bank-holidays").await;
    assert!(page.body.contains("Christmas Day"));
    let bad = helen.post_form("/admin/bank-holidays/add", &[("date-day", "31"), ("date-month", "2"), ("date-year", "2029"), ("name", "Nope")]).await;
    let page = helen.get(bad.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Enter a real date"));
    assert!(page.body.contains("value=\"Nope\""), "what was typed is kept");
    let ok = helen.post_form("/admin/bank-holidays/add", &[("date-day", "1"), ("date-month", "1"), ("date-year", "2029"), ("name", "New Year's Day")]).await;
    assert_eq!(ok.location.as_deref(), Some("/admin/bank-holidays?done=added"));
    assert!(app.state.store.bank_holidays().await.unwrap().contains(chrono::NaiveDate::from_ymd_opt(2029, 1, 1).unwrap()));
    let mut chloe = app.signed_in("demo-case-worker").await;
    assert_eq!(chloe.post_form("/admin/bank-holidays/remove", &[("date", "2029-01-01")]).await.status, 403);
    helen.post_form("/admin/bank-holidays/remove", &[("date", "2029-01-01"), ("confirm", "yes")]).await;
    assert!(!app.state.store.bank_holidays().await.unwrap().contains(chrono::NaiveDate::from_ymd_opt(2029, 1, 1).unwrap()));
}

#[tokio::test]
async fn documents_a_case_worker_adds_go_into_the_response() {
    let app = TestApp::spawn().await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let reference = lodge_access_request(&mut amira).await;
    let mut chloe = app.signed_in("demo-case-worker").await;
    let boundary = "scrboundary7MA4YWxkTrZu0gW";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"letter from GP.txt\"\r\nContent-Type: text/plain\r\n\r\nNotes released by the practice.\r\n--{boundary}--\r\n"
    );
    let res = chloe.post_raw(&format!("/cases/{reference}/documents"), &format!("multipart/form-data; boundary={boundary}"), body.into_bytes()).await;
    assert_eq!(res.location, Some(format!("/cases/{reference}?done=uploaded")));
    let page = chloe.get(&format!("/cases/{reference}")).await;
    assert!(page.body.contains("letter from GP.txt"));
    // The patient cannot reach staff documents; a colleague in the area can.
    let case = app.state.store.cases_for_patient("demo-patient-p9").await.unwrap().remove(0);
    let doc = app.state.store.documents(case.id).await.unwrap().remove(0);
    assert_eq!(amira.get(&format!("/cases/{reference}/documents/{}", doc.id)).await.location.as_deref(), Some("/sign-in"));
    let opened = chloe.get(&format!("/cases/{reference}/documents/{}", doc.id)).await;
    assert_eq!(opened.body, "Notes released by the practice.");
    assert!(app.state.store.staff_actions(case.id).await.unwrap().iter().any(|a| a.action == "document opened"));

    act(&mut chloe, &reference, "fulfil", &[]).await;
    let zip = amira.get(&format!("/your-requests/{reference}/download")).await;
    assert!(zip.body.contains("letter_from_GP.txt"), "the document is in the download");
    assert!(zip.body.contains("Notes released by the practice."));
    assert!(zip.body.contains("\"resourceType\": \"DocumentReference\""));

    // A request with nothing attached is refused politely.
    let empty = format!("--{boundary}--\r\n");
    let res = chloe.post_raw(&format!("/cases/{reference}/documents"), &format!("multipart/form-data; boundary={boundary}"), empty.into_bytes()).await;
    assert_eq!(res.location, Some(format!("/cases/{reference}?done=no-file")));
}

/// A response to a request for a copy is a legal document: it holds every access event the
/// portal has about the patient for the dates asked, readable and as FHIR AuditEvents.
#[tokio::test]
async fn the_response_to_a_request_for_a_copy_includes_the_access_log() {
    let app = TestApp::spawn().await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let reference = lodge_access_request(&mut amira).await;
    let mut chloe = app.signed_in("demo-case-worker").await;
    assert!(act(&mut chloe, &reference, "fulfil", &[]).await.ends_with("?done=fulfilled"));
    let held = crate::helpers::every_access_event(&*app.state.store, crate::helpers::nhs("9434765919")).await;
    assert!(held.len() > 10, "Amira has a month of demonstration events");
    let zip = amira.get(&format!("/your-requests/{reference}/download")).await;
    assert!(!zip.body.contains("We hold no records of anyone looking"), "the response no longer says nobody looked");
    assert!(zip.body.contains("Who looked at your record"));
    assert!(zip.body.contains(held[0].org_name.as_deref().unwrap()), "the readable page names the organisation that looked");
    assert_eq!(zip.body.matches("\"resourceType\": \"AuditEvent\"").count(), held.len(), "every event, as an AuditEvent");
    assert!(!zip.body.contains("urn:uuid:patient") && !zip.body.contains("urn:uuid:case-"), "fullUrls are real UUIDs");
}
