//! The request-for-a-copy form's posts: its answers, and sending it. How a rights form works
//! is in [`crate::your_requests::form`]; this says what a request's answers are.

use crate::domain::access_request::{AccessRequestAnswers, Delivery};
use crate::domain::objection::FieldErrors;
use crate::domain::Contact;
use crate::server::{CaseDetails, Fields, Services};
use crate::ui::CheckRow;
use crate::your_requests::form::{answers, submit, FormContext, RightsForm};
use axum::extract::FromRef;
use axum::routing::post;
use axum::Router;

impl RightsForm for AccessRequestAnswers {
    const FORM: &'static str = "access_request";
    const BASE: &'static str = "/access-requests";
    const KIND: crate::domain::CaseKind = crate::domain::CaseKind::AccessRequest;

    fn from_fields(fields: &Fields) -> Self {
        AccessRequestAnswers::from_fields(fields.as_slice())
    }

    fn check(&self, ctx: &FormContext) -> Result<(CaseDetails, Contact), FieldErrors> {
        self.parse(ctx.today).map(|r| {
            let contact = r.contact.clone();
            (CaseDetails::AccessRequest(r), contact)
        })
    }

    fn rows(details: &CaseDetails, contact: &Contact) -> Vec<CheckRow> {
        let CaseDetails::AccessRequest(r) = details else { return Vec::new() };
        let mut delivery = vec![r.delivery.label().to_string()];
        if let (Delivery::Post, Some(a)) = (r.delivery, &r.postal_address) {
            delivery.push(a.clone());
        }
        vec![
            CheckRow { question: "What you want".into(), answer: r.describe_info().into_iter().map(String::from).collect(), field: "info".into() },
            CheckRow { question: "Dates".into(), answer: vec![r.describe_dates()], field: "dates".into() },
            CheckRow { question: "How you will receive it".into(), answer: delivery, field: "delivery".into() },
            CheckRow { question: "How we tell you about updates".into(), answer: vec![contact.describe()], field: "contact".into() },
        ]
    }
}

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new()
        .route("/access-requests/new", post(answers::<AccessRequestAnswers>))
        .route("/access-requests/submit", post(submit::<AccessRequestAnswers>))
}
