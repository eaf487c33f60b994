//! Sign-in and sign-out routes: NHS login for patients, a separate issuer for staff, and
//! (development only) demonstration sign-in. Every refusal ends on a clear page and creates no session.

pub mod oidc;
pub mod sessions;

use crate::auth::oidc::OidcProvider;
use crate::auth::sessions::{clear_cookie, cookie, Sessions, SESSION_COOKIE, SIGN_IN_COOKIE};
use app::server::security::{self, SecurityEvent};
use axum::extract::FromRef;
use crate::state::AppState;
use app::sign_in::demo::{self, DemoKind};
use app::domain::{NhsNumber, OdsCode, ProofingLevel};
use app::domain::people::{Patient, SignedIn, StaffMember};
use app::server::{LoginFlow, Store};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use std::sync::Arc;

pub fn routes(sign_in_rate_per_minute: u32) -> Router<AppState> {
    // Starting a sign-in is where credentials are tried: limited per address.
    let starts = Router::new()
        .route("/auth/demo", post(demo_sign_in))
        .route("/auth/nhs-login", get(begin_patient))
        .route("/auth/staff", get(begin_staff))
        .layer(crate::limits::sign_in(sign_in_rate_per_minute));
    Router::new()
        .merge(starts)
        .route("/auth/sign-out", post(sign_out))
        .route("/auth/nhs-login/callback", get(patient_callback))
        .route("/auth/staff/callback", get(staff_callback))
}

const FLOW_MINUTES: i64 = 10;

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

fn with_cookies(mut res: Response, cookies: impl IntoIterator<Item = header::HeaderValue>) -> Response {
    for c in cookies {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

/// The sign-in problem page, and the half-finished sign-in forgotten.
fn problem(reason: &str) -> Response {
    security::record(SecurityEvent::SignInFailed, &format!("reason={reason}"));
    with_cookies(see_other(&format!("/sign-in/problem?reason={reason}")), [clear_cookie(SIGN_IN_COOKIE)])
}

fn unavailable() -> Response {
    (StatusCode::NOT_FOUND, "This way of signing in is not available.").into_response()
}

fn internal_error(what: &str, e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "{what}");
    problem("error")
}

#[derive(Deserialize)]
pub struct DemoForm {
    person: String,
}

async fn demo_sign_in(State(state): State<AppState>, headers: HeaderMap, Form(form): Form<DemoForm>) -> Response {
    if !state.sign_in.demo {
        return unavailable();
    }
    let Some(person) = demo::find(&form.person) else {
        return see_other("/sign-in");
    };
    let holder = match &person.kind {
        DemoKind::Patient { nhs_number, given_name, family_name, birth_date, proofing, gp_practice } => {
            let (Ok(nhs_number), Ok(practice)) = (NhsNumber::parse(nhs_number), OdsCode::parse(gp_practice)) else {
                return internal_error("demo person is malformed", person.id);
            };
            let area_slug = match area_of(&*state.store, &practice).await {
                Ok(a) => a,
                Err(e) => return internal_error("area lookup failed", e),
            };
            SignedIn::Patient(Patient {
                subject: person.id.to_string(),
                nhs_number,
                given_name: given_name.to_string(),
                family_name: family_name.to_string(),
                birth_date: Some(birth_date.to_string()),
                proofing: *proofing,
                vot: Some(format!("{}.Cp.Cd", proofing.as_str())),
                gp_practice: Some(practice),
                area_slug,
            })
        }
        DemoKind::Staff => match staff_holder(&*state.store, person.id).await {
            Ok(Some(s)) => s,
            Ok(None) => return see_other("/no-access"),
            Err(e) => return internal_error("staff lookup failed", e),
        },
    };
    finish_sign_in(&state, &headers, holder).await
}

async fn area_of(store: &dyn Store, practice: &OdsCode) -> Result<Option<String>, app::server::StoreError> {
    let Some(p) = store.practice(practice).await? else { return Ok(None) };
    Ok(store.list_areas().await?.into_iter().find(|a| a.id == p.area_id).map(|a| a.slug.to_string()))
}

/// A member of staff as the directory knows them; `None` when unknown or without any role.
async fn staff_holder(store: &dyn Store, subject: &str) -> Result<Option<SignedIn>, app::server::StoreError> {
    Ok(store
        .staff_member(subject)
        .await?
        .filter(|s| !s.grants.is_empty())
        .map(|s| SignedIn::Staff(StaffMember { subject: s.subject, name: s.name, grants: s.grants })))
}

async fn finish_sign_in(state: &AppState, headers: &HeaderMap, holder: SignedIn) -> Response {
    let home = match holder {
        SignedIn::Patient(_) => "/your-choices",
        SignedIn::Staff(_) => "/staff",
    };
    security::record(SecurityEvent::SignInSucceeded, &format!("kind={} subject={}", holder.kind(), holder.subject()));
    match sessions::start(&Sessions::from_ref(state), cookie(headers, SESSION_COOKIE), holder).await {
        Ok(set) => with_cookies(see_other(home), [set, clear_cookie(SIGN_IN_COOKIE)]),
        Err(e) => internal_error("could not start session", e),
    }
}

async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = state.store.delete_session(&state.hasher.hash(token)).await {
            tracing::error!(error = %e, "could not end session");
        } else {
            tracing::info!("session ended by sign-out");
        }
    }
    let mut res = with_cookies(see_other("/signed-out"), [clear_cookie(SESSION_COOKIE)]);
    // The browser forgets everything of ours it kept: cookies and storage.
    res.headers_mut().insert(header::HeaderName::from_static("clear-site-data"), header::HeaderValue::from_static("\"cookies\", \"storage\""));
    res
}

async fn begin(state: &AppState, provider: &OidcProvider, audience: &str) -> Response {
    let begun = match provider.begin().await {
        Ok(b) => b,
        Err(e) => return internal_error("could not start OIDC sign-in", e),
    };
    // Binds the flow to this browser: a callback URL opened elsewhere is refused.
    let browser = sessions::random_token();
    let flow = LoginFlow {
        state_hash: state.hasher.hash(&begun.state),
        audience: audience.to_string(),
        pkce_verifier: begun.pkce_verifier,
        nonce: begun.nonce,
        browser_hash: state.hasher.hash(&browser),
        expires_at: chrono::Utc::now() + chrono::Duration::minutes(FLOW_MINUTES),
    };
    if let Err(e) = state.store.put_login_flow(&flow).await {
        return internal_error("could not save sign-in flow", e);
    }
    with_cookies(
        see_other(begun.url.as_str()),
        [sessions::set_cookie(SIGN_IN_COOKIE, &browser, FLOW_MINUTES * 60)],
    )
}

async fn begin_patient(State(state): State<AppState>) -> Response {
    match state.nhs_login.clone() {
        Some(p) => begin(&state, &p, "patient").await,
        None => unavailable(),
    }
}

async fn begin_staff(State(state): State<AppState>) -> Response {
    match state.staff_oidc.clone() {
        Some(p) => begin(&state, &p, "staff").await,
        None => unavailable(),
    }
}

#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Checks the callback against the flow it belongs to and verifies the provider's answer.
async fn verify_callback(
    state: &AppState,
    provider: &Arc<OidcProvider>,
    headers: &HeaderMap,
    cb: Callback,
    audience: &str,
) -> Result<crate::auth::oidc::Identity, Response> {
    if let Some(error) = cb.error {
        tracing::info!(audience, error = %error.chars().take(40).collect::<String>(), "provider refused sign-in");
        return Err(problem(if error == "access_denied" { "cancelled" } else { "provider" }));
    }
    let (Some(code), Some(returned_state)) = (cb.code, cb.state) else {
        return Err(problem("error"));
    };
    let flow = match state.store.take_login_flow(&state.hasher.hash(&returned_state)).await {
        Ok(Some(f)) => f,
        Ok(None) => {
            tracing::warn!(audience, "sign-in callback with an unknown or used state");
            return Err(problem("expired"));
        }
        Err(e) => return Err(internal_error("could not read sign-in flow", e)),
    };
    let browser_ok = cookie(headers, SIGN_IN_COOKIE).map(|b| state.hasher.hash(b)) == Some(flow.browser_hash.clone());
    if flow.audience != audience || flow.expires_at < chrono::Utc::now() || !browser_ok {
        tracing::warn!(audience, browser_ok, "sign-in callback does not match its flow");
        return Err(problem("expired"));
    }
    provider.finish(&code, &flow.pkce_verifier, &flow.nonce).await.map_err(|e| {
        tracing::warn!(audience, error = %e, "sign-in refused");
        problem("identity")
    })
}

async fn patient_callback(State(state): State<AppState>, headers: HeaderMap, Query(cb): Query<Callback>) -> Response {
    let Some(provider) = state.nhs_login.clone() else { return unavailable() };
    let identity = match verify_callback(&state, &provider, &headers, cb, "patient").await {
        Ok(i) => i,
        Err(res) => return res,
    };
    let Some(nhs_number) = identity.str("nhs_number").and_then(|n| NhsNumber::parse(n).ok()) else {
        tracing::warn!("NHS login gave no valid NHS number");
        return problem("identity");
    };
    let vot = identity.str("vot").map(str::to_string);
    let proofing = identity
        .str("identity_proofing_level")
        .or(vot.as_deref())
        .and_then(ProofingLevel::parse)
        .unwrap_or(ProofingLevel::P0);
    let gp_practice = identity
        .claims
        .get("gp_registration_details")
        .and_then(|g| g.get("gp_ods_code"))
        .and_then(|c| c.as_str())
        .and_then(|c| OdsCode::parse(c).ok());
    let area_slug = match &gp_practice {
        Some(p) => match area_of(&*state.store, p).await {
            Ok(a) => a,
            Err(e) => return internal_error("area lookup failed", e),
        },
        None => None,
    };
    let holder = SignedIn::Patient(Patient {
        subject: identity.subject.clone(),
        nhs_number,
        given_name: identity.str("given_name").unwrap_or_default().to_string(),
        family_name: identity.str("family_name").unwrap_or_default().to_string(),
        birth_date: identity.str("birthdate").map(str::to_string),
        proofing,
        vot,
        gp_practice,
        area_slug,
    });
    tracing::info!(proofing = proofing.as_str(), "patient signed in with NHS login");
    finish_sign_in(&state, &headers, holder).await
}

async fn staff_callback(State(state): State<AppState>, headers: HeaderMap, Query(cb): Query<Callback>) -> Response {
    let Some(provider) = state.staff_oidc.clone() else { return unavailable() };
    let identity = match verify_callback(&state, &provider, &headers, cb, "staff").await {
        Ok(i) => i,
        Err(res) => return res,
    };
    match staff_holder(&*state.store, &identity.subject).await {
        Ok(Some(holder)) => finish_sign_in(&state, &headers, holder).await,
        Ok(None) => {
            tracing::info!("staff subject not in the directory");
            with_cookies(see_other("/no-access"), [clear_cookie(SIGN_IN_COOKIE)])
        }
        Err(e) => internal_error("staff lookup failed", e),
    }
}

