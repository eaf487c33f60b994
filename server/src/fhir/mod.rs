//! The machine-facing FHIR R4 API through which shared care record systems send access events:
//! one AuditEvent, a `batch` Bundle of them, or newline-delimited JSON for bulk loads. Each
//! sender is a registered source (HTTP Basic with its client id and secret, or a bearer token
//! from `POST /oauth/token`); every problem is answered with an OperationOutcome naming the
//! path; a bad entry never stops the rest; the same event sent twice is stored once.

// Handlers answer early with a whole response (an OperationOutcome): it is the error.
#![expect(clippy::result_large_err, reason = "an early answer is an axum Response")]

pub mod audit_event;

use crate::state::AppState;
use app::server::{AccessEvent, EventSource, Store};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use base64::Engine;
use chrono::Utc;
use serde_json::{json, Value};

/// Largest single resource or batch Bundle.
pub const MAX_BATCH_BYTES: usize = 8 * 1024 * 1024;
/// Largest NDJSON bulk load in one request.
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;
/// How long a bearer token from `/oauth/token` lasts.
pub const TOKEN_SECONDS: i64 = 3600;

pub fn routes(api_rate_per_minute: u32, token_rate_per_minute: u32) -> Router<AppState> {
    use crate::limits::{api_per_address, api_per_client};
    let token = Router::new()
        .route("/oauth/token", post(token))
        .layer(api_per_client(token_rate_per_minute))
        .layer(api_per_address(token_rate_per_minute.saturating_mul(2)));
    Router::new()
        .route("/fhir/AuditEvent", post(one))
        .route("/fhir", post(batch))
        .route("/fhir/AuditEvent/$import", post(import))
        .layer(api_per_client(api_rate_per_minute))
        .layer(api_per_address(api_rate_per_minute.saturating_mul(2)))
        .merge(token)
        .route("/fhir/openapi.json", get(openapi))
        // The body limits are the portal's own (see startup::body_limit), per path.
        .layer(DefaultBodyLimit::disable())
}

/// The body limit for a path, or `None` when it is not part of this API.
pub fn body_limit(path: &str) -> Option<usize> {
    match path {
        "/fhir/AuditEvent/$import" => Some(MAX_IMPORT_BYTES),
        "/fhir" | "/fhir/AuditEvent" => Some(MAX_BATCH_BYTES),
        _ => None,
    }
}

fn fhir_json(status: StatusCode, body: Value) -> Response {
    let mut res = (status, body.to_string()).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/fhir+json; charset=utf-8"));
    res
}

/// An OperationOutcome with one issue per problem.
pub fn outcome(issues: &[(&str, &str, String, Option<String>)]) -> Value {
    json!({
        "resourceType": "OperationOutcome",
        "issue": issues.iter().map(|(severity, code, diagnostics, path)| {
            let mut i = json!({ "severity": severity, "code": code, "diagnostics": diagnostics });
            if let Some(p) = path {
                i["expression"] = json!([p]);
            }
            i
        }).collect::<Vec<_>>()
    })
}

pub fn too_large() -> Response {
    fhir_json(StatusCode::PAYLOAD_TOO_LARGE, outcome(&[("error", "too-costly", "The request body is larger than this endpoint accepts".into(), None)]))
}

fn unauthorised(why: &str) -> Response {
    app::server::security::record(app::server::security::SecurityEvent::ApiCredentialsRefused, "route=fhir");
    let mut res = fhir_json(StatusCode::UNAUTHORIZED, outcome(&[("error", "login", why.into(), None)]));
    res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"fhir\", Bearer"));
    res
}

fn trouble(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "access event ingest failed");
    fhir_json(StatusCode::INTERNAL_SERVER_ERROR, outcome(&[("error", "exception", "The events could not be stored. Try again.".into(), None)]))
}


/// The client id and secret from an HTTP Basic header.
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic "))?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

async fn check_client(store: &dyn Store, client_id: &str, secret: &str) -> Result<Option<EventSource>, app::server::StoreError> {
    Ok(store
        .source_by_client_id(client_id)
        .await?
        .filter(|s| s.revoked_at.is_none() && s.secret_hash == app::server::credentials::hash_secret(secret)))
}

/// Who is sending: a registered, unrevoked source, by Basic credentials or bearer token.
async fn authenticate(store: &dyn Store, headers: &HeaderMap) -> Result<EventSource, Response> {
    let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if let Some(token) = auth.strip_prefix("Bearer ") {
        return match store.source_for_token(&app::server::credentials::hash_secret(token.trim()), Utc::now()).await {
            Ok(Some(s)) => Ok(s),
            Ok(None) => Err(unauthorised("The bearer token is not valid, has expired, or its source has been revoked")),
            Err(e) => Err(trouble(e)),
        };
    }
    let Some((id, secret)) = basic(headers) else {
        return Err(unauthorised("Send the source's client id and secret (HTTP Basic), or a bearer token from /oauth/token"));
    };
    match check_client(store, &id, &secret).await {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err(unauthorised("The client id or secret is wrong, or the source has been revoked")),
        Err(e) => Err(trouble(e)),
    }
}

/// The event, as sent by this source.
fn to_event(source: &EventSource, event: AccessEvent) -> AccessEvent {
    AccessEvent { source_id: Some(source.id), ..event }
}

fn issues_outcome(issues: &[audit_event::Issue], prefix: &str) -> Value {
    let list: Vec<(&str, &str, String, Option<String>)> = issues
        .iter()
        .map(|i| ("error", i.code, format!("{prefix}{}", i.message), Some(i.path.clone())))
        .collect();
    outcome(&list)
}

fn parse_json(body: &[u8]) -> Result<Value, Response> {
    serde_json::from_slice(body).map_err(|e| {
        fhir_json(StatusCode::BAD_REQUEST, outcome(&[("error", "structure", format!("The body is not JSON: {e}"), None)]))
    })
}

/// `POST /fhir/AuditEvent`: one event. 201 when stored, 200 when it was already held.
async fn one(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let store = &*state.store;
    let source = match authenticate(store, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let resource = match parse_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let parsed = match audit_event::parse(&resource) {
        Ok(p) => p,
        Err(issues) => return fhir_json(StatusCode::BAD_REQUEST, issues_outcome(&issues, "")),
    };
    let event = to_event(&source, parsed);
    match store.ingest_access_events(std::slice::from_ref(&event), Utc::now()).await {
        Ok(stored) => {
            let new = !stored.is_empty();
            tracing::info!(source = source.id, stored = stored.len(), "access event received");
            let (status, text) = if new { (StatusCode::CREATED, "Stored") } else { (StatusCode::OK, "Already held: not stored again") };
            let mut res = fhir_json(status, outcome(&[("information", "informational", text.into(), None)]));
            if let Ok(v) = HeaderValue::from_str(&format!("/fhir/AuditEvent/{}", event.source_event_id)) {
                res.headers_mut().insert(header::LOCATION, v);
            }
            res
        }
        Err(e) => trouble(e),
    }
}

/// `POST /fhir`: a `batch` Bundle of AuditEvents; answered with a `batch-response` Bundle, one
/// entry per entry sent, in order.
async fn batch(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let store = &*state.store;
    let source = match authenticate(store, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let bundle = match parse_json(&body) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if bundle["resourceType"] != "Bundle" || bundle["type"] != "batch" {
        return fhir_json(
            StatusCode::BAD_REQUEST,
            outcome(&[("error", "invalid", "Send a Bundle of type batch".into(), Some("Bundle.type".into()))]),
        );
    }
    let entries = bundle["entry"].as_array().cloned().unwrap_or_default();
    let mut results: Vec<Result<String, Value>> = Vec::with_capacity(entries.len());
    let mut events = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let method = entry["request"]["method"].as_str().unwrap_or("POST");
        let url = entry["request"]["url"].as_str().unwrap_or("AuditEvent");
        if method != "POST" || url.trim_start_matches('/') != "AuditEvent" {
            results.push(Err(outcome(&[(
                "error",
                "not-supported",
                "Only POST AuditEvent is supported in a batch".into(),
                Some(format!("Bundle.entry[{i}].request")),
            )])));
            continue;
        }
        match audit_event::parse(&entry["resource"]) {
            Ok(p) => {
                let e = to_event(&source, p);
                results.push(Ok(e.source_event_id.clone()));
                events.push(e);
            }
            Err(issues) => {
                let prefixed: Vec<audit_event::Issue> = issues
                    .into_iter()
                    .map(|mut x| {
                        x.path = format!("Bundle.entry[{i}].resource.{}", x.path.trim_start_matches("AuditEvent.").trim_start_matches("AuditEvent"));
                        x.path = x.path.trim_end_matches('.').to_string();
                        x
                    })
                    .collect();
                results.push(Err(issues_outcome(&prefixed, "")));
            }
        }
    }
    let stored = match store.ingest_access_events(&events, Utc::now()).await {
        Ok(s) => s,
        Err(e) => return trouble(e),
    };
    let stored: std::collections::HashSet<String> = stored.into_iter().collect();
    tracing::info!(source = source.id, entries = entries.len(), stored = stored.len(), "access event batch received");
    let response_entries: Vec<Value> = results
        .into_iter()
        .map(|r| match r {
            Ok(id) if stored.contains(&id) => json!({ "response": { "status": "201 Created", "location": format!("AuditEvent/{id}") } }),
            Ok(id) => json!({ "response": { "status": "200 OK", "location": format!("AuditEvent/{id}"),
                "outcome": outcome(&[("information", "duplicate", "Already held: not stored again".into(), None)]) } }),
            Err(o) => json!({ "response": { "status": "400 Bad Request", "outcome": o } }),
        })
        .collect();
    fhir_json(StatusCode::OK, json!({ "resourceType": "Bundle", "type": "batch-response", "entry": response_entries }))
}

/// `POST /fhir/AuditEvent/$import`: one AuditEvent per line. Good lines are stored, in
/// batches; the answer counts them and names each bad line's problems.
async fn import(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let store = &*state.store;
    let source = match authenticate(store, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let text = match std::str::from_utf8(&body) {
        Ok(t) => t,
        Err(_) => return fhir_json(StatusCode::BAD_REQUEST, outcome(&[("error", "structure", "The body is not UTF-8 text".into(), None)])),
    };
    let now = Utc::now();
    let (mut received, mut stored, mut refused) = (0usize, 0usize, 0usize);
    let mut problems: Vec<(&str, &str, String, Option<String>)> = Vec::new();
    let mut pending = Vec::with_capacity(5000);
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        received += 1;
        let parsed = serde_json::from_str::<Value>(line).map_err(|e| vec![audit_event::Issue { path: "AuditEvent".into(), code: "structure", message: format!("not JSON: {e}") }]).and_then(|v| audit_event::parse(&v));
        match parsed {
            Ok(p) => pending.push(to_event(&source, p)),
            Err(issues) => {
                refused += 1;
                // Name the first hundred bad lines; count the rest.
                if problems.len() < 100 {
                    for i in issues {
                        problems.push(("error", i.code, format!("line {}: {}", n + 1, i.message), Some(i.path)));
                    }
                }
            }
        }
        if pending.len() == 5000 {
            match store.ingest_access_events(&pending, now).await {
                Ok(s) => stored += s.len(),
                Err(e) => return trouble(e),
            }
            pending.clear();
        }
    }
    match store.ingest_access_events(&pending, now).await {
        Ok(s) => stored += s.len(),
        Err(e) => return trouble(e),
    }
    let duplicates = received - refused - stored;
    tracing::info!(source = source.id, received, stored, duplicates, refused, "access events imported");
    let mut issues = vec![(
        "information",
        "informational",
        format!("{received} received: {stored} stored, {duplicates} already held, {refused} refused"),
        None,
    )];
    issues.extend(problems);
    fhir_json(StatusCode::OK, outcome(&issues))
}

/// `POST /oauth/token`: OAuth 2.0 client credentials. The client authenticates with HTTP Basic
/// or `client_id` and `client_secret` in the form.
async fn token(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let store = &*state.store;
    let form = app::server::Fields::parse(&body).0;
    let field = |k: &str| form.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone());
    let oauth_error = |status: StatusCode, error: &str, description: &str| {
        let mut res = (status, axum::Json(json!({ "error": error, "error_description": description }))).into_response();
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res
    };
    if field("grant_type").as_deref() != Some("client_credentials") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "Only client_credentials is supported");
    }
    let credentials = basic(&headers).or_else(|| Some((field("client_id")?, field("client_secret")?)));
    let Some((id, secret)) = credentials else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Client authentication is required");
    };
    let source = match check_client(store, &id, &secret).await {
        Ok(Some(s)) => s,
        Ok(None) => {
            app::server::security::record(app::server::security::SecurityEvent::ApiCredentialsRefused, "route=/oauth/token");
            return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "The client id or secret is wrong, or the source has been revoked");
        }
        Err(e) => return trouble(e),
    };
    let token = app::server::credentials::random_token();
    let expires = Utc::now() + chrono::Duration::seconds(TOKEN_SECONDS);
    if let Err(e) = store.put_source_token(&app::server::credentials::hash_secret(&token), source.id, expires).await {
        return trouble(e);
    }
    tracing::info!(source = source.id, "bearer token issued");
    let mut res = axum::Json(json!({ "access_token": token, "token_type": "Bearer", "expires_in": TOKEN_SECONDS })).into_response();
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn openapi() -> Response {
    let mut res = include_str!("openapi.json").into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res
}

