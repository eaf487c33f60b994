//! The machine-facing FHIR R4 API through which shared care record systems send access events:
//! one AuditEvent, a `batch` Bundle of them, or newline-delimited JSON for bulk loads. Each
//! sender is a registered source (HTTP Basic with its client id and secret, or a bearer token
//! from `POST /oauth/token`); every problem is answered with an OperationOutcome naming the
//! path; a bad entry never stops the rest; the same event sent twice is stored once.

// Handlers answer early with a whole response (an OperationOutcome): it is the error.
#![expect(clippy::result_large_err, reason = "an early answer is an axum Response")]

pub mod audit_event;
pub mod capability;
pub mod strict_json;

use crate::state::AppState;
use app::server::{AccessEvent, EventSource, Store};
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::Router;
use base64::Engine;
use chrono::Utc;
use serde_json::{json, Value};

/// Largest single resource or batch Bundle.
pub const MAX_BATCH_BYTES: usize = 8 * 1024 * 1024;
/// Most entries in one batch Bundle (the answer holds one entry for each).
pub const MAX_BATCH_ENTRIES: usize = 1000;
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
        .route("/fhir/AuditEvent", post(one).fallback(not_supported))
        .route("/fhir", post(batch).fallback(not_supported))
        .route("/fhir/AuditEvent/$import", post(import).fallback(not_supported))
        .route("/fhir/AuditEvent/{id}", get(read_back).fallback(not_supported))
        .layer(api_per_client(api_rate_per_minute))
        .layer(api_per_address(api_rate_per_minute.saturating_mul(2)))
        .merge(token)
        .route("/fhir/openapi.json", get(openapi).fallback(not_supported))
        .route("/fhir/metadata", get(metadata).fallback(not_supported))
        .route("/fhir/", any(not_found))
        .route("/fhir/{*rest}", any(not_found))
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
    // The scheme is case-insensitive (RFC 9110).
    let bearer = auth.get(..7).filter(|s| s.eq_ignore_ascii_case("bearer ")).map(|_| &auth[7..]);
    if let Some(token) = bearer {
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

/// The body read strictly (a key given twice is refused, with where it is).
fn parse_json(body: &[u8], root: &str) -> Result<Value, Response> {
    strict_json::parse(body, root).map_err(|refusal| {
        let path = match &refusal {
            strict_json::Refusal::Duplicate { path, key } => Some(format!("{path}.{key}")),
            strict_json::Refusal::Syntax(_) => None,
        };
        fhir_json(StatusCode::BAD_REQUEST, outcome(&[("error", "structure", refusal.to_string(), path)]))
    })
}

/// The media types each endpoint reads; anything else is a 415 with an OperationOutcome.
const JSON_TYPES: &[&str] = &["application/fhir+json", "application/json"];
const NDJSON_TYPES: &[&str] = &["application/fhir+ndjson", "application/ndjson", "application/x-ndjson", "application/fhir+json", "application/json"];

fn check_content_type(headers: &HeaderMap, accepted: &[&str]) -> Result<(), Response> {
    let given = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let mut parts = given.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    // JSON is UTF-8: a body said to be in another character set is not read as if it were.
    let charset = parts.filter_map(|p| p.split_once('=')).find(|(k, _)| k.trim().eq_ignore_ascii_case("charset")).map(|(_, v)| v.trim().trim_matches('"').to_ascii_lowercase());
    if charset.as_deref().is_some_and(|c| c != "utf-8" && c != "utf8") {
        return Err(fhir_json(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            outcome(&[("error", "not-supported", "Send the body in UTF-8 (charset=utf-8, or no charset)".into(), None)]),
        ));
    }
    if accepted.contains(&media.as_str()) {
        return Ok(());
    }
    let said = if media.is_empty() { "no Content-Type".to_string() } else { format!("Content-Type {media}") };
    Err(fhir_json(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        outcome(&[("error", "not-supported", format!("The request has {said}; send {}", accepted.join(" or ")), None)]),
    ))
}

/// What became of one event sent.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fate {
    Stored,
    /// Already held, with the same content: a harmless retry.
    Held,
    /// This source already sent an event with this id, with different content.
    Conflict,
}

const CONFLICT: &str = "An event with this id is already held from this system with different content: an event is never changed once sent; give a new event a new id";

/// Stores what is new, and tells a harmless repeat (here or earlier) from a conflicting one.
/// Within one sending, the first event with an id is the one considered; a later one is held
/// when it is the same, a conflict when it differs.
async fn file(store: &dyn Store, source: &EventSource, events: Vec<AccessEvent>, now: chrono::DateTime<Utc>) -> Result<Vec<Fate>, app::server::StoreError> {
    let mut first: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut fates: Vec<Option<Fate>> = vec![None; events.len()];
    let mut fresh: Vec<AccessEvent> = Vec::with_capacity(events.len());
    let mut fresh_at: Vec<usize> = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        match first.get(&e.source_event_id) {
            Some(&j) => fates[i] = Some(if events[j].content_hash == e.content_hash { Fate::Held } else { Fate::Conflict }),
            None => {
                first.insert(e.source_event_id.clone(), i);
                fresh_at.push(i);
                fresh.push(to_event(source, e.clone()));
            }
        }
    }
    let stored: std::collections::HashSet<String> = store.ingest_access_events(&fresh, now).await?.into_iter().collect();
    let repeated: Vec<String> = fresh.iter().filter(|e| !stored.contains(&e.source_event_id)).map(|e| e.source_event_id.clone()).collect();
    let held: std::collections::HashMap<String, Option<String>> =
        if repeated.is_empty() { Default::default() } else { store.held_access_event_hashes(source.id, &repeated).await?.into_iter().collect() };
    for (e, i) in fresh.iter().zip(fresh_at) {
        fates[i] = Some(if stored.contains(&e.source_event_id) {
            Fate::Stored
        } else {
            match held.get(&e.source_event_id) {
                // Held before digests were kept, or the same content: a retry.
                Some(None) | None => Fate::Held,
                Some(Some(h)) if Some(h) == e.content_hash.as_ref() => Fate::Held,
                Some(Some(_)) => Fate::Conflict,
            }
        });
    }
    // Later events with an id stored here take their first's fate when that was a conflict.
    for (i, e) in events.iter().enumerate() {
        if let (Some(Fate::Held), Some(&j)) = (fates[i], first.get(&e.source_event_id)) {
            if j != i && fates[j] == Some(Fate::Conflict) {
                fates[i] = Some(Fate::Conflict);
            }
        }
    }
    Ok(fates.into_iter().map(|f| f.unwrap_or(Fate::Held)).collect())
}

/// `POST /fhir/AuditEvent`: one event. 201 when stored, 200 when it was already held, 409
/// when an event with its id is held with different content.
async fn one(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let store = &*state.store;
    let source = match authenticate(store, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(r) = check_content_type(&headers, JSON_TYPES) {
        return r;
    }
    let resource = match parse_json(&body, "AuditEvent") {
        Ok(v) => v,
        Err(r) => return r,
    };
    let now = Utc::now();
    let event = match audit_event::parse_at(&resource, now) {
        Ok(p) => p,
        Err(issues) => return fhir_json(StatusCode::BAD_REQUEST, issues_outcome(&issues, "")),
    };
    let id = event.source_event_id.clone();
    let fate = match file(store, &source, vec![event], now).await {
        Ok(f) => f.first().copied().unwrap_or(Fate::Held),
        Err(e) => return trouble(e),
    };
    tracing::info!(source = source.id, ?fate, "access event received");
    let (status, severity, code, text) = match fate {
        Fate::Stored => (StatusCode::CREATED, "information", "informational", "Stored"),
        Fate::Held => (StatusCode::OK, "information", "informational", "Already held: not stored again"),
        Fate::Conflict => (StatusCode::CONFLICT, "error", "conflict", CONFLICT),
    };
    let mut res = fhir_json(status, outcome(&[(severity, code, text.into(), None)]));
    if fate != Fate::Conflict {
        if let Ok(v) = HeaderValue::from_str(&format!("/fhir/AuditEvent/{id}")) {
            res.headers_mut().insert(header::LOCATION, v);
        }
    }
    res
}

/// `GET /fhir/AuditEvent/{id}`: an event read back by the system that sent it (and by no
/// other: another system's id is simply not found).
async fn read_back(State(state): State<AppState>, headers: HeaderMap, axum::extract::Path(id): axum::extract::Path<String>) -> Response {
    let store = &*state.store;
    let source = match authenticate(store, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    let not_found = || fhir_json(StatusCode::NOT_FOUND, outcome(&[("error", "not-found", "This system has sent no event with this id".into(), None)]));
    if id.len() > 64 {
        return not_found();
    }
    match store.source_access_event(source.id, &id).await {
        Ok(Some(e)) => {
            let person = app::access_log::fhir::Person { display: &e.agent_name, identifier: e.agent_id.as_deref(), role: e.agent_role.as_deref() };
            fhir_json(StatusCode::OK, app::access_log::fhir::audit_event(&e, Some(&id), &person, app::access_log::fhir::by_nhs_number(&e)))
        }
        Ok(None) => not_found(),
        Err(e) => trouble(e),
    }
}

/// Any verb an endpoint does not offer: 405, as an OperationOutcome.
async fn not_supported(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    let (allow, what) = match uri.path() {
        "/fhir/AuditEvent" | "/fhir" | "/fhir/AuditEvent/$import" => ("POST", "sends events"),
        _ => ("GET", "is read-only"),
    };
    let mut res = fhir_json(
        StatusCode::METHOD_NOT_ALLOWED,
        outcome(&[("error", "not-supported", format!("{method} is not supported here: {} {what}; the CapabilityStatement at /fhir/metadata lists what is", uri.path()), None)]),
    );
    res.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
    res
}

/// Anything under /fhir that is not an endpoint: 404, as an OperationOutcome.
async fn not_found(uri: axum::http::Uri) -> Response {
    let _ = uri;
    fhir_json(
        StatusCode::NOT_FOUND,
        outcome(&[("error", "not-found", "There is no such endpoint; the CapabilityStatement at /fhir/metadata lists those there are".into(), None)]),
    )
}

/// `GET /fhir/metadata`: what this FHIR server does, for systems to discover.
async fn metadata() -> Response {
    fhir_json(StatusCode::OK, capability::statement())
}

/// `POST /fhir`: a `batch` Bundle of AuditEvents; answered with a `batch-response` Bundle, one
/// entry per entry sent, in order.
async fn batch(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let store = &*state.store;
    let source = match authenticate(store, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(r) = check_content_type(&headers, JSON_TYPES) {
        return r;
    }
    let bundle = match parse_json(&body, "Bundle") {
        Ok(v) => v,
        Err(r) => return r,
    };
    if bundle["resourceType"] != "Bundle" || bundle["type"] != "batch" {
        return fhir_json(
            StatusCode::BAD_REQUEST,
            outcome(&[("error", "invalid", "Send a Bundle of type batch".into(), Some("Bundle.type".into()))]),
        );
    }
    let now = Utc::now();
    let entries = bundle["entry"].as_array().cloned().unwrap_or_default();
    if entries.len() > MAX_BATCH_ENTRIES {
        return fhir_json(
            StatusCode::PAYLOAD_TOO_LARGE,
            outcome(&[(
                "error",
                "too-costly",
                format!("A batch may hold at most {MAX_BATCH_ENTRIES} entries; this one holds {}. Send more in several batches, or use $import", entries.len()),
                Some("Bundle.entry".into()),
            )]),
        );
    }
    // Each entry: the index of its event among those parsed, or the problems with it.
    let mut results: Vec<Result<usize, Value>> = Vec::with_capacity(entries.len());
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
        match audit_event::parse_at(&entry["resource"], now) {
            Ok(e) => {
                results.push(Ok(events.len()));
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
    let ids: Vec<String> = events.iter().map(|e| e.source_event_id.clone()).collect();
    let fates = match file(store, &source, events, now).await {
        Ok(f) => f,
        Err(e) => return trouble(e),
    };
    let stored = fates.iter().filter(|f| **f == Fate::Stored).count();
    tracing::info!(source = source.id, entries = entries.len(), stored, "access event batch received");
    let response_entries: Vec<Value> = results
        .into_iter()
        .map(|r| match r.map(|k| (fates[k], &ids[k])) {
            Ok((Fate::Stored, id)) => json!({ "response": { "status": "201 Created", "location": format!("AuditEvent/{id}") } }),
            Ok((Fate::Held, id)) => json!({ "response": { "status": "200 OK", "location": format!("AuditEvent/{id}"),
                "outcome": outcome(&[("information", "duplicate", "Already held: not stored again".into(), None)]) } }),
            Ok((Fate::Conflict, _)) => json!({ "response": { "status": "409 Conflict", "outcome": outcome(&[("error", "conflict", CONFLICT.into(), None)]) } }),
            Err(o) => json!({ "response": { "status": "400 Bad Request", "outcome": o } }),
        })
        .collect();
    let mut answer = json!({ "resourceType": "Bundle", "type": "batch-response" });
    // FHIR JSON has no empty lists: an empty batch is answered with no entries at all.
    if !response_entries.is_empty() {
        answer["entry"] = Value::Array(response_entries);
    }
    fhir_json(StatusCode::OK, answer)
}

/// One issue for an OperationOutcome: severity, code, words, path.
type Problem = (&'static str, &'static str, String, Option<String>);

/// `POST /fhir/AuditEvent/$import`: one AuditEvent per line. Good lines are stored, in
/// batches; the answer counts them and names each bad line's problems.
async fn import(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let store = &*state.store;
    let source = match authenticate(store, &headers).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    if let Err(r) = check_content_type(&headers, NDJSON_TYPES) {
        return r;
    }
    let text = match std::str::from_utf8(&body) {
        Ok(t) => t,
        Err(_) => return fhir_json(StatusCode::BAD_REQUEST, outcome(&[("error", "structure", "The body is not UTF-8 text".into(), None)])),
    };
    let now = Utc::now();
    let (mut received, mut stored, mut held, mut refused) = (0usize, 0usize, 0usize, 0usize);
    let mut problems: Vec<Problem> = Vec::new();
    // Name the first hundred problems; count the rest.
    let mut unlisted = 0usize;
    fn note(problems: &mut Vec<Problem>, unlisted: &mut usize, code: &'static str, message: String, path: Option<String>) {
        if problems.len() < 100 {
            problems.push(("error", code, message, path));
        } else {
            *unlisted += 1;
        }
    }
    let mut pending = Vec::with_capacity(5000);
    let mut pending_lines = Vec::with_capacity(5000);
    let lines: Vec<&str> = text.lines().collect();
    for (n, line) in lines.iter().enumerate() {
        let line = line.trim();
        if !line.is_empty() {
            received += 1;
            let parsed = strict_json::parse(line.as_bytes(), "AuditEvent")
                .map_err(|r| {
                    let path = match &r {
                        strict_json::Refusal::Duplicate { path, key } => format!("{path}.{key}"),
                        strict_json::Refusal::Syntax(_) => "AuditEvent".into(),
                    };
                    vec![audit_event::Issue { path, code: "structure", message: r.to_string() }]
                })
                .and_then(|v| audit_event::parse_at(&v, now));
            match parsed {
                Ok(p) => {
                    pending.push(p);
                    pending_lines.push(n + 1);
                }
                Err(issues) => {
                    refused += 1;
                    for i in issues {
                        note(&mut problems, &mut unlisted, i.code, format!("line {}: {}", n + 1, i.message), Some(i.path));
                    }
                }
            }
        }
        if pending.len() == 5000 || (n + 1 == lines.len() && !pending.is_empty()) {
            let fates = match file(store, &source, std::mem::take(&mut pending), now).await {
                Ok(f) => f,
                Err(e) => return trouble(e),
            };
            for (fate, line) in fates.into_iter().zip(pending_lines.drain(..)) {
                match fate {
                    Fate::Stored => stored += 1,
                    Fate::Held => held += 1,
                    Fate::Conflict => {
                        refused += 1;
                        note(&mut problems, &mut unlisted, "conflict", format!("line {line}: {CONFLICT}"), Some("AuditEvent.id".into()));
                    }
                }
            }
        }
    }
    tracing::info!(source = source.id, received, stored, held, refused, "access events imported");
    let mut issues = vec![(
        "information",
        "informational",
        format!("{received} received: {stored} stored, {held} already held, {refused} refused"),
        None,
    )];
    issues.extend(problems);
    if unlisted > 0 {
        issues.push(("warning", "too-costly", format!("{unlisted} more problems are not listed: the first hundred are"), None));
    }
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

