//! The patient's signed-in sessions: where they are signed in, and which is this one.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionLine {
    /// When they signed in, in UK time words.
    pub signed_in: String,
    pub last_used: String,
    pub this_one: bool,
}

/// The signed-in patient's sessions, newest first. Anyone else is sent to sign in.
#[server(prefix = "/api", endpoint = "patient/sessions")]
pub async fn your_sessions() -> Result<Option<Vec<SessionLine>>, ServerFnError> {
    use crate::domain::people::SignedIn;
    use crate::domain::when::moment;
    use crate::server::{internal, redirect, services, signed_in, CurrentSessionId};
    let Some(SignedIn::Patient(me)) = signed_in() else {
        redirect("/sign-in");
        return Ok(None);
    };
    let this = use_context::<http::request::Parts>().and_then(|p| p.extensions.get::<CurrentSessionId>().cloned());
    let store = services()?.store;
    let sessions = store.sessions_of(&me.subject).await.map_err(internal)?;
    Ok(Some(
        sessions
            .into_iter()
            .map(|s| SessionLine {
                signed_in: moment(s.created_at),
                last_used: moment(s.last_seen_at),
                this_one: this.as_ref().is_some_and(|t| t.0 == s.id_hash),
            })
            .collect(),
    ))
}
