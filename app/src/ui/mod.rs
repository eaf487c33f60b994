//! Page pieces every feature shares: the frame ([`Layout`]), NHS.UK form components, the
//! textarea with its character count, the error summary, a table, summary lists, the patient
//! journeys' gate and check-your-answers, and [`Loaded`], the one way a page waits for its data.

mod error_summary;
mod forms;
mod journey;
mod layout;
mod loading;
mod summary;
mod table;
mod text_area;

pub use error_summary::*;
pub use forms::*;
pub use journey::*;
pub use layout::*;
pub use loading::*;
pub use summary::*;
pub use table::*;
pub use text_area::*;

/// Says the page being rendered is the same for everyone who is not signed in, so the server
/// may keep it finished for a short while and send it again (see `server::public_pages`).
/// Only for pages with nothing personal and nothing from the address's query.
pub fn public_page() {
    #[cfg(feature = "ssr")]
    crate::server::public_pages::mark_public(None);
}

/// Sets the status of the page being rendered unless the page already chose one (a search
/// that found nothing keeps its 404 under its error summary's 422).
pub fn default_status(code: u16) {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
            let unset = opts.0.read().map(|parts| parts.status.is_none()).unwrap_or(false);
            if unset {
                opts.set_status(http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::OK));
            }
        }
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Sets the HTTP status of the page being rendered on the server (404 for a missing area, say).
/// Pages call it while they render; in the browser it does nothing.
pub fn set_status(code: u16) {
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
