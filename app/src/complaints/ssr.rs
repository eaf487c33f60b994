//! The complaint form's posts: its answers, and sending it. How a rights form works is in
//! [`crate::your_requests::form`]; this says what a complaint's answers are.

use crate::domain::complaint::ComplaintAnswers;
use crate::domain::objection::FieldErrors;
use crate::domain::Contact;
use crate::server::{CaseDetails, Fields, Services};
use crate::ui::CheckRow;
use crate::your_requests::form::{answers, submit, FormContext, RightsForm};
use axum::extract::FromRef;
use axum::routing::post;
use axum::Router;

impl RightsForm for ComplaintAnswers {
    const FORM: &'static str = "complaint";
    const BASE: &'static str = "/complaints";
    const KIND: crate::domain::CaseKind = crate::domain::CaseKind::Complaint;

    fn from_fields(fields: &Fields) -> Self {
        ComplaintAnswers::from_fields(fields.as_slice())
    }

    fn check(&self, ctx: &FormContext) -> Result<(CaseDetails, Contact), FieldErrors> {
        self.parse(&ctx.cases).map(|c| {
            let contact = c.contact.clone();
            (CaseDetails::Complaint(c), contact)
        })
    }

    fn rows(details: &CaseDetails, contact: &Contact) -> Vec<CheckRow> {
        let CaseDetails::Complaint(c) = details else { return Vec::new() };
        let about = c.about.as_ref().map(|r| format!("{} {r}", r.kind().label())).unwrap_or_else(|| "Something else".to_string());
        vec![
            CheckRow { question: "What your complaint is about".into(), answer: vec![about], field: "about".into() },
            CheckRow { question: "What you are unhappy about".into(), answer: vec![c.wrong.as_str().to_string()], field: "wrong".into() },
            CheckRow { question: "What you would like to happen".into(), answer: vec![c.wanted.as_str().to_string()], field: "wanted".into() },
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
        .route("/complaints/new", post(answers::<ComplaintAnswers>))
        .route("/complaints/submit", post(submit::<ComplaintAnswers>))
}
