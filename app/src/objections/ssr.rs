//! The objection form's posts: its answers, and sending it. How a rights form works is in
//! [`crate::your_requests::form`]; this says what an objection's answers are.

use crate::domain::objection::{FieldErrors, ObjectionAnswers};
use crate::domain::Contact;
use crate::server::{CaseDetails, Fields, Services};
use crate::ui::CheckRow;
use crate::your_requests::form::{answers, submit, FormContext, RightsForm};
use axum::extract::FromRef;
use axum::routing::post;
use axum::Router;

impl RightsForm for ObjectionAnswers {
    const FORM: &'static str = "objection";
    const BASE: &'static str = "/objections";
    const KIND: crate::domain::CaseKind = crate::domain::CaseKind::Objection;

    fn from_fields(fields: &Fields) -> Self {
        ObjectionAnswers::from_fields(fields.as_slice())
    }

    fn check(&self, ctx: &FormContext) -> Result<(CaseDetails, Contact), FieldErrors> {
        self.parse(&ctx.organisations).map(|o| {
            let contact = o.contact.clone();
            (CaseDetails::Objection(o), contact)
        })
    }

    fn rows(details: &CaseDetails, contact: &Contact) -> Vec<CheckRow> {
        let CaseDetails::Objection(o) = details else { return Vec::new() };
        vec![
            CheckRow { question: "What your objection is about".into(), answer: vec![o.scope.describe()], field: "scope".into() },
            CheckRow { question: "Why you are objecting".into(), answer: vec![o.reason.as_str().to_string()], field: "reason".into() },
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
        .route("/objections/new", post(answers::<ObjectionAnswers>))
        .route("/objections/submit", post(submit::<ObjectionAnswers>))
}
