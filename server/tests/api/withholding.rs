//! Withholding information from a response to a request for a copy: the case worker chooses a
//! document, a look at the record or a passage, the exemption and why; the response leaves the
//! items out and tells the patient on which grounds (the page, the HTML in the download, and
//! the FHIR Bundle, labelled redacted with an OperationOutcome), never what; the case keeps
//! what and why. On SQLite and PostgreSQL.

use crate::casework::lodge_access_request;
use crate::helpers::{TestApp, TestDb};
use crate::on_both_backends;
use serde_json::Value;
use std::io::Read;

on_both_backends!(withheld_items_stay_out_of_the_response_and_the_patient_is_told_the_grounds);

async fn withheld_items_stay_out_of_the_response_and_the_patient_is_told_the_grounds(db: TestDb) {
    let app = TestApp::spawn_with(db, |_| {}).await;
    let mut amira = app.signed_in("demo-patient-p9").await;
    let reference = lodge_access_request(&mut amira).await;
    let mut chloe = app.signed_in("demo-case-worker").await;
    let boundary = "scrboundaryWITHHOLD0001";
    for (name, text) in [("neighbour's letter.txt", "Mentions a neighbour."), ("gp letter.txt", "Released by the practice.")] {
        let body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"{name}\"\r\nContent-Type: text/plain\r\n\r\n{text}\r\n--{boundary}--\r\n");
        let res = chloe.post_raw(&format!("/cases/{reference}/documents"), &format!("multipart/form-data; boundary={boundary}"), body.into_bytes()).await;
        assert_eq!(res.location, Some(format!("/cases/{reference}?done=uploaded")));
    }
    let store = &app.state.store;
    let case = store.case_by_reference(&app::domain::CaseReference::parse(&reference).unwrap()).await.unwrap().unwrap();
    let docs = store.documents(case.id).await.unwrap();
    let neighbour = docs.iter().find(|d| d.file_name.starts_with("neighbour")).unwrap().id;
    let page = chloe.get(&format!("/cases/{reference}")).await;
    assert!(page.body.contains("Withhold information from the response"));
    // The demo's looks at Amira's record are offered; choose the newest.
    let look_at = page.body.find("value=\"access:").expect("looks are offered") + 14;
    let look: i64 = page.body[look_at..].split('"').next().unwrap().parse().unwrap();

    // Nothing chosen, or something not in this response (another patient's look, a document of
    // another case): sent back with what to fix, nothing withheld.
    let back = chloe.post_form(&format!("/cases/{reference}/withhold"), &[]).await;
    assert_eq!(back.location, Some(format!("/cases/{reference}?form=withhold#item")));
    let shown = chloe.get(back.location.as_deref().unwrap()).await;
    for message in ["Choose what to withhold", "Choose the exemption it falls under", "Say why, for the record"] {
        assert!(shown.body.contains(message), "{message}");
    }
    for item in ["access:999999999", "document:999999", "document:</td><img src=x onerror=alert(1)>"] {
        let refused = chloe.post_form(&format!("/cases/{reference}/withhold"), &[("item", item), ("exemption", "third_party"), ("note", "n")]).await;
        assert_eq!(refused.location, Some(format!("/cases/{reference}?form=withhold#item")), "{item}");
    }
    assert!(store.withholdings(case.id).await.unwrap().is_empty());

    let withhold = |item: String, exemption: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let mut f: Vec<(String, String)> = vec![("item".into(), item), ("exemption".into(), exemption.into()), ("note".into(), "Recorded for the assurance panel.".into())];
        f.extend(extra.into_iter().map(|(k, v)| (k.to_string(), v.to_string())));
        f
    };
    for fields in [
        withhold(format!("document:{neighbour}"), "third_party", vec![]),
        withhold(format!("access:{look}"), "serious_harm", vec![]),
        withhold("passage".into(), "third_party", vec![("passage", "GP letter, paragraph 2: a relative's diagnosis")]),
    ] {
        let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let done = chloe.post_form(&format!("/cases/{reference}/withhold"), &pairs).await;
        assert_eq!(done.location, Some(format!("/cases/{reference}?done=withheld")));
    }
    let again = chloe.post_form(&format!("/cases/{reference}/withhold"), &[("item", &format!("document:{neighbour}")), ("exemption", "other"), ("note", "n")]).await;
    assert_eq!(again.location, Some(format!("/cases/{reference}?form=withhold#item")), "once is enough");
    let same_passage = chloe
        .post_form(&format!("/cases/{reference}/withhold"), &[("item", "passage"), ("passage", "GP letter, paragraph 2: a relative's diagnosis"), ("exemption", "other"), ("note", "n")])
        .await;
    assert_eq!(same_passage.location, Some(format!("/cases/{reference}?form=withhold#item")), "a passage once too");
    let page = chloe.get(&format!("/cases/{reference}")).await;
    assert!(page.body.contains("Withheld from the response") && page.body.contains("Document: neighbour") && page.body.contains("Recorded for the assurance panel."));
    assert!(page.body.contains("Look at the record: "), "a withheld look reads back as when, where and who");

    // The response: the document and the look left out; the grounds said, once each.
    assert_eq!(chloe.post_form(&format!("/cases/{reference}/fulfil"), &[]).await.location, Some(format!("/cases/{reference}?done=fulfilled")));
    assert_eq!(chloe.post_form(&format!("/cases/{reference}/withhold"), &[("item", "passage"), ("passage", "x"), ("exemption", "other"), ("note", "n")]).await.location, Some(format!("/cases/{reference}?done=stale")), "not after it is sent");
    let mine = amira.get(&format!("/your-requests/{reference}")).await;
    assert!(mine.body.contains("Information we have withheld"));
    assert_eq!(mine.body.matches("Information about other people").count(), 1, "each ground once");
    assert!(mine.body.contains("serious harm"));
    assert!(!mine.body.contains("neighbour") && !mine.body.contains("Recorded for the assurance panel") && !mine.body.contains("relative"), "never what, nor the note");

    let zip = reqwest::Client::new()
        .get(format!("{}/your-requests/{reference}/download", app.address))
        .header("cookie", amira.cookie_header())
        .send().await.unwrap().bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.to_vec())).unwrap();
    let names: Vec<String> = archive.file_names().map(String::from).collect();
    assert!(names.iter().any(|n| n.contains("gp_letter")) && !names.iter().any(|n| n.contains("neighbour")), "{names:?}");
    let mut html = String::new();
    archive.by_name("index.html").unwrap().read_to_string(&mut html).unwrap();
    assert!(html.contains("Information we have withheld") && html.contains("Information about other people"));
    let mut bundle = String::new();
    archive.by_name("bundle.json").unwrap().read_to_string(&mut bundle).unwrap();
    let bundle: Value = serde_json::from_str(&bundle).unwrap();
    assert_eq!(bundle["meta"]["security"][0]["code"], "REDACTED");
    let entries = bundle["entry"].as_array().unwrap();
    let outcome = entries.iter().find(|e| e["resource"]["resourceType"] == "OperationOutcome").expect("the grounds");
    assert_eq!(outcome["resource"]["issue"].as_array().unwrap().len(), 2);
    assert!(outcome["resource"]["issue"].as_array().unwrap().iter().all(|i| i["code"] == "suppressed"));
    assert!(!bundle.to_string().contains("neighbour"));
    let held = store
        .access_events(&app::server::AccessQuery {
            nhs_number: case.patient.nhs_number.clone(),
            from: None,
            to: None,
            org_ods: None,
            include_automated: true,
            before: None,
            limit: 100_000,
        })
        .await
        .unwrap();
    let listed = entries.iter().filter(|e| e["resource"]["resourceType"] == "AuditEvent").count();
    // The withheld look is gone from her live log too (else the two would show what was withheld).
    assert!(!held.iter().any(|e| e.id == look), "withheld from the live log as well");
    assert_eq!(listed, held.len(), "every look but the one withheld");
    assert_eq!(amira.get(&format!("/access-log/{look}/concern")).await.status, 404);
    crate::fhir_documents::save("response-bundle-withheld", &bundle);
}
