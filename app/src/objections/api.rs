//! The objection journey's data: the form (a blank one, or the patient's draft) and the
//! checked answers.

use crate::domain::objection::ObjectionAnswers;
use crate::ui::{CheckState, FormState, Gate};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "objections/form")]
pub async fn objection_form(draft: Option<String>) -> Result<Gate<FormState<ObjectionAnswers>>, ServerFnError> {
    crate::your_requests::form::load_form::<ObjectionAnswers>(draft).await
}

#[server(prefix = "/api", endpoint = "objections/check")]
pub async fn objection_check(draft: String) -> Result<Gate<CheckState>, ServerFnError> {
    crate::your_requests::form::load_check::<ObjectionAnswers>(draft).await
}
