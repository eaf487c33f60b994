//! Server-only parts of the app: the storage trait the server implements, the services
//! handed to pages and server functions through context, and safe Markdown rendering.

pub mod access_log;
pub mod bundle;
pub mod cases;
pub mod casework;
pub mod forms;
pub mod notices;
pub mod engagement;
pub mod evidence;
pub mod area_admin;
pub mod store;

use crate::people::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;
pub use store::*;

/// What the server provides to every page render and server function.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub sign_in: SignInOptions,
    /// Days a patient can download their response once it is ready.
    pub download_days: i64,
}

/// Which ways in the server offers; the sign-in page is drawn from this.
#[derive(Debug, Clone, Default)]
pub struct SignInOptions {
    pub demo: bool,
    pub nhs_login: bool,
    pub staff_oidc: bool,
}

/// The session's holder for this request, put in the request's extensions by the session layer.
#[derive(Debug, Clone, Default)]
pub struct CurrentSession(pub Option<SignedIn>);

pub fn services() -> Result<Services, ServerFnError> {
    use_context::<Services>().ok_or_else(|| ServerFnError::new("services missing from context"))
}

/// The signed-in person for the request being served, if any.
pub fn signed_in() -> Option<SignedIn> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CurrentSession>().cloned())
        .and_then(|s| s.0)
}

/// Sends the browser elsewhere from a page being rendered on the server (a 302 with Location).
/// Unlike `leptos_axum::redirect`, it does not depend on the request's Accept header: these
/// calls only happen while a page is rendered, never from the browser's server-function client.
pub fn redirect(path: &str) {
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::FOUND);
        if let Ok(v) = http::HeaderValue::from_str(path) {
            res.insert_header(http::header::LOCATION, v);
        }
    }
}

/// Logs the whole error once, server-side, and gives the browser only a safe sentence and a reference.
/// A form handler's answer when the store fails: the whole error logged once (with a reference),
/// a safe sentence for the browser.
pub(crate) fn trouble(e: impl std::fmt::Display) -> axum::response::Response {
    use axum::response::IntoResponse;
    internal(e);
    (http::StatusCode::INTERNAL_SERVER_ERROR, "Sorry, there is a problem with the service. Try again later.").into_response()
}

/// A posted form's fields, in order (a name may repeat, as checkboxes do).
pub(crate) fn fields(body: &axum::body::Bytes) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

pub fn internal(err: impl std::fmt::Display) -> ServerFnError {
    let reference = short_reference();
    tracing::error!(error = %err, reference = %reference, "request failed");
    ServerFnError::new(format!(
        "Sorry, there is a problem with the service. Try again later. (Reference {reference})"
    ))
}

fn short_reference() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let n = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{:08X}", (n as u64 ^ (n >> 64) as u64) as u32)
}
