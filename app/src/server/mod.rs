//! Server-only plumbing with no feature logic: the services handed to pages, server functions
//! and form posts; who is signed in; the one error vocabulary of handlers ([`HandlerError`]) and
//! the extractors that give them typed callers; form fields, draft keys, downloads; and the
//! storage contract the server implements ([`store`]).

pub mod credentials;
pub mod download;
pub mod error;
pub mod extract;
pub mod fields;
pub mod keys;
pub mod public_pages;
pub mod security;
pub mod views;
pub mod store;

pub use error::{ask_first, internal, reference, Ask, HandlerError, HandlerResult};
pub use extract::{EligiblePatient, SignedInPatient, SignedInStaff};
pub use fields::Fields;
pub use store::*;

use crate::domain::people::SignedIn;
use leptos::prelude::*;
use std::sync::Arc;

/// What the server provides to every page render, server function and form post.
#[derive(Clone)]
pub struct Services {
    pub store: Arc<dyn Store>,
    pub sign_in: SignInOptions,
    /// Days a patient can download their response once it is ready.
    pub download_days: i64,
    /// Notice page views not yet written.
    pub views: Arc<views::ViewCounter>,
    /// Public notice pages as last read, for a short while (see `notices::service`).
    pub notice_cache: Arc<crate::notices::service::NoticeCache>,
    /// Public pages kept finished, ready to send (see [`public_pages`]).
    pub public_pages: Arc<public_pages::PublicPages>,
}

impl Services {
    /// Something public changed (a notice or engagement item published): forget what was kept.
    pub fn published(&self) {
        self.notice_cache.clear();
        self.public_pages.clear();
    }
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

/// Which stored session this request belongs to (the keyed hash of its cookie's token, never
/// the token), put beside [`CurrentSession`] by the session layer.
#[derive(Debug, Clone)]
pub struct CurrentSessionId(pub String);

/// The services, inside a page render or server function.
pub fn services() -> Result<Services, ServerFnError> {
    use_context::<Services>().ok_or_else(|| ServerFnError::new("services missing from context"))
}

/// The signed-in person for the request being served, inside a page render or server function.
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
