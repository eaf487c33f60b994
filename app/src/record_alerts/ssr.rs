//! The alert choice's posts: save it, or turn alerts off.

use super::api::form_key;
use crate::domain::record_alerts::AlertChoice;
use crate::server::*;
use axum::extract::{FromRef, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::post;
use axum::Router;
use chrono::Utc;

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/your-choices/alerts", post(save)).route("/your-choices/alerts/off", post(off))
}

/// `POST /your-choices/alerts`: the choice, or back to the form with what to fix.
async fn save(State(services): State<Services>, me: EligiblePatient, f: Fields) -> HandlerResult {
    let store = &*services.store;
    let patient = &me.patient;
    let key = form_key(&patient.subject);
    match AlertChoice::read(&f.all("when"), f.one("contact"), f.one("email"), f.one("mobile")) {
        Ok(choice) => {
            store.set_record_alert_choice(&patient.nhs_number, &patient.subject, Some(&choice), Utc::now()).await?;
            store.take_draft(&key, &patient.subject).await?;
            tracing::info!(method = choice.contact.method(), "a patient chose alerts when their record is looked at");
            Ok(Redirect::to("/your-choices?done=alerts-on#record-alerts").into_response())
        }
        Err(errors) => {
            let draft = Draft { key, owner_subject: patient.subject.clone(), form: "record_alerts".into(), answers: serde_json::to_value(&f).unwrap_or_default(), errors, updated_at: Utc::now() };
            store.save_draft(&draft).await?;
            Ok(Redirect::to("/your-choices/alerts").into_response())
        }
    }
}

/// `POST /your-choices/alerts/off`: no more alerts; a message still waiting is not sent and the
/// address is forgotten.
async fn off(State(services): State<Services>, me: EligiblePatient) -> HandlerResult {
    let store = &*services.store;
    store.set_record_alert_choice(&me.patient.nhs_number, &me.patient.subject, None, Utc::now()).await?;
    store.take_draft(&form_key(&me.patient.subject), &me.patient.subject).await?;
    tracing::info!("a patient turned off alerts when their record is looked at");
    Ok(Redirect::to("/your-choices?done=alerts-off#record-alerts").into_response())
}
