//! Ending the patient's other sessions (a phone left signed in, a shared computer).

use crate::server::*;
use axum::extract::{FromRef, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::post;
use axum::{Extension, Router};

pub fn routes<S>() -> Router<S>
where
    Services: FromRef<S>,
    S: Clone + Send + Sync + 'static,
{
    Router::new().route("/your-choices/sessions/end-others", post(end_others))
}

/// `POST /your-choices/sessions/end-others`: every session of this patient but this one ends now.
async fn end_others(
    State(services): State<Services>,
    SignedInPatient(me): SignedInPatient,
    Extension(this): Extension<CurrentSessionId>,
) -> HandlerResult {
    let ended = services.store.end_other_sessions(&me.subject, &this.0).await?;
    tracing::info!(count = ended, "a patient ended their other sessions");
    Ok(Redirect::to("/your-choices/sessions?done=1").into_response())
}
