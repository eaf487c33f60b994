//! The complaint journey's data: the form (a blank one, or the patient's draft) and the
//! checked answers.

use crate::domain::complaint::ComplaintAnswers;
use crate::ui::{CheckState, FormState, Gate};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "complaints/form")]
pub async fn complaint_form(draft: Option<String>) -> Result<Gate<FormState<ComplaintAnswers>>, ServerFnError> {
    crate::your_requests::form::load_form::<ComplaintAnswers>(draft).await
}

#[server(prefix = "/api", endpoint = "complaints/check")]
pub async fn complaint_check(draft: String) -> Result<Gate<CheckState>, ServerFnError> {
    crate::your_requests::form::load_check::<ComplaintAnswers>(draft).await
}
