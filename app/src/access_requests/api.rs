//! The request-for-a-copy journey's data: the form (a blank one, or the patient's draft) and
//! the checked answers.

use crate::domain::access_request::AccessRequestAnswers;
use crate::ui::{CheckState, FormState, Gate};
use leptos::prelude::*;

#[server(prefix = "/api", endpoint = "access-requests/form")]
pub async fn access_request_form(draft: Option<String>) -> Result<Gate<FormState<AccessRequestAnswers>>, ServerFnError> {
    crate::your_requests::form::load_form::<AccessRequestAnswers>(draft).await
}

#[server(prefix = "/api", endpoint = "access-requests/check")]
pub async fn access_request_check(draft: String) -> Result<Gate<CheckState>, ServerFnError> {
    crate::your_requests::form::load_check::<AccessRequestAnswers>(draft).await
}
