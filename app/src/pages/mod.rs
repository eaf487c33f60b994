//! Every page, grouped by who it is for.

mod patient;
mod public;
mod sign_in;
mod staff;

pub use patient::*;
pub use public::*;
pub use sign_in::*;
pub use staff::*;

/// Sets the HTTP status of the page being rendered on the server (404 for a missing area, say).
pub(crate) fn set_status(code: u16) {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
            opts.set_status(http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::OK));
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}
