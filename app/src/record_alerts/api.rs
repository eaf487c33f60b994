//! The alert choice's page data: what is saved, or the answers sent back with what to fix.

use crate::ui::Gate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AlertsForm {
    /// Alerts are on now.
    pub on: bool,
    /// The occasions ticked (as stored).
    pub when: Vec<String>,
    pub method: String,
    pub email: String,
    pub mobile: String,
    pub errors: Vec<(String, String)>,
    /// The saved choice in a sentence, when alerts are on.
    pub describe: Option<String>,
    /// The last UK day a message went, in words.
    pub last_told: Option<String>,
}

/// The draft key of one patient's alert form (one each).
pub fn form_key(subject: &str) -> String {
    format!("record-alerts:{subject}")
}

/// The saved choice in words, for Your choices: `None` when alerts are off.
#[cfg(feature = "ssr")]
pub async fn describe(store: &dyn crate::server::Store, nhs_number: &crate::domain::NhsNumber) -> Result<Option<String>, crate::server::StoreError> {
    Ok(store.record_alert_choice(nhs_number).await?.map(|s| s.choice.describe()))
}

#[server(prefix = "/api", endpoint = "patient/record-alerts")]
pub async fn record_alerts_form() -> Result<Gate<AlertsForm>, ServerFnError> {
    use crate::domain::when::day_of;
    use crate::server::{internal, services};
    let (patient, _area) = match crate::your_requests::form::gate().await?.ready() {
        Ok(x) => x,
        Err(refused) => return Ok(refused),
    };
    let store = services()?.store;
    let saved = store.record_alert_choice(&patient.nhs_number).await.map_err(internal)?;
    // The answers to fix are shown once, on the page the post sent them to: come back later
    // and the form starts again from what is saved.
    let draft = store.take_draft(&form_key(&patient.subject), &patient.subject).await.map_err(internal)?.filter(|d| d.form == "record_alerts");
    let mut form = AlertsForm {
        on: saved.is_some(),
        when: Vec::new(),
        method: String::new(),
        email: String::new(),
        mobile: String::new(),
        errors: Vec::new(),
        describe: saved.as_ref().map(|s| s.choice.describe()),
        last_told: saved.as_ref().and_then(|s| s.last_alert_on).map(day_of),
    };
    match (draft, saved) {
        (Some(d), _) => {
            let fields: Vec<(String, String)> = serde_json::from_value(d.answers).unwrap_or_default();
            let one = |k: &str| fields.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone()).unwrap_or_default();
            form.when = fields.iter().filter(|(f, _)| f == "when").map(|(_, v)| v.clone()).collect();
            form.method = one("contact");
            form.email = one("email");
            form.mobile = one("mobile");
            form.errors = d.errors;
        }
        (None, Some(s)) => {
            form.when = s.choice.when.iter().map(|w| w.as_str().to_string()).collect();
            form.method = s.choice.contact.method().to_string();
            match &s.choice.contact {
                crate::domain::Contact::Email(e) => form.email = e.clone(),
                crate::domain::Contact::Text(m) => form.mobile = m.clone(),
                crate::domain::Contact::Post(_) => {}
            }
        }
        (None, None) => form.when = vec!["first_look".into(), "emergency".into()],
    }
    Ok(Gate::Ready(form))
}
