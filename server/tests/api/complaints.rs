//! Complaints and requests to look again, over HTTP as a browser without JavaScript makes them:
//! the patient complains about a declined objection; the IG lead acknowledges it with an answer
//! date, updates the patient, sends the objection back for a fresh decision by someone other
//! than whoever declined it, and answers the complaint with the route to the ICO; the figures
//! count it. Every step on SQLite and PostgreSQL.

use crate::helpers::{Browser, Page, TestApp, TestDb};
use crate::on_both_backends;
use crate::rights::lodge_objection;

fn form_key(page: &Page) -> String {
    let at = page.body.find("name=\"key\" value=\"").expect("the form has a key") + 18;
    page.body[at..at + 43].to_string()
}

fn reference_of(location: &str) -> String {
    location.trim_start_matches("/your-requests/").trim_end_matches("/confirmation").to_string()
}

/// The value of the option whose label is `label` on a case page.
fn option_value(page: &Page, label: &str) -> String {
    let at = page.body.find(&format!("{label}</label>")).unwrap_or_else(|| panic!("{label} is offered"));
    let value_at = page.body[..at].rfind("value=\"").unwrap() + 7;
    page.body[value_at..].split('"').next().unwrap().to_string()
}

async fn act(worker: &mut Browser, reference: &str, action: &str, form: &[(&str, &str)]) -> String {
    let res = worker.post_form(&format!("/cases/{reference}/{action}"), form).await;
    assert_eq!(res.status, 303, "{action} redirects");
    res.location.unwrap()
}

/// Sends a complaint about `about` ("other" for something else); returns its reference.
pub(crate) async fn lodge_complaint(patient: &mut Browser, about: &str) -> String {
    let form = patient.get(&format!("/complaints/new?about={about}")).await;
    assert_eq!(form.status, 200);
    let key = form_key(&form);
    let fields = [
        ("key", key.as_str()),
        ("about", about),
        ("wrong", "Nobody told me why my objection was declined."),
        ("wanted", "Look at it again, please."),
        ("contact", "email"),
        ("email", "amira@example.com"),
    ];
    let answers = patient.post_form("/complaints/new", &fields).await;
    assert_eq!(answers.location.as_deref(), Some(format!("/complaints/check?draft={key}").as_str()));
    let sent = patient.post_form("/complaints/submit", &[("key", &key)]).await;
    reference_of(&sent.location.unwrap())
}

on_both_backends!(a_complaint_reopens_a_declined_objection_for_someone_else_to_decide, a_complaint_form_says_what_is_wrong_and_stores_nothing);

async fn a_complaint_reopens_a_declined_objection_for_someone_else_to_decide(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let objection = reference_of(&lodge_objection(&mut amira).await);
    let mut chloe = app.signed_in("demo-case-worker").await;
    let page = chloe.get(&format!("/cases/{objection}")).await;
    let template = option_value(&page, "Required by law");
    // Each decision offers its own reasons; the claim comes before the patient's words.
    assert!(page.body.contains("name=\"template-declined\"") && page.body.contains("name=\"template-upheld\""));
    assert!(page.body.find("Claim this case").unwrap() < page.body.find("What the patient asked").unwrap());
    act(&mut chloe, &objection, "claim", &[]).await;
    assert!(act(&mut chloe, &objection, "decide", &[("outcome", "declined"), ("template-declined", &template), ("reason", "")]).await.ends_with("?done=decided"));

    // The decision offers the route; the form knows what it is about.
    let decided = amira.get(&format!("/your-requests/{objection}")).await;
    assert!(decided.body.contains("Not happy with this?"));
    assert!(decided.body.contains(&format!("/complaints/new?about={objection}")));
    let form = amira.get(&format!("/complaints/new?about={objection}")).await;
    assert!(form.body.contains(&format!("value=\"{objection}\" checked")) || form.body.contains(&format!("checked value=\"{objection}\"")) || {
        let at = form.body.find(&format!("value=\"{objection}\"")).unwrap();
        form.body[at.saturating_sub(200)..at + 200].contains("checked")
    }, "the objection is chosen");

    let complaint = lodge_complaint(&mut amira, &objection).await;
    assert!(complaint.starts_with("CMP-"), "{complaint}");
    let sent = amira.get(&format!("/your-requests/{complaint}/confirmation")).await;
    assert!(sent.body.contains("Complaint sent"));
    let today = app::domain::uk_date(chrono::Utc::now());
    let ack_by = app::domain::complaint::acknowledge_by(today).format("%-d %B %Y").to_string();
    assert!(sent.body.contains(&format!("We will acknowledge it by {ack_by}")), "{ack_by}");

    // Complaints are the IG lead's: a case worker sees it but cannot act on it.
    assert!(chloe.get("/cases?kind=complaint").await.body.contains(&complaint));
    let refused = chloe.post_form(&format!("/cases/{complaint}/acknowledge"), &[]).await;
    assert_eq!(refused.status, 403);
    let mut samuel = app.signed_in("demo-ig-lead").await;
    let case = samuel.get(&format!("/cases/{complaint}")).await;
    assert!(case.body.contains(&format!("Acknowledge by {ack_by}")));
    assert!(case.body.contains("Nobody told me why"));
    assert!(case.body.contains("Reopen the objection"));

    // An answer date in the past, or beyond six months, is sent back; the status stays.
    let back = act(&mut samuel, &complaint, "acknowledge", &[("answer-by-day", "1"), ("answer-by-month", "1"), ("answer-by-year", "2999")]).await;
    assert!(back.contains("?form=acknowledge"), "{back}");
    assert!(samuel.get(&back).await.body.contains("six months after the complaint came in"));
    let answer_by = today + chrono::Duration::days(40);
    let (d, m, y) = (answer_by.format("%-d").to_string(), answer_by.format("%-m").to_string(), answer_by.format("%Y").to_string());
    let done = act(&mut samuel, &complaint, "acknowledge", &[("answer-by-day", &d), ("answer-by-month", &m), ("answer-by-year", &y), ("words", "Our IG team is looking into it.")]).await;
    assert!(done.ends_with("?done=acknowledged"), "{done}");
    let answer_words = answer_by.format("%-d %B %Y").to_string();
    let mine = amira.get(&format!("/your-requests/{complaint}")).await;
    assert!(mine.body.contains(&format!("We will give you our answer by {answer_words}")));
    assert!(mine.body.contains("Being looked into"));
    assert!(act(&mut samuel, &complaint, "update", &[("update", "We have asked the case team for their notes.")]).await.ends_with("?done=updated"));
    assert!(amira.get(&format!("/your-requests/{complaint}")).await.body.contains("We have asked the case team for their notes."));

    // Sending the objection back: it is open again, due in a month, told to the patient, and
    // whoever declined it may neither claim nor decide it.
    assert!(act(&mut samuel, &complaint, "reopen", &[]).await.ends_with("?done=reopened"));
    assert!(act(&mut samuel, &complaint, "reopen", &[]).await.ends_with("?done=stale"), "only once");
    let reopened = amira.get(&format!("/your-requests/{objection}")).await;
    assert!(reopened.body.contains(&format!("After your complaint {complaint}, we are looking at your objection again")));
    assert!(reopened.body.contains("Received"));
    assert!(!reopened.body.contains("The decision</h2>"), "the old decision is no longer shown as the decision");
    assert_eq!(chloe.post_form(&format!("/cases/{objection}/claim"), &[]).await.status, 403);
    assert_eq!(chloe.post_form(&format!("/cases/{objection}/decide"), &[("outcome", "upheld")]).await.status, 403);
    let theirs = samuel.get(&format!("/cases/{objection}")).await;
    let upheld = option_value(&theirs, "Objection upheld");
    assert!(act(&mut samuel, &objection, "decide", &[("outcome", "upheld"), ("template", &upheld), ("reason", "On a second look, we agree.")]).await.ends_with("?done=decided"));
    assert!(amira.get(&format!("/your-requests/{objection}")).await.body.contains("On a second look, we agree."));

    // The answer: plain words, what is being done, and the ICO.
    let missing = act(&mut samuel, &complaint, "decide-complaint", &[("outcome", "upheld"), ("explanation", "We should have explained.")]).await;
    assert!(missing.contains("?form=decide-complaint#action"), "{missing}");
    let done = act(&mut samuel, &complaint, "decide-complaint", &[
        ("outcome", "upheld"),
        ("explanation", "We should have explained our decision."),
        ("action", "A different case worker looked again and upheld your objection."),
    ]).await;
    assert!(done.ends_with("?done=answered"));
    let worked = samuel.get(&format!("/cases/{complaint}")).await;
    assert!(worked.body.contains("Email: \u{201c}There is a decision.\u{201d}"), "messages in the words the patient got");
    let answered = amira.get(&format!("/your-requests/{complaint}")).await;
    assert!(answered.body.contains("We upheld your complaint"));
    assert!(answered.body.contains("What we have done or will do: A different case worker"));
    assert!(answered.body.contains("https://ico.org.uk/make-a-complaint/"));
    assert!(!answered.body.contains("Not happy with this?"), "a complaint's answer goes to the ICO, not to another complaint");
    assert!(!answered.body.contains("Samuel"), "staff names stay internal");

    // Messages say only that there is something new; the record has every step.
    let store = &app.state.store;
    let case = store.case_by_reference(&app::domain::CaseReference::parse(&complaint).unwrap()).await.unwrap().unwrap();
    let messages: Vec<String> = store.messages_for_case(case.id).await.unwrap().into_iter().map(|m| m.template.as_str().to_string()).collect();
    assert_eq!(messages, vec!["received", "updated", "updated", "decided"]);
    let actions: Vec<String> = store.staff_actions(case.id).await.unwrap().into_iter().map(|a| a.action).collect();
    for expected in ["acknowledged", "updated the patient", "reopened the objection", "answered the complaint"] {
        assert!(actions.iter().any(|a| a == expected), "{expected}: {actions:?}");
    }

    // The public figures count it (one complaint: shown as fewer than 5).
    let figures = amira.get("/areas/northshire/figures").await;
    assert!(figures.body.contains("Complaints per quarter"));
    assert!(figures.body.contains("Acknowledged within 30 days"));
}

async fn a_complaint_form_says_what_is_wrong_and_stores_nothing(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let before = app.count("cases").await;
    let form = amira.get("/complaints/new").await;
    assert!(form.body.contains("Something else"));
    let key = form_key(&form);
    let breakout = "</textarea><img src=x onerror=alert(1)>\u{202e}";
    let wrong = amira
        .post_form("/complaints/new", &[("key", &key), ("about", "OBJ-0000-0000"), ("wrong", breakout), ("contact", "email"), ("email", "not an email")])
        .await;
    assert_eq!(wrong.location.as_deref(), Some(format!("/complaints/new?draft={key}").as_str()));
    let page = amira.get(wrong.location.as_deref().unwrap()).await;
    for message in ["Select what your complaint is about", "Enter what you would like to happen", "Enter an email address in the correct format"] {
        assert!(page.body.contains(message), "{message}");
    }
    assert!(!page.body.contains("<img src=x"), "what was typed comes back escaped");
    assert!(page.body.contains("&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // Sending the draft that does not parse opens nothing.
    let sent = amira.post_form("/complaints/submit", &[("key", &key)]).await;
    assert_eq!(sent.location.as_deref(), Some(format!("/complaints/new?draft={key}").as_str()));
    assert_eq!(app.count("cases").await, before);
    // Someone else's case cannot be complained about by reference.
    let objection = reference_of(&lodge_objection(&mut amira).await);
    let mut someone_else = app.signed_in("demo-patient-p9-southvale").await;
    let form = someone_else.get("/complaints/new").await;
    assert_eq!(form.status, 200);
    assert!(!form.body.contains(&objection), "their form lists only their own cases");
    let key = form_key(&form);
    let tried = someone_else
        .post_form("/complaints/new", &[("key", &key), ("about", &objection), ("wrong", "x"), ("wanted", "y"), ("contact", "email"), ("email", "t@example.com")])
        .await;
    assert_eq!(tried.location.as_deref(), Some(format!("/complaints/new?draft={key}").as_str()), "not theirs: sent back");
    assert!(someone_else.get(tried.location.as_deref().unwrap()).await.body.contains("Select what your complaint is about"));

    // A patient sees only their own complaints; staff only their areas'.
    let theirs = lodge_complaint(&mut someone_else, "other").await;
    let mine = lodge_complaint(&mut amira, "other").await;
    assert_eq!(amira.get(&format!("/your-requests/{theirs}")).await.status, 404);
    assert_eq!(someone_else.get(&format!("/your-requests/{mine}")).await.status, 404);
    let mut chloe = app.signed_in("demo-case-worker").await;
    assert_eq!(chloe.get(&format!("/cases/{theirs}")).await.status, 404, "a Southvale complaint is not a Northshire case worker's");
    assert_eq!(chloe.post_form(&format!("/cases/{theirs}/note"), &[("note", "x")]).await.status, 404);
    let mut samuel = app.signed_in("demo-ig-lead").await;
    assert_eq!(samuel.get(&format!("/cases/{theirs}")).await.status, 200, "the IG lead of both areas sees it");
}

on_both_backends!(reopening_is_fenced_so_a_fresh_decision_always_comes_from_someone_else);

/// Declines the patient's newest objection as `worker` (claiming it first); returns its reference.
async fn decline(worker: &mut Browser, objection: &str) {
    let page = worker.get(&format!("/cases/{objection}")).await;
    let template = option_value(&page, "Required by law");
    if page.body.contains("Claim this case") {
        act(worker, objection, "claim", &[]).await;
    }
    let done = act(worker, objection, "decide", &[("outcome", "declined"), ("template-declined", &template), ("reason", "")]).await;
    assert!(done.ends_with("?done=decided"), "{done}");
}

async fn reopening_is_fenced_so_a_fresh_decision_always_comes_from_someone_else(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let objection = reference_of(&lodge_objection(&mut amira).await);
    let mut chloe = app.signed_in("demo-case-worker").await;
    let mut samuel = app.signed_in("demo-ig-lead").await;
    decline(&mut chloe, &objection).await;

    // A declined objection tells the patient of the ICO as well as of a complaint to the area.
    let declined = amira.get(&format!("/your-requests/{objection}")).await;
    assert!(declined.body.contains("https://ico.org.uk/make-a-complaint/") && declined.body.contains("Complain or ask us to look again"));
    let complaint = lodge_complaint(&mut amira, &objection).await;

    // A complaint goes only to an IG lead; the case page offers nobody else.
    let chloe_subject = "demo-case-worker";
    let refused = act(&mut samuel, &complaint, "assign", &[("to", chloe_subject)]).await;
    assert!(refused.contains("?form=assign"), "{refused}");
    assert!(!samuel.get(&format!("/cases/{complaint}")).await.body.contains(&format!("value=\"{chloe_subject}\"")));

    // Reopened once: whoever declined it cannot be given it, and the complaint cannot reopen it again.
    assert!(act(&mut samuel, &complaint, "reopen", &[]).await.ends_with("?done=reopened"));
    let refused = act(&mut samuel, &objection, "assign", &[("to", chloe_subject)]).await;
    assert!(refused.contains("?form=assign"), "the barred case worker is not given it: {refused}");
    decline(&mut samuel, &objection).await;
    assert!(!samuel.get(&format!("/cases/{complaint}")).await.body.contains("Reopen the objection"), "once per complaint");
    assert!(act(&mut samuel, &complaint, "reopen", &[]).await.ends_with("?done=stale"));

    // A second complaint would bar both who have declined it: nobody is left, so it is refused
    // with the reason, and the objection stays as it was.
    let second = lodge_complaint(&mut amira, &objection).await;
    let refused = act(&mut samuel, &second, "reopen", &[]).await;
    assert!(refused.contains("?form=reopen#reopen"), "{refused}");
    assert!(samuel.get(&refused).await.body.contains("everyone who works cases in this area has already decided this objection"));
    assert!(amira.get(&format!("/your-requests/{objection}")).await.body.contains("Declined"));
    // Chloe, barred, still cannot claim it.
    assert_eq!(chloe.post_form(&format!("/cases/{objection}/claim"), &[]).await.status, 403);

    // Not upheld: what was typed as "done" is not published as if something had been.
    act(&mut samuel, &second, "decide-complaint", &[("outcome", "not_upheld"), ("explanation", "The decision stands."), ("action", "ACTION-TEXT")]).await;
    let answered = amira.get(&format!("/your-requests/{second}")).await;
    assert!(answered.body.contains("We did not uphold your complaint") && !answered.body.contains("ACTION-TEXT"));

    // Your choices lists every objection, not only the newest.
    let first = reference_of(&lodge_objection(&mut amira).await);
    let choices = amira.get("/your-choices").await.body;
    assert!(choices.contains(&objection) && choices.contains(&first), "both objections are shown");

    // A patient not yet verified who posts the form is sent back to it (not to a missing page).
    let mut tom = app.signed_in("demo-patient-p5").await;
    let posted = tom.post_form("/complaints/new", &[("about", "other")]).await;
    assert!(posted.location.as_deref().is_some_and(|l| l.starts_with("/complaints/new")), "{:?}", posted.location);
}
